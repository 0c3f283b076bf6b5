"""The explorer's JSON API (read-only, from the index only; OpenAPI at ``/openapi.json``).

Every answer names the block it is valid at (``valid_at``). Bad query input is a 400 with ``{"error": "..."}``
naming the problem and the form that works; an unknown right or office a 404. Nothing here signs, holds a key or
talks to the chain.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from ipledger import types
from ipledger.domain import St27State, Status, format_right_id, st27_state
from ipledger.domain.licensing import LicenseState
from ipledger.errors import InvalidInput
from ipledger.index import queries
from ipledger.index.store import Store


class NotFound(Exception):
    """A right, holder or office the index does not hold (404)."""


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def right_id_of(ref: str) -> str:
    """``0x…``, a decimal id or ``OFFICE/TYPE/NUMBER`` as the index's key (an InvalidInput names the forms)."""
    return format_right_id(types.right_ref(ref))


def hash_of(value: str) -> str:
    return "0x" + types.bytes32(value, "hash").hex()


def with_state(right: dict[str, Any]) -> dict[str, Any]:
    status = right["status"]
    state = st27_state(Status(status)) if status in Status._value2member_map_ else St27State.UNKNOWN
    return {**right, "st27_state": state.name.lower().replace("_", " ")}


def licence_state(value: str) -> int:
    """A stored licence state by name (``offered``, ``active``, ``withdrawn``, ``terminated``, ``surrendered``)."""
    names = [s.name.lower() for s in LicenseState if s != LicenseState.NONE]
    text = value.strip().lower()
    if text not in names:
        raise InvalidInput(f"state '{value[:40]}' is not a licence state; use one of {', '.join(names)}")
    return int(LicenseState[text.upper()])


router = APIRouter(prefix="/api")


@router.get("/rights", summary="Search rights")
def search_rights(request: Request, holder: str | None = None, office: str | None = None,
                  type: str | None = None, status: str | None = None, number: str | None = None,  # noqa: A002
                  filed_from: str | None = Query(None, description="filing date from, YYYY-MM-DD"),
                  filed_to: str | None = Query(None, description="filing date to, YYYY-MM-DD"),
                  content_hash: str | None = None, limit: int = Query(50, ge=1, le=queries.MAX_PAGE),
                  offset: int = Query(0, ge=0, le=10_000_000)) -> dict[str, Any]:
    store = store_of(request)
    f = queries.Filters(
        holder=types.address(holder, "holder") if holder else None,
        office=types.office(office) if office else None,
        ip_type=int(types.ip_type(type)) if type else None,
        status=int(types.status(status)) if status else None,
        number=types.application_number(number) if number else None,
        filed_from=types.date(filed_from, "filed_from") if filed_from else None,
        filed_to=types.date(filed_to, "filed_to") if filed_to else None,
        content_hash=hash_of(content_hash) if content_hash else None,
    )
    return {"valid_at": queries.valid_at(store), "rights": [with_state(r) for r in
                                                            queries.search(store, f, limit=limit, offset=offset)]}


@router.get("/rights/{ref:path}/history", summary="A right's events, oldest first")
def right_history(request: Request, ref: str) -> dict[str, Any]:
    store = store_of(request)
    rid = right_id_of(ref)
    if queries.right(store, rid) is None:
        raise NotFound(f"the index holds no right {ref}")
    return {"valid_at": queries.valid_at(store), "right_id": rid, "events": queries.history(store, rid)}


@router.get("/rights/{ref:path}/licences", summary="A right's licence tree: root licences and their sublicences")
def right_licences(request: Request, ref: str) -> dict[str, Any]:
    store = store_of(request)
    rid = right_id_of(ref)
    if queries.right(store, rid) is None:
        raise NotFound(f"the index holds no right {ref}")
    return queries.licence_tree(store, rid)


@router.get("/rights/{ref:path}", summary="One right's record")
def get_right(request: Request, ref: str) -> dict[str, Any]:
    store = store_of(request)
    rid = right_id_of(ref)
    found = queries.right(store, rid)
    if found is None:
        raise NotFound(f"the index holds no right {ref}")
    return {"valid_at": queries.valid_at(store), "right": with_state(found)}


@router.get("/holders/{address}", summary="Every right a holder holds")
def holder_rights(request: Request, address: str, limit: int = Query(100, ge=1, le=queries.MAX_PAGE),
                  offset: int = Query(0, ge=0)) -> dict[str, Any]:
    store = store_of(request)
    holder = types.address(address, "holder")
    rights = queries.search(store, queries.Filters(holder=holder), limit=limit, offset=offset)
    return {"valid_at": queries.valid_at(store), "holder": holder, "rights": [with_state(r) for r in rights]}


@router.get("/licences", summary="Licences by licensee, right and stored state, by licence id, in pages")
def search_licences(request: Request,
                    licensee: str | None = Query(None, description="the current licensee, 0x address"),
                    right: str | None = Query(None, description="0x id, decimal id or OFFICE/TYPE/NUMBER"),
                    state: str | None = Query(None, description="offered, active, withdrawn, terminated or "
                                                                "surrendered (the stored state)"),
                    limit: int = Query(50, ge=1, le=queries.MAX_PAGE), offset: int = Query(0, ge=0, le=10_000_000),
                    after: int = Query(0, ge=0, description="the previous page's `next`")) -> dict[str, Any]:
    store = store_of(request)
    return queries.licences(store, licensee=types.address(licensee, "licensee") if licensee else None,
                            right_id=right_id_of(right) if right else None,
                            state=licence_state(state) if state else None, limit=limit, offset=offset, after=after)


@router.get("/offices/{code}", summary="An office's rights by status and its latest events")
def office(request: Request, code: str) -> dict[str, Any]:
    store = store_of(request)
    return {"valid_at": queries.valid_at(store), **queries.office_summary(store, types.office(code))}


@router.get("/hashes/{value}", summary="Every filing and anchor naming a SHA-256 hash (proof of existence)")
def hashes(request: Request, value: str) -> dict[str, Any]:
    store = store_of(request)
    return {"valid_at": queries.valid_at(store), "hash": hash_of(value), "found": queries.by_hash(store, hash_of(value))}


@router.get("/changes", summary="The change feed: events since a block, oldest first, in pages")
def changes(request: Request, since: int = Query(0, ge=0), after_log: int = Query(-1, ge=-1),
            limit: int = Query(100, ge=1, le=queries.MAX_PAGE)) -> dict[str, Any]:
    store = store_of(request)
    return {"valid_at": queries.valid_at(store), **queries.changes(store, since, after_log=after_log, limit=limit)}
