"""IPRegistry: offices (admitted by the council's vote), filing by the office, application requests, corrections,
national codes, and the locked title token."""

from __future__ import annotations

import base64
import json
from typing import Any

import brownie
import pytest
from eth_utils import keccak
from support import ZERO32, call, council_vote, custom_error, event_code, filing, now

from ipledger.domain import (
    EVENT_CODES,
    IPType,
    LegalEvent,
    RequestState,
    St27State,
    Status,
    national_code_text,
    right_id,
)


def relay(council: Any, registry: Any, function: str, *args: Any) -> tuple[str, str]:
    """A proposal action: the council relays ``registry.function(*args)`` itself (it holds COUNCIL_ROLE), past
    its own checks, so that the registry's own checks answer."""
    return call(council, "relay", registry, 0, getattr(registry, function).encode_input(*args))


def test_council_vote_admits_office_and_registry_emits_office_added(registry: Any, council: Any, eve: Any) -> None:
    tx = council_vote(council, call(council, "admitOffice", b"DE", eve, False))

    known, recordal, admin = registry.officeInfo(b"DE")
    assert (known, recordal, admin) == (True, False, eve)
    assert tx.events["OfficeAdded"]["office"] == "0x4445"
    assert tx.events["OfficeAdded"]["recordalRequired"] is False


@pytest.mark.parametrize("code", [b"em", b"E1", b"  "])
def test_add_office_with_invalid_code_reverts_in_the_council_and_in_the_registry(registry: Any, council: Any,
                                                                                 eve: Any, code: bytes) -> None:
    with brownie.reverts(custom_error("CouncilInvalidOffice", code)):
        council_vote(council, call(council, "admitOffice", code, eve, False))
    with brownie.reverts(custom_error("InvalidOfficeCode", code)):
        council_vote(council, relay(council, registry, "addOffice", code, eve, False))


def test_add_office_twice_reverts_office_exists(registry: Any, council: Any, eve: Any) -> None:
    with brownie.reverts(custom_error("CouncilOfficeExists", b"EM")):
        council_vote(council, call(council, "admitOffice", b"EM", eve, False))
    with brownie.reverts(custom_error("OfficeExists", b"EM")):
        council_vote(council, relay(council, registry, "addOffice", b"EM", eve, False))


def test_file_by_registrar_mints_title_for_the_holder_and_emits_filed(registry: Any, registrar: Any,
                                                                      alice: Any) -> None:
    content = keccak(text="ACME word mark")
    tx = registry.file(filing("EM", "018234567", alice, content_hash=content, metadata_uri="ipfs://acme"),
                       {"from": registrar})
    rid = right_id("EM", "TM", "018234567")

    assert registry.ownerOf(rid) == alice
    holder, status = registry.holderAndStatus(rid)
    assert holder == alice
    assert status == Status.FILED
    record = registry.rightOf(rid).dict()
    assert record["office"] == "0x454d"
    assert record["ipType"] == IPType.TRADE_MARK
    assert record["status"] == Status.FILED
    filed = tx.events["RightFiled"]  # what only readers need is in the event, not in storage
    assert filed["rightId"] == rid
    assert filed["holder"] == alice
    assert filed["applicationNumber"] == "018234567"
    assert filed["contentHash"] == "0x" + content.hex()
    assert filed["metadataURI"] == "ipfs://acme"
    moved = tx.events["StatusChanged"]
    assert moved["from"] == Status.NONE
    assert moved["to"] == Status.FILED
    assert event_code(moved["keyEventCode"]) == EVENT_CODES[Status.FILED]
    assert national_code_text(moved["nationalCode"]) == EVENT_CODES[Status.FILED]
    document = json.loads(base64.b64decode(registry.tokenURI(rid).removeprefix("data:application/json;base64,")))
    assert {"trait_type": "Office", "value": "EM"} in document["attributes"]  # rendered on chain from the record
    assert registry.st27StateOf(rid) == St27State.PENDING


