"""Application requests (the applicant asks, the office accords or refuses) and filing-date corrections.

Issue #12, item 1: an applicant who wants a tamper-proof record before the office acts makes a request: its block
time is the proof of existence, and it never occupies an office number. Only the office accords a number and a
filing date (not in the future, not before the request's day); it corrects a filing date only by a recorded event
(WIPO ST.27 category Y) carrying the old and the new date and a document hash.
"""

from __future__ import annotations

import pytest

from helpers import World, assert_revert
from ipledger import domain
from ipledger.domain import IPType, LegalEvent, RequestState, Status
from ipledger.errors import ContractRevert, InvalidInput, UsageError

CONTENT = "0x" + "ab" * 32
META = "0x" + "cd" * 32
DECISION = "0x" + "de" * 32
DAY = 86_400


def block_time(world: World, block: int) -> int:
    return int(world.ipl.w3.eth.get_block(block)["timestamp"])


def request(world: World, applicant: str = "alice", office: str = "EM") -> int:
    return getattr(world, applicant).request_application(office, "TM", content_hash=CONTENT,
                                                         metadata_hash=META).request_id


# ---------------------------------------------------------------- requesting


def test_request_by_anyone_records_applicant_and_block_time_and_emits_application_requested(world: World) -> None:
    res = world.stranger.request_application("EM", "TM", content_hash=CONTENT, metadata_hash=META)
    at = block_time(world, res.block)
    assert (res.request_id, res.requested_at) == (1, at)
    assert res.event("ApplicationRequested").args == {
        "requestId": 1, "office": "EM", "applicant": world.stranger.address, "ipType": IPType.TRADE_MARK,
        "contentHash": CONTENT, "metadataHash": META}
    q = world.ipl.request(1)
    assert (q.applicant, q.office, q.ip_type, q.state, q.requested_at, q.content_hash, q.right_id) == (
        world.stranger.address, "EM", IPType.TRADE_MARK, RequestState.PENDING, at, CONTENT, 0)


def test_request_ids_count_from_one_and_identical_requests_are_distinct(world: World) -> None:
    assert [request(world), request(world), request(world, "bob", "RU")] == [1, 2, 3]


def test_request_never_occupies_an_office_number(world: World) -> None:
    """No number is named by a request: the office files any number for anyone while requests are pending."""
    before = world.ipl.registry.functions.balanceOf(world.alice.address).call()
    rid_req = request(world)
    assert world.ipl.registry.functions.balanceOf(world.alice.address).call() == before
    rid = world.file("018234567", world.bob)
    assert world.ipl.right(rid).holder == world.bob.address
    assert world.ipl.request(rid_req).state is RequestState.PENDING


def test_request_at_unknown_office_reverts_unknown_office(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.request_application("AU", "PT")
    assert_revert(exc_info, "UnknownOffice", code="AU")


def test_request_unknown_id_reads_as_usage_error(world: World) -> None:
    with pytest.raises(UsageError, match="no application request 7"):
        world.ipl.request(7)


# ---------------------------------------------------------------- according


def test_accord_by_registrar_files_for_the_applicant_with_the_request_content(world: World) -> None:
    qid = request(world)
    res = world.registrar.accord_request(qid, "018234567", metadata_uri="ipfs://m", metadata_hash=META)
    rid = res.right_id
    assert (res.request_id, rid) == (qid, domain.right_id("EM", "TM", "018234567"))
    assert [e.name for e in res.events] == ["Transfer", "Locked", "RightFiled", "StatusChanged", "ApplicationAccorded"]
    assert res.event("ApplicationAccorded").args == {"requestId": qid, "rightId": rid,
                                                     "registrar": world.registrar.address}
    filed = res.event("RightFiled").args
    assert (filed["holder"], filed["contentHash"], filed["filingDate"]) == (
        world.alice.address, CONTENT, block_time(world, res.block))
    info = world.ipl.right(rid)
    assert (info.holder, info.status, info.content_hash, info.metadata_uri) == (
        world.alice.address, Status.FILED, CONTENT, "ipfs://m")
    q = world.ipl.request(qid)
    assert (q.state, q.right_id) == (RequestState.ACCORDED, rid)


@pytest.mark.parametrize("who", ["alice", "stranger", "governor", "ru_registrar"])
def test_accord_by_anyone_but_the_office_reverts_not_registrar(world: World, who: str) -> None:
    qid = request(world)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.accord_request(qid, "018234567")
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)
    assert world.ipl.request(qid).state is RequestState.PENDING


