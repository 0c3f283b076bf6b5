"""Assignments: request (each with its own id), acceptance (transaction or relayed EIP-712 signature bound to that
id), recordal, cancel and reject."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from helpers import World, assert_revert, eip712
from ipledger.sdk import IPLedger
from ipledger.domain import Status
from ipledger.errors import ContractRevert

ZERO = "0x" + "00" * 20
DEED = "0x" + "de" * 32
OTHER_DEED = "0x" + "0d" * 32
YEAR = 365 * 86400
NONE_STATE, REQUESTED, ACCEPTED = 0, 1, 2


@dataclass(frozen=True)
class Rights:
    em: int  # registered at EM (recordal required)
    ru: int  # registered at RU (no recordal)


@pytest.fixture(scope="module")
def rights(module_world: World) -> Rights:
    return Rights(em=module_world.file_registered("018234567"), ru=module_world.file_registered("2023700001",
                                                                                                 office="RU"))


def owner_of(ipl: IPLedger, rid: int) -> str:
    return str(ipl.registry.functions.ownerOf(rid).call())


def pending(ipl: IPLedger, rid: int) -> tuple[Any, ...]:
    """(assignee, state, requestedAt, assignment id, deed hash) of the right's pending assignment."""
    assignee, state, requested_at, assignment_id, deed = ipl.registry.functions.pendingAssignment(rid).call()
    return assignee, state, requested_at, assignment_id, "0x" + bytes(deed).hex()


def block_time(ipl: IPLedger, block: int) -> int:
    return int(ipl.w3.eth.get_block(block)["timestamp"])


def acceptance(ipl: IPLedger, rid: int, assignee: str, deed: str, assignment_id: int, deadline: int) -> dict[str, Any]:
    return {"rightId": rid, "assignmentId": assignment_id, "assignee": assignee, "deedHash": bytes.fromhex(deed[2:]),
            "deadline": deadline}


def sign_acceptance(ipl: IPLedger, key: Any, message: dict[str, Any]) -> bytes:
    """Signs an ``AcceptAssignment`` message independently of the SDK (helpers.eip712)."""
    return eip712.sign(ipl.registry, "AcceptAssignment", message, key)


def recover_acceptance(ipl: IPLedger, message: dict[str, Any], signature: bytes) -> str:
    return eip712.recover(ipl.registry, "AcceptAssignment", message, signature)


def rid_of(rights: Rights, office: str) -> int:
    return rights.em if office == "EM" else rights.ru


def subset(args: dict[str, Any], expected: dict[str, Any]) -> bool:
    """The event's arguments include ``expected`` (the ST.27 national code is the office's to set)."""
    return {k: args.get(k) for k in expected} == expected


# ---------------------------------------------------------------- request


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_request_assignment_by_holder_records_pending_and_emits_event(world: World, rights: Rights,
                                                                      office: str) -> None:
    rid = rid_of(rights, office)
    res = world.alice.request_assignment(rid, world.bob.address, DEED)
    assert [e.name for e in res.events] == ["AssignmentRequested"]
    assert res.event("AssignmentRequested").args == {"rightId": rid, "holder": world.alice.address,
                                                     "assignee": world.bob.address, "deedHash": DEED,
                                                     "assignmentId": 1}
    assert pending(world.ipl, rid) == (world.bob.address, REQUESTED, block_time(world.ipl, res.block), 1, DEED)
    assert world.ipl.right(rid).pending_assignee == world.bob.address
    assert owner_of(world.ipl, rid) == world.alice.address


def test_assignment_ids_increase_per_right_through_cancel_reject_and_completion(world: World,
                                                                               rights: Rights) -> None:
    """Each request takes the right's next id, so nothing signed or consented for one counts for another."""
    rid, ids = rights.em, []
    for end in ("cancel", "reject", "record"):
        ids.append(world.alice.request_assignment(rid, world.bob.address, DEED).event("AssignmentRequested")
                   .args["assignmentId"])
        if end == "cancel":
            world.alice.cancel_assignment(rid)
        elif end == "reject":
            world.registrar.reject_assignment(rid)
        else:
            world.bob.accept_assignment(rid)
            world.registrar.record_assignment(rid)
    assert ids == [1, 2, 3]
    assert pending(world.ipl, rid)[1:4] == (NONE_STATE, 0, 3)
    assert world.bob.request_assignment(rid, world.carol.address, DEED).event("AssignmentRequested").args[
        "assignmentId"] == 4  # the id belongs to the right, not to its holder
    other = world.file_registered("018234999")
    assert world.alice.request_assignment(other, world.bob.address, DEED).event("AssignmentRequested").args[
        "assignmentId"] == 1