@pytest.mark.parametrize("for_self", [True, False])
def test_file_by_anyone_but_the_office_reverts_not_registrar(registry: Any, alice: Any, bob: Any,
                                                             for_self: bool) -> None:
    with brownie.reverts(custom_error("NotRegistrar", b"EM", alice)):
        registry.file(filing("EM", "100", alice if for_self else bob), {"from": alice})


def test_file_batch_of_20_office_numbers_by_a_stranger_reverts_not_registrar(registry: Any, stranger: Any) -> None:
    """The issue's squatting attack: 20 of an office's numbers in one batch, skipping existing ones."""
    with brownie.reverts(custom_error("NotRegistrar", b"EM", stranger)):
        registry.fileBatch([filing("EM", f"0182345{i:02d}", stranger) for i in range(20)], True, {"from": stranger})


def test_file_twice_reverts_right_exists(registry: Any, registrar: Any, alice: Any, file_tm: Any) -> None:
    rid = file_tm("018234567")
    with brownie.reverts(custom_error("RightExists", rid)):
        registry.file(filing("EM", "018234567", alice), {"from": registrar})


def test_file_at_unknown_office_reverts_not_registrar(registry: Any, registrar: Any, alice: Any) -> None:
    with brownie.reverts(custom_error("NotRegistrar", b"AU", registrar)):
        registry.file(filing("AU", "1", alice), {"from": registrar})
    with brownie.reverts(custom_error("UnknownOffice", b"AU")):
        registry.requestApplication(b"AU", int(IPType.TRADE_MARK), ZERO32, ZERO32, {"from": alice})


def test_file_without_application_number_reverts_empty_application_number(registry: Any, registrar: Any,
                                                                          alice: Any) -> None:
    with brownie.reverts(custom_error("EmptyApplicationNumber")):
        registry.file(filing("EM", "", alice), {"from": registrar})


@pytest.mark.parametrize("number", ["018234567\u200b", "\uff10\uff11", "1" * 33, "a/"])
def test_file_with_a_look_alike_number_reverts_malformed(registry: Any, registrar: Any, alice: Any,
                                                         number: str) -> None:
    with brownie.reverts(custom_error("MalformedApplicationNumber", number)):
        registry.file(filing("EM", number, alice), {"from": registrar})


def test_file_with_filing_date_in_the_future_reverts(registry: Any, registrar: Any, alice: Any) -> None:
    future = now() + 30 * 86400
    with brownie.reverts(revert_pattern=f"FilingDateInFuture: {future}, [0-9]+"):
        registry.file(filing("EM", "1", alice, filing_date=future), {"from": registrar})


def test_file_batch_skips_existing_and_files_the_rest(registry: Any, registrar: Any, alice: Any,
                                                      file_tm: Any) -> None:
    file_tm("1")
    tx = registry.fileBatch([filing("EM", n, alice) for n in ("1", "2", "3")], True, {"from": registrar})

    assert tx.return_value == 2
    assert [e["applicationNumber"] for e in tx.events["RightFiled"]] == ["2", "3"]


def test_application_request_accorded_by_the_office_files_for_the_applicant(registry: Any, registrar: Any,
                                                                           alice: Any) -> None:
    content = keccak(text="ACME word mark")
    tx = registry.requestApplication(b"EM", int(IPType.TRADE_MARK), content, ZERO32, {"from": alice})
    request_id = tx.return_value
    assert tx.events["ApplicationRequested"]["applicant"] == alice
    assert registry.requestOf(request_id).dict()["state"] == RequestState.PENDING
    with brownie.reverts(custom_error("NotRegistrar", b"EM", alice)):
        registry.accordRequest(request_id, "018234567", 0, "", ZERO32, {"from": alice})

    tx = registry.accordRequest(request_id, "018234567", 0, "ipfs://m", ZERO32, {"from": registrar})
    rid = right_id("EM", "TM", "018234567")
    assert tx.return_value == rid
    assert tx.events["ApplicationAccorded"]["rightId"] == rid
    assert registry.ownerOf(rid) == alice
    assert tx.events["RightFiled"]["contentHash"] == "0x" + content.hex()
    with brownie.reverts(custom_error("RequestNotPending", request_id, int(RequestState.ACCORDED))):
        registry.accordRequest(request_id, "018234568", 0, "", ZERO32, {"from": registrar})


