"""Security interests (SecurityInterests): several pledges per right ranked by recording order, creditor consent
bound to each (pledge, assignment) pair and voided by any change of the right's pledges, releases by the creditor or
on a court order, and pledges that follow the right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from helpers import World, assert_revert, eip712
from ipledger.domain import LegalEvent, Status
from ipledger.errors import ContractRevert
from ipledger.sdk import IPLedger

ZERO = "0x" + "00" * 20
ZERO32 = "0x" + "00" * 32
DEED = "0x" + "de" * 32
AGREEMENT = "0x" + "a9" * 32
COURT_ORDER = "0x" + "c0" * 32
NONE_STATE, ACTIVE, RELEASED = 0, 1, 2  # ISecurityInterests.PledgeState
MAX_PLEDGES = 8


@dataclass(frozen=True)
class Rights:
    em: int  # registered at EM (recordal required)
    ru: int  # registered at RU (title moves at acceptance)


@pytest.fixture(scope="module")
def rights(module_world: World) -> Rights:
    return Rights(em=module_world.file_registered("018777001"),
                  ru=module_world.file_registered("2023777001", office="RU"))


def rid_of(rights: Rights, office: str) -> int:
    return rights.em if office == "EM" else rights.ru


def owner_of(ipl: IPLedger, rid: int) -> str:
    return str(ipl.registry.functions.ownerOf(rid).call())


def pledge_record(ipl: IPLedger, pid: int) -> tuple[int, str, int, int]:
    right, creditor, recorded_at, state = ipl.interests.functions.pledgeOf(pid).call()
    return right, creditor, recorded_at, state


def active_ids(ipl: IPLedger, rid: int) -> list[int]:
    return [int(x) for x in ipl.interests.functions.pledgesOf(rid).call()]


def consented(ipl: IPLedger, pid: int, assignment_id: int) -> bool:
    return bool(ipl.interests.functions.hasConsented(pid, assignment_id).call())


def block_time(ipl: IPLedger, block: int) -> int:
    return int(ipl.w3.eth.get_block(block)["timestamp"])


def pledge(world: World, rid: int, creditor: IPLedger, holder: IPLedger | None = None) -> int:
    """``holder`` (Alice) records a pledge for ``creditor``; returns its id."""
    return (holder or world.alice).record_pledge(rid, creditor.address, AGREEMENT).pledge_id


def complete(world: World, rid: int, office: str, assignee: IPLedger | None = None) -> Any:
    """The assignee (Bob) accepts (unless it already has); at EM the registrar then records. Returns the
    transaction that moved title."""
    res = None
    if world.ipl.pending_assignment(rid).state == 1:  # requested
        res = (assignee or world.bob).accept_assignment(rid)
    return world.registrar.record_assignment(rid) if office == "EM" else res


def assignment_id(ipl: IPLedger, rid: int) -> int:
    return ipl.pending_assignment(rid).assignment_id


def subset(args: dict[str, Any], expected: dict[str, Any]) -> bool:
    return {k: args.get(k) for k in expected} == expected


# ---------------------------------------------------------------- recording


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_record_pledge_by_holder_emits_event_with_rank_version_and_st27_code(world: World, rights: Rights,
                                                                             office: str) -> None:
    rid = rid_of(rights, office)
    res = world.alice.record_pledge(rid, world.carol.address, AGREEMENT)
    assert (res.pledge_id, res.rank) == (1, 1)
    args = res.event("PledgeRecorded").args
    assert subset(args, {"rightId": rid, "pledgeId": 1, "creditor": world.carol.address, "agreementHash": AGREEMENT,
                         "rank": 1, "pledgesVersion": 1, "keyEventCode": "R20"})
    assert args["keyEventCode"] == world.ipl.key_event_code(LegalEvent.SECURITY_INTEREST_RECORDED)
    assert pledge_record(world.ipl, 1) == (rid, world.carol.address, block_time(world.ipl, res.block), ACTIVE)
    assert active_ids(world.ipl, rid) == [1]
    info = world.ipl.right(rid)
    assert (info.pledge_creditor, info.creditors) == (world.carol.address, (world.carol.address,))
    assert owner_of(world.ipl, rid) == world.alice.address


def test_record_pledge_event_carries_office_national_code(world: World, rights: Rights) -> None:
    world.governor.set_national_code("EM", LegalEvent.SECURITY_INTEREST_RECORDED, "EM-SI1")
    res = world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    assert res.event("PledgeRecorded").args["nationalCode"] == "0x" + b"EM-SI1".ljust(8, b"\0").hex()
    entry = [e for e in world.ipl.history(rights.em).legal_events if e.event == "PledgeRecorded"]
    assert [(e.kind, e.key_event_code, e.national_code) for e in entry] == [
        (LegalEvent.SECURITY_INTEREST_RECORDED, "R20", "EM-SI1")]


@pytest.mark.parametrize("who", ["carol", "bob", "registrar", "stranger"])
def test_record_pledge_by_non_holder_reverts_not_holder(world: World, rights: Rights, who: str) -> None:
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.record_pledge(rights.em, world.carol.address, AGREEMENT)
    assert_revert(exc_info, "NotHolder", rightId=rights.em, caller=actor.address)
    assert active_ids(world.ipl, rights.em) == []


@pytest.mark.parametrize("creditor", ["zero", "holder"])
def test_record_pledge_to_zero_or_holder_reverts_invalid_account(world: World, rights: Rights,
                                                                 creditor: str) -> None:
    target = ZERO if creditor == "zero" else world.alice.address
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rights.em, target, AGREEMENT)
    assert_revert(exc_info, "InvalidAccount", account=target)


def test_record_pledge_of_unknown_right_reverts_right_not_found(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(4242, world.carol.address, AGREEMENT)
    assert_revert(exc_info, "RightNotFound", rightId=4242)


def test_several_pledges_are_ranked_by_recording_order(world: World, rights: Rights) -> None:
    rid = rights.em
    first = world.alice.record_pledge(rid, world.carol.address, AGREEMENT)
    second = world.alice.record_pledge(rid, world.dave.address, AGREEMENT)
    third = world.alice.record_pledge(rid, world.carol.address, "0x" + "a8" * 32)  # a second loan, same bank
    assert [(r.pledge_id, r.rank) for r in (first, second, third)] == [(1, 1), (2, 2), (3, 3)]
    assert third.event("PledgeRecorded").args["pledgesVersion"] == 3
    assert active_ids(world.ipl, rid) == [1, 2, 3]
    assert [(p.pledge_id, p.creditor, p.rank) for p in world.ipl.pledges(rid)] == [
        (1, world.carol.address, 1), (2, world.dave.address, 2), (3, world.carol.address, 3)]
    assert world.ipl.right(rid).creditors == (world.carol.address, world.dave.address, world.carol.address)


def test_release_of_senior_pledge_moves_junior_ones_up(world: World, rights: Rights) -> None:
    rid = rights.em
    ids = [pledge(world, rid, c) for c in (world.carol, world.dave, world.stranger)]
    world.dave.release_pledge(ids[1])
    assert active_ids(world.ipl, rid) == [ids[0], ids[2]]
    world.carol.release_pledge(ids[0])
    assert [(p.pledge_id, p.rank) for p in world.ipl.pledges(rid)] == [(ids[2], 1)]
    assert world.alice.record_pledge(rid, world.carol.address, AGREEMENT).rank == 2


def test_record_pledge_beyond_bound_reverts_too_many_pledges(world: World, rights: Rights) -> None:
    rid = rights.ru
    assert int(world.ipl.interests.functions.MAX_PLEDGES_PER_RIGHT().call()) == MAX_PLEDGES
    ids = [pledge(world, rid, world.carol) for _ in range(MAX_PLEDGES)]
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rid, world.dave.address, AGREEMENT)
    assert_revert(exc_info, "TooManyPledges", rightId=rid, max=MAX_PLEDGES)
    world.carol.release_pledge(ids[3])
    assert world.alice.record_pledge(rid, world.dave.address, AGREEMENT).rank == MAX_PLEDGES


@pytest.mark.parametrize("status", [Status.REVOKED, Status.EXPIRED], ids=lambda s: s.name.lower())
def test_record_pledge_on_ended_right_reverts_not_assignable(world: World, rights: Rights, status: Status) -> None:
    world.registrar.change_status(rights.em, status)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    assert_revert(exc_info, "NotAssignable", rightId=rights.em, status=status)


def test_record_pledge_on_lapsed_right_succeeds(world: World, rights: Rights) -> None:
    """A lapsed right may still be restored, and assigned: it may also be pledged."""
    world.registrar.change_status(rights.em, Status.LAPSED)
    assert world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT).pledge_id == 1


def test_record_pledge_while_paused_reverts_enforced_pause(world: World, rights: Rights) -> None:
    world.guardian.pause()
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    assert_revert(exc_info, "EnforcedPause")


# ---------------------------------------------------------------- consent required


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_assignment_with_pledge_and_no_consent_reverts_creditor_consent_required(world: World, rights: Rights,
                                                                                 office: str) -> None:
    rid = rid_of(rights, office)
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        complete(world, rid, office)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=pid, creditor=world.carol.address)
    assert owner_of(world.ipl, rid) == world.alice.address


def test_accept_assignment_by_sig_with_pledge_at_ru_reverts_creditor_consent_required(world: World,
                                                                                      rights: Rights) -> None:
    pid = pledge(world, rights.ru, world.carol)
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rights.ru, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rights.ru, deadline, sig)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rights.ru, pledgeId=pid, creditor=world.carol.address)


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_consent_then_release_then_new_pledge_reverts_creditor_consent_required_naming_dave(
        world: World, rights: Rights, office: str) -> None:
    """The issue's attack, with and without recordal: pledge to Carol, assignment requested, Carol consents, Carol
    releases, pledge to Dave: the assignment must not complete without Dave's consent."""
    rid = rid_of(rights, office)
    carol_pledge = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.carol.consent_to_assignment(carol_pledge)
    world.carol.release_pledge(carol_pledge)
    dave_pledge = pledge(world, rid, world.dave)
    with pytest.raises(ContractRevert) as exc_info:
        complete(world, rid, office)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=dave_pledge,
                  creditor=world.dave.address)
    assert owner_of(world.ipl, rid) == world.alice.address
    world.dave.consent_to_assignment(dave_pledge)
    complete(world, rid, office)  # at EM Bob's acceptance stood and only the recordal was refused
    assert owner_of(world.ipl, rid) == world.bob.address


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_assignment_needs_consent_of_every_active_creditor(world: World, rights: Rights, office: str) -> None:
    rid = rid_of(rights, office)
    carol_pledge, dave_pledge = pledge(world, rid, world.carol), pledge(world, rid, world.dave)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    res = world.carol.consent_to_assignment(carol_pledge)
    assert res.event("AssignmentConsented").args == {
        "rightId": rid, "pledgeId": carol_pledge, "creditor": world.carol.address, "assignmentId": 1,
        "assignee": world.bob.address, "pledgesVersion": 2, "bySignature": False}
    with pytest.raises(ContractRevert) as exc_info:
        complete(world, rid, office)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=dave_pledge,
                  creditor=world.dave.address)
    world.dave.consent_to_assignment(dave_pledge)
    assert [p.consented for p in world.ipl.pledges(rid)] == [True, True]
    moved = complete(world, rid, office)
    assert moved.event("AssignmentRecorded").args["to"] == world.bob.address


