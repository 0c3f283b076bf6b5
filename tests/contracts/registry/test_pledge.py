"""Security interests: recording a pledge, creditor consent (transaction or EIP-712), release."""

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
AGREEMENT = "0x" + "a9" * 32


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


def pledge_of(ipl: IPLedger, rid: int) -> tuple[str, int]:
    creditor, recorded_at = ipl.registry.functions.pledgeOf(rid).call()
    return creditor, recorded_at


def consent_flag(ipl: IPLedger, rid: int) -> bool:
    return bool(ipl.registry.functions.pendingAssignment(rid).call()[2])


def block_time(ipl: IPLedger, block: int) -> int:
    return int(ipl.w3.eth.get_block(block)["timestamp"])


def complete(world: World, rid: int, office: str) -> Any:
    """Bob accepts; at EM the registrar then records. Returns the transaction that moved title."""
    res = world.bob.accept_assignment(rid)
    return world.registrar.record_assignment(rid) if office == "EM" else res


def pledged_and_requested(world: World, rid: int) -> None:
    world.alice.record_pledge(rid, world.carol.address, AGREEMENT)
    world.alice.request_assignment(rid, world.bob.address, DEED)


# ---------------------------------------------------------------- recording


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_record_pledge_by_holder_emits_event_and_sets_creditor(world: World, rights: Rights, office: str) -> None:
    rid = rid_of(rights, office)
    res = world.alice.record_pledge(rid, world.carol.address, AGREEMENT)
    assert res.event("PledgeRecorded").args == {"rightId": rid, "creditor": world.carol.address,
                                                "agreementHash": AGREEMENT}
    assert pledge_of(world.ipl, rid) == (world.carol.address, block_time(world.ipl, res.block))
    assert world.ipl.right(rid).pledge_creditor == world.carol.address
    assert owner_of(world.ipl, rid) == world.alice.address


@pytest.mark.parametrize("who", ["carol", "bob", "registrar", "stranger"])
def test_record_pledge_by_non_holder_reverts_not_holder(world: World, rights: Rights, who: str) -> None:
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.record_pledge(rights.em, world.carol.address, AGREEMENT)
    assert_revert(exc_info, "NotHolder", rightId=rights.em, caller=actor.address)
    assert pledge_of(world.ipl, rights.em) == (ZERO, 0)


@pytest.mark.parametrize("creditor", ["zero", "holder"])
def test_record_pledge_to_zero_or_holder_reverts_invalid_account(world: World, rights: Rights,
                                                                 creditor: str) -> None:
    target = ZERO if creditor == "zero" else world.alice.address
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rights.em, target, AGREEMENT)
    assert_revert(exc_info, "InvalidAccount", account=target)


@pytest.mark.parametrize("second", ["carol", "dave"])
def test_record_second_pledge_reverts_pledge_active(world: World, rights: Rights, second: str) -> None:
    world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rights.em, getattr(world, second).address, AGREEMENT)
    assert_revert(exc_info, "PledgeActive", rightId=rights.em, creditor=world.carol.address)


@pytest.mark.parametrize("status", [Status.REVOKED, Status.EXPIRED], ids=lambda s: s.name.lower())
def test_record_pledge_on_ended_right_reverts_not_assignable(world: World, rights: Rights, status: Status) -> None:
    world.registrar.change_status(rights.em, status)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    assert_revert(exc_info, "NotAssignable", rightId=rights.em, status=status)


# ---------------------------------------------------------------- consent required


def test_accept_assignment_with_pledge_at_ru_reverts_creditor_consent_required(world: World,
                                                                               rights: Rights) -> None:
    pledged_and_requested(world, rights.ru)
    with pytest.raises(ContractRevert) as exc_info:
        world.bob.accept_assignment(rights.ru)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rights.ru, creditor=world.carol.address)
    assert owner_of(world.ipl, rights.ru) == world.alice.address


def test_record_assignment_with_pledge_at_em_reverts_creditor_consent_required(world: World,
                                                                               rights: Rights) -> None:
    pledged_and_requested(world, rights.em)
    world.bob.accept_assignment(rights.em)  # acceptance alone moves nothing at EM
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.record_assignment(rights.em)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rights.em, creditor=world.carol.address)
    assert owner_of(world.ipl, rights.em) == world.alice.address


