"""Reads from the index: a right, its history, searches, hashes, an office's summary, the change feed, licences.

Every answer says the block it is valid at (``valid_at``: the index's cursor, number and hash): the index is a
cache of the chain, and the holder or a licence can always be asked of the chain itself. Searches are bounded
(``MAX_PAGE`` rows a page) and keyed for paging. Right ids are ``0x`` + 64 hex digits.

Licences (``licences``, ``licence_tree``) are read as ``licenseOf`` reads them on the chain, as of the block the
answer is valid at: the licensor resolved (the right's holder for a root licence, the parent's licensee for a
sublicence), ``active`` and ``standing`` resolved at that block's time (stored state, expiry, every ancestor
active, the right not ended), the terms' label, agreement hash and URI joined from ``terms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipledger.domain import ENDED, IPType, Status
from ipledger.domain.licensing import LicenseKind, LicenseState
from ipledger.domain.rights import SHORT_TYPE
from ipledger.index import schema
from ipledger.index.store import Store

MAX_PAGE = 500  # rows per page of any search or feed
RIGHT_EVENTS_LIMIT = 5_000  # events of one right in one history answer (the oldest first)
TREE_LIMIT = 5_000  # licences of one right in one tree answer (the oldest first; ``truncated`` says more exist)
MAX_DEPTH = 8  # ILicenseRegistry.MAX_DEPTH: a licence tree is at most 8 licences deep


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
    """The block every answer is valid at: the index's cursor (number and hash; None before the first sync)."""
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
    query = query.order_by(r.c.filed_block.desc(), r.c.right_id.desc()).limit(max(1, min(limit, MAX_PAGE))).offset(offset)
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
        by_status: list[Any] = list(conn.execute(
            select(r.c.status, func.count()).where(r.c.office == office).group_by(r.c.status)))
        counts = {Status(s).name if s in Status._value2member_map_ else str(s): int(n) for s, n in by_status}
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


def _clock(conn: Any, store: Store) -> tuple[dict[str, Any], int]:
    """``valid_at`` and its block's time (what expiry and offer deadlines are compared with)."""
    from sqlalchemy import select

    at = valid_at(store)
    if at["block"] is None:
        return at, 0
    time = conn.execute(select(schema.blocks.c.timestamp).where(schema.blocks.c.number == at["block"])).scalar()
    return at, int(time or 0)


def _licence_query() -> Any:
    """Licences with their current licensor (the right's holder, or the parent's licensee), the right's status and
    reference, and the terms' details."""
    from sqlalchemy import case, select

    lic, r, t = schema.licences, schema.rights, schema.terms
    parent = lic.alias("parent")
    licensor = case((lic.c.parent_id == 0, r.c.holder), else_=parent.c.licensee).label("licensor")
    return (select(lic, licensor, r.c.status.label("right_status"), r.c.office, r.c.ip_type, r.c.number,
                   t.c.field_label, t.c.royalty_bps, t.c.sublicensable, t.c.transferable, t.c.terms_hash,
                   t.c.terms_uri)
            .select_from(lic.outerjoin(r, r.c.right_id == lic.c.right_id)
                         .outerjoin(parent, parent.c.licence_id == lic.c.parent_id)
                         .outerjoin(t, t.c.terms_id == lic.c.terms_id)))


def licence_view(row: Any, now: int, ancestors_active: bool) -> dict[str, Any]:
    """A licence row as the API shows it: the fields of the SDK's ``LicenseInfo`` (``start``/``end``, kind and
    state by value and name), ``active`` and ``standing`` (why it is or is not in force) as of ``now``, and the
    right's reference. ``ancestors_active``: every ancestor's stored state is active."""
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    state, end = int(m["state"]), int(m["period_end"])
    right_status = m.pop("right_status", None)
    right_ended = right_status is not None and right_status in Status._value2member_map_ and \
        Status(right_status) in ENDED
    live = (end == 0 or end >= now) and ancestors_active
    active = state == LicenseState.ACTIVE and live and not right_ended
    if state == LicenseState.OFFERED:
        standing = "offered" if now <= int(m["deadline"]) and live else "offer lapsed"
    elif state != LicenseState.ACTIVE:
        standing = LicenseState(state).name.lower() if state in LicenseState._value2member_map_ else str(state)
    elif active:
        standing = "active"
    else:
        standing = "right ended" if right_ended else "expired" if end and end < now else "ended with its parent"
    office, ip_type, number = m.pop("office", None), m.pop("ip_type", None), m.pop("number", None)
    short = SHORT_TYPE.get(IPType(ip_type)) if ip_type in IPType._value2member_map_ else None
    m.update(start=m.pop("period_start"), end=m.pop("period_end"), active=active, standing=standing,
             kind_name=LicenseKind(m["kind"]).name if m["kind"] in LicenseKind._value2member_map_ else str(m["kind"]),
             state_name=LicenseState(state).name if state in LicenseState._value2member_map_ else str(state),
             right_ref=f"{office}/{short or ip_type}/{number}" if office else None,
             field_label=m.get("field_label") or "")
    return m


