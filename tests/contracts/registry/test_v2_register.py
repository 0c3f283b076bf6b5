"""Registry v2: one-transaction assignments (replay, staleness, revocation, pledges), the on-chain token metadata,
status batches, the pledge count kept by SecurityInterests, and the upgrade-safety facts of the contracts
(ERC-7201 slots, code size, initializers, the delegated extension)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import rlp  # type: ignore[import-untyped]
from eth_utils import keccak, to_checksum_address

from helpers import World, assert_revert
from ipledger.build.compiler import MAX_CODE_SIZE
from ipledger.domain import Status
from ipledger.errors import ContractRevert

DEED = "0x" + "de" * 32
ZERO = "0x" + "00" * 20


def ru_right(w: World, number: str = "RU-1") -> int:
    """A registered RU right of Alice's (RU needs no recordal: `assign` applies)."""
    return w.file_registered(number, office="RU")


def title_sig(w: World, signer: Any, rid: int, assignee: str, deadline: int, **kw: Any) -> bytes:
    return signer.sign_title_assignment(rid, assignee, DEED, deadline, **kw)


def token_json(w: World, rid: int) -> dict[str, Any]:
    uri = w.ipl.registry.functions.tokenURI(rid).call()
    prefix = "data:application/json;base64,"
    assert uri.startswith(prefix)
    return json.loads(base64.b64decode(uri[len(prefix):]))


def traits(doc: dict[str, Any]) -> dict[str, Any]:
    return {t["trait_type"]: t["value"] for t in doc["attributes"]}


# ---------------------------------------------------------------- assign (holder + assignee's signature)


def test_assign_by_holder_with_assignee_signature_moves_title_and_bumps_sequence(world: World) -> None:
    rid = ru_right(world)
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    res = world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert [e.name for e in res.events] == ["Transfer", "AssignmentRecorded"]
    assert res.event("Transfer").args == {"from": world.alice.address, "to": world.bob.address, "tokenId": rid}
    recorded = res.event("AssignmentRecorded").args
    assert (recorded["from"], recorded["to"], recorded["deedHash"], recorded["recordedBy"]) == (
        world.alice.address, world.bob.address, DEED, ZERO)
    info = world.ipl.right(rid)
    assert (info.holder, info.assignment_sequence) == (world.bob.address, 1)
    reg = world.ipl.registry.functions
    assert (reg.balanceOf(world.alice.address).call(), reg.balanceOf(world.bob.address).call()) == (0, 1)
    assert [t.holder for t in world.ipl.history(rid).title] == [world.alice.address, world.bob.address]


def test_assign_replayed_signature_reverts_stale_assignment(world: World) -> None:
    rid = ru_right(world)
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    # Bob gives it back; Alice then tries to relay Bob's first acceptance again (sequence 0)
    back = title_sig(world, world.alice, rid, world.alice.address, deadline)
    world.bob.assign(rid, world.alice.address, deadline, back, deed_hash=DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED, sequence=0)
    assert_revert(exc_info, "StaleAssignment", rightId=rid, assignmentId=0, pendingId=2)
    # and at the current sequence the old signature no longer recovers to Bob
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert type(exc_info.value).__name__ == "InvalidSignature"
    assert world.ipl.right(rid).holder == world.alice.address


def test_assign_after_a_request_was_made_reverts_stale_assignment(world: World) -> None:
    """A request takes the next sequence number: an AssignTitle signed before it no longer counts."""
    rid = ru_right(world)
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    world.alice.request_assignment(rid, world.carol.address, DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED, sequence=0)
    assert_revert(exc_info, "StaleAssignment", rightId=rid, assignmentId=0, pendingId=1)


