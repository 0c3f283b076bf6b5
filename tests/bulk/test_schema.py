"""Validation of office records (ipledger.bulk.schema, csvform, files): every problem listed with its record
number, field and reason; the examples are valid and canonical; docs/bulk.md shows the real messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bulk_helpers import EXAMPLES
from helpers import ROOT
from ipledger import bulk, types
from ipledger.bulk import InvalidRecords
from ipledger.domain import Status


def test_examples_are_valid_and_canonical() -> None:
    text = (EXAMPLES / "records.json").read_text()
    records = bulk.load_records(EXAMPLES / "records.json")
    assert len(records) == 8
    assert bulk.dumps(records) == text, "examples/records.json is in canonical form"
    by_ref = {r.ref: r for r in records}
    design = by_ref["EM/ID/015012345-0001"]
    assert [e.status for e in design.events] == [Status.PUBLISHED, Status.REGISTERED, Status.RENEWED, Status.RENEWED]
    assert design.expiry_date == design.events[-1].expiry_date > design.events[1].expiry_date
    csv_records = bulk.load_records(EXAMPLES / "records.csv")
    assert [r.status.name.lower() for r in csv_records] == ["filed", "published", "registered", "opposed", "refused",
                                                          "surrendered"]
    surrendered = csv_records[-1]
    assert [e.status for e in surrendered.events] == [Status.PUBLISHED, Status.REGISTERED, Status.SURRENDERED]
    assert surrendered.events[1].effective_date == surrendered.registration_date


def test_invalid_file_lists_every_problem_with_record_numbers() -> None:
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(EXAMPLES / "invalid-records.json")
    problems = exc.value.problems
    assert sorted({p.record for p in problems}) == [2, 3, 4], "record 1 is valid, 2-4 are not"
    fields = {(p.record, p.field) for p in problems}
    assert {(2, "registrationOfficeCode"), (2, "filingDate"), (2, "holder"), (3, "legalStatusEvents[1].status"),
            (4, "applicationNumber")} <= fields
    assert exc.value.exit_code == 2
    assert "record 4, applicationNumber: EM/TM/018345678 is already record 1" in str(exc.value)


def _example(application_number: str) -> dict[str, Any]:
    records = json.loads((EXAMPLES / "records.json").read_text())["records"]
    return next(r for r in records if r["applicationNumber"] == application_number)


def test_docs_show_the_real_problem_messages_and_csv_columns() -> None:
    doc = (ROOT / "docs" / "bulk.md").read_text()
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(EXAMPLES / "invalid-records.json")
    for problem in exc.value.problems:
        assert f"  {problem}\n" in doc
    assert ",".join(bulk.CSV_COLUMNS) + "\n" in doc
    assert (EXAMPLES / "records.csv").read_text().splitlines()[0] == ",".join(bulk.CSV_COLUMNS)


@pytest.mark.parametrize("change, field, reason", [
    ({"filingDate": "15/01/2024"}, "filingDate", "is not a date"),
    ({"holder": "0x0000000000000000000000000000000000000000"}, "holder", "zero address"),
    # the wording of types.address: a mixed-case address whose EIP-55 checksum does not hold
    ({"holder": "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bC"}, "holder", "fails its EIP-55 checksum"),
    ({"holder": "0x3c44cd"}, "holder", "not an Ethereum address"),
    # the wording of types.bytes32: the length it has and the one it needs
    ({"contentHash": "0x1234"}, "contentHash", "is 2 bytes; a SHA-256 or keccak hash is 32 bytes"),
    ({"contentHash": "0xzz"}, "contentHash", "is not hex"),
    ({"ipRightType": "trademark-ish"}, "ipRightType", "unknown"),
    ({"legalStatus": "registered"}, "legalStatus", "events end at published"),
    ({"applicationNumbr": "1"}, "applicationNumbr", "did you mean 'applicationNumber'"),
    ({"applicationNumber": "01\x012"}, "applicationNumber", "is not ST.13 ASCII"),
    ({"applicationNumber": "018345678\u200b"}, "applicationNumber", "is not ST.13 ASCII"),
    ({"applicationNumber": "1" * 10_000}, "applicationNumber", "is 10,000 characters"),
    ({"filingDate": 20240101}, "filingDate", "bare number; write the date as 2024-01-01"),
    ({"filingDate": "20240101"}, "filingDate", "bare number; write the date as 2024-01-01"),
    ({"filingDate": 1_700_000_000}, "filingDate", "not unix seconds"),
    ({"legalStatusEvents": [{"status": "published", "eventCode": "E10", "effectiveDate": "2024-02-15"}]},
     "legalStatusEvents[1].eventCode", "its ST.27 code is Q10"),
    ({"legalStatusEvents": [{"status": "published"}]}, "legalStatusEvents[1].effectiveDate", "is missing"),
    ({"registrationNumber": "1"}, "registrationNumber", "no 'registered' event"),
])
def test_record_validation_names_field_and_reason(change: dict[str, Any], field: str, reason: str) -> None:
    good = _example("018345678")  # a published trade mark
    assert bulk.parse_document([good])[1] == []
    _, problems = bulk.parse_document([{**good, **change}])
    assert any(p.field == field and reason in p.reason for p in problems), problems


def test_renewal_needs_expiry_and_takes_no_date() -> None:
    raw = _example("015012345-0001")  # the renewed design
    raw["legalStatusEvents"][2]["effectiveDate"] = "2018-06-01"
    del raw["legalStatusEvents"][3]["expiryDate"]
    _, problems = bulk.parse_document([raw])
    assert {p.field for p in problems} >= {"legalStatusEvents[3].effectiveDate", "legalStatusEvents[4].expiryDate"}


def test_csv_problems_name_csv_columns(tmp_path: Path) -> None:
    lines = (EXAMPLES / "records.csv").read_text().splitlines()
    bad = lines[3].replace("2024-03-10", "")  # a registered row without its publication date
    bad_status = lines[1].replace(",filed,", ",renewed,")
    (tmp_path / "bad.csv").write_text("\n".join([lines[0], lines[2], bad, bad_status]) + "\n")
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(tmp_path / "bad.csv")
    got = {(p.record, p.field) for p in exc.value.problems}
    assert got == {(2, "publicationDate"), (3, "legalStatus")}, exc.value.problems


def test_dates_round_trip_in_canonical_form() -> None:
    """Records read and write dates with the toolkit's one date parser and formatter."""
    for text in ("2024-02-29", "1999-12-31T23:59:59Z", "2106-02-07T06:28:16Z"):
        assert types.format_date(types.date(text)) == text
    assert types.format_date(types.date(1_700_000_000)) == "2023-11-14T22:13:20Z"  # a Python int: seconds
    for bad in ("2024-02-30", "0", "20240101", "1700000000", "tomorrow", True, 2**40):
        with pytest.raises(ValueError):
            types.date(bad)
    _, problems = bulk.parse_document([{**_example("018345678"), "filingDate": "2024-02-30"}])
    assert [(p.field, p.reason) for p in problems] == [("filingDate", "'2024-02-30' is not a calendar date or time")]


def test_problems_are_one_line_each_and_name_the_fix() -> None:
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(EXAMPLES / "invalid-records.json")
    for problem in exc.value.problems:
        assert "\n" not in str(problem) and str(problem).startswith(f"record {problem.record}, {problem.field}: ")
    assert str(exc.value).splitlines()[0].endswith("Fix them and run again (see docs/bulk.md):")