def test_new_pledge_voids_consents_given_before(world: World, rights: Rights) -> None:
    rid = rights.ru
    carol_pledge = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.carol.consent_to_assignment(carol_pledge)
    assert consented(world.ipl, carol_pledge, 1)
    dave_pledge = pledge(world, rid, world.dave)
    world.dave.consent_to_assignment(dave_pledge)
    assert not consented(world.ipl, carol_pledge, 1)  # given at version 1; the right is at version 2
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rid)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=carol_pledge,
                  creditor=world.carol.address)
    world.carol.consent_to_assignment(carol_pledge)
    world.bob.accept_assignment(rid)
    assert owner_of(world.ipl, rid) == world.bob.address


def test_release_of_another_pledge_voids_consents_given_before(world: World, rights: Rights) -> None:
    rid = rights.ru
    carol_pledge, dave_pledge = pledge(world, rid, world.carol), pledge(world, rid, world.dave)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.carol.consent_to_assignment(carol_pledge)
    world.dave.consent_to_assignment(dave_pledge)
    world.dave.release_pledge(dave_pledge)
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rid)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=carol_pledge,
                  creditor=world.carol.address)


def test_consent_is_for_one_assignment_a_new_request_needs_new_consent(world: World, rights: Rights) -> None:
    rid = rights.ru
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.carol.consent_to_assignment(pid)
    world.alice.cancel_assignment(rid)
    world.alice.request_assignment(rid, world.dave.address, DEED)
    assert assignment_id(world.ipl, rid) == 2 and not consented(world.ipl, pid, 2)
    with pytest.raises(ContractRevert) as exc_info:
        world.dave.accept_assignment(rid)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=pid, creditor=world.carol.address)