def test_accord_twice_reverts_request_not_pending(world: World) -> None:
    qid = request(world)
    world.registrar.accord_request(qid, "1")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(qid, "2")
    assert_revert(exc_info, "RequestNotPending", requestId=qid, state=RequestState.ACCORDED)
    assert not world.ipl.exists(domain.right_id("EM", "TM", "2"))


def test_accord_unknown_request_reverts_request_not_pending_none(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(99, "1")
    assert_revert(exc_info, "RequestNotPending", requestId=99, state=RequestState.NONE)


def test_accord_with_an_existing_number_reverts_right_exists_and_the_request_stays_pending(world: World) -> None:
    rid = world.file("018234567", world.bob)
    qid = request(world)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(qid, "018234567")
    assert_revert(exc_info, "RightExists", rightId=rid)
    assert world.ipl.request(qid).state is RequestState.PENDING
    assert world.ipl.right(rid).holder == world.bob.address
    assert world.ipl.right(world.registrar.accord_request(qid, "018234568").right_id).holder == world.alice.address


def test_accord_with_a_malformed_number_raw_reverts_malformed(world: World) -> None:
    qid = request(world)
    fn = world.registrar.registry.functions.accordRequest(qid, "018234567\u200b", 0, "", b"\x00" * 32)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.sender.send(fn)
    assert_revert(exc_info, "MalformedApplicationNumber", applicationNumber="018234567\u200b")
    with pytest.raises(InvalidInput):
        world.registrar.accord_request(qid, "018234567\u200b")


def test_accord_filing_date_on_the_request_day_is_accepted_and_before_it_reverts(world: World) -> None:
    qid = request(world)
    at = world.ipl.request(qid).requested_at
    midnight = at - at % DAY
    world.tester.time_travel(at + 3 * DAY)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(qid, "1", filing_date=midnight - 1)
    assert_revert(exc_info, "FilingDateBeforeRequest", requestId=qid, requestDay=midnight, filingDate=midnight - 1)
    res = world.registrar.accord_request(qid, "1", filing_date=midnight)
    assert world.ipl.right(res.right_id).filing_date == midnight


def test_accord_filing_date_in_the_future_reverts(world: World) -> None:
    qid = request(world)
    future = world.now() + 30 * DAY
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(qid, "1", filing_date=future)
    assert_revert(exc_info, "FilingDateInFuture", filingDate=future)


def test_accord_of_an_ru_request_needs_the_ru_registrar(world: World) -> None:
    qid = request(world, "bob", "RU")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(qid, "1")
    assert_revert(exc_info, "NotRegistrar", office="RU", account=world.registrar.address)
    rid = world.ru_registrar.accord_request(qid, "1").right_id
    assert world.ipl.right(rid).office == "RU"


# ---------------------------------------------------------------- refusing and withdrawing


def test_refuse_by_registrar_records_reason_and_the_request_can_no_longer_be_accorded(world: World) -> None:
    qid = request(world)
    res = world.registrar.refuse_request(qid, DECISION)
    assert res.event("ApplicationRefused").args == {"requestId": qid, "registrar": world.registrar.address,
                                                    "reasonHash": DECISION}
    assert world.ipl.request(qid).state is RequestState.REFUSED
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.accord_request(qid, "1")
    assert_revert(exc_info, "RequestNotPending", requestId=qid, state=RequestState.REFUSED)
    assert not world.ipl.exists(domain.right_id("EM", "TM", "1"))  # a refusal burns no number


@pytest.mark.parametrize("who", ["alice", "stranger", "ru_registrar"])
def test_refuse_by_anyone_but_the_office_reverts_not_registrar(world: World, who: str) -> None:
    qid = request(world)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.refuse_request(qid)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)


