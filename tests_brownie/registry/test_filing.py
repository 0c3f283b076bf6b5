"""IPRegistry: offices, filing, and the locked title token."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from support import custom_error, event_code, filing
from eth_utils import keccak

from ipledger.domain import EVENT_CODES, IPType, Status, right_id


def test_add_office_by_governor_records_office_and_emits_office_added(registry: Any, governor: Any) -> None:
    tx = registry.addOffice(b"US", False, {"from": governor})

    known, recordal = registry.officeInfo(b"US")
    assert known is True
    assert recordal is False
    assert tx.events["OfficeAdded"]["office"] == "0x5553"
    assert tx.events["OfficeAdded"]["recordalRequired"] is False


def test_add_office_by_stranger_reverts_access_control(registry: Any, stranger: Any) -> None:
    role = "0x" + keccak(text="GOVERNOR_ROLE").hex()
    with brownie.reverts(custom_error("AccessControlUnauthorizedAccount", stranger, bytes.fromhex(role[2:]))):
        registry.addOffice(b"US", False, {"from": stranger})


@pytest.mark.parametrize("code", [b"em", b"E1", b"  "])
def test_add_office_with_invalid_code_reverts_invalid_office_code(registry: Any, governor: Any, code: bytes) -> None:
    with brownie.reverts(custom_error("InvalidOfficeCode", code)):
        registry.addOffice(code, False, {"from": governor})


def test_add_office_twice_reverts_office_exists(registry: Any, governor: Any) -> None:
    with brownie.reverts(custom_error("OfficeExists", b"EM")):
        registry.addOffice(b"EM", False, {"from": governor})


def test_file_by_applicant_mints_title_and_emits_filed(registry: Any, alice: Any) -> None:
    content = keccak(text="ACME word mark")
    tx = registry.file(filing("EM", "018234567", alice, content_hash=content, metadata_uri="ipfs://acme"),
                       {"from": alice})
    rid = right_id("EM", "TM", "018234567")

    assert registry.ownerOf(rid) == alice
    holder, status = registry.holderAndStatus(rid)
    assert holder == alice
    assert status == Status.FILED
    record = registry.rightOf(rid).dict()
    assert record["office"] == "0x454d"
    assert record["ipType"] == IPType.TRADE_MARK
    assert record["status"] == Status.FILED
    assert record["contentHash"] == "0x" + content.hex()
    filed = tx.events["RightFiled"]
    assert filed["rightId"] == rid
    assert filed["holder"] == alice
    assert filed["applicationNumber"] == "018234567"
    assert filed["metadataURI"] == "ipfs://acme"
    moved = tx.events["StatusChanged"]
    assert moved["from"] == Status.NONE
    assert moved["to"] == Status.FILED
    assert event_code(moved["eventCode"]) == EVENT_CODES[Status.FILED]
    assert registry.tokenURI(rid) == "ipfs://acme"


def test_file_by_registrar_for_holder_succeeds(registry: Any, registrar: Any, bob: Any) -> None:
    registry.file(filing("EM", "100", bob), {"from": registrar})

    assert registry.ownerOf(right_id("EM", "TM", "100")) == bob


def test_file_for_someone_else_by_stranger_reverts_not_registrar(registry: Any, stranger: Any, bob: Any) -> None:
    with brownie.reverts(custom_error("NotRegistrar", b"EM", stranger)):
        registry.file(filing("EM", "100", bob), {"from": stranger})


def test_file_twice_reverts_right_exists(registry: Any, alice: Any, file_tm: Any) -> None:
    rid = file_tm("018234567")
    with brownie.reverts(custom_error("RightExists", rid)):
        registry.file(filing("EM", "018234567", alice), {"from": alice})


def test_file_at_unknown_office_reverts_unknown_office(registry: Any, alice: Any) -> None:
    with brownie.reverts(custom_error("UnknownOffice", b"US")):
        registry.file(filing("US", "1", alice), {"from": alice})


def test_file_without_application_number_reverts_empty_application_number(registry: Any, alice: Any) -> None:
    with brownie.reverts(custom_error("EmptyApplicationNumber")):
        registry.file(filing("EM", "", alice), {"from": alice})


def test_file_batch_skips_existing_and_files_the_rest(registry: Any, alice: Any, file_tm: Any) -> None:
    file_tm("1")
    tx = registry.fileBatch([filing("EM", n, alice) for n in ("1", "2", "3")], True, {"from": alice})

    assert tx.return_value == 2
    assert [e["applicationNumber"] for e in tx.events["RightFiled"]] == ["2", "3"]


def test_transfer_from_reverts_title_locked(registry: Any, alice: Any, bob: Any, file_tm: Any) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("TitleLocked", rid)):
        registry.transferFrom(alice, bob, rid, {"from": alice})


def test_read_of_unknown_right_reverts_right_not_found(registry: Any) -> None:
    with brownie.reverts(custom_error("RightNotFound", 5)):
        registry.rightOf(5)


def test_file_while_paused_reverts_enforced_pause(registry: Any, governor: Any, alice: Any) -> None:
    registry.pause({"from": governor})
    with brownie.reverts(custom_error("EnforcedPause")):
        registry.file(filing("EM", "1", alice), {"from": alice})

    registry.unpause({"from": governor})
    registry.file(filing("EM", "1", alice), {"from": alice})