def test_consent_naming_a_superseded_assignment_reverts_stale_assignment(world: World, rights: Rights) -> None:
    """The creditor agreed to the deal with Bob; the holder swaps in a new request before the consent lands."""
    rid = rights.ru
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.alice.cancel_assignment(rid)
    world.alice.request_assignment(rid, world.stranger.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.consent_to_assignment(pid, assignment_id=1)
    assert_revert(exc_info, "StaleAssignment", rightId=rid, assignmentId=1, pendingId=2)


def test_consent_without_pending_assignment_reverts_stale_assignment(world: World, rights: Rights) -> None:
    pid = pledge(world, rights.em, world.carol)
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.consent_to_assignment(pid, assignment_id=1)
    assert_revert(exc_info, "StaleAssignment", rightId=rights.em, assignmentId=1, pendingId=0)


def test_consent_given_before_acceptance_at_em_survives_acceptance(world: World, rights: Rights) -> None:
    pid = pledge(world, rights.em, world.carol)
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    world.carol.consent_to_assignment(pid)
    world.bob.accept_assignment(rights.em)
    assert consented(world.ipl, pid, 1)
    world.registrar.record_assignment(rights.em)
    assert owner_of(world.ipl, rights.em) == world.bob.address


def test_consent_to_accepted_assignment_at_em_unblocks_recordal(world: World, rights: Rights) -> None:
    pid = pledge(world, rights.em, world.carol)
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    world.bob.accept_assignment(rights.em)
    world.carol.consent_to_assignment(pid)
    world.registrar.record_assignment(rights.em)
    assert owner_of(world.ipl, rights.em) == world.bob.address


def test_pledges_follow_the_right_and_bind_the_new_holder(world: World, rights: Rights) -> None:
    """After a recorded assignment the security interest stays active against the new holder (Bob)."""
    rid = rights.ru
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.carol.consent_to_assignment(pid)
    world.bob.accept_assignment(rid)
    assert owner_of(world.ipl, rid) == world.bob.address
    assert pledge_record(world.ipl, pid)[1:] == (world.carol.address, pledge_record(world.ipl, pid)[2], ACTIVE)
    assert active_ids(world.ipl, rid) == [pid]
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.release_pledge(pid)
    assert_revert(exc_info, "NotCreditor", pledgeId=pid, caller=world.bob.address)
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.change_status(rid, Status.SURRENDERED)
    assert_revert(exc_info, "PledgeActive", rightId=rid, pledgeId=pid, creditor=world.carol.address)
    world.bob.request_assignment(rid, world.dave.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.dave.accept_assignment(rid)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=pid, creditor=world.carol.address)
    assert world.bob.record_pledge(rid, world.dave.address, AGREEMENT).rank == 2  # the new holder may pledge too


@pytest.mark.parametrize("who", ["alice", "bob", "stranger", "registrar"])
@pytest.mark.parametrize("call", ["consent_to_assignment", "release_pledge"])
def test_consent_or_release_by_non_creditor_reverts_not_creditor(world: World, rights: Rights, who: str,
                                                                 call: str) -> None:
    pid = pledge(world, rights.em, world.carol)
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        getattr(actor, call)(pid)
    assert_revert(exc_info, "NotCreditor", pledgeId=pid, caller=actor.address)
    assert active_ids(world.ipl, rights.em) == [pid]
    assert not consented(world.ipl, pid, 1)


@pytest.mark.parametrize("call", ["consent_to_assignment", "release_pledge"])
def test_consent_or_release_of_released_pledge_reverts_pledge_not_active(world: World, rights: Rights,
                                                                         call: str) -> None:
    pid = pledge(world, rights.em, world.carol)
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    world.carol.release_pledge(pid)
    with pytest.raises(ContractRevert) as exc_info:
        if call == "consent_to_assignment":
            world.carol.consent_to_assignment(pid, assignment_id=1)
        else:
            world.carol.release_pledge(pid)
    assert_revert(exc_info, "PledgeNotActive", pledgeId=pid, state=RELEASED)


def test_release_of_unknown_pledge_reverts_pledge_not_active(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.release_pledge(999)
    assert_revert(exc_info, "PledgeNotActive", pledgeId=999, state=NONE_STATE)


# ---------------------------------------------------------------- consent by EIP-712 signature


def consent_message(world: World, rid: int, pid: int, assignment: int, version: int, deadline: int,
                    assignee: str | None = None) -> dict[str, Any]:
    return {"pledgeId": pid, "rightId": rid, "creditor": world.carol.address, "assignmentId": assignment,
            "assignee": assignee or world.bob.address, "deedHash": bytes.fromhex(DEED[2:]),
            "pledgesVersion": version, "deadline": deadline}


def test_consent_typehash_matches_signed_type(world: World) -> None:
    typehash = bytes(world.ipl.interests.functions.CONSENT_TO_ASSIGNMENT_TYPEHASH().call())
    assert typehash == eip712.type_hash("ConsentToAssignment")
    assert eip712.encode_type("ConsentToAssignment") == (
        "ConsentToAssignment(uint256 pledgeId,uint256 rightId,address creditor,uint256 assignmentId,"
        "address assignee,bytes32 deedHash,uint256 pledgesVersion,uint256 deadline)")


def test_security_interests_eip712_domain_is_its_own(world: World) -> None:
    _, name, version, chain_id, verifying, _, _ = world.ipl.interests.functions.eip712Domain().call()
    assert (name, version, chain_id) == ("IP Ledger Security Interests", "1", world.ipl.w3.eth.chain_id)
    assert verifying == world.ipl.interests.address


def test_sign_assignment_consent_equals_independent_eip712_signature(world: World, rights: Rights) -> None:
    pid = pledge(world, rights.em, world.carol)
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    deadline = world.now() + 3600
    assert world.carol.sign_assignment_consent(pid, deadline) == eip712.sign(
        world.ipl.interests, "ConsentToAssignment", consent_message(world, rights.em, pid, 1, 1, deadline),
        world.carol.account)


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_consent_to_assignment_by_sig_relayed_unblocks_assignment(world: World, rights: Rights,
                                                                  office: str) -> None:
    rid = rid_of(rights, office)
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.carol.sign_assignment_consent(pid, deadline)
    res = world.stranger.consent_to_assignment_by_sig(pid, deadline, sig, assignment_id=1, pledges_version=1)
    assert res.event("AssignmentConsented").args == {
        "rightId": rid, "pledgeId": pid, "creditor": world.carol.address, "assignmentId": 1,
        "assignee": world.bob.address, "pledgesVersion": 1, "bySignature": True}
    complete(world, rid, office)
    assert owner_of(world.ipl, rid) == world.bob.address


@pytest.mark.parametrize("signer", ["dave", "alice", "bob"])
def test_consent_to_assignment_by_sig_from_other_signer_reverts_invalid_signature(world: World, rights: Rights,
                                                                                  signer: str) -> None:
    pid = pledge(world, rights.ru, world.carol)
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    deadline = world.now() + 3600
    forged = eip712.sign(world.ipl.interests, "ConsentToAssignment",
                         consent_message(world, rights.ru, pid, 1, 1, deadline), getattr(world, signer).account)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, forged)
    assert_revert(exc_info, "InvalidSignature", expected=world.carol.address,
                  recovered=getattr(world, signer).address)
    assert not consented(world.ipl, pid, 1)


def test_consent_to_assignment_by_sig_after_deadline_reverts_signature_expired(world: World,
                                                                               rights: Rights) -> None:
    pid = pledge(world, rights.ru, world.carol)
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    deadline = world.now() - 10
    sig = world.carol.sign_assignment_consent(pid, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, sig)
    assert_revert(exc_info, "SignatureExpired", deadline=deadline)
    assert exc_info.value.args_by_name["timestamp"] > deadline


def test_signed_consent_relayed_after_pledges_changed_reverts_pledges_changed(world: World, rights: Rights) -> None:
    """Carol signs at version 1; a pledge to Dave is recorded (version 2) before anyone relays her consent."""
    rid = rights.ru
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.carol.sign_assignment_consent(pid, deadline)
    pledge(world, rid, world.dave)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, sig, assignment_id=1, pledges_version=1)
    assert_revert(exc_info, "PledgesChanged", rightId=rid, signedVersion=1, currentVersion=2)
    restamped = eip712.recover(world.ipl.interests, "ConsentToAssignment",
                               consent_message(world, rid, pid, 1, 2, deadline), sig)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, sig, assignment_id=1, pledges_version=2)
    assert_revert(exc_info, "InvalidSignature", expected=world.carol.address, recovered=restamped)


