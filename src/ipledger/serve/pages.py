"""The explorer's web pages (Jinja2 templates, autoescaped) and the ERC-721 metadata endpoint.

Search (office, type, number, holder, status), a right's page (record, ST.27 state, chain of title, status
timeline, licence tree and licence events, anchors, every event with its transaction), a holder's page (the rights
it holds and the licences it is licensee of), an office's page, and document
verification: the browser hashes a chosen file with WebCrypto SHA-256 (the file never leaves the machine) and
asks ``/api/hashes/<hash>`` for every filing and anchor with that hash.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ipledger import types
from ipledger.domain import AnchorRole, IPType, Status, format_right_id
from ipledger.index import queries
from ipledger.serve import api

TEMPLATES = Path(__file__).with_name("templates")
TITLE_EVENTS = ("RightFiled", "AssignmentRecorded")
LICENCE_PREFIXES = ("License", "Offer", "Terms")

router = APIRouter()


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["date"] = lambda s: types.format_date(int(s)) if s else ""
    env.filters["short"] = lambda h: f"{h[:10]}…{h[-6:]}" if isinstance(h, str) and len(h) > 20 else h
    return env


def render(name: str, **values: Any) -> str:
    return str(_env().get_template(name).render(**values))


def _page(request: Request, name: str, **values: Any) -> HTMLResponse:
    store = api.store_of(request)
    return HTMLResponse(render(name, valid_at=queries.valid_at(store), tx_url=request.app.state.tx_url, **values))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, office: str = "", type: str = "", number: str = "",  # noqa: A002
                holder: str = "", status: str = "") -> HTMLResponse:
    asked = any((office, type, number, holder, status))
    rights = api.search_rights(request, holder=holder or None, office=office or None, type=type or None,
                               status=status or None, number=number or None, filed_from=None, filed_to=None,
                               content_hash=None, limit=100, offset=0)["rights"] if asked else []
    return _page(request, "search.html", rights=rights, asked=asked,
                 form={"office": office, "type": type, "number": number, "holder": holder, "status": status},
                 types=[t.name for t in IPType], statuses=[s.name for s in Status if s != Status.NONE])


@router.get("/right/{ref:path}", response_class=HTMLResponse, include_in_schema=False)
def right_page(request: Request, ref: str) -> HTMLResponse:
    record = api.get_right(request, ref)["right"]
    events = queries.history(api.store_of(request), record["right_id"])
    title = [e for e in events if e["name"] in TITLE_EVENTS]
    timeline = [e for e in events if e["name"] == "StatusChanged"]
    licences = [e for e in events if e["name"].startswith(LICENCE_PREFIXES)]
    anchors = [e for e in events if e["name"] == "DocumentAnchored"]
    tree = queries.licence_tree(api.store_of(request), record["right_id"])
    return _page(request, "right.html", right=record, events=events, title=title, timeline=timeline,
                 licences=licences, tree=tree, anchors=anchors, status_name=_status_name, role_name=_role_name)


@router.get("/holder/{address}", response_class=HTMLResponse, include_in_schema=False)
def holder_page(request: Request, address: str) -> HTMLResponse:
    answer = api.holder_rights(request, address, limit=queries.MAX_PAGE, offset=0)
    held = queries.licences(api.store_of(request), licensee=answer["holder"], limit=queries.MAX_PAGE)
    return _page(request, "holder.html", holder=answer["holder"], rights=answer["rights"],
                 licences=held["licences"], more_licences=held["next"] is not None)


@router.get("/office/{code}", response_class=HTMLResponse, include_in_schema=False)
def office_page(request: Request, code: str) -> HTMLResponse:
    return _page(request, "office.html", summary=api.office(request, code))


@router.get("/verify", response_class=HTMLResponse, include_in_schema=False)
def verify_page(request: Request) -> HTMLResponse:
    return _page(request, "verify.html")


def _role_name(value: Any) -> str:
    """Who anchored a document: the holder, the office or a third party."""
    try:
        return AnchorRole(int(value)).name.replace("_", " ").lower()
    except (TypeError, ValueError):
        return str(value)


def _status_name(value: Any) -> str:
    try:
        return Status(int(value)).name.replace("_", " ").lower()
    except (TypeError, ValueError):
        return str(value)


@router.get("/metadata/{token_id}", summary="ERC-721 metadata of a right (point an office's base URI here)")
def metadata(request: Request, token_id: str) -> JSONResponse:
    """The JSON a wallet reads for ``tokenURI``: the right's office, type, status, dates and ST.27 state."""
    record = api.get_right(request, token_id)["right"]
    attributes = [{"trait_type": "office", "value": record["office"]},
                  {"trait_type": "type", "value": record["ip_type_name"]},
                  {"trait_type": "status", "value": record["status_name"]},
                  {"trait_type": "ST.27 state", "value": record["st27_state"]},
                  {"trait_type": "application number", "value": record["number"]},
                  {"display_type": "date", "trait_type": "filing date", "value": record["filing_date"]}]
    if record.get("expiry_date"):
        attributes.append({"display_type": "date", "trait_type": "expiry date", "value": record["expiry_date"]})
    base = str(request.base_url).rstrip("/")
    return JSONResponse({
        "name": f"{record['ref']}",
        "description": f"{record['ip_type_name'].replace('_', ' ').title()} {record['number']} of office "
                       f"{record['office']}, {record['status_name'].lower()} (IP Ledger title token "
                       f"{format_right_id(int(record['right_id'], 16))}).",
        "external_url": f"{base}/right/{record['right_id']}",
        "attributes": attributes,
    })