@pytest.mark.parametrize("who", ["bob", "carol", "registrar", "ru_registrar", "governor", "stranger"])
def test_request_assignment_by_non_holder_reverts_not_holder(world: World, rights: Rights, who: str) -> None:
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.request_assignment(rights.em, world.carol.address, DEED)
    assert_revert(exc_info, "NotHolder", rightId=rights.em, caller=actor.address)
    assert pending(world.ipl, rights.em)[1] == NONE_STATE


@pytest.mark.parametrize("assignee", ["zero", "self"])
def test_request_assignment_to_zero_or_self_reverts_invalid_account(world: World, rights: Rights,
                                                                    assignee: str) -> None:
    target = ZERO if assignee == "zero" else world.alice.address
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.request_assignment(rights.em, target, DEED)
    assert_revert(exc_info, "InvalidAccount", account=target)


@pytest.mark.parametrize("state", ["requested", "accepted"])
def test_request_assignment_while_pending_reverts_assignment_pending(world: World, rights: Rights,
                                                                     state: str) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    if state == "accepted":
        world.bob.accept_assignment(rights.em)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.request_assignment(rights.em, world.carol.address, OTHER_DEED)
    assert_revert(exc_info, "AssignmentPending", rightId=rights.em, assignee=world.bob.address)
    assert pending(world.ipl, rights.em)[0] == world.bob.address


def test_request_assignment_of_unknown_right_reverts_right_not_found(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.request_assignment(12345, world.bob.address, DEED)
    assert_revert(exc_info, "RightNotFound", rightId=12345)


# ---------------------------------------------------------------- assignable statuses


def reach(world: World, rights: Rights, status: Status) -> int:
    """Alice's EM right moved to ``status`` (a fresh application for pre-grant statuses)."""
    if status in (Status.FILED, Status.PUBLISHED, Status.OPPOSED, Status.REFUSED, Status.WITHDRAWN):
        rid = world.file(f"A-{status.name}")
        steps = {Status.FILED: [], Status.PUBLISHED: [Status.PUBLISHED],
                 Status.OPPOSED: [Status.PUBLISHED, Status.OPPOSED], Status.REFUSED: [Status.REFUSED],
                 Status.WITHDRAWN: [Status.WITHDRAWN]}[status]
    else:
        rid = rights.em
        steps = {Status.REGISTERED: [], Status.LAPSED: [Status.LAPSED],
                 Status.RESTORED: [Status.LAPSED, Status.RESTORED]}.get(status, [status])
    for step in steps:
        if step is Status.RENEWED:
            world.registrar.renew(rid, world.ipl.registry.functions.rightOf(rid).call()[8] + YEAR)
        else:
            world.registrar.change_status(rid, step)
    assert world.ipl.registry.functions.holderAndStatus(rid).call()[1] == status
    return rid


ENDED_NOT_ASSIGNABLE = [Status.REFUSED, Status.WITHDRAWN, Status.EXPIRED, Status.REVOKED, Status.INVALIDATED,
                        Status.SURRENDERED]


@pytest.mark.parametrize("status", ENDED_NOT_ASSIGNABLE, ids=lambda s: s.name.lower())
def test_request_assignment_of_ended_right_reverts_not_assignable(world: World, rights: Rights,
                                                                  status: Status) -> None:
    rid = reach(world, rights, status)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.request_assignment(rid, world.bob.address, DEED)
    assert_revert(exc_info, "NotAssignable", rightId=rid, status=status)


@pytest.mark.parametrize("status", [Status.FILED, Status.PUBLISHED, Status.OPPOSED, Status.REGISTERED,
                                    Status.RENEWED, Status.RESTORED, Status.LAPSED], ids=lambda s: s.name.lower())
def test_request_assignment_of_live_or_restorable_right_succeeds(world: World, rights: Rights,
                                                                 status: Status) -> None:
    """Applications, rights in force, and lapsed rights (which may still be restored) can change hands."""
    rid = reach(world, rights, status)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.bob.accept_assignment(rid)
    res = world.registrar.record_assignment(rid)
    assert res.event("AssignmentRecorded").args["to"] == world.bob.address
    assert owner_of(world.ipl, rid) == world.bob.address


@pytest.mark.parametrize("status", [Status.REVOKED, Status.SURRENDERED], ids=lambda s: s.name.lower())
def test_accept_assignment_after_right_ended_reverts_not_assignable(world: World, rights: Rights,
                                                                    status: Status) -> None:
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    world.ru_registrar.change_status(rights.ru, status)
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rights.ru)
    assert_revert(exc_info, "NotAssignable", rightId=rights.ru, status=status)