def test_assign_supersedes_a_pending_request_which_can_no_longer_complete(world: World) -> None:
    rid = ru_right(world)
    deadline = world.now() + 3600
    world.alice.request_assignment(rid, world.carol.address, DEED)
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)  # signed at sequence 1, after the request
    world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert world.ipl.pending_assignment(rid).state == 0
    with pytest.raises(ContractRevert) as exc_info:
        world.carol.accept_assignment(rid)
    assert_revert(exc_info, "NoPendingAssignment", rightId=rid, state=0)
    assert world.ipl.right(rid).holder == world.bob.address


def test_assign_with_signature_for_another_right_or_assignee_or_deed_reverts_invalid_signature(world: World) -> None:
    rid, other = ru_right(world, "RU-1"), ru_right(world, "RU-2")
    deadline = world.now() + 3600
    for sig, assignee in ((title_sig(world, world.bob, other, world.bob.address, deadline), world.bob.address),
                          (title_sig(world, world.carol, rid, world.carol.address, deadline), world.bob.address)):
        with pytest.raises(ContractRevert) as exc_info:
            world.alice.assign(rid, assignee, deadline, sig, deed_hash=DEED)
        assert type(exc_info.value).__name__ == "InvalidSignature"
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    with pytest.raises(ContractRevert):
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash="0x" + "ab" * 32)
    assert world.ipl.right(rid).holder == world.alice.address


def test_assign_with_expired_signature_reverts_signature_expired(world: World) -> None:
    rid = ru_right(world)
    deadline = world.now() + 10
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    world.tester.time_travel(deadline + 5)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert type(exc_info.value).__name__ == "SignatureExpired"


def test_assign_with_revoked_signature_reverts_revoked_signature(world: World) -> None:
    rid = ru_right(world)
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    res = world.bob.revoke_title_assignment(rid, world.bob.address, DEED, deadline)
    digest = res.event("SignatureRevoked").args["digest"]
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert_revert(exc_info, "RevokedSignature", signer=world.bob.address, digest=digest)


def test_assign_in_an_office_with_recordal_reverts_recordal_required(world: World) -> None:
    rid = world.file_registered("EM-1")
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert_revert(exc_info, "RecordalRequired", office="EM")


def test_assign_of_pledged_right_reverts_creditor_consent_required_with_no_external_call_otherwise(
        world: World) -> None:
    rid = ru_right(world)
    pledge_id = world.alice.record_pledge(rid, world.carol.address).pledge_id
    assert world.ipl.right(rid).pledge_count == 1
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert_revert(exc_info, "CreditorConsentRequired", rightId=rid, pledgeId=pledge_id, creditor=world.carol.address)
    world.carol.release_pledge(pledge_id)
    assert world.ipl.right(rid).pledge_count == 0
    assert world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED).event("Transfer")


def test_assign_to_self_or_zero_reverts_invalid_account(world: World) -> None:
    rid = ru_right(world)
    deadline = world.now() + 3600
    for who in (world.alice.address, ZERO):
        fn = world.alice.registry.functions.assign(rid, who, DEED, 0, deadline, b"\x00" * 65)
        with pytest.raises(ContractRevert) as exc_info:
            world.alice.sender.send(fn)
        assert_revert(exc_info, "InvalidAccount", account=who)


