"""The title token (ERC-721, locked: ERC-5192; metadata: ERC-4906), document anchors, and a right's history.

Anchors (issue #12, item 5): anyone may anchor a document (proof of existence stays open to all), but nothing is
stored: anchors live in ``DocumentAnchored`` events, indexed by right, document hash and anchoring account, with the
anchorer's role (holder, office, third party) judged by the contract at the time. Reads page through the events in
bounded block spans; no view grows with the number of anchors (``anchorsOf`` is gone).
"""

from __future__ import annotations

import pytest

from helpers import World, assert_revert
from ipledger.sdk import IPLedger
from ipledger.types import tag32
from ipledger.domain import EVENT_CODES, AnchorRole, Status
from ipledger.errors import ContractRevert, UsageError

ZERO = "0x" + "00" * 20
DOC = "0x" + "d0" * 32
DEED_1 = "0x" + "d1" * 32
DEED_2 = "0x" + "d2" * 32
URI = "ipfs://bafy-first"




@pytest.fixture(scope="module")
def rid(module_world: World) -> int:
    """A registered EM trade mark of Alice's with a metadata URI."""
    w = module_world
    right = w.file("018555001", metadata_uri=URI)
    w.registrar.publish(right)
    now = w.now()
    w.registrar.register(right, "R-018555001", registration_date=now, expiry_date=now + 10 * 365 * 86400)
    return right


def send_raw(actor: IPLedger, fn: object) -> None:
    actor.sender.send(fn)


def owner_of(ipl: IPLedger, right: int) -> str:
    return str(ipl.registry.functions.ownerOf(right).call())


# ---------------------------------------------------------------- ERC-721 title, locked


def test_title_token_name_symbol_owner_and_balance(world: World, rid: int) -> None:
    reg = world.ipl.registry.functions
    assert (reg.name().call(), reg.symbol().call()) == ("IP Ledger Title", "IPT")
    assert owner_of(world.ipl, rid) == world.alice.address
    assert reg.balanceOf(world.alice.address).call() == 1
    assert reg.getApproved(rid).call() == ZERO
    assert reg.isApprovedForAll(world.alice.address, world.bob.address).call() is False


@pytest.mark.parametrize("who", ["alice", "bob", "registrar", "governor"])
@pytest.mark.parametrize("call", ["transferFrom", "safeTransferFrom", "safeTransferFrom+data", "approve"])
def test_erc721_transfer_or_approve_reverts_title_locked(world: World, rid: int, call: str, who: str) -> None:
    actor = getattr(world, who)
    reg = actor.registry.functions
    alice, bob = world.alice.address, world.bob.address
    fn = {
        "transferFrom": lambda: reg.transferFrom(alice, bob, rid),
        "safeTransferFrom": lambda: reg.safeTransferFrom(alice, bob, rid),
        "safeTransferFrom+data": lambda: reg.safeTransferFrom(alice, bob, rid, b"deed"),
        "approve": lambda: reg.approve(bob, rid),
    }[call]()
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(actor, fn)
    assert_revert(exc_info, "TitleLocked", rightId=rid)
    assert owner_of(world.ipl, rid) == alice
    assert reg.getApproved(rid).call() == ZERO


@pytest.mark.parametrize("approved", [True, False])
def test_erc721_set_approval_for_all_reverts_title_locked_zero(world: World, rid: int, approved: bool) -> None:
    fn = world.alice.registry.functions.setApprovalForAll(world.bob.address, approved)
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(world.alice, fn)
    assert_revert(exc_info, "TitleLocked", rightId=0)


def test_erc721_transfer_of_unknown_token_reverts_title_locked(world: World) -> None:
    fn = world.alice.registry.functions.transferFrom(world.alice.address, world.bob.address, 777)
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(world.alice, fn)
    assert_revert(exc_info, "TitleLocked", rightId=777)


def test_locked_is_true_for_every_right(world: World, rid: int) -> None:
    other = world.file("2023555001", world.bob, office="RU", ip_type="PT")
    assert world.ipl.registry.functions.locked(rid).call() is True
    assert world.ipl.registry.functions.locked(other).call() is True


