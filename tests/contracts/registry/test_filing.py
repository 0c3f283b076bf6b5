"""Filing: only the office files (its registrars accord numbers and filing dates), deterministic ids, the events of a
filing, filing dates, the ST.13 character set of application numbers, and batch filing.

Issue #12, item 1: before, anyone could file any (office, type, number) in their own name, one by one or 20 in one
``fileBatch``, with any filing date (1 = 1970 was accepted), and the office's own filing then failed. Each attack is
reproduced here and now ends in ``NotRegistrar(office, caller)``; the office's own filing still works afterwards.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import World, assert_revert
from helpers.reverts import error_of
from ipledger import domain, types
from ipledger.domain import IPType, Status
from ipledger.errors import ContractRevert, InvalidInput, UsageError
from ipledger.sdk import Filing, IPLedger

ZERO = "0x" + "00" * 20
ZERO32 = "0x" + "00" * 32
CONTENT = "0x" + "ab" * 32
META_HASH = "0x" + "cd" * 32
URI = "ipfs://bafy-mark-018234567"
A10 = "A10"


def raw_filing(office: bytes, number: str, holder: str, ip_type: IPType = IPType.TRADE_MARK,
               filing_date: int = 0) -> tuple[object, ...]:
    """A ``Filing`` struct as the contract takes it, bypassing the SDK's checks."""
    return (office, int(ip_type), holder, filing_date, b"\x00" * 32, b"\x00" * 32, number, "")


def owner_of(ipl: IPLedger, rid: int) -> str:
    return str(ipl.registry.functions.ownerOf(rid).call())


def send_raw(actor: IPLedger, *filings: tuple[object, ...], batch: bool = False, skip: bool = False) -> None:
    fns = actor.registry.functions
    fn = fns.fileBatch(list(filings), skip) if batch else fns.file(filings[0])
    actor.sender.send(fn)


# ---------------------------------------------------------------- one filing, by the office


def test_file_by_registrar_for_holder_mints_locked_title_and_emits_filing_events(world: World) -> None:
    alice = world.alice
    res = world.registrar.file("EM", "TM", "018234567", holder=alice.address, content_hash=CONTENT, metadata_uri=URI,
                               metadata_hash=META_HASH)
    rid = res.right_id
    block_time = int(world.ipl.w3.eth.get_block(res.block)["timestamp"])

    assert [e.name for e in res.events] == ["Transfer", "Locked", "RightFiled", "StatusChanged"]
    assert res.event("Transfer").args == {"from": ZERO, "to": alice.address, "tokenId": rid}
    assert res.event("Locked").args == {"tokenId": rid}
    assert res.event("RightFiled").args == {
        "rightId": rid, "office": "EM", "holder": alice.address, "ipType": IPType.TRADE_MARK,
        "applicationNumber": "018234567", "filingDate": block_time, "contentHash": CONTENT, "metadataURI": URI,
        "metadataHash": META_HASH}
    changed = res.event("StatusChanged").args
    assert changed == {
        "rightId": rid, "from": Status.NONE, "to": Status.FILED, "keyEventCode": A10,
        "nationalCode": changed["nationalCode"], "effectiveDate": block_time, "documentHash": CONTENT}
    assert domain.national_code_text(changed["nationalCode"]) == A10  # the office set none: the key code

    info = world.ipl.right(rid)
    assert (info.office, info.ip_type, info.application_number, info.status) == (
        "EM", IPType.TRADE_MARK, "018234567", Status.FILED)
    assert (info.holder, info.filed_at, info.filing_date, info.content_hash) == (
        alice.address, block_time, block_time, CONTENT)
    assert info.metadata_uri == URI
    assert info.st27_state is domain.St27State.PENDING
    assert (info.pending_assignee, info.pledge_creditor, info.registration_number) == (None, None, "")
    assert owner_of(world.ipl, rid) == alice.address
    assert (info.assignment_sequence, info.pledge_count) == (0, 0)
    assert world.ipl.registry.functions.tokenURI(rid).call().startswith("data:application/json;base64,")
    assert world.ipl.registry.functions.locked(rid).call() is True
    assert world.ipl.registry.functions.balanceOf(alice.address).call() == 1
    assert world.ipl.registry.functions.balanceOf(world.registrar.address).call() == 0
    assert world.ipl.exists(rid)