def test_assign_of_ended_right_reverts_not_assignable(world: World) -> None:
    rid = ru_right(world)
    world.ru_registrar.change_status(rid, Status.REVOKED)
    deadline = world.now() + 3600
    sig = title_sig(world, world.bob, rid, world.bob.address, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.assign(rid, world.bob.address, deadline, sig, deed_hash=DEED)
    assert_revert(exc_info, "NotAssignable", rightId=rid, status=Status.REVOKED)


# ---------------------------------------------------------------- recordAssignmentBySig (registrar + both parties)


def test_record_assignment_by_sig_by_registrar_with_both_signatures_moves_title(world: World) -> None:
    rid = world.file_registered("EM-1")
    deadline = world.now() + 3600
    holder = title_sig(world, world.alice, rid, world.bob.address, deadline)
    assignee = title_sig(world, world.bob, rid, world.bob.address, deadline)
    res = world.registrar.record_assignment_by_sig(rid, world.bob.address, deadline, holder, assignee, deed_hash=DEED)
    recorded = res.event("AssignmentRecorded").args
    assert (recorded["from"], recorded["to"], recorded["recordedBy"]) == (
        world.alice.address, world.bob.address, world.registrar.address)
    assert world.ipl.right(rid).assignment_sequence == 1
    # replayed after Bob passed it back to Alice: the sequence moved on, the old pair no longer counts
    back = title_sig(world, world.bob, rid, world.alice.address, deadline)
    again = title_sig(world, world.alice, rid, world.alice.address, deadline)
    world.registrar.record_assignment_by_sig(rid, world.alice.address, deadline, back, again, deed_hash=DEED)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.record_assignment_by_sig(rid, world.bob.address, deadline, holder, assignee,
                                                 deed_hash=DEED, sequence=0)
    assert_revert(exc_info, "StaleAssignment", rightId=rid, assignmentId=0, pendingId=2)


def test_record_assignment_by_sig_with_only_one_party_signing_reverts_invalid_signature(world: World) -> None:
    rid = world.file_registered("EM-1")
    deadline = world.now() + 3600
    assignee = title_sig(world, world.bob, rid, world.bob.address, deadline)
    with pytest.raises(ContractRevert) as exc_info:  # Bob signs twice: the holder never agreed
        world.registrar.record_assignment_by_sig(rid, world.bob.address, deadline, assignee, assignee, deed_hash=DEED)
    assert_revert(exc_info, "InvalidSignature", expected=world.alice.address, recovered=world.bob.address)


def test_record_assignment_by_sig_by_removed_office_registrar_reverts_not_registrar(world: World) -> None:
    rid = world.file_registered("EM-1")
    deadline = world.now() + 3600
    holder = title_sig(world, world.alice, rid, world.bob.address, deadline)
    assignee = title_sig(world, world.bob, rid, world.bob.address, deadline)
    world.vote(world.governor.council.remove_office("EM"))
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.record_assignment_by_sig(rid, world.bob.address, deadline, holder, assignee, deed_hash=DEED)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=world.registrar.address)


def test_record_assignment_by_sig_with_erc1271_assignee_wallet_moves_title(world: World) -> None:
    art = world.ipl.artifacts["ERC1271Wallet"]
    factory = world.ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    wallet = world.dave.sender.send(factory.constructor(world.dave.address))["contractAddress"]
    rid = world.file_registered("EM-1")
    deadline = world.now() + 3600
    holder = title_sig(world, world.alice, rid, wallet, deadline)
    by_owner = title_sig(world, world.dave, rid, wallet, deadline)  # the wallet's owner key signs for it
    world.registrar.record_assignment_by_sig(rid, wallet, deadline, holder, by_owner, deed_hash=DEED)
    assert world.ipl.right(rid).holder == wallet


# ---------------------------------------------------------------- status batches


def test_change_status_batch_moves_every_right_and_emits_one_event_each(world: World) -> None:
    rids = [world.file(f"B-{i}") for i in range(5)]
    res = world.registrar.change_status_batch([(rid, Status.PUBLISHED) for rid in rids])
    assert [e.args["rightId"] for e in res.all("StatusChanged")] == rids
    assert all(world.ipl.right(rid).status is Status.PUBLISHED for rid in rids)


def test_change_status_batch_with_one_refused_move_reverts_whole_batch(world: World) -> None:
    a, b = world.file("B-1"), world.file("B-2")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.change_status_batch([(a, Status.PUBLISHED), (b, Status.RENEWED)])
    assert_revert(exc_info, "StatusNeedsDetails", to=Status.RENEWED)
    assert world.ipl.right(a).status is Status.FILED