@pytest.mark.parametrize("fn_name", ["locked", "tokenURI", "ownerOf"])
def test_token_reads_of_unknown_right_revert_erc721_nonexistent_token(world: World, fn_name: str) -> None:
    fn = getattr(world.ipl.registry.functions, fn_name)(4242)
    with pytest.raises(ContractRevert) as exc_info:
        world.ipl.call(fn, fn_name)
    assert_revert(exc_info, "ERC721NonexistentToken", tokenId=4242)


@pytest.mark.parametrize("interface,supported", [
    ("0x80ac58cd", True),  # ERC-721
    ("0x5b5e139f", True),  # ERC-721 metadata
    ("0x01ffc9a7", True),  # ERC-165
    ("0xb45a3c0e", True),  # ERC-5192 locked
    ("0x49064906", True),  # ERC-4906 metadata update
    ("0x7965db0b", False),  # AccessControl: the register answers to an AccessManager instead
    ("0x780e9d63", False),  # ERC-721 enumerable: not offered
    ("0xffffffff", False),  # ERC-165: must be false
    ("0x00000000", False),
])
def test_supports_interface_reports_standards(world: World, interface: str, supported: bool) -> None:
    assert world.ipl.registry.functions.supportsInterface(bytes.fromhex(interface[2:])).call() is supported


# ---------------------------------------------------------------- metadata


@pytest.mark.parametrize("who", ["alice", "registrar"])
def test_update_metadata_by_holder_or_registrar_emits_metadata_update_and_changed(world: World, rid: int,
                                                                                  who: str) -> None:
    res = getattr(world, who).update_metadata(rid, "ipfs://bafy-second", DOC)
    assert [e.name for e in res.events] == ["MetadataChanged", "MetadataUpdate"]
    assert res.event("MetadataChanged").args == {"rightId": rid, "metadataURI": "ipfs://bafy-second",
                                                 "metadataHash": DOC}
    assert res.event("MetadataUpdate").args == {"_tokenId": rid}
    assert world.ipl.right(rid).metadata_uri == "ipfs://bafy-second"  # from the event: nothing is stored


@pytest.mark.parametrize("who", ["bob", "stranger", "governor", "ru_registrar"])
def test_update_metadata_by_other_reverts_not_holder_or_registrar(world: World, rid: int, who: str) -> None:
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.update_metadata(rid, "ipfs://evil", DOC)
    assert_revert(exc_info, "NotHolderOrRegistrar", rightId=rid, caller=actor.address)
    assert world.ipl.right(rid).metadata_uri == URI


def test_update_metadata_to_empty_uri_clears_the_metadata_uri_not_the_token_uri(world: World, rid: int) -> None:
    world.alice.update_metadata(rid, "")
    assert world.ipl.right(rid).metadata_uri == ""
    assert world.ipl.registry.functions.tokenURI(rid).call().startswith("data:application/json;base64,")


def test_update_metadata_after_assignment_only_new_holder_may(world: World, rid: int) -> None:
    world.alice.request_assignment(rid, world.bob.address, DEED_1)
    world.bob.accept_assignment(rid)
    world.registrar.record_assignment(rid)
    assert world.bob.update_metadata(rid, "ipfs://bob").event("MetadataUpdate")
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.update_metadata(rid, "ipfs://alice")
    assert_revert(exc_info, "NotHolderOrRegistrar", rightId=rid, caller=world.alice.address)


# ---------------------------------------------------------------- anchors


ROLES = {"alice": AnchorRole.HOLDER, "registrar": AnchorRole.OFFICE, "stranger": AnchorRole.THIRD_PARTY,
         "bob": AnchorRole.THIRD_PARTY, "ru_registrar": AnchorRole.THIRD_PARTY, "governor": AnchorRole.THIRD_PARTY}


@pytest.mark.parametrize("who", list(ROLES))
def test_anchor_document_by_anyone_records_role_and_block_time_in_the_event(world: World, rid: int, who: str) -> None:
    actor = getattr(world, who)
    res = actor.anchor(rid, DOC, "evidence")
    block_time = int(world.ipl.w3.eth.get_block(res.block)["timestamp"])
    assert res.event("DocumentAnchored").args == {"rightId": rid, "documentHash": DOC, "anchoredBy": actor.address,
                                                  "tag": "0x" + tag32("evidence").hex(), "role": ROLES[who]}
    [anchor] = world.ipl.anchors(rid)
    assert (anchor.right_id, anchor.document_hash, anchor.tag, anchor.anchored_by, anchor.role, anchor.block,
            anchor.anchored_at) == (rid, DOC, "evidence", actor.address, ROLES[who], res.block, block_time)
    assert anchor.third_party is (ROLES[who] is AnchorRole.THIRD_PARTY)


