"""Reads from the index: a right, its history, searches, hashes, an office's summary, the change feed.

Every answer says the block it is valid at (``valid_at``: the index's cursor, number and hash): the index is a
cache of the chain, and the holder or a licence can always be asked of the chain itself. Searches are bounded
(``MAX_PAGE`` rows a page) and keyed for paging. Right ids are ``0x`` + 64 hex digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipledger.domain import IPType, Status
from ipledger.domain.rights import SHORT_TYPE
from ipledger.index import schema
from ipledger.index.store import Store

MAX_PAGE = 500  # rows per page of any search or feed
RIGHT_EVENTS_LIMIT = 5_000  # events of one right in one history answer (the oldest first)


@dataclass(frozen=True)
class Filters:
    """A search of rights; every field optional, all given ones must hold."""

    holder: str | None = None
    office: str | None = None
    ip_type: int | None = None
    status: int | None = None
    number: str | None = None
    filed_from: int | None = None  # filing date, unix seconds, inclusive
    filed_to: int | None = None
    content_hash: str | None = None


def valid_at(store: Store) -> dict[str, Any]:
    cursor = store.cursor()
    return {"block": cursor.number if cursor else None, "hash": cursor.hash if cursor else None}


def right_view(row: Any) -> dict[str, Any]:
    """A ``rights`` row as the API shows it (type and status by name too)."""
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    m["ip_type_name"] = IPType(m["ip_type"]).name if m["ip_type"] in IPType._value2member_map_ else str(m["ip_type"])
    m["status_name"] = Status(m["status"]).name if m["status"] in Status._value2member_map_ else str(m["status"])
    short = SHORT_TYPE.get(IPType(m["ip_type"])) if m["ip_type"] in IPType._value2member_map_ else None
    m["ref"] = f"{m['office']}/{short or m['ip_type']}/{m['number']}"
    return m


def right(store: Store, right_id: str) -> dict[str, Any] | None:
    """The indexed record of one right, or None."""
    from sqlalchemy import select

    with store.engine.connect() as conn:
        row = conn.execute(select(schema.rights).where(schema.rights.c.right_id == right_id)).first()
    return None if row is None else right_view(row)


def history(store: Store, right_id: str) -> list[dict[str, Any]]:
    """Every event of one right, oldest first, each with its block time."""
    from sqlalchemy import select

    e, b = schema.events, schema.blocks
    query = (select(e, b.c.timestamp).select_from(e.outerjoin(b, b.c.number == e.c.block))
             .where(e.c.right_id == right_id).order_by(e.c.block, e.c.log_index).limit(RIGHT_EVENTS_LIMIT))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def search(store: Store, f: Filters, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Rights matching every given filter, newest filing first; at most ``min(limit, MAX_PAGE)``."""
    from sqlalchemy import select

    r = schema.rights
    query = select(r)
    for column, value in (("holder", f.holder), ("office", f.office), ("ip_type", f.ip_type), ("status", f.status),
                          ("number", f.number), ("content_hash", f.content_hash)):
        if value is not None:
            query = query.where(r.c[column] == value)
    if f.filed_from is not None:
        query = query.where(r.c.filing_date >= f.filed_from)
    if f.filed_to is not None:
        query = query.where(r.c.filing_date <= f.filed_to)
    query = query.order_by(r.c.filed_block.desc(), r.c.right_id).limit(max(1, min(limit, MAX_PAGE))).offset(offset)
    with store.engine.connect() as conn:
        return [right_view(row) for row in conn.execute(query)]


def by_hash(store: Store, value: str) -> list[dict[str, Any]]:
    """Every event naming ``value`` (a filing's content hash, an anchored document …) with its block time: proof
    that the hash was on the chain at that time."""
    from sqlalchemy import select

    h, b = schema.hashes, schema.blocks
    query = (select(h, b.c.timestamp, schema.events.c.tx_hash, schema.events.c.args)
             .select_from(h.join(schema.events, (schema.events.c.block == h.c.block)
                                 & (schema.events.c.log_index == h.c.log_index))
                          .outerjoin(b, b.c.number == h.c.block))
             .where(h.c.hash == value).order_by(h.c.block, h.c.log_index).limit(MAX_PAGE))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def office_summary(store: Store, office: str, *, recent: int = 20) -> dict[str, Any]:
    """An office's rights counted by status, and its latest events."""
    from sqlalchemy import func, select

    r, e, b = schema.rights, schema.events, schema.blocks
    with store.engine.connect() as conn:
        counts = {Status(s).name if s in Status._value2member_map_ else str(s): int(n) for s, n in conn.execute(
            select(r.c.status, func.count()).where(r.c.office == office).group_by(r.c.status))}
        latest = conn.execute(
            select(e, b.c.timestamp).select_from(e.join(r, r.c.right_id == e.c.right_id)
                                                  .outerjoin(b, b.c.number == e.c.block))
            .where(r.c.office == office).order_by(e.c.block.desc(), e.c.log_index.desc())
            .limit(max(1, min(recent, MAX_PAGE)))).fetchall()
    return {"office": office, "rights": sum(counts.values()), "by_status": counts,
            "recent": [dict(x._mapping) for x in latest]}


def changes(store: Store, since_block: int, *, after_log: int = -1, limit: int = 100) -> dict[str, Any]:
    """The change feed: events from ``since_block`` on (after ``after_log`` within it), oldest first, one page;
    ``next`` is the (block, log index) to ask from for the next page, None at the end."""
    from sqlalchemy import and_, or_, select

    e, b = schema.events, schema.blocks
    size = max(1, min(limit, MAX_PAGE))
    query = (select(e, b.c.timestamp).select_from(e.outerjoin(b, b.c.number == e.c.block))
             .where(or_(e.c.block > since_block, and_(e.c.block == since_block, e.c.log_index > after_log)))
             .order_by(e.c.block, e.c.log_index).limit(size + 1))
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    more = len(rows) > size
    rows = rows[:size]
    nxt = {"block": rows[-1]["block"], "log_index": rows[-1]["log_index"]} if more and rows else None
    return {"events": rows, "next": nxt}