@pytest.mark.parametrize("office,registrar", [("EM", "registrar"), ("RU", "ru_registrar")])
def test_file_by_each_office_registrar_mints_to_the_holder(world: World, office: str, registrar: str) -> None:
    reg = getattr(world, registrar)
    res = reg.file(office, "PT", "EP-0001", holder=world.bob.address)
    assert res.event("RightFiled").args["holder"] == world.bob.address
    assert res.event("Transfer").args == {"from": ZERO, "to": world.bob.address, "tokenId": res.right_id}
    assert owner_of(world.ipl, res.right_id) == world.bob.address


def test_file_without_holder_sdk_is_refused_before_sending(world: World) -> None:
    with pytest.raises(InvalidInput, match="names no holder"):
        world.registrar.file_batch([Filing(office="EM", ip_type=IPType.TRADE_MARK, application_number="1")])


# ---------------------------------------------------------------- the attack: anyone but the office files


@pytest.mark.parametrize("who", ["alice", "stranger", "bob", "governor", "ru_registrar"])
@pytest.mark.parametrize("for_self", [True, False])
def test_file_by_anyone_but_the_office_reverts_not_registrar(world: World, who: str, for_self: bool) -> None:
    actor = getattr(world, who)
    holder = actor.address if for_self else world.alice.address
    with pytest.raises(ContractRevert) as exc_info:
        actor.file("EM", "TM", "018234567", holder=holder)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)
    assert not world.ipl.exists(domain.right_id("EM", "TM", "018234567"))


def test_file_by_em_registrar_at_ru_reverts_not_registrar(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.file("RU", "TM", "1", holder=world.alice.address)
    assert_revert(exc_info, "NotRegistrar", office="RU", account=world.registrar.address)


def test_stranger_cannot_squat_an_office_number_and_the_office_files_it_afterwards(world: World) -> None:
    stranger = world.stranger
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(stranger, raw_filing(b"EM", "018234567", stranger.address, filing_date=1))
    assert_revert(exc_info, "NotRegistrar", office="EM", account=stranger.address)
    rid = world.file("018234567", world.alice)  # the office's own filing is not blocked
    assert owner_of(world.ipl, rid) == world.alice.address


@pytest.mark.parametrize("skip", [True, False])
def test_stranger_file_batch_of_20_office_numbers_reverts_not_registrar_and_files_nothing(world: World,
                                                                                            skip: bool) -> None:
    stranger = world.stranger
    numbers = [f"0182345{i:02d}" for i in range(20)]
    filings = [raw_filing(b"EM", n, stranger.address) for n in numbers]
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(stranger, *filings, batch=True, skip=skip)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=stranger.address)
    assert not any(world.ipl.exists(domain.right_id("EM", "TM", n)) for n in numbers)
    # the office's own batch files every one of them (skipExisting has nothing to skip)
    res = world.registrar.file_batch([Filing(office="EM", ip_type=IPType.TRADE_MARK, application_number=n,
                                             holder=world.alice.address) for n in numbers], skip_existing=True)
    assert len(res.right_ids) == 20


def test_stranger_file_batch_skip_existing_with_one_foreign_office_filing_reverts(world: World) -> None:
    """A registrar of EM cannot slip an RU filing into a batch either: the check is per filing."""
    reg = world.registrar
    filings = [raw_filing(b"EM", "1", world.alice.address), raw_filing(b"RU", "2", world.alice.address)]
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(reg, *filings, batch=True, skip=True)
    assert_revert(exc_info, "NotRegistrar", office="RU", account=reg.address)
    assert not world.ipl.exists(domain.right_id("EM", "TM", "1"))


# ---------------------------------------------------------------- filing dates


def test_file_with_explicit_filing_date_records_it_and_keeps_filed_at_as_block_time(world: World) -> None:
    res = world.registrar.file("EM", "TM", "018000001", holder=world.alice.address, filing_date=1_600_000_000)
    block_time = int(world.ipl.w3.eth.get_block(res.block)["timestamp"])
    assert res.event("RightFiled").args["filingDate"] == 1_600_000_000
    assert res.event("StatusChanged").args["effectiveDate"] == 1_600_000_000
    info = world.ipl.right(res.right_id)
    assert (info.filing_date, info.filed_at) == (1_600_000_000, block_time)


