"""Filing: who may file, deterministic ids, the events of a filing, and batch filing."""

from __future__ import annotations

import pytest

from helpers import World, assert_revert
from ipledger import domain
from ipledger.sdk import Filing, IPLedger
from ipledger.domain import IPType, Status
from ipledger.errors import ContractRevert, UsageError

ZERO = "0x" + "00" * 20
ZERO32 = "0x" + "00" * 32
CONTENT = "0x" + "ab" * 32
META_HASH = "0x" + "cd" * 32
URI = "ipfs://bafy-mark-018234567"




def raw_filing(office: bytes, number: str, holder: str, ip_type: IPType = IPType.TRADE_MARK) -> tuple[object, ...]:
    """A ``Filing`` struct as the contract takes it, bypassing the SDK's checks."""
    return (office, int(ip_type), holder, 0, b"\x00" * 32, b"\x00" * 32, number, "")


def owner_of(ipl: IPLedger, rid: int) -> str:
    return str(ipl.registry.functions.ownerOf(rid).call())


# ---------------------------------------------------------------- one filing


def test_file_by_applicant_mints_locked_title_and_emits_filing_events(world: World) -> None:
    alice = world.alice
    res = alice.file("EM", "TM", "018234567", content_hash=CONTENT, metadata_uri=URI, metadata_hash=META_HASH)
    rid = res.right_id
    block_time = int(world.ipl.w3.eth.get_block(res.block)["timestamp"])

    assert [e.name for e in res.events] == ["Transfer", "Locked", "RightFiled", "StatusChanged"]
    assert res.event("Transfer").args == {"from": ZERO, "to": alice.address, "tokenId": rid}
    assert res.event("Locked").args == {"tokenId": rid}
    assert res.event("RightFiled").args == {
        "rightId": rid, "office": "EM", "holder": alice.address, "ipType": IPType.TRADE_MARK,
        "applicationNumber": "018234567", "filingDate": block_time, "contentHash": CONTENT, "metadataURI": URI,
        "metadataHash": META_HASH}
    assert res.event("StatusChanged").args == {
        "rightId": rid, "from": Status.NONE, "to": Status.FILED, "eventCode": "A10", "effectiveDate": block_time,
        "documentHash": CONTENT}

    info = world.ipl.right(rid)
    assert (info.office, info.ip_type, info.application_number, info.status) == (
        "EM", IPType.TRADE_MARK, "018234567", Status.FILED)
    assert (info.holder, info.filed_at, info.filing_date, info.content_hash) == (
        alice.address, block_time, block_time, CONTENT)
    assert info.metadata_uri == URI
    assert (info.pending_assignee, info.pledge_creditor, info.registration_number) == (None, None, "")
    assert owner_of(world.ipl, rid) == alice.address
    assert world.ipl.registry.functions.tokenURI(rid).call() == URI
    assert world.ipl.registry.functions.locked(rid).call() is True
    assert world.ipl.registry.functions.balanceOf(alice.address).call() == 1
    assert world.ipl.exists(rid)


def test_file_with_explicit_filing_date_records_it_and_keeps_filed_at_as_block_time(world: World) -> None:
    res = world.alice.file("EM", "TM", "018000001", filing_date=1_600_000_000)
    block_time = int(world.ipl.w3.eth.get_block(res.block)["timestamp"])
    assert res.event("RightFiled").args["filingDate"] == 1_600_000_000
    assert res.event("StatusChanged").args["effectiveDate"] == 1_600_000_000
    info = world.ipl.right(res.right_id)
    assert (info.filing_date, info.filed_at) == (1_600_000_000, block_time)


def test_file_without_metadata_uri_has_empty_token_uri(world: World) -> None:
    rid = world.alice.file("EM", "TM", "018000002").right_id
    assert world.ipl.registry.functions.tokenURI(rid).call() == ""


@pytest.mark.parametrize("office,kind,number", [
    ("EM", IPType.TRADE_MARK, "018234567"),
    ("EM", IPType.INDUSTRIAL_DESIGN, "018234567"),
    ("RU", IPType.PATENT, "2023101234"),
    ("RU", IPType.UTILITY_MODEL, "2023101234"),
    ("RU", IPType.PLANT_VARIETY, "8 654 321/ä"),
    ("EM", IPType.GEOGRAPHICAL_INDICATION, "PGI-IT-0123"),
    ("EM", IPType.COPYRIGHT, "x" * 200),
])
def test_file_right_id_equals_domain_right_id_and_right_id_of(world: World, office: str, kind: IPType,
                                                              number: str) -> None:
    rid = world.alice.file(office, kind, number).right_id
    assert rid == domain.right_id(office, kind, number)
    assert rid == world.ipl.registry.functions.rightIdOf(office.encode(), int(kind), number).call()
    info = world.ipl.right(rid)
    assert (info.office, info.ip_type, info.application_number) == (office, kind, number)


