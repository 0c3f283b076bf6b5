"""The explorer's JSON API, served by uvicorn over an index of a real deployment on the embedded chain."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import World
from helpers.server import serving
from ipledger.domain import right_id
from ipledger.index import Store
from ipledger.index.ledger import open_for, update
from ipledger.serve import create_app

DEED = b"deed of assignment, 2026"


@pytest.fixture(scope="module")
def explorer(module_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Three EM trade marks (one registered, one anchored deed, one assigned to Bob), indexed and served."""
    w = module_world
    ids = [w.file(f"API{i}") for i in range(3)]
    w.registrar.publish(ids[0])
    w.alice.anchor(ids[1], document_hash="0x" + hashlib.sha256(DEED).hexdigest(), tag="deed")
    bob_id = w.file("API9", holder=w.bob)
    store = open_for(w.ipl, tmp_path_factory.mktemp("idx") / "i.sqlite")
    update(w.ipl, store)
    try:
        with serving(create_app(store)) as url:
            yield {"url": url, "ids": ids, "bob_id": bob_id, "world": w, "store": store}
    finally:
        store.close()


def get(explorer: dict[str, Any], path: str, status: int = 200) -> Any:
    r = httpx.get(explorer["url"] + path, timeout=10)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    return r.json()


def test_a_right_by_reference_and_by_id_with_the_block_it_is_valid_at(explorer: dict[str, Any]) -> None:
    w = explorer["world"]
    by_ref = get(explorer, "/api/rights/EM/TM/API0")
    by_id = get(explorer, f"/api/rights/0x{explorer['ids'][0]:064x}")
    assert by_ref == by_id
    r = by_ref["right"]
    assert (r["office"], r["number"], r["holder"], r["status_name"], r["st27_state"]) == (
        "EM", "API0", w.alice.address, "PUBLISHED", "pending")
    assert by_ref["valid_at"]["block"] == w.ipl.w3.eth.block_number


def test_history_search_holder_office_hash_and_feed(explorer: dict[str, Any]) -> None:
    w = explorer["world"]
    names = [e["name"] for e in get(explorer, "/api/rights/EM/TM/API0/history")["events"]]
    assert "RightFiled" in names[:3] and names.count("StatusChanged") == 2  # filed, then published
    mine = get(explorer, f"/api/holders/{w.alice.address}")["rights"]
    assert sorted(r["number"] for r in mine) == ["API0", "API1", "API2"]
    assert [r["number"] for r in get(explorer, "/api/rights?office=EM&status=published")["rights"]] == ["API0"]
    assert [r["number"] for r in get(explorer, f"/api/rights?holder={w.bob.address}")["rights"]] == ["API9"]
    office = get(explorer, "/api/offices/EM")
    assert office["rights"] == 4 and office["by_status"] == {"FILED": 3, "PUBLISHED": 1}
    found = get(explorer, "/api/hashes/" + hashlib.sha256(DEED).hexdigest())["found"]
    assert [(f["name"], f["field"], f["right_id"]) for f in found] == [
        ("DocumentAnchored", "documentHash", f"0x{explorer['ids'][1]:064x}")]
    page = get(explorer, "/api/changes?since=0&limit=3")
    assert len(page["events"]) == 3 and page["next"] is not None
    rest = get(explorer, f"/api/changes?since={page['next']['block']}&after_log={page['next']['log_index']}"
                         "&limit=500")
    everything = get(explorer, "/api/changes?since=0&limit=500")["events"]
    assert page["events"] + rest["events"] == everything and rest["next"] is None


@pytest.mark.parametrize("path, status, words", [
    ("/api/rights/EM/XX/1", 400, "type"),
    ("/api/rights/0xzz", 400, "right"),
    ("/api/rights/EM/TM/NOPE", 404, "the index holds no right EM/TM/NOPE"),
    ("/api/holders/0x1234", 400, "holder"),
    ("/api/offices/em1", 400, "office"),
    ("/api/hashes/abc", 400, "hash"),
    ("/api/rights?limit=0", 400, "limit"),
    ("/api/rights?limit=many", 400, "limit"),
    ("/api/rights?filed_from=yesterday", 400, "filed_from"),
    ("/api/changes?since=-1", 400, "since"),
])
def test_bad_query_input_is_a_4xx_with_one_clear_line(explorer: dict[str, Any], path: str, status: int,
                                                      words: str) -> None:
    body = get(explorer, path, status)
    assert set(body) == {"error"} and words in body["error"] and "\n" not in body["error"]
    assert "Traceback" not in body["error"]


def test_the_api_is_described_by_openapi(explorer: dict[str, Any]) -> None:
    spec = get(explorer, "/openapi.json")
    assert {"/api/rights", "/api/rights/{ref}", "/api/holders/{address}", "/api/hashes/{value}",
            "/api/changes", "/metadata/{token_id}"} <= set(spec["paths"])


def test_erc721_metadata_for_a_wallet(explorer: dict[str, Any]) -> None:
    meta = get(explorer, f"/metadata/{explorer['ids'][0]}")
    traits = {a["trait_type"]: a["value"] for a in meta["attributes"]}
    assert meta["name"] == "EM/TM/API0" and traits["office"] == "EM" and traits["status"] == "PUBLISHED"
    assert traits["ST.27 state"] == "pending" and meta["external_url"].endswith(f"0x{explorer['ids'][0]:064x}")