def test_file_with_filing_date_1970_is_the_office_own_act(world: World) -> None:
    """A registrar migrating an old register may record any past date; nobody else may file at all."""
    res = world.registrar.file("EM", "TM", "1970-1", holder=world.alice.address, filing_date=1)
    assert world.ipl.right(res.right_id).filing_date == 1
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.file("EM", "TM", "1970-2", holder=world.alice.address, filing_date=1)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=world.alice.address)


@pytest.mark.parametrize("ahead", [1, 86_400, 10 * 365 * 86_400])
def test_file_with_filing_date_in_the_future_reverts_filing_date_in_future(world: World, ahead: int) -> None:
    # the transaction is mined in the next block: its time is at least the latest block's
    date = world.now() + 3600 + ahead
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.file("EM", "TM", "F-1", holder=world.alice.address, filing_date=date)
    assert_revert(exc_info, "FilingDateInFuture", filingDate=date)
    assert exc_info.value.args_by_name["timestamp"] < date


def test_file_batch_with_one_future_filing_date_files_nothing(world: World) -> None:
    future = world.now() + 7 * 86_400
    filings = [raw_filing(b"EM", "D-1", world.alice.address), raw_filing(b"EM", "D-2", world.alice.address,
                                                                         filing_date=future)]
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(world.registrar, *filings, batch=True, skip=True)
    assert_revert(exc_info, "FilingDateInFuture", filingDate=future)
    assert not world.ipl.exists(domain.right_id("EM", "TM", "D-1"))