def test_file_same_number_other_type_or_office_gives_distinct_rights(world: World) -> None:
    ids = {world.alice.file(o, t, "123").right_id for o, t in [("EM", "TM"), ("EM", "ID"), ("RU", "TM")]}
    assert len(ids) == 3


@pytest.mark.parametrize("office,registrar", [("EM", "registrar"), ("RU", "ru_registrar")])
def test_file_by_registrar_for_holder_mints_to_holder(world: World, office: str, registrar: str) -> None:
    reg = getattr(world, registrar)
    res = reg.file(office, "PT", "EP-0001", holder=world.bob.address)
    assert res.event("RightFiled").args["holder"] == world.bob.address
    assert res.event("Transfer").args == {"from": ZERO, "to": world.bob.address, "tokenId": res.right_id}
    assert owner_of(world.ipl, res.right_id) == world.bob.address
    assert world.ipl.registry.functions.balanceOf(reg.address).call() == 0


@pytest.mark.parametrize("who,office", [("stranger", "EM"), ("bob", "EM"), ("governor", "EM"),
                                        ("ru_registrar", "EM"), ("registrar", "RU")])
def test_file_for_someone_else_without_office_role_reverts_not_registrar(world: World, who: str,
                                                                         office: str) -> None:
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.file(office, "TM", "018234567", holder=world.alice.address)
    assert_revert(exc_info, "NotRegistrar", office=office, account=actor.address)
    assert not world.ipl.exists(domain.right_id(office, "TM", "018234567"))


@pytest.mark.parametrize("second", ["alice", "bob", "registrar"])
def test_file_same_triple_twice_reverts_right_exists(world: World, second: str) -> None:
    rid = world.alice.file("EM", "TM", "018234567").right_id
    again = getattr(world, second)
    with pytest.raises(ContractRevert) as exc_info:
        again.file("EM", "TM", "018234567", holder=world.bob.address if second == "registrar" else None)
    assert_revert(exc_info, "RightExists", rightId=rid)
    assert owner_of(world.ipl, rid) == world.alice.address


def test_file_empty_application_number_raw_reverts_empty_application_number(world: World) -> None:
    fn = world.alice.registry.functions.file(raw_filing(b"EM", "", world.alice.address))
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.sender.send(fn)
    assert_revert(exc_info, "EmptyApplicationNumber")


@pytest.mark.parametrize("number", [" 018234567", "018234567 ", "018234567\t", "\n1"])
def test_file_padded_application_number_raw_reverts_malformed(world: World, number: str) -> None:
    fn = world.alice.registry.functions.file(raw_filing(b"EM", number, world.alice.address))
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.sender.send(fn)
    assert_revert(exc_info, "MalformedApplicationNumber", applicationNumber=number)


@pytest.mark.parametrize("number", ["", "   "])
def test_file_empty_application_number_sdk_raises_usage_error(world: World, number: str) -> None:
    with pytest.raises(UsageError, match="application number is empty"):
        world.alice.file("EM", "TM", number)


def test_file_zero_holder_raw_reverts_invalid_account(world: World) -> None:
    fn = world.registrar.registry.functions.file(raw_filing(b"EM", "1", ZERO))
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.sender.send(fn)
    assert_revert(exc_info, "InvalidAccount", account=ZERO)


@pytest.mark.parametrize("office", ["US", "AU", "WO"])
def test_file_at_unknown_office_reverts_unknown_office(world: World, office: str) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.file(office, "TM", "1")
    assert_revert(exc_info, "UnknownOffice", code=office)


def test_file_unknown_right_reads_as_absent(world: World) -> None:
    rid = domain.right_id("EM", "TM", "never-filed")
    assert world.ipl.exists(rid) is False
    assert tuple(world.ipl.registry.functions.holderAndStatus(rid).call()) == (ZERO, Status.NONE)
    with pytest.raises(ContractRevert) as exc_info:
        world.ipl.right(rid)
    assert_revert(exc_info, "RightNotFound", rightId=rid)


# ---------------------------------------------------------------- batches