def test_change_status_batch_with_another_office_right_reverts_status_move_not_allowed(world: World) -> None:
    em, ru = world.file("B-1"), world.file("B-2", office="RU")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.change_status_batch([(em, Status.PUBLISHED), (ru, Status.PUBLISHED)])
    assert_revert(exc_info, "StatusMoveNotAllowed", rightId=ru, caller=world.registrar.address, to=Status.PUBLISHED)


def test_change_status_batch_over_the_bound_reverts_batch_too_large(world: World) -> None:
    bound = int(world.ipl.registry.functions.MAX_BATCH().call())
    rid = world.file("B-1")
    fn = world.registrar.registry.functions.changeStatusBatch([(rid, int(Status.PUBLISHED), 0, b"\x00" * 32)] *
                                                               (bound + 1))
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.sender.send(fn)
    assert_revert(exc_info, "BatchTooLarge", size=bound + 1, max=bound)


def test_holder_surrender_in_batch_of_pledged_right_reverts_pledge_active(world: World) -> None:
    rid = world.file_registered("B-1")
    pledge_id = world.alice.record_pledge(rid, world.carol.address).pledge_id
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.change_status_batch([(rid, Status.SURRENDERED)])
    assert_revert(exc_info, "PledgeActive", rightId=rid, pledgeId=pledge_id, creditor=world.carol.address)


# ---------------------------------------------------------------- pledge count (SecurityInterests keeps it)


def test_pledge_count_follows_recordings_and_releases(world: World) -> None:
    rid = world.file_registered("P-1")
    ids = [world.alice.record_pledge(rid, c).pledge_id for c in (world.carol.address, world.dave.address)]
    assert world.ipl.right(rid).pledge_count == 2
    world.registrar.release_pledge_by_court_order(ids[0], DEED)
    assert world.ipl.right(rid).pledge_count == 1
    world.dave.release_pledge(ids[1])
    assert world.ipl.right(rid).pledge_count == 0


# ---------------------------------------------------------------- token metadata


def test_token_uri_without_base_uri_is_on_chain_json_of_the_record(world: World) -> None:
    rid = world.file_registered("T-1")
    world.alice.record_pledge(rid, world.carol.address)
    doc = token_json(world, rid)
    assert doc["name"] == f"EM Trade mark 0x{rid:064x}"
    t = traits(doc)
    info = world.ipl.right(rid)
    assert t == {"Office": "EM", "IP type": "Trade mark", "Status": "Registered", "ST.27 state": "In force",
                 "Filing date": info.filing_date, "Registration date": info.registration_date,
                 "Expiry date": info.expiry_date, "Assignments": 0, "Security interests": 1}


def test_token_uri_of_filed_right_has_no_registration_dates_and_follows_status(world: World) -> None:
    rid = world.file("T-1", ip_type="PT")
    t = traits(token_json(world, rid))
    assert (t["IP type"], t["Status"], t["ST.27 state"]) == ("Patent", "Filed", "Pending")
    assert "Registration date" not in t and "Expiry date" not in t
    world.registrar.change_status(rid, Status.WITHDRAWN)
    assert traits(token_json(world, rid))["ST.27 state"] == "Not in force"


def test_set_base_uri_by_office_admin_makes_token_uri_base_plus_decimal_id(world: World) -> None:
    rid, ru = world.file("T-1"), world.file("T-2", office="RU")
    res = world.governor.set_base_uri("EM", "https://register.example/em/")
    assert res.event("BaseURISet").args == {"office": "EM", "uri": "https://register.example/em/"}
    assert res.event("BatchMetadataUpdate").args == {"_fromTokenId": 0, "_toTokenId": 2**256 - 1}
    assert world.ipl.registry.functions.tokenURI(rid).call() == f"https://register.example/em/{rid}"
    assert world.ipl.registry.functions.baseURIOf(b"EM").call() == "https://register.example/em/"
    assert world.ipl.registry.functions.tokenURI(ru).call().startswith("data:application/json;base64,")
    world.governor.set_base_uri("EM", "")
    assert world.ipl.registry.functions.tokenURI(rid).call().startswith("data:application/json;base64,")