def test_signed_consent_relayed_after_rerequest_reverts_stale_assignment(world: World, rights: Rights) -> None:
    rid = rights.ru
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.carol.sign_assignment_consent(pid, deadline)
    world.alice.cancel_assignment(rid)
    world.alice.request_assignment(rid, world.bob.address, DEED)  # the same terms again: assignment 2
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, sig, assignment_id=1, pledges_version=1)
    assert_revert(exc_info, "StaleAssignment", rightId=rid, assignmentId=1, pendingId=2)
    restamped = eip712.recover(world.ipl.interests, "ConsentToAssignment",
                               consent_message(world, rid, pid, 2, 1, deadline), sig)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, sig, assignment_id=2, pledges_version=1)
    assert_revert(exc_info, "InvalidSignature", expected=world.carol.address, recovered=restamped)


# ---------------------------------------------------------------- release


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_release_pledge_by_creditor_then_assignment_needs_no_consent(world: World, rights: Rights,
                                                                     office: str) -> None:
    rid = rid_of(rights, office)
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    res = world.carol.release_pledge(pid)
    assert subset(res.event("PledgeReleased").args, {
        "rightId": rid, "pledgeId": pid, "creditor": world.carol.address, "releasedBy": world.carol.address,
        "courtOrderHash": ZERO32, "pledgesVersion": 2, "keyEventCode": "R21"})
    assert pledge_record(world.ipl, pid)[3] == RELEASED
    assert active_ids(world.ipl, rid) == []
    assert world.ipl.right(rid).pledge_creditor is None
    moved = complete(world, rid, office)
    assert moved.event("AssignmentRecorded").args["to"] == world.bob.address