def test_anchors_live_in_events_only_no_view_lists_them(world: World) -> None:
    names = {item.get("name") for item in world.ipl.registry.abi}
    assert "anchorsOf" not in names
    event = next(i for i in world.ipl.registry.abi if i.get("type") == "event" and i["name"] == "DocumentAnchored")
    assert [i["name"] for i in event["inputs"] if i["indexed"]] == ["rightId", "documentHash", "anchoredBy"]


def test_forty_stranger_court_order_anchors_are_accepted_and_shown_as_third_party(world: World, rid: int) -> None:
    """The issue's case: a stranger's 40 "court-order" anchors stay proofs of existence, told apart from the
    holder's and the office's, and read back in bounded spans."""
    world.alice.anchor(rid, DEED_1, "deed")
    world.registrar.anchor(rid, DEED_2, "court-order")
    fakes = ["0x" + f"{i:064x}" for i in range(1, 41)]
    for h in fakes:
        world.stranger.anchor(rid, h, "court-order")
    listed = world.ipl.anchors(rid)
    assert len(listed) == 42
    assert [(a.document_hash, a.role) for a in listed[:2]] == [(DEED_1, AnchorRole.HOLDER),
                                                               (DEED_2, AnchorRole.OFFICE)]
    assert [a.document_hash for a in listed[2:]] == fakes
    assert {(a.anchored_by, a.role, a.tag) for a in listed[2:]} == {(world.stranger.address, AnchorRole.THIRD_PARTY,
                                                                     "court-order")}
    assert world.ipl.anchors(rid, span=3) == listed, "reading three blocks per request gives the same answer"
    assert [a.document_hash for a in world.ipl.anchors(rid, anchored_by=world.stranger.address)] == fakes
    assert [a.role for a in world.ipl.history(rid).anchors] == [a.role for a in listed]
    last = listed[-1].block
    assert [a.document_hash for a in world.ipl.anchors(rid, from_block=last - 4, to_block=last)] == fakes[-5:]


def test_anchors_of_a_document_are_found_across_rights(world: World, rid: int) -> None:
    other = world.file("018555998", world.bob)
    world.alice.anchor(rid, DOC, "priority")
    world.bob.anchor(other, DOC, "priority")
    found = world.ipl.anchors(document_hash=DOC)
    assert [(a.right_id, a.role) for a in found] == [(rid, AnchorRole.HOLDER), (other, AnchorRole.HOLDER)]
    assert world.ipl.anchors(other, document_hash=DOC)[0].anchored_by == world.bob.address


def test_anchors_read_needs_a_filter(world: World) -> None:
    with pytest.raises(UsageError, match="name a right"):
        world.ipl.anchors()


def test_anchor_role_is_judged_at_anchor_time_across_an_assignment(world: World, rid: int) -> None:
    world.alice.anchor(rid, DEED_1, "deed")
    world.alice.request_assignment(rid, world.bob.address, DEED_1)
    world.bob.accept_assignment(rid)
    world.registrar.record_assignment(rid)
    world.alice.anchor(rid, DEED_2, "late")
    world.bob.anchor(rid, DOC, "deed")
    assert [(a.anchored_by, a.role) for a in world.ipl.anchors(rid)] == [
        (world.alice.address, AnchorRole.HOLDER), (world.alice.address, AnchorRole.THIRD_PARTY),
        (world.bob.address, AnchorRole.HOLDER)]


def test_anchor_documents_list_oldest_first(world: World, rid: int) -> None:
    docs = [("0x" + f"{i:02x}" * 32, tag) for i, tag in enumerate(["deed", "priority", "evidence"], start=1)]
    for h, tag in docs:
        world.alice.anchor(rid, h, tag)
    listed = world.ipl.anchors(rid)
    assert [(a.document_hash, a.tag) for a in listed] == docs
    times = [a.anchored_at for a in listed]
    assert times == sorted(times)
    assert [a.document_hash for a in world.ipl.history(rid).anchors] == [h for h, _ in docs]


