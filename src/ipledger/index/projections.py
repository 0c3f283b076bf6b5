"""What the index derives from its events: the current record of each right and licence, and every hash.

Each projection is a fold over events in chain order, applied inside the same transaction as the span that
brings the events (``apply_span``), so it is never ahead of or behind the event store; after a rewind the
rights whose events were dropped are folded again from what is left (``refold``). The chain stays the truth:
the record here is what the events say, as of the index's cursor.

Rights: filed by ``RightFiled``; holder from ERC-721 ``Transfer`` (mint and every recorded assignment) and
``AssignmentRecorded``; status from ``StatusChanged``; dates from ``RightRegistered``, ``RightRenewed`` and
``FilingDateCorrected``; metadata from ``MetadataChanged``. Hashes: every event argument named ``...Hash``
holding 32 non-zero bytes (content, document, deed, metadata, terms …), for proof-of-existence lookups.
Licences and their interned terms: ``index/licences.py``, folded in the same passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ipledger.index import licences, schema

_HASH = re.compile(r"0x[0-9a-f]{64}")
_ZERO = "0x" + "00" * 32
RIGHT_COLUMNS = tuple(c.name for c in schema.rights.columns)


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


def fold(row: dict[str, Any] | None, event: Mapping[str, Any], time: int) -> dict[str, Any] | None:
    """The right's record after ``event`` (``time``: its block's timestamp); None while nothing is filed."""
    name, a = event["name"], event["args"]
    if name == "RightFiled":
        row = {c: None for c in RIGHT_COLUMNS}
        row.update(right_id=event["right_id"], office=a.get("office"), ip_type=_int(a.get("ipType")),
                   number=a.get("applicationNumber"), holder=a.get("holder"), status=1,
                   filing_date=_int(a.get("filingDate")),
                   content_hash=None if a.get("contentHash") in (None, _ZERO) else a["contentHash"],
                   metadata_uri=a.get("metadataURI") or None, filed_block=event["block"], filed_at=time,
                   filed_tx=event["tx_hash"])
    if row is None:
        return None
    if name == "StatusChanged":
        row["status"] = _int(a.get("to"))
    elif name == "Transfer" and a.get("to"):
        row["holder"] = a["to"]
    elif name == "AssignmentRecorded":
        row["holder"] = a.get("to") or row["holder"]
    elif name == "RightRegistered":
        row.update(registration_number=a.get("registrationNumber"), registration_date=_int(a.get("registrationDate")),
                   expiry_date=_int(a.get("expiryDate")))
    elif name == "RightRenewed":
        row["expiry_date"] = _int(a.get("expiryDate"))
    elif name == "FilingDateCorrected":
        row["filing_date"] = _int(a.get("newDate", a.get("filingDate")))
    elif name == "MetadataChanged":
        row["metadata_uri"] = a.get("metadataURI") or None
    row["updated_block"] = event["block"]
    return row


def hashes_of(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``hashes`` rows of one event: each ``...Hash`` argument with 32 non-zero bytes."""
    out = []
    for key, value in event["args"].items():
        if key.lower().endswith("hash") and isinstance(value, str) and _HASH.fullmatch(value) and value != _ZERO:
            out.append({"hash": value, "block": event["block"], "log_index": event["log_index"], "field": key,
                        "name": event["name"], "contract": event["contract"], "right_id": event["right_id"]})
    return out


def _load(conn: Any, right_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    from sqlalchemy import select

    ids = sorted(set(right_ids))
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists
        part = ids[start:start + 500]
        for r in conn.execute(select(schema.rights).where(schema.rights.c.right_id.in_(part))):
            out[r.right_id] = dict(r._mapping)
    return out


def _save(conn: Any, rows: Mapping[str, dict[str, Any] | None], existing: set[str]) -> None:
    from sqlalchemy import bindparam

    t = schema.rights
    gone = [rid for rid, row in rows.items() if row is None and rid in existing]
    updates = [row for rid, row in rows.items() if row is not None and rid in existing]
    inserts = [row for rid, row in rows.items() if row is not None and rid not in existing]
    for start in range(0, len(gone), 500):
        conn.execute(t.delete().where(t.c.right_id.in_(gone[start:start + 500])))
    if inserts:
        conn.execute(t.insert(), inserts)
    if updates:
        stmt = t.update().where(t.c.right_id == bindparam("b_right_id")).values(
            {c: bindparam(c) for c in RIGHT_COLUMNS if c != "right_id"})
        conn.execute(stmt, [{**{c: row[c] for c in RIGHT_COLUMNS if c != "right_id"}, "b_right_id": row["right_id"]}
                            for row in updates])


def apply_span(conn: Any, events: Sequence[Mapping[str, Any]], times: Mapping[int, int]) -> None:
    """Folds one span's events (chain order) into the rights and hashes tables."""
    touched = {e["right_id"] for e in events if e["right_id"] is not None}
    current: dict[str, dict[str, Any] | None] = dict(_load(conn, touched))
    existing = set(current)
    for e in events:
        rid = e["right_id"]
        if rid is not None:
            current[rid] = fold(current.get(rid), e, times.get(e["block"], 0))
    _save(conn, {rid: current.get(rid) for rid in touched}, existing)
    rows = [h for e in events for h in hashes_of(e)]
    if rows:
        conn.execute(schema.hashes.insert(), rows)
    licences.apply(conn, events, times)


def refold(conn: Any, right_ids: Iterable[str]) -> None:
    """Rebuilds the records of ``right_ids`` and of their licences from the events left in the store (after a
    rewind), and drops the terms whose event was rewound."""
    from sqlalchemy import select

    ids = sorted(set(right_ids))
    existing = set(_load(conn, ids))
    e, b = schema.events, schema.blocks
    rows: dict[str, dict[str, Any] | None] = {rid: None for rid in ids}
    licences.forget(conn, ids)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        query = (select(e, b.c.timestamp).select_from(e.outerjoin(b, b.c.number == e.c.block))
                 .where(e.c.right_id.in_(part)).order_by(e.c.block, e.c.log_index))
        found = [dict(r._mapping) for r in conn.execute(query)]
        for m in found:
            rows[m["right_id"]] = fold(rows[m["right_id"]], m, int(m["timestamp"] or 0))
        licences.apply(conn, found, {m["block"]: int(m["timestamp"] or 0) for m in found})
    _save(conn, rows, existing)