def test_record_assignment_after_right_ended_reverts_not_assignable(world: World, rights: Rights) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    world.bob.accept_assignment(rights.em)
    world.registrar.change_status(rights.em, Status.INVALIDATED)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.record_assignment(rights.em)
    assert_revert(exc_info, "NotAssignable", rightId=rights.em, status=Status.INVALIDATED)
    assert owner_of(world.ipl, rights.em) == world.alice.address


# ---------------------------------------------------------------- acceptance by transaction


@pytest.mark.parametrize("who", ["alice", "carol", "registrar", "stranger"])
def test_accept_assignment_by_non_assignee_reverts_not_assignee(world: World, rights: Rights, who: str) -> None:
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.accept_assignment(rights.ru)
    assert_revert(exc_info, "NotAssignee", rightId=rights.ru, caller=actor.address)
    assert owner_of(world.ipl, rights.ru) == world.alice.address


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_accept_assignment_without_request_reverts_no_pending_assignment(world: World, rights: Rights,
                                                                         office: str) -> None:
    rid = rid_of(rights, office)
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rid)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rid, state=NONE_STATE)


def test_accept_assignment_at_office_without_recordal_moves_title_at_acceptance(world: World,
                                                                                rights: Rights) -> None:
    rid = rights.ru
    world.alice.request_assignment(rid, world.bob.address, DEED)
    res = world.bob.accept_assignment(rid)
    assert [e.name for e in res.events] == ["AssignmentAccepted", "Transfer", "AssignmentRecorded"]
    assert res.event("AssignmentAccepted").args == {"rightId": rid, "assignee": world.bob.address,
                                                    "bySignature": False}
    assert res.event("Transfer").args == {"from": world.alice.address, "to": world.bob.address, "tokenId": rid}
    assert subset(res.event("AssignmentRecorded").args, {"rightId": rid, "from": world.alice.address,
                                                         "to": world.bob.address, "deedHash": DEED, "recordedBy": ZERO,
                                                         "keyEventCode": "R10"})
    assert owner_of(world.ipl, rid) == world.bob.address
    assert world.ipl.right(rid).holder == world.bob.address
    assert pending(world.ipl, rid) == (ZERO, NONE_STATE, 0, 1, "0x" + "00" * 32)  # the id stays: the last one used
    assert world.ipl.right(rid).pending_assignee is None


def test_accept_assignment_at_office_with_recordal_waits_for_registrar(world: World, rights: Rights) -> None:
    rid = rights.em
    balance = world.ipl.registry.functions.balanceOf
    before = balance(world.alice.address).call()
    world.alice.request_assignment(rid, world.bob.address, DEED)
    res = world.bob.accept_assignment(rid)
    assert [e.name for e in res.events] == ["AssignmentAccepted"]
    assert owner_of(world.ipl, rid) == world.alice.address
    assert pending(world.ipl, rid)[:2] == (world.bob.address, ACCEPTED)

    recorded = world.registrar.record_assignment(rid)
    assert [e.name for e in recorded.events] == ["Transfer", "AssignmentRecorded"]
    assert recorded.event("Transfer").args == {"from": world.alice.address, "to": world.bob.address,
                                               "tokenId": rid}
    assert subset(recorded.event("AssignmentRecorded").args, {
        "rightId": rid, "from": world.alice.address, "to": world.bob.address, "deedHash": DEED,
        "recordedBy": world.registrar.address, "keyEventCode": "R10"})
    assert owner_of(world.ipl, rid) == world.bob.address
    assert (balance(world.alice.address).call(), balance(world.bob.address).call()) == (before - 1, 1)
    assert pending(world.ipl, rid)[1] == NONE_STATE