def test_withdraw_by_applicant_ends_the_request(world: World) -> None:
    qid = request(world)
    res = world.alice.withdraw_request(qid)
    assert res.event("ApplicationWithdrawn").args == {"requestId": qid}
    assert world.ipl.request(qid).state is RequestState.WITHDRAWN
    for act in (lambda: world.registrar.accord_request(qid, "1"), lambda: world.registrar.refuse_request(qid),
                lambda: world.alice.withdraw_request(qid)):
        with pytest.raises(ContractRevert) as exc_info:
            act()
        assert_revert(exc_info, "RequestNotPending", requestId=qid, state=RequestState.WITHDRAWN)


@pytest.mark.parametrize("who", ["bob", "registrar", "governor"])
def test_withdraw_by_anyone_but_the_applicant_reverts_not_applicant(world: World, who: str) -> None:
    qid = request(world)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.withdraw_request(qid)
    assert_revert(exc_info, "NotApplicant", requestId=qid, caller=actor.address)


@pytest.mark.parametrize("bad", [0, -1, True, "1"])
def test_request_ids_are_checked_by_the_sdk(world: World, bad: object) -> None:
    with pytest.raises(InvalidInput, match="request id"):
        world.alice.withdraw_request(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- filing-date corrections


def test_correct_filing_date_records_old_new_document_and_st27_y_codes(world: World) -> None:
    rid = world.file("018234567", filing_date=1_700_000_000)
    res = world.registrar.correct_filing_date(rid, 1_690_000_000, DECISION)
    args = res.event("FilingDateCorrected").args
    assert args == {"rightId": rid, "oldDate": 1_700_000_000, "newDate": 1_690_000_000, "documentHash": DECISION,
                    "registrar": world.registrar.address, "keyEventCode": "Y10", "nationalCode": args["nationalCode"]}
    assert domain.national_code_text(args["nationalCode"]) == "Y10"
    assert world.ipl.right(rid).filing_date == 1_690_000_000
    legal = world.ipl.history(rid).legal_events
    assert [(e.kind, e.key_event_code, e.category) for e in legal] == [
        (LegalEvent.FILED, "A10", "A"), (LegalEvent.FILING_DATE_CORRECTED, "Y10", "Y")]
    assert "2023-11-14T22:13:20Z → 2023-07-22" in legal[1].detail


@pytest.mark.parametrize("who", ["alice", "stranger", "ru_registrar", "governor"])
def test_correct_filing_date_by_anyone_but_the_office_reverts_not_registrar(world: World, who: str) -> None:
    rid = world.file("018234567", filing_date=1_700_000_000)
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.correct_filing_date(rid, 1, DECISION)
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)
    assert world.ipl.right(rid).filing_date == 1_700_000_000


def test_correct_filing_date_refuses_future_zero_and_after_registration(world: World) -> None:
    rid = world.file_registered("018234567")
    info = world.ipl.right(rid)
    future = world.now() + 30 * DAY
    cases = [(future, "FilingDateInFuture", {"filingDate": future}),
             (0, "InvalidDates", {"earlier": 1, "later": 0}),
             (info.registration_date + 1, "InvalidDates", {"earlier": info.registration_date + 1,
                                                           "later": info.registration_date})]
    for date, name, expected in cases:
        with pytest.raises(ContractRevert) as exc_info:
            world.registrar.correct_filing_date(rid, date, DECISION)
        assert_revert(exc_info, name, **expected)
    assert world.ipl.right(rid).filing_date == info.filing_date


def test_correct_filing_date_of_an_unknown_right_reverts_right_not_found(world: World) -> None:
    rid = domain.right_id("EM", "TM", "nope")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.correct_filing_date(rid, 1, DECISION)
    assert_revert(exc_info, "RightNotFound", rightId=rid)