def test_accept_assignment_by_sig_with_pledge_at_ru_reverts_creditor_consent_required(world: World,
                                                                                      rights: Rights) -> None:
    pledged_and_requested(world, rights.ru)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rights.ru, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rights.ru, deadline, sig)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rights.ru, creditor=world.carol.address)


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_consent_to_assignment_by_creditor_then_assignment_moves_title(world: World, rights: Rights,
                                                                       office: str) -> None:
    rid = rid_of(rights, office)
    pledged_and_requested(world, rid)
    res = world.carol.consent_to_assignment(rid)
    assert res.event("AssignmentConsented").args == {"rightId": rid, "creditor": world.carol.address,
                                                     "assignee": world.bob.address}
    assert consent_flag(world.ipl, rid) is True
    moved = complete(world, rid, office)
    assert moved.event("AssignmentRecorded").args["to"] == world.bob.address
    assert owner_of(world.ipl, rid) == world.bob.address


def test_consent_given_before_acceptance_at_em_survives_acceptance(world: World, rights: Rights) -> None:
    pledged_and_requested(world, rights.em)
    world.carol.consent_to_assignment(rights.em)
    world.bob.accept_assignment(rights.em)
    assert consent_flag(world.ipl, rights.em) is True
    world.registrar.record_assignment(rights.em)
    assert owner_of(world.ipl, rights.em) == world.bob.address


def test_consent_to_accepted_assignment_at_em_unblocks_recordal(world: World, rights: Rights) -> None:
    pledged_and_requested(world, rights.em)
    world.bob.accept_assignment(rights.em)
    world.carol.consent_to_assignment(rights.em)
    world.registrar.record_assignment(rights.em)
    assert owner_of(world.ipl, rights.em) == world.bob.address


def test_consent_is_for_one_assignment_a_new_request_needs_new_consent(world: World, rights: Rights) -> None:
    rid = rights.ru
    pledged_and_requested(world, rid)
    world.carol.consent_to_assignment(rid)
    world.alice.cancel_assignment(rid)
    world.alice.request_assignment(rid, world.dave.address, DEED)
    assert consent_flag(world.ipl, rid) is False
    with pytest.raises(ContractRevert) as exc_info:
        world.dave.accept_assignment(rid)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, creditor=world.carol.address)


def test_pledge_survives_assignment_and_binds_new_holder(world: World, rights: Rights) -> None:
    """A security interest follows the right: after a consented assignment the creditor still holds it."""
    rid = rights.ru
    pledged_and_requested(world, rid)
    world.carol.consent_to_assignment(rid)
    world.bob.accept_assignment(rid)
    assert pledge_of(world.ipl, rid)[0] == world.carol.address
    world.bob.request_assignment(rid, world.dave.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.dave.accept_assignment(rid)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, creditor=world.carol.address)


@pytest.mark.parametrize("who", ["alice", "bob", "stranger"])
@pytest.mark.parametrize("call", ["consent_to_assignment", "release_pledge"])
def test_consent_or_release_by_non_creditor_reverts_not_creditor(world: World, rights: Rights, who: str,
                                                                 call: str) -> None:
    pledged_and_requested(world, rights.em)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        getattr(actor, call)(rights.em)
    assert_revert(exc_info, "NotCreditor", rightId=rights.em, caller=actor.address)
    assert pledge_of(world.ipl, rights.em)[0] == world.carol.address
    assert consent_flag(world.ipl, rights.em) is False


def test_consent_to_assignment_without_pending_assignment_reverts_no_pending_assignment(world: World,
                                                                                        rights: Rights) -> None:
    world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.consent_to_assignment(rights.em)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.em, state=0)


@pytest.mark.parametrize("call", ["consent_to_assignment", "release_pledge"])
def test_consent_or_release_without_pledge_reverts_no_active_pledge(world: World, rights: Rights,
                                                                    call: str) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        getattr(world.carol, call)(rights.em)
    assert_revert(exc_info, "NoActivePledge", rightId=rights.em)


# ---------------------------------------------------------------- consent by EIP-712 signature


def test_consent_typehash_matches_signed_type(world: World) -> None:
    typehash = bytes(world.ipl.registry.functions.CONSENT_TO_ASSIGNMENT_TYPEHASH().call())
    assert typehash == eip712.type_hash("ConsentToAssignment")
    assert eip712.encode_type("ConsentToAssignment") == ("ConsentToAssignment(uint256 rightId,address creditor,"
                                                          "address assignee,bytes32 deedHash,uint256 nonce,"
                                                          "uint256 deadline)")


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_consent_to_assignment_by_sig_relayed_unblocks_assignment(world: World, rights: Rights,
                                                                  office: str) -> None:
    rid = rid_of(rights, office)
    pledged_and_requested(world, rid)
    deadline = world.now() + 3600
    sig = world.carol.sign_assignment_consent(rid, deadline)
    res = world.stranger.consent_to_assignment_by_sig(rid, deadline, sig)
    assert res.event("AssignmentConsented").args == {"rightId": rid, "creditor": world.carol.address,
                                                     "assignee": world.bob.address}
    assert int(world.ipl.registry.functions.nonces(world.carol.address).call()) == 1
    complete(world, rid, office)
    assert owner_of(world.ipl, rid) == world.bob.address