def test_anchor_same_document_twice_keeps_both_proofs(world: World, rid: int) -> None:
    world.alice.anchor(rid, DOC, "deed")
    world.bob.anchor(rid, DOC, "deed")
    assert [a.anchored_by for a in world.ipl.anchors(rid)] == [world.alice.address, world.bob.address]


def test_anchor_on_ended_right_still_works(world: World, rid: int) -> None:
    world.registrar.change_status(rid, Status.REVOKED)
    assert world.stranger.anchor(rid, DOC, "evidence").event("DocumentAnchored")


def test_anchor_unknown_right_reverts_right_not_found(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.anchor(999, DOC, "evidence")
    assert_revert(exc_info, "RightNotFound", rightId=999)


def test_anchor_tag_longer_than_32_bytes_sdk_raises_usage_error(world: World, rid: int) -> None:
    with pytest.raises(UsageError, match="longer than 32 bytes"):
        world.alice.anchor(rid, DOC, "x" * 33)


# ---------------------------------------------------------------- history


def test_history_title_is_filing_then_each_recorded_assignment(world: World, rid: int) -> None:
    world.alice.request_assignment(rid, world.bob.address, DEED_1)
    world.bob.accept_assignment(rid)
    first = world.registrar.record_assignment(rid)
    world.bob.request_assignment(rid, world.carol.address, DEED_2)
    world.carol.accept_assignment(rid)
    second = world.registrar.record_assignment(rid)

    title = world.ipl.history(rid).title
    assert [(t.how, t.holder) for t in title] == [("filing", world.alice.address),
                                                  ("assignment", world.bob.address),
                                                  ("assignment", world.carol.address)]
    assert [(t.deed_hash, t.recorded_by) for t in title[1:]] == [(DEED_1, world.registrar.address),
                                                                 (DEED_2, world.registrar.address)]
    assert [t.tx_hash for t in title[1:]] == [first.tx_hash, second.tx_hash]
    assert [t.since_block for t in title[1:]] == [first.block, second.block]
    assert title[0].since_time <= title[1].since_time <= title[2].since_time
    assert owner_of(world.ipl, rid) == world.carol.address


def test_history_title_at_office_without_recordal_has_zero_recorded_by(world: World) -> None:
    right = world.file_registered("2023555002", office="RU")
    world.alice.request_assignment(right, world.bob.address, DEED_1)
    res = world.bob.accept_assignment(right)
    title = world.ipl.history(right).title
    assert [(t.how, t.holder, t.deed_hash, t.recorded_by) for t in title] == [
        ("filing", world.alice.address, "", ""), ("assignment", world.bob.address, DEED_1, ZERO)]
    assert title[1].tx_hash == res.tx_hash


def test_history_status_events_in_order_with_codes(world: World, rid: int) -> None:
    world.registrar.change_status(rid, Status.LAPSED)
    world.registrar.change_status(rid, Status.RESTORED)
    world.alice.change_status(rid, Status.SURRENDERED)
    walk = [Status.FILED, Status.PUBLISHED, Status.REGISTERED, Status.LAPSED, Status.RESTORED, Status.SURRENDERED]
    events = world.ipl.history(rid).status_events
    assert [e.args["to"] for e in events] == walk
    assert [e.args["from"] for e in events] == [Status.NONE, *walk[:-1]]
    assert [e.args["keyEventCode"] for e in events] == [EVENT_CODES[s] for s in walk]
    assert [(e.block, e.log_index) for e in events] == sorted((e.block, e.log_index) for e in events)


def test_history_events_cover_the_right_only(world: World, rid: int) -> None:
    other = world.file("018555999", world.bob)
    world.bob.anchor(other, DOC, "other")
    hist = world.ipl.history(rid)
    assert {e.args["rightId"] for e in hist.events} == {rid}
    assert [e.name for e in hist.events] == ["RightFiled", "StatusChanged", "StatusChanged", "StatusChanged",
                                             "RightRegistered"]


def test_history_of_unknown_right_raises_usage_error(world: World) -> None:
    with pytest.raises(UsageError, match="no right"):
        world.ipl.history(31337)