def test_release_by_court_order_recorded_by_office_registrar(world: World, rights: Rights) -> None:
    rid = rights.em
    pid = pledge(world, rid, world.carol)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    res = world.registrar.release_pledge_by_court_order(pid, COURT_ORDER)
    assert subset(res.event("PledgeReleased").args, {
        "rightId": rid, "pledgeId": pid, "creditor": world.carol.address, "releasedBy": world.registrar.address,
        "courtOrderHash": COURT_ORDER, "keyEventCode": "R21"})
    assert active_ids(world.ipl, rid) == []
    complete(world, rid, "EM")
    assert owner_of(world.ipl, rid) == world.bob.address


@pytest.mark.parametrize("who", ["governor", "ru_registrar", "alice", "carol", "stranger"])
def test_release_by_court_order_by_non_registrar_reverts_not_registrar(world: World, rights: Rights,
                                                                       who: str) -> None:
    pid = pledge(world, rights.em, world.carol)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.release_pledge_by_court_order(pid, COURT_ORDER)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)
    assert active_ids(world.ipl, rights.em) == [pid]


def test_release_by_court_order_without_order_hash_reverts_missing_court_order(world: World,
                                                                               rights: Rights) -> None:
    pid = pledge(world, rights.em, world.carol)
    fn = world.registrar.interests.functions.releasePledgeByCourtOrder(pid, b"\x00" * 32)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.transact(fn, "court release without order")
    assert_revert(exc_info, "MissingCourtOrder", pledgeId=pid)


@pytest.mark.parametrize("move,setup", [(Status.SURRENDERED, "registered"), (Status.WITHDRAWN, "filed")])
def test_withdraw_or_surrender_with_active_pledge_reverts_pledge_active(world: World, rights: Rights,
                                                                        move: Status, setup: str) -> None:
    rid = rights.em if setup == "registered" else world.file("A-PLEDGED")
    pid = pledge(world, rid, world.carol)
    for actor in (world.alice, world.registrar):
        with pytest.raises(ContractRevert) as exc_info:
            actor.change_status(rid, move)
        assert_revert(exc_info, "PledgeActive", rightId=rid, pledgeId=pid, creditor=world.carol.address)
    world.carol.release_pledge(pid)
    res = world.alice.change_status(rid, move)
    assert res.event("StatusChanged").args["to"] == move