def sign_consent(world: World, key: Any, rid: int, nonce: int, deadline: int) -> bytes:
    """Carol's ``ConsentToAssignment`` (to Bob) signed with ``key``, independently of the SDK (helpers.eip712)."""
    message = {"rightId": rid, "creditor": world.carol.address, "assignee": world.bob.address,
               "deedHash": bytes.fromhex(DEED[2:]), "nonce": nonce, "deadline": deadline}
    return eip712.sign(world.ipl.registry, "ConsentToAssignment", message, key)


def test_sign_assignment_consent_equals_independent_eip712_signature(world: World, rights: Rights) -> None:
    pledged_and_requested(world, rights.em)
    deadline = world.now() + 3600
    assert world.carol.sign_assignment_consent(rights.em, deadline) == sign_consent(
        world, world.carol.account.key, rights.em, 0, deadline)


@pytest.mark.parametrize("signer", ["dave", "alice", "bob"])
def test_consent_to_assignment_by_sig_from_other_signer_reverts_invalid_signature(world: World, rights: Rights,
                                                                                  signer: str) -> None:
    pledged_and_requested(world, rights.ru)
    deadline = world.now() + 3600
    forged = sign_consent(world, getattr(world, signer).account.key, rights.ru, 0, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(rights.ru, deadline, forged)
    assert_revert(exc_info, "InvalidSignature", expected=world.carol.address,
                  recovered=getattr(world, signer).address)
    assert consent_flag(world.ipl, rights.ru) is False


def test_consent_to_assignment_by_sig_after_deadline_reverts_signature_expired(world: World,
                                                                               rights: Rights) -> None:
    pledged_and_requested(world, rights.ru)
    deadline = world.now() - 10
    sig = world.carol.sign_assignment_consent(rights.ru, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(rights.ru, deadline, sig)
    assert_revert(exc_info, "SignatureExpired", deadline=deadline)
    assert exc_info.value.args_by_name["timestamp"] > deadline


def test_consent_to_assignment_by_sig_without_pledge_reverts_no_active_pledge(world: World, rights: Rights) -> None:
    world.alice.request_assignment(rights.ru, world.bob.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(rights.ru, world.now() + 60, b"\x00" * 65)
    assert_revert(exc_info, "NoActivePledge", rightId=rights.ru)


def test_consent_to_assignment_by_sig_without_pending_reverts_no_pending_assignment(world: World,
                                                                                    rights: Rights) -> None:
    world.alice.record_pledge(rights.ru, world.carol.address, AGREEMENT)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(rights.ru, world.now() + 60, b"\x00" * 65)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rights.ru, state=0)


# ---------------------------------------------------------------- release


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_release_pledge_by_creditor_then_assignment_needs_no_consent(world: World, rights: Rights,
                                                                     office: str) -> None:
    rid = rid_of(rights, office)
    pledged_and_requested(world, rid)
    res = world.carol.release_pledge(rid)
    assert res.event("PledgeReleased").args == {"rightId": rid, "creditor": world.carol.address}
    assert pledge_of(world.ipl, rid) == (ZERO, 0)
    assert world.ipl.right(rid).pledge_creditor is None
    assert consent_flag(world.ipl, rid) is False
    moved = complete(world, rid, office)
    assert moved.event("AssignmentRecorded").args["to"] == world.bob.address
    assert owner_of(world.ipl, rid) == world.bob.address


def test_release_pledge_twice_reverts_no_active_pledge(world: World, rights: Rights) -> None:
    world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    world.carol.release_pledge(rights.em)
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.release_pledge(rights.em)
    assert_revert(exc_info, "NoActivePledge", rightId=rights.em)


def test_record_pledge_after_release_to_new_creditor_succeeds(world: World, rights: Rights) -> None:
    world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    world.carol.release_pledge(rights.em)
    res = world.alice.record_pledge(rights.em, world.dave.address, AGREEMENT)
    assert res.event("PledgeRecorded").args["creditor"] == world.dave.address
    assert pledge_of(world.ipl, rights.em)[0] == world.dave.address


# ---------------------------------------------------------------- the holder's own moves against the pledge


def test_holder_surrenders_pledged_right_reverts_creditor_consent_required(world: World, rights: Rights) -> None:
    world.alice.record_pledge(rights.em, world.carol.address, AGREEMENT)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.change_status(rights.em, Status.SURRENDERED)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rights.em, creditor=world.carol.address)