def test_accept_assignment_twice_at_recordal_office_reverts_no_pending_assignment(world: World,
                                                                                  rights: Rights) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    world.bob.accept_assignment(rights.em)
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rights.em)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.em, state=ACCEPTED)


@pytest.mark.parametrize("requested", [False, True], ids=["nothing-pending", "requested-not-accepted"])
def test_record_assignment_before_acceptance_reverts_no_pending_assignment(world: World, rights: Rights,
                                                                           requested: bool) -> None:
    if requested:
        world.alice.request_assignment(rights.em, world.bob.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.record_assignment(rights.em)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.em, state=REQUESTED if requested else NONE_STATE)
    assert owner_of(world.ipl, rights.em) == world.alice.address


def test_assignment_recorded_new_holder_assigns_onward_and_old_holder_cannot(world: World, rights: Rights) -> None:
    rid = rights.ru
    world.alice.request_assignment(rid, world.bob.address, DEED)
    world.bob.accept_assignment(rid)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.request_assignment(rid, world.carol.address, OTHER_DEED)
    assert_revert(exc_info, "NotHolder", rightId=rid, caller=world.alice.address)
    world.bob.request_assignment(rid, world.carol.address, OTHER_DEED)
    res = world.carol.accept_assignment(rid)
    assert res.event("AssignmentRecorded").args["from"] == world.bob.address
    assert owner_of(world.ipl, rid) == world.carol.address
    assert [t.holder for t in world.ipl.history(rid).title] == [world.alice.address, world.bob.address,
                                                                 world.carol.address]


# ---------------------------------------------------------------- cancel and reject


@pytest.mark.parametrize("state", ["requested", "accepted"])
def test_cancel_assignment_by_holder_clears_pending_and_emits_event(world: World, rights: Rights,
                                                                    state: str) -> None:
    rid = rights.em
    world.alice.request_assignment(rid, world.bob.address, DEED)
    if state == "accepted":
        world.bob.accept_assignment(rid)
    res = world.alice.cancel_assignment(rid)
    assert res.event("AssignmentCancelled").args == {"rightId": rid, "assignee": world.bob.address}
    assert pending(world.ipl, rid)[1] == NONE_STATE
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.record_assignment(rid)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rid, state=NONE_STATE)
    world.alice.request_assignment(rid, world.carol.address, OTHER_DEED)  # a new request is possible
    assert owner_of(world.ipl, rid) == world.alice.address


def test_cancel_assignment_without_pending_reverts_no_pending_assignment(world: World, rights: Rights) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.cancel_assignment(rights.em)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.em, state=NONE_STATE)


@pytest.mark.parametrize("state", ["requested", "accepted"])
def test_reject_assignment_by_registrar_clears_pending_and_emits_event(world: World, rights: Rights,
                                                                       state: str) -> None:
    rid = rights.em
    world.alice.request_assignment(rid, world.bob.address, DEED)
    if state == "accepted":
        world.bob.accept_assignment(rid)
    res = world.registrar.reject_assignment(rid)
    assert res.event("AssignmentRejected").args == {"rightId": rid, "assignee": world.bob.address,
                                                    "registrar": world.registrar.address}
    assert pending(world.ipl, rid)[1] == NONE_STATE
    assert owner_of(world.ipl, rid) == world.alice.address


def test_reject_assignment_at_ru_by_ru_registrar_before_acceptance_succeeds(world: World, rights: Rights) -> None:
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    res = world.ru_registrar.reject_assignment(rights.ru)
    assert res.event("AssignmentRejected").args["registrar"] == world.ru_registrar.address
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rights.ru)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.ru, state=NONE_STATE)


def test_reject_assignment_without_pending_reverts_no_pending_assignment(world: World, rights: Rights) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.reject_assignment(rights.em)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.em, state=NONE_STATE)