def _ancestors_active(conn: Any, rows: list[Any]) -> dict[int, bool]:
    """For each licence of ``rows``: whether every ancestor's stored state is active (a walk of at most
    ``MAX_DEPTH`` levels, one query per level)."""
    from sqlalchemy import select

    lic = schema.licences
    known: dict[int, tuple[int, int]] = {int(r.licence_id): (int(r.parent_id), int(r.state)) for r in rows}
    for _ in range(MAX_DEPTH):
        missing = sorted({p for p, _s in known.values() if p and p not in known})
        if not missing:
            break
        for start in range(0, len(missing), MAX_PAGE):
            for r in conn.execute(select(lic.c.licence_id, lic.c.parent_id, lic.c.state)
                                  .where(lic.c.licence_id.in_(missing[start:start + MAX_PAGE]))):
                known[int(r.licence_id)] = (int(r.parent_id), int(r.state))
    out: dict[int, bool] = {}
    for r in rows:
        ok, parent = True, int(r.parent_id)
        for _ in range(MAX_DEPTH):
            if not parent:
                break
            p_parent, p_state = known.get(parent, (0, -1))
            ok = ok and p_state == LicenseState.ACTIVE
            parent = p_parent
        out[int(r.licence_id)] = ok
    return out


def licences(store: Store, *, licensee: str | None = None, right_id: str | None = None, state: int | None = None,
             limit: int = 50, offset: int = 0, after: int = 0) -> dict[str, Any]:
    """Licences matching every given filter — ``licensee`` (EIP-55: the current licensee), ``right_id``, ``state``
    (the stored ``LicenseState``) — e.g. every licence a licensee holds, by licence id, one page of at most
    ``min(limit, MAX_PAGE)``: keyed by ``after`` (the last licence id of the previous page: its ``next``) or
    ``offset``. ``{"valid_at", "licences", "next"}``; ``next`` is None on the last page."""
    lic = schema.licences
    query = _licence_query()
    for column, value in (("licensee", licensee), ("right_id", right_id), ("state", state)):
        if value is not None:
            query = query.where(lic.c[column] == value)
    size = max(1, min(limit, MAX_PAGE))
    query = query.where(lic.c.licence_id > after).order_by(lic.c.licence_id).limit(size + 1).offset(offset)
    with store.engine.connect() as conn:
        at, now = _clock(conn, store)
        rows = list(conn.execute(query).fetchall())
        more = len(rows) > size
        rows = rows[:size]
        chain = _ancestors_active(conn, rows)
    views = [licence_view(r, now, chain[int(r.licence_id)]) for r in rows]
    return {"valid_at": at, "licences": views, "next": views[-1]["licence_id"] if more and views else None}


def licence_tree(store: Store, right_id: str) -> dict[str, Any]:
    """Every licence of a right as a forest: its root licences (oldest first), each with ``children`` (its
    sublicences, oldest first), as the SDK's ``license_tree`` reads them from the chain. At most ``TREE_LIMIT``
    licences (the oldest; ``truncated`` says more exist) and ``MAX_DEPTH`` levels (the contract's bound); built
    in one pass over the licences in id order (a parent always has a smaller id than its sublicences), without
    recursion. ``{"valid_at", "right_id", "licences", "count", "truncated"}``."""
    lic = schema.licences
    query = _licence_query().where(lic.c.right_id == right_id).order_by(lic.c.licence_id).limit(TREE_LIMIT + 1)
    with store.engine.connect() as conn:
        at, now = _clock(conn, store)
        rows = conn.execute(query).fetchall()
    truncated = len(rows) > TREE_LIMIT
    nodes: dict[int, dict[str, Any]] = {}
    chain_ok: dict[int, bool] = {}  # every ancestor's stored state, and its own, is active
    roots: list[dict[str, Any]] = []
    for r in rows[:TREE_LIMIT]:
        lid, parent = int(r.licence_id), int(r.parent_id)
        above = nodes.get(parent)
        ancestors = parent == 0 or (above is not None and chain_ok[parent])
        chain_ok[lid] = ancestors and int(r.state) == LicenseState.ACTIVE
        node = {**licence_view(r, now, ancestors), "children": []}
        nodes[lid] = node
        if above is not None and int(r.depth) <= MAX_DEPTH:
            above["children"].append(node)
        else:
            roots.append(node)  # a root (or, only in a truncated answer, a licence whose parent was cut off)
    return {"valid_at": at, "right_id": right_id, "licences": roots, "count": len(nodes), "truncated": truncated}