def test_application_request_refused_or_withdrawn(registry: Any, registrar: Any, alice: Any, bob: Any) -> None:
    first = registry.requestApplication(b"EM", 0, ZERO32, ZERO32, {"from": alice}).return_value
    second = registry.requestApplication(b"EM", 0, ZERO32, ZERO32, {"from": alice}).return_value
    tx = registry.refuseRequest(first, b"\x0d" * 32, {"from": registrar})
    assert tx.events["ApplicationRefused"]["requestId"] == first
    with brownie.reverts(custom_error("NotApplicant", second, bob)):
        registry.withdrawRequest(second, {"from": bob})
    registry.withdrawRequest(second, {"from": alice})
    assert [registry.requestOf(q).dict()["state"] for q in (first, second)] == [RequestState.REFUSED,
                                                                                RequestState.WITHDRAWN]


def test_correct_filing_date_is_a_recorded_y_event(registry: Any, registrar: Any, alice: Any, file_tm: Any) -> None:
    rid = file_tm("1")
    old = registry.rightOf(rid).dict()["filingDate"]
    with brownie.reverts(custom_error("NotRegistrar", b"EM", alice)):
        registry.correctFilingDate(rid, 1_600_000_000, ZERO32, {"from": alice})
    tx = registry.correctFilingDate(rid, 1_600_000_000, b"\x0d" * 32, {"from": registrar})
    corrected = tx.events["FilingDateCorrected"]
    assert (corrected["oldDate"], corrected["newDate"]) == (old, 1_600_000_000)
    assert event_code(corrected["keyEventCode"]) == "Y10"
    assert registry.rightOf(rid).dict()["filingDate"] == 1_600_000_000


@pytest.mark.parametrize("who", ["registrar", "ru_admin", "stranger"])
def test_national_code_set_by_anyone_but_the_office_admin_reverts_not_office_admin(registry: Any,
                                                                                  roles: dict[str, Any],
                                                                                  who: str) -> None:
    with brownie.reverts(custom_error("NotOfficeAdmin", b"EM", roles[who])):
        registry.setNationalCode(b"EM", int(LegalEvent.FILED), b"EM-A".ljust(8, b"\x00"), {"from": roles[who]})


def test_national_code_set_by_the_office_admin_is_carried_by_its_events(registry: Any, em_admin: Any,
                                                                        registrar: Any, alice: Any) -> None:
    code = b"EM-A".ljust(8, b"\x00")
    tx = registry.setNationalCode(b"EM", int(LegalEvent.FILED), code, {"from": em_admin})
    assert tx.events["NationalCodeSet"]["kind"] == LegalEvent.FILED
    assert national_code_text(registry.nationalCodeOf(b"EM", int(LegalEvent.FILED))) == "EM-A"
    assert event_code(registry.keyEventCodeOf(int(LegalEvent.FILED))) == "A10"
    tx = registry.file(filing("EM", "2", alice), {"from": registrar})
    assert national_code_text(tx.events["StatusChanged"]["nationalCode"]) == "EM-A"


def test_transfer_from_reverts_title_locked(registry: Any, alice: Any, bob: Any, file_tm: Any) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("TitleLocked", rid)):
        registry.transferFrom(alice, bob, rid, {"from": alice})


def test_read_of_unknown_right_reverts_right_not_found(registry: Any) -> None:
    with brownie.reverts(custom_error("RightNotFound", 5)):
        registry.rightOf(5)


def test_file_while_paused_reverts_enforced_pause(registry: Any, council: Any, guardian: Any, registrar: Any,
                                                  alice: Any) -> None:
    registry.pause({"from": guardian})
    with brownie.reverts(custom_error("EnforcedPause")):
        registry.file(filing("EM", "1", alice), {"from": registrar})

    council_vote(council, call(registry, "unpause"))
    tx = registry.file(filing("EM", "1", alice), {"from": registrar})
    assert tx.events["RightFiled"]["holder"] == alice
