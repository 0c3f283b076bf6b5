"""The CSV form of office records: one row per record, the final status and its dates; read and written.

A row carries the record fields without the event list, plus ``publicationDate``,
``legalStatusDate`` and ``legalStatusDocumentHash``; the path from Filed to the row's
``legalStatus`` is rebuilt (docs/bulk.md has the table) and the row is then validated as a
JSON record by ``ipledger.bulk.schema``, with problems named after the CSV columns.

``dumps_csv`` writes records in this form (``ipledger export FILE.csv``). A cell that a
spreadsheet would run as a formula (it starts with ``= + - @``, a tab or a carriage return) is
written with a leading ``'`` (``guard``), and reading takes that quote off again (``unguard``),
so the import of an export gives the same records.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ipledger import types
from ipledger.bulk.records import Problem, Record
from ipledger.bulk.schema import RECORD_FIELDS, REQUIRED_FIELDS, finish, record_from_json, unknown_fields
from ipledger.domain import SHORT_TYPE, Status
from ipledger.errors import UsageError

CSV_COLUMNS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder", "contentHash",
               "metadataURI", "metadataHash", "registrationNumber", "registrationDate", "expiryDate", "legalStatus",
               "publicationDate", "legalStatusDate", "legalStatusDocumentHash")

_TERMINATIONS = (Status.EXPIRED, Status.REVOKED, Status.INVALIDATED, Status.SURRENDERED, Status.LAPSED)
_FORMULA = re.compile(r"'*[=+\-@\t\r]")  # what a spreadsheet runs as a formula, behind any quotes we added
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def guard(cell: str) -> str:
    """The cell as the export writes it: one that starts with ``= + - @``, a tab or a CR gets a leading ``'``.

    A cell that already starts with quotes before such a character gets one more, so that
    ``unguard`` (which takes one off) gives back exactly the value.
    """
    return "'" + cell if _FORMULA.match(cell) else cell


def unguard(cell: str) -> str:
    """The value of a cell as ``guard`` wrote it: one leading ``'`` before ``= + - @``, a tab or a CR taken off."""
    return cell[1:] if _GUARDED.match(cell) else cell


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
        row = {k: unguard(v) if isinstance(v, str) else v for k, v in row.items()}
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


def record_to_row(rec: Record) -> dict[str, str]:
    """The CSV row of a record (values not yet guarded); ``row_fits`` says whether it keeps all of the record."""
    def day(seconds: int) -> str:
        return types.format_date(seconds) if seconds else ""

    def hash_(value: bytes) -> str:
        return types.hex32(value) if value != types.ZERO32 else ""

    published = next((e for e in rec.events if e.status is Status.PUBLISHED), None)
    last = rec.events[-1] if rec.events else None
    final = rec.status
    dated = last is not None and final not in (Status.PUBLISHED, Status.REGISTERED)
    return {
        "registrationOfficeCode": rec.office, "ipRightType": SHORT_TYPE[rec.ip_type],
        "applicationNumber": rec.application_number, "filingDate": day(rec.filing_date),
        "holder": types.checksum(rec.holder), "contentHash": hash_(rec.content_hash), "metadataURI": rec.metadata_uri,
        "metadataHash": hash_(rec.metadata_hash), "registrationNumber": rec.registration_number,
        "registrationDate": day(rec.registration_date), "expiryDate": day(rec.expiry_date),
        "legalStatus": final.name.lower(), "publicationDate": day(published.effective_date) if published else "",
        "legalStatusDate": day(last.effective_date) if dated and last else "",
        "legalStatusDocumentHash": hash_(last.document_hash) if last else "",
    }


def row_fits(rec: Record, row: Mapping[str, str]) -> bool:
    """Whether reading ``row`` back gives ``rec`` (one row holds the final status, not every event's details)."""
    problems: list[Problem] = []
    events = csv_events(1, row, problems)
    if events is None or problems:
        return False
    raw: dict[str, Any] = {k: v for k, v in row.items() if k in RECORD_FIELDS and v and k != "legalStatus"}
    raw["legalStatusEvents"] = events
    return record_from_json(1, raw, problems) == rec


def dumps_csv(records: Iterable[Record]) -> str:
    """Records as CSV (header ``CSV_COLUMNS``), sorted like the canonical JSON, formula-like cells guarded.

    Raises ``UsageError`` naming the records whose history one row cannot carry (a renewal, a
    restoration, a document hash on an event before the last): export those as JSON.
    """
    ordered = sorted(records, key=Record.sort_key)
    rows, misfits = [], []
    for rec in ordered:
        row = record_to_row(rec)
        if not row_fits(rec, row):
            misfits.append(rec)
        rows.append(row)
    if misfits:
        names = ", ".join(f"{types.escape(r.ref)} ({' → '.join(s.name.lower() for s in r.path)})" for r in misfits[:5])
        more = f" and {len(misfits) - 5} more" if len(misfits) > 5 else ""
        raise UsageError(f"{len(misfits)} record(s) have a history one CSV row cannot carry: {names}{more}; nothing "
                         "was written. Export as JSON (FILE.json or --format json)")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([guard(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()