def test_file_sdk_refuses_a_text_date_and_bool(world: World) -> None:
    for bad in ("20240101", True):
        with pytest.raises(InvalidInput):
            world.registrar.file("EM", "TM", "1", holder=world.alice.address, filing_date=bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- ids


def test_file_without_metadata_uri_still_has_a_token_uri(world: World) -> None:
    rid = world.file("018000002")
    assert world.ipl.right(rid).metadata_uri == ""
    assert world.ipl.registry.functions.tokenURI(rid).call().startswith("data:application/json;base64,")


@pytest.mark.parametrize("office,kind,number", [
    ("EM", IPType.TRADE_MARK, "018234567"),
    ("EM", IPType.INDUSTRIAL_DESIGN, "018234567"),
    ("RU", IPType.PATENT, "2023101234"),
    ("RU", IPType.UTILITY_MODEL, "2023/101234"),
    ("RU", IPType.PLANT_VARIETY, "8654321.A"),
    ("EM", IPType.GEOGRAPHICAL_INDICATION, "PGI-IT-0123"),
    ("EM", IPType.COPYRIGHT, "x" * 32),
])
def test_file_right_id_equals_domain_right_id_and_right_id_of(world: World, office: str, kind: IPType,
                                                              number: str) -> None:
    rid = world.file(number, office=office, ip_type=kind.name)
    assert rid == domain.right_id(office, kind, number)
    assert rid == world.ipl.registry.functions.rightIdOf(office.encode(), int(kind), number).call()
    info = world.ipl.right(rid)
    assert (info.office, info.ip_type, info.application_number) == (office, kind, number)


def test_file_same_number_other_type_or_office_gives_distinct_rights(world: World) -> None:
    ids = {world.file("123", office=o, ip_type=t) for o, t in [("EM", "TM"), ("EM", "ID"), ("RU", "TM")]}
    assert len(ids) == 3


def test_file_same_triple_twice_reverts_right_exists(world: World) -> None:
    rid = world.file("018234567")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.file("EM", "TM", "018234567", holder=world.bob.address)
    assert_revert(exc_info, "RightExists", rightId=rid)
    assert owner_of(world.ipl, rid) == world.alice.address


def test_file_zero_holder_raw_reverts_invalid_account(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(world.registrar, raw_filing(b"EM", "1", ZERO))
    assert_revert(exc_info, "InvalidAccount", account=ZERO)


@pytest.mark.parametrize("office", ["US", "AU", "WO"])
def test_file_at_unknown_office_reverts_not_registrar(world: World, office: str) -> None:
    """An unknown (or removed) office has no registrars: filing names the registrar check, the one read it makes."""
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.file(office, "TM", "1", holder=world.alice.address)
    assert_revert(exc_info, "NotRegistrar", office=office, account=world.registrar.address)


def test_file_unknown_right_reads_as_absent(world: World) -> None:
    rid = domain.right_id("EM", "TM", "never-filed")
    assert world.ipl.exists(rid) is False
    assert tuple(world.ipl.registry.functions.holderAndStatus(rid).call()) == (ZERO, Status.NONE)
    assert world.ipl.st27_state(rid) is domain.St27State.UNKNOWN
    with pytest.raises(ContractRevert) as exc_info:
        world.ipl.right(rid)
    assert_revert(exc_info, "RightNotFound", rightId=rid)


# ---------------------------------------------------------------- application numbers: one rule, SDK = contract

MALFORMED = {
    "10000-chars": "1" * 10_000,
    "33-chars": "1" * 33,
    "trailing-zero-width-space": "018234567\u200b",
    "rtl-override": "\u202e765432810",
    "full-width-digits": "\uff10\uff11\uff18\uff12\uff13\uff14",
    "leading-space": " 018234567",
    "trailing-space": "018234567 ",
    "tab": "018234567\t",
    "newline": "\n1",
    "inner-space": "8 654 321",
    "non-ascii-letter": "8654321/\u00e4",
    "leading-separator": "-018234567",
    "trailing-separator": "018234567/",
    "only-separator": ".",
    "nul": "1\x00",
    "comma": "1,2",
}


@pytest.mark.parametrize("number", MALFORMED.values(), ids=MALFORMED.keys())
def test_file_malformed_application_number_raw_reverts_malformed(world: World, number: str) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(world.registrar, raw_filing(b"EM", number, world.alice.address))
    assert_revert(exc_info, "MalformedApplicationNumber", applicationNumber=number)


@pytest.mark.parametrize("number", MALFORMED.values(), ids=MALFORMED.keys())
def test_file_malformed_application_number_sdk_is_refused_before_sending(world: World, number: str) -> None:
    before = world.ipl.w3.eth.block_number
    with pytest.raises(InvalidInput, match="application number"):
        world.registrar.file("EM", "TM", number, holder=world.alice.address)
    assert world.ipl.w3.eth.block_number == before


def test_file_empty_application_number_raw_reverts_empty_application_number(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        send_raw(world.registrar, raw_filing(b"EM", "", world.alice.address))
    assert_revert(exc_info, "EmptyApplicationNumber")


@pytest.mark.parametrize("number", ["", "   "])
def test_file_empty_application_number_sdk_raises_usage_error(world: World, number: str) -> None:
    with pytest.raises(UsageError, match="application number is empty"):
        world.registrar.file("EM", "TM", number, holder=world.alice.address)


@pytest.mark.parametrize("number", ["1", "x" * 32, "EP-0001", "2023/101234", "a.b-c/d", "A--B", "0"])
def test_file_well_formed_application_numbers_are_accepted_by_both(world: World, number: str) -> None:
    assert types.application_number(number) == number
    assert world.ipl.right(world.file(number)).application_number == number


NUMBER_TEXT = st.text(st.sampled_from("09AZaz-/. \t\u200b\u202e\uff11\u00e4_,"), min_size=0, max_size=36)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=NUMBER_TEXT)
def test_application_number_rule_of_the_sdk_equals_the_contract(world: World, number: str) -> None:
    """For any text, ``types.application_number`` accepts it exactly when the contract's ``file`` does."""
    try:
        types.application_number(number)
        sdk_ok = True
    except InvalidInput:
        sdk_ok = False
    fn = world.registrar.registry.functions.file(raw_filing(b"EM", number, world.alice.address))
    try:
        fn.call({"from": world.registrar.address})
        chain_ok = True
    except Exception as exc:  # noqa: BLE001 - any revert: refused, and by the number check
        name, _ = error_of(world.ipl.registry.abi, exc)
        assert name in ("MalformedApplicationNumber", "EmptyApplicationNumber"), name
        chain_ok = False
    assert sdk_ok is chain_ok, f"{number!r}: SDK {'accepts' if sdk_ok else 'refuses'}, contract " \
                               f"{'accepts' if chain_ok else 'refuses'}"


# ---------------------------------------------------------------- batches


def batch(*numbers: str, holder: str) -> list[Filing]:
    return [Filing(office="EM", ip_type=IPType.TRADE_MARK, application_number=n, holder=holder,
                   metadata_uri=f"ipfs://{n}") for n in numbers]


@pytest.mark.parametrize("n", [1, 3, 7])
def test_file_batch_of_n_files_all_and_returns_ids_in_order(world: World, n: int) -> None:
    filings = batch(*(f"B-{i:03d}" for i in range(n)), holder=world.alice.address)
    res = world.registrar.file_batch(filings)
    assert res.right_ids == tuple(f.right_id for f in filings)
    assert len(res.all("RightFiled")) == len(res.all("Locked")) == len(res.all("StatusChanged")) == n
    for f in filings:
        assert owner_of(world.ipl, f.right_id) == world.alice.address
        assert world.ipl.right(f.right_id).metadata_uri == f.metadata_uri


def test_file_batch_by_registrar_for_several_holders_mints_to_each(world: World) -> None:
    filings = [*batch("H-1", holder=world.bob.address), *batch("H-2", holder=world.carol.address)]
    res = world.registrar.file_batch(filings)
    assert [owner_of(world.ipl, rid) for rid in res.right_ids] == [world.bob.address, world.carol.address]


def test_file_batch_skip_existing_skips_existing_and_returns_only_new_ids(world: World) -> None:
    reg = world.registrar
    existing = world.file("B-001")
    filings = batch("B-000", "B-001", "B-002", holder=world.alice.address)
    fn = reg.registry.functions.fileBatch([reg.filing_tuple(f) for f in filings], True)
    assert fn.call({"from": reg.address}) == 2  # the contract's own count of new filings
    res = reg.file_batch(filings, skip_existing=True)
    assert res.right_ids == (filings[0].right_id, filings[2].right_id)
    assert existing not in res.right_ids
    assert len(res.all("RightFiled")) == 2
    assert world.ipl.right(existing).metadata_uri == ""  # the skipped right is untouched


def test_file_batch_skip_existing_with_duplicate_inside_batch_files_once(world: World) -> None:
    res = world.registrar.file_batch(batch("D-1", "D-1", holder=world.alice.address), skip_existing=True)
    assert res.right_ids == (domain.right_id("EM", "TM", "D-1"),)


def test_file_batch_all_existing_with_skip_files_nothing(world: World) -> None:
    world.registrar.file_batch(batch("E-1", "E-2", holder=world.alice.address))
    res = world.registrar.file_batch(batch("E-1", "E-2", holder=world.alice.address), skip_existing=True)
    assert res.right_ids == ()
    assert res.all("RightFiled") == []


def test_file_batch_without_skip_reverts_right_exists_and_files_nothing(world: World) -> None:
    existing = world.file("B-001")
    filings = batch("B-000", "B-001", "B-002", holder=world.alice.address)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.file_batch(filings, skip_existing=False)
    assert_revert(exc_info, "RightExists", rightId=existing)
    assert not world.ipl.exists(filings[0].right_id)
    assert not world.ipl.exists(filings[2].right_id)


@pytest.mark.parametrize("skip", [True, False])
def test_file_batch_empty_raw_reverts_empty_batch(world: World, skip: bool) -> None:
    fn = world.registrar.registry.functions.fileBatch([], skip)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.sender.send(fn)
    assert_revert(exc_info, "EmptyBatch")


def test_file_batch_empty_sdk_raises_usage_error(world: World) -> None:
    with pytest.raises(UsageError, match="batch is empty"):
        world.registrar.file_batch([])


def test_file_batch_with_unknown_office_reverts_not_registrar(world: World) -> None:
    filings = [*batch("U-1", holder=world.alice.address),
               Filing(office="US", ip_type=IPType.PATENT, application_number="U-2", holder=world.alice.address)]
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.file_batch(filings)
    assert_revert(exc_info, "NotRegistrar", office="US", account=world.registrar.address)