def test_erc721_views_answer_from_the_right_record(world: World) -> None:
    reg = world.ipl.registry.functions
    rid = world.file("T-1")
    assert (reg.name().call(), reg.symbol().call()) == ("IP Ledger Title", "IPT")
    assert reg.getApproved(rid).call() == ZERO
    assert reg.isApprovedForAll(world.alice.address, world.bob.address).call() is False
    with pytest.raises(ContractRevert) as exc_info:
        world.ipl.call(reg.balanceOf(ZERO), "balance")
    assert_revert(exc_info, "ERC721InvalidOwner", owner=ZERO)
    with pytest.raises(ContractRevert) as exc_info:
        world.ipl.call(reg.getApproved(4242), "approved")
    assert_revert(exc_info, "ERC721NonexistentToken", tokenId=4242)


# ---------------------------------------------------------------- upgrade safety of the contracts


@pytest.mark.parametrize("contract,namespace", [
    ("IPRegistryBase.sol", "IPRegistry"), ("SecurityInterests.sol", "SecurityInterests"),
    ("PartyRegistry.sol", "PartyRegistry"), ("RevocableSignaturesUpgradeable.sol", "RevocableSignatures")])
def test_storage_slot_constant_is_the_erc7201_formula(config: Any, contract: str, namespace: str) -> None:
    source = (config.contracts_dir / "registry" / contract).read_text()
    inner = int.from_bytes(keccak(text=f"ipledger.storage.{namespace}"), "big") - 1
    slot = int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF
    assert f"erc7201:ipledger.storage.{namespace}" in source
    assert f"0x{slot:064x}" in source


@pytest.mark.parametrize("name", ["IPRegistry", "IPRegistryExtension", "SecurityInterests", "PartyRegistry",
                                  "TitleMetadataRenderer"])
def test_runtime_code_is_under_the_eip170_limit(artifacts: Any, name: str) -> None:
    assert 0 < artifacts[name].code_size <= MAX_CODE_SIZE


def test_registry_creation_code_is_under_the_eip3860_initcode_limit(artifacts: Any) -> None:
    code = artifacts["IPRegistry"].bytecode
    assert len(bytes.fromhex(code.removeprefix("0x"))) <= 49_152


@pytest.mark.parametrize("name", ["IPRegistry", "SecurityInterests", "PartyRegistry"])
def test_initialize_on_the_implementation_reverts_invalid_initialization(world: World, name: str) -> None:
    impl = world.ipl.deployment.contracts[name].implementation
    assert impl is not None
    contract = world.ipl.w3.eth.contract(address=impl, abi=world.ipl.artifacts[name].abi)
    args = [world.ipl.contracts["RegisterAuthority"].address]
    if name != "IPRegistry":
        args.append(world.ipl.registry.address)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.sender.send(contract.functions.initialize(*args))
    assert_revert(exc_info, "InvalidInitialization")


def test_extension_called_directly_reverts_not_delegated(world: World) -> None:
    """The delegated code acts only on the proxy's storage: called at its own address it refuses everything."""
    impl = world.ipl.deployment.contracts["IPRegistry"].implementation
    code = world.ipl.w3.eth.get_code(impl)
    art = world.ipl.artifacts["IPRegistryExtension"]
    # the extension's address is the implementation's CREATE after the renderer's: nonce 2
    address = to_checksum_address(keccak(rlp.encode([bytes.fromhex(impl[2:]), 2]))[12:])
    assert bytes(world.ipl.w3.eth.get_code(address)) and bytes(code)
    ext = world.ipl.w3.eth.contract(address=address, abi=art.abi)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.sender.send(ext.functions.grantRegistrar(b"EM", world.stranger.address))
    assert_revert(exc_info, "NotDelegated")