def batch(*numbers: str, holder: str | None = None) -> list[Filing]:
    return [Filing(office="EM", ip_type=IPType.TRADE_MARK, application_number=n, holder=holder,
                   metadata_uri=f"ipfs://{n}") for n in numbers]


@pytest.mark.parametrize("n", [1, 3, 7])
def test_file_batch_of_n_files_all_and_returns_ids_in_order(world: World, n: int) -> None:
    filings = batch(*(f"B-{i:03d}" for i in range(n)))
    res = world.alice.file_batch(filings)
    assert res.right_ids == tuple(f.right_id for f in filings)
    assert len(res.all("RightFiled")) == len(res.all("Locked")) == len(res.all("StatusChanged")) == n
    for f in filings:
        assert owner_of(world.ipl, f.right_id) == world.alice.address
        assert world.ipl.registry.functions.tokenURI(f.right_id).call() == f.metadata_uri


def test_file_batch_by_registrar_for_several_holders_mints_to_each(world: World) -> None:
    filings = [*batch("H-1", holder=world.bob.address), *batch("H-2", holder=world.carol.address)]
    res = world.registrar.file_batch(filings)
    assert [owner_of(world.ipl, rid) for rid in res.right_ids] == [world.bob.address, world.carol.address]


def test_file_batch_skip_existing_skips_existing_and_returns_only_new_ids(world: World) -> None:
    existing = world.alice.file("EM", "TM", "B-001").right_id
    filings = batch("B-000", "B-001", "B-002")
    fn = world.alice.registry.functions.fileBatch([world.alice.filing_tuple(f) for f in filings], True)
    assert fn.call({"from": world.alice.address}) == 2  # the contract's own count of new filings
    res = world.alice.file_batch(filings, skip_existing=True)
    assert res.right_ids == (filings[0].right_id, filings[2].right_id)
    assert existing not in res.right_ids
    assert len(res.all("RightFiled")) == 2
    assert world.ipl.registry.functions.tokenURI(existing).call() == ""  # the skipped right is untouched


def test_file_batch_skip_existing_with_duplicate_inside_batch_files_once(world: World) -> None:
    res = world.alice.file_batch(batch("D-1", "D-1"), skip_existing=True)
    assert res.right_ids == (domain.right_id("EM", "TM", "D-1"),)


def test_file_batch_all_existing_with_skip_files_nothing(world: World) -> None:
    world.alice.file_batch(batch("E-1", "E-2"))
    res = world.alice.file_batch(batch("E-1", "E-2"), skip_existing=True)
    assert res.right_ids == ()
    assert res.all("RightFiled") == []


def test_file_batch_without_skip_reverts_right_exists_and_files_nothing(world: World) -> None:
    existing = world.alice.file("EM", "TM", "B-001").right_id
    filings = batch("B-000", "B-001", "B-002")
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.file_batch(filings, skip_existing=False)
    assert_revert(exc_info, "RightExists", rightId=existing)
    assert not world.ipl.exists(filings[0].right_id)
    assert not world.ipl.exists(filings[2].right_id)


@pytest.mark.parametrize("skip", [True, False])
def test_file_batch_empty_raw_reverts_empty_batch(world: World, skip: bool) -> None:
    fn = world.alice.registry.functions.fileBatch([], skip)
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.sender.send(fn)
    assert_revert(exc_info, "EmptyBatch")


def test_file_batch_empty_sdk_raises_usage_error(world: World) -> None:
    with pytest.raises(UsageError, match="batch is empty"):
        world.alice.file_batch([])


def test_file_batch_with_foreign_holder_by_applicant_reverts_not_registrar(world: World) -> None:
    filings = [*batch("F-1"), *batch("F-2", holder=world.bob.address)]
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.file_batch(filings)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=world.alice.address)
    assert not world.ipl.exists(filings[0].right_id)


def test_file_batch_with_unknown_office_reverts_unknown_office(world: World) -> None:
    filings = [*batch("U-1"), Filing(office="US", ip_type=IPType.PATENT, application_number="U-2")]
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.file_batch(filings)
    assert_revert(exc_info, "UnknownOffice", code="US")


@pytest.mark.parametrize("variant", [" 018234567", "018234567 ", "018234567\t"])
def test_file_same_number_with_surrounding_whitespace_is_refused(world: World, variant: str) -> None:
    world.alice.file("EM", "TM", "018234567")
    with pytest.raises((ContractRevert, UsageError)):
        world.alice.file("EM", "TM", variant)