# ---------------------------------------------------------------- acceptance by EIP-712 signature


def test_eip712_domain_names_registry_version_chain_and_contract(world: World) -> None:
    fields, name, version, chain_id, verifying, salt, extensions = world.ipl.registry.functions.eip712Domain().call()
    assert fields == b"\x0f"  # name, version, chainId, verifyingContract
    assert (name, version) == ("IP Ledger Registry", "1")
    assert chain_id == world.ipl.w3.eth.chain_id
    assert verifying == world.ipl.registry.address
    assert (salt, extensions) == (b"\x00" * 32, [])


def test_accept_assignment_typehash_matches_signed_type(world: World) -> None:
    typehash = bytes(world.ipl.registry.functions.ACCEPT_ASSIGNMENT_TYPEHASH().call())
    assert typehash == eip712.type_hash("AcceptAssignment")
    assert eip712.encode_type("AcceptAssignment") == (
        "AcceptAssignment(uint256 rightId,uint256 assignmentId,address assignee,bytes32 deedHash,uint256 deadline)")


def test_sign_assignment_acceptance_equals_independent_eip712_signature(world: World, rights: Rights) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    deadline = world.now() + 3600
    message = acceptance(world.ipl, rights.em, world.bob.address, DEED, 1, deadline)
    assert world.bob.sign_assignment_acceptance(rights.em, deadline) == sign_acceptance(
        world.ipl, world.bob.account.key, message)


@pytest.mark.parametrize("office,relayer", [("EM", "stranger"), ("RU", "carol"), ("RU", "alice")])
def test_accept_assignment_by_sig_relayed_by_third_party_succeeds(world: World, rights: Rights, office: str,
                                                                  relayer: str) -> None:
    rid = rid_of(rights, office)
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rid, deadline)
    res = getattr(world, relayer).accept_assignment_by_sig(rid, deadline, sig, assignment_id=1)
    assert res.event("AssignmentAccepted").args == {"rightId": rid, "assignee": world.bob.address,
                                                    "bySignature": True}
    if office == "RU":
        assert res.event("AssignmentRecorded").args["recordedBy"] == ZERO
        assert owner_of(world.ipl, rid) == world.bob.address
    else:
        assert res.all("AssignmentRecorded") == []
        assert pending(world.ipl, rid)[:2] == (world.bob.address, ACCEPTED)
        world.registrar.record_assignment(rid)
        assert owner_of(world.ipl, rid) == world.bob.address


def test_accept_assignment_by_sig_signed_by_other_account_reverts_invalid_signature(world: World,
                                                                                    rights: Rights) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    deadline = world.now() + 3600
    forged = sign_acceptance(world.ipl, world.carol.account.key,
                             acceptance(world.ipl, rights.em, world.bob.address, DEED, 1, deadline))
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rights.em, deadline, forged)
    assert_revert(exc_info, "InvalidSignature", expected=world.bob.address, recovered=world.carol.address)
    assert pending(world.ipl, rights.em)[1] == REQUESTED


def test_accept_assignment_by_sig_naming_signer_as_assignee_reverts_invalid_signature(
        world: World, rights: Rights) -> None:
    """Carol signs 'I, Carol, accept': the contract checks the message for the pending assignee Bob instead."""
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = sign_acceptance(world.ipl, world.carol.account.key,
                          acceptance(world.ipl, rights.em, world.carol.address, DEED, 1, deadline))
    recovered = recover_acceptance(world.ipl, acceptance(world.ipl, rights.em, world.bob.address, DEED, 1, deadline),
                                   sig)
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.accept_assignment_by_sig(rights.em, deadline, sig)
    assert_revert(exc_info, "InvalidSignature", expected=world.bob.address, recovered=recovered)
    assert recovered.lower() != world.bob.address.lower()


