"""The licence projections: interned terms (``terms``) and each licence's current record (``licences``).

A fold over the LicenseRegistry's events in chain order, run by ``projections.apply_span`` inside the span's
transaction and again by ``projections.refold`` after a rewind, exactly as the rights are:

- ``TermsRegistered`` adds a ``terms`` row (terms are global, not of a right: their event names none);
- ``LicenseOffered`` adds a licence in state *offered* with its terms' scope (kind, territories, field, period)
  and its offer deadline; ``LicenseGranted`` (a one-transaction grant by the licensee's signature) adds it
  *active*;
- ``LicenseAccepted`` makes it *active*; ``OfferWithdrawn``, ``LicenseTerminated`` and ``LicenseSurrendered``
  end it (the stored states of ``ILicenseRegistry.LicenseState``); ``LicenseTransferred`` moves its licensee.

Like the contract, the projection stores only what events say: expiry, an offer's passed deadline, the end of an
ancestor and the end of the right are read lazily (``queries.licences``, ``queries.licence_tree``), and so is the
licensor, which the contract does not store either (the right's current holder for a root licence, the parent's
current licensee for a sublicence): assignments and transfers carry the licensor position without a write here.
``offered_by`` keeps the licensor named by the offer or grant. Every loop is bounded by the events given and reads
its rows in IN lists of at most ``CHUNK`` ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ipledger.domain.licensing import LicenseState
from ipledger.index import schema

CHUNK = 500  # ids per IN list
CREATED = ("LicenseOffered", "LicenseGranted")
ENDS = {"OfferWithdrawn": LicenseState.WITHDRAWN, "LicenseTerminated": LicenseState.TERMINATED,
        "LicenseSurrendered": LicenseState.SURRENDERED}
NAMES = frozenset({*CREATED, *ENDS, "LicenseAccepted", "LicenseTransferred"})
LICENCE_COLUMNS = tuple(c.name for c in schema.licences.columns)


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


def terms_row(event: Mapping[str, Any]) -> dict[str, Any]:
    """The ``terms`` row of a ``TermsRegistered`` event (its ``terms`` tuple in the ABI's order)."""
    a = event["args"]
    kind, codes, fhash, start, end, royalty, sub, transfer, thash = a["terms"]
    return {"terms_id": _int(a["termsId"]), "content_hash": a["contentHash"], "kind": _int(kind),
            "territories": [str(c) for c in codes], "field_hash": fhash, "field_label": a.get("fieldLabel") or "",
            "period_start": _int(start), "period_end": _int(end), "royalty_bps": _int(royalty),
            "sublicensable": bool(sub), "transferable": bool(transfer), "terms_hash": thash,
            "terms_uri": a.get("termsURI") or "", "block": event["block"], "log_index": event["log_index"],
            "tx_hash": event["tx_hash"]}


def fold(row: dict[str, Any] | None, event: Mapping[str, Any], time: int, terms: Mapping[int, Mapping[str, Any]],
         parent: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The licence's record after ``event`` (``time``: its block's timestamp; ``terms``: terms rows by id;
    ``parent``: the parent licence's record, for a new sublicence); None before it is offered."""
    name, a = event["name"], event["args"]
    if name in CREATED:
        t = terms.get(_int(a.get("termsId"))) or {}
        granted = name == "LicenseGranted"
        row = {c: None for c in LICENCE_COLUMNS}
        row.update(licence_id=_int(a["licenseId"]), right_id=event["right_id"], parent_id=_int(a.get("parentId")),
                   depth=(_int(parent["depth"]) + 1) if parent else 1, offered_by=a.get("licensor") or "",
                   licensee=a.get("licensee") or "", kind=_int(t.get("kind")), terms_id=_int(a.get("termsId")),
                   territories=list(t.get("territories") or []), field_hash=t.get("field_hash") or "0x" + "00" * 32,
                   period_start=_int(t.get("period_start")), period_end=_int(t.get("period_end")),
                   deadline=0 if granted else _int(a.get("deadline")),
                   state=int(LicenseState.ACTIVE if granted else LicenseState.OFFERED), by_signature=granted,
                   offered_block=event["block"], offered_at=time, offered_tx=event["tx_hash"])
        if granted:
            row.update(accepted_block=event["block"], accepted_at=time, accepted_tx=event["tx_hash"])
    if row is None:
        return None
    if name == "LicenseAccepted":
        row.update(state=int(LicenseState.ACTIVE), by_signature=bool(a.get("bySignature")),
                   accepted_block=event["block"], accepted_at=time, accepted_tx=event["tx_hash"])
    elif name in ENDS:
        row.update(state=int(ENDS[name]), ended_block=event["block"], ended_at=time, ended_tx=event["tx_hash"])
    elif name == "LicenseTransferred":
        row["licensee"] = a.get("to") or row["licensee"]
    row["updated_block"] = event["block"]
    return row


def _rows(conn: Any, table: Any, key: Any, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    from sqlalchemy import select

    wanted = sorted(set(ids))
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        for r in conn.execute(select(table).where(key.in_(wanted[start:start + CHUNK]))):
            m = dict(r._mapping)
            out[int(m[key.name])] = m
    return out


def _save(conn: Any, rows: Mapping[int, dict[str, Any]], existing: set[int]) -> None:
    from sqlalchemy import bindparam

    t = schema.licences
    inserts = [row for lid, row in rows.items() if lid not in existing]
    updates = [row for lid, row in rows.items() if lid in existing]
    if inserts:
        conn.execute(t.insert(), inserts)
    if updates:
        stmt = t.update().where(t.c.licence_id == bindparam("b_licence_id")).values(
            {c: bindparam(c) for c in LICENCE_COLUMNS if c != "licence_id"})
        conn.execute(stmt, [{**{c: row[c] for c in LICENCE_COLUMNS if c != "licence_id"},
                             "b_licence_id": row["licence_id"]} for row in updates])


def apply(conn: Any, events: Sequence[Mapping[str, Any]], times: Mapping[int, int]) -> None:
    """Folds the licence register's events among ``events`` (chain order) into ``terms`` and ``licences``."""
    mine = [e for e in events if e["contract"] == "LicenseRegistry"]
    new_terms = [terms_row(e) for e in mine if e["name"] == "TermsRegistered"]
    if new_terms:
        conn.execute(schema.terms.insert(), new_terms)
    moves = [e for e in mine if e["name"] in NAMES and e["args"].get("licenseId") is not None]
    if not moves:
        return
    ids = {_int(e["args"]["licenseId"]) for e in moves}
    parents = {_int(e["args"].get("parentId")) for e in moves if e["name"] in CREATED} - {0}
    current = _rows(conn, schema.licences, schema.licences.c.licence_id, ids | parents)
    existing = set(current)
    terms = _rows(conn, schema.terms, schema.terms.c.terms_id,
                  {_int(e["args"].get("termsId")) for e in moves if e["name"] in CREATED})
    for e in moves:
        lid = _int(e["args"]["licenseId"])
        parent = current.get(_int(e["args"].get("parentId"))) if e["name"] in CREATED else None
        row = fold(current.get(lid), e, times.get(e["block"], 0), terms, parent)
        if row is not None:
            current[lid] = row
    _save(conn, {lid: current[lid] for lid in ids if lid in current}, existing)


def forget(conn: Any, right_ids: Iterable[str]) -> None:
    """Drops the licences of ``right_ids`` (to be folded again) and the terms whose event is gone (a rewind)."""
    from sqlalchemy import exists, select

    ids = sorted(set(right_ids))
    t, e = schema.licences, schema.events
    for start in range(0, len(ids), CHUNK):
        conn.execute(t.delete().where(t.c.right_id.in_(ids[start:start + CHUNK])))
    gone = ~exists(select(e.c.block).where((e.c.block == schema.terms.c.block)
                                          & (e.c.log_index == schema.terms.c.log_index)))
    conn.execute(schema.terms.delete().where(gone))


def backfill(conn: Any) -> None:
    """Folds the licence events an index already holds (migration 0003 on an index made before it), in pages of
    ``CHUNK`` events so memory stays bounded however long the history."""
    from sqlalchemy import and_, func, or_, select

    e, b = schema.events, schema.blocks
    total = int(conn.execute(select(func.count()).select_from(e).where(e.c.contract == "LicenseRegistry")).scalar())
    last = (-1, -1)
    for _ in range(total // CHUNK + 1):
        query = (select(e, b.c.timestamp).select_from(e.outerjoin(b, b.c.number == e.c.block))
                 .where(e.c.contract == "LicenseRegistry",
                        or_(e.c.block > last[0], and_(e.c.block == last[0], e.c.log_index > last[1])))
                 .order_by(e.c.block, e.c.log_index).limit(CHUNK))
        page = [dict(r._mapping) for r in conn.execute(query)]
        if not page:
            return
        apply(conn, page, {p["block"]: int(p["timestamp"] or 0) for p in page})
        last = (page[-1]["block"], page[-1]["log_index"])
