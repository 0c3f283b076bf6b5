"""The CSV form of office records: one row per record, the final status and its dates.

A row carries the record fields without the event list, plus ``publicationDate``,
``legalStatusDate`` and ``legalStatusDocumentHash``; the path from Filed to the row's
``legalStatus`` is rebuilt (docs/bulk.md has the table) and the row is then validated as a
JSON record by ``ipledger.bulk.schema``, with problems named after the CSV columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from ipledger import types
from ipledger.bulk.records import Problem, Record
from ipledger.bulk.schema import RECORD_FIELDS, REQUIRED_FIELDS, finish, record_from_json, unknown_fields
from ipledger.domain import Status
from ipledger.errors import UsageError

CSV_COLUMNS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder", "contentHash",
               "metadataURI", "metadataHash", "registrationNumber", "registrationDate", "expiryDate", "legalStatus",
               "publicationDate", "legalStatusDate", "legalStatusDocumentHash")

_TERMINATIONS = (Status.EXPIRED, Status.REVOKED, Status.INVALIDATED, Status.SURRENDERED, Status.LAPSED)


def csv_events(number: int, row: Mapping[str, str], problems: list[Problem]) -> list[dict[str, Any]] | None:
    """The status path (raw JSON events) that leads from Filed to a CSV row's final status; None if there is none."""
    final_text = (row.get("legalStatus") or "").strip() or "filed"
    try:
        final = types.status(final_text)
    except UsageError as exc:
        problems.append(Problem(number, "legalStatus", str(exc)))
        return None
    pub = (row.get("publicationDate") or "").strip()
    status_date = (row.get("legalStatusDate") or "").strip()
    doc = (row.get("legalStatusDocumentHash") or "").strip()
    published = {"status": "published", "effectiveDate": pub,
                 "_names": {"effectiveDate": "publicationDate", "status": "legalStatus"}}
    registered_names = {"effectiveDate": "registrationDate", "status": "legalStatus", "expiryDate": "expiryDate",
                        "documentHash": "legalStatusDocumentHash"}
    registered: dict[str, Any] = {"status": "registered", "_names": registered_names}
    last: dict[str, Any] = {"status": final.name.lower(), "effectiveDate": status_date, "documentHash": doc,
                            "_names": {"effectiveDate": "legalStatusDate", "documentHash": "legalStatusDocumentHash",
                                       "status": "legalStatus"}}
    if final is Status.FILED:
        path: list[dict[str, Any]] = []
    elif final is Status.PUBLISHED:
        last["effectiveDate"] = status_date or pub
        if pub and status_date and pub != status_date:
            problems.append(Problem(number, "legalStatusDate", "differs from publicationDate; leave one empty"))
        path = [last]
    elif final is Status.OPPOSED:
        path = [published, last]
    elif final is Status.REGISTERED:
        reg_date = (row.get("registrationDate") or "").strip()
        if status_date and reg_date and status_date != reg_date:
            problems.append(Problem(number, "legalStatusDate", "differs from registrationDate; leave it empty"))
        registered["documentHash"] = doc
        path = [published, registered]
    elif final in (Status.REFUSED, Status.WITHDRAWN):
        path = [published, last] if pub else [last]
    elif final in _TERMINATIONS:
        path = [published, registered, last]
    else:
        problems.append(Problem(number, "legalStatus", f"{final.name.lower()} needs the event history (each "
                                                       "renewal or restoration); use the JSON format"))
        return None
    return path


def parse_csv(text: str) -> tuple[list[Record], list[Problem]]:
    """Records from CSV with a header row (columns: ``CSV_COLUMNS``); record n is data row n."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if not header:
        return [], [Problem(0, "header", "the CSV file is empty; the first row names the columns")]
    for key, why in unknown_fields(header, CSV_COLUMNS):
        problems.append(Problem(0, f"column {key}", why))
    for col in REQUIRED_FIELDS:
        if col not in header:
            problems.append(Problem(0, f"column {col}", "is missing from the header"))
    if problems:
        return [], problems
    numbered: list[tuple[int, Record]] = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            problems.append(Problem(number, "row", f"has {len(header) + len(row[None])} cells but the header has "
                                                   f"{len(header)} (line {reader.line_num})"))
            continue
        raw: dict[str, Any] = {k: v for k, v in row.items() if k in RECORD_FIELDS and (v or "").strip()}
        events = csv_events(number, row, problems)
        if events is None:
            continue
        raw["legalStatusEvents"] = events
        raw.pop("legalStatus", None)
        rec = record_from_json(number, raw, problems)
        if rec is not None:
            numbered.append((number, rec))
    return finish(numbered, problems)