@pytest.mark.parametrize("tamper", ["later-deadline", "garbage-65-bytes", "short", "empty"])
def test_accept_assignment_by_sig_tampered_reverts_invalid_signature(world: World, rights: Rights,
                                                                     tamper: str) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rights.em, deadline)
    expected_recovered = ZERO
    if tamper == "later-deadline":
        expected_recovered = recover_acceptance(
            world.ipl, acceptance(world.ipl, rights.em, world.bob.address, DEED, 1, deadline + 1), sig)
        deadline += 1
    else:
        sig = {"garbage-65-bytes": b"\x01" * 65, "short": sig[:40], "empty": b""}[tamper]
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rights.em, deadline, sig)
    assert_revert(exc_info, "InvalidSignature", expected=world.bob.address, recovered=expected_recovered)


@pytest.mark.parametrize("end", ["cancel", "reject"])
def test_accept_assignment_by_sig_after_cancelled_deal_and_rerequest_reverts_stale_assignment(
        world: World, rights: Rights, end: str) -> None:
    """The issue's attack: Bob signs an acceptance; the deal is cancelled (or rejected); Alice re-requests the very
    same terms. Relaying Bob's old signature must not move title without his new consent."""
    rid = rights.ru
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    old = world.bob.sign_assignment_acceptance(rid, deadline)  # for assignment 1
    if end == "cancel":
        world.alice.cancel_assignment(rid)
    else:
        world.ru_registrar.reject_assignment(rid)
    world.alice.request_assignment(rid, world.bob.address, DEED)  # assignment 2, the same terms
    assert pending(world.ipl, rid)[3] == 2
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, old, assignment_id=1)
    assert_revert(exc_info, "StaleAssignment", rightId=rid, assignmentId=1, pendingId=2)
    replayed_as_new = recover_acceptance(world.ipl, acceptance(world.ipl, rid, world.bob.address, DEED, 2, deadline),
                                         old)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, old, assignment_id=2)
    assert_revert(exc_info, "InvalidSignature", expected=world.bob.address, recovered=replayed_as_new)
    assert owner_of(world.ipl, rid) == world.alice.address
    fresh = world.bob.sign_assignment_acceptance(rid, deadline)  # Bob's new consent, for assignment 2
    world.stranger.accept_assignment_by_sig(rid, deadline, fresh, assignment_id=2)
    assert owner_of(world.ipl, rid) == world.bob.address


def test_accept_assignment_by_sig_replayed_after_acceptance_reverts_no_pending_assignment(world: World,
                                                                                          rights: Rights) -> None:
    rid = rights.em
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rid, deadline)
    world.stranger.accept_assignment_by_sig(rid, deadline, sig)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, sig, assignment_id=1)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rid, state=ACCEPTED)


@pytest.mark.parametrize("order", ["em-first", "ru-first"])
def test_accept_assignment_by_sig_two_rights_signed_together_relay_in_any_order(world: World, rights: Rights,
                                                                                order: str) -> None:
    """The issue's collision: two acceptances signed together (one ordered nonce made the second fail). Each is now
    bound to its own assignment id, so both go through in either order."""
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    deadline = world.now() + 3600
    signed = {rights.em: world.bob.sign_assignment_acceptance(rights.em, deadline),
              rights.ru: world.bob.sign_assignment_acceptance(rights.ru, deadline)}
    for rid in ([rights.em, rights.ru] if order == "em-first" else [rights.ru, rights.em]):
        res = world.stranger.accept_assignment_by_sig(rid, deadline, signed[rid], assignment_id=1)
        assert res.event("AssignmentAccepted").args["bySignature"] is True
    assert pending(world.ipl, rights.em)[:2] == (world.bob.address, ACCEPTED)
    assert owner_of(world.ipl, rights.ru) == world.bob.address


@pytest.mark.parametrize("age", [1, 3600])
def test_accept_assignment_by_sig_after_deadline_reverts_signature_expired(world: World, rights: Rights,
                                                                           age: int) -> None:
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    deadline = world.now() - age
    sig = world.bob.sign_assignment_acceptance(rights.ru, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rights.ru, deadline, sig)
    assert_revert(exc_info, "SignatureExpired", deadline=deadline)
    assert exc_info.value.args_by_name["timestamp"] > deadline
    assert owner_of(world.ipl, rights.ru) == world.alice.address


def test_accept_assignment_by_sig_without_request_reverts_no_pending_assignment(world: World,
                                                                                rights: Rights) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rights.em, world.now() + 60, b"\x00" * 65, assignment_id=1)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.em, state=NONE_STATE)
