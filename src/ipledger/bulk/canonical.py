"""The canonical JSON form of records: what ``ipledger export`` writes and ``examples/records.json`` is in.

Fixed key order (that of docs/bulk.md), empty fields left out, dates as ``YYYY-MM-DD`` on a
UTC midnight and with the time otherwise, hashes as 0x-hex, holders checksummed, records
sorted by (office, IP type, application number), 2-space indentation, one final newline.
The same records always give the same bytes, so export → import → export can be compared
byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ipledger.bulk.records import FORMAT, VERSION, Record
from ipledger.domain import SHORT_TYPE
from ipledger.types import ZERO32, checksum, format_date, hex32


def record_to_json(rec: Record) -> dict[str, Any]:
    """The canonical JSON form of a record: fixed key order, empty fields left out."""
    out: dict[str, Any] = {
        "registrationOfficeCode": rec.office,
        "ipRightType": SHORT_TYPE[rec.ip_type],
        "applicationNumber": rec.application_number,
        "filingDate": format_date(rec.filing_date),
        "holder": checksum(rec.holder),
    }
    if rec.content_hash != ZERO32:
        out["contentHash"] = hex32(rec.content_hash)
    if rec.metadata_uri:
        out["metadataURI"] = rec.metadata_uri
    if rec.metadata_hash != ZERO32:
        out["metadataHash"] = hex32(rec.metadata_hash)
    if rec.registration_number:
        out["registrationNumber"] = rec.registration_number
    if rec.registration_date:
        out["registrationDate"] = format_date(rec.registration_date)
    if rec.expiry_date:
        out["expiryDate"] = format_date(rec.expiry_date)
    out["legalStatus"] = rec.status.name.lower()
    events = []
    for e in rec.events:
        ev: dict[str, Any] = {"status": e.status.name.lower(), "eventCode": e.event_code}
        if e.effective_date:
            ev["effectiveDate"] = format_date(e.effective_date)
        if e.document_hash != ZERO32:
            ev["documentHash"] = hex32(e.document_hash)
        if e.expiry_date:
            ev["expiryDate"] = format_date(e.expiry_date)
        events.append(ev)
    out["legalStatusEvents"] = events
    return out


def dumps(records: Iterable[Record]) -> str:
    """The canonical document: records sorted by (office, IP type, application number), 2-space JSON, one newline."""
    ordered = sorted(records, key=Record.sort_key)
    doc = {"format": FORMAT, "version": VERSION, "recordCount": len(ordered),
           "records": [record_to_json(r) for r in ordered]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
