"""The explorer's licence API and pages, served by uvicorn over an index of a real deployment (embedded chain).

A right of Alice with a licence tree (Bob's exclusive root licence, Carol's sole sublicence under it accepted by a
relayed signature, Dave's grant by signature, a surrendered licence of Carol's, an open offer to Dave): the tree
and the by-licensee answers are the SDK's, bad input is a 400 with one line, the pages show the tree and the
licences a party holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import World
from helpers.server import serving

from ipledger.index.ledger import open_for, update
from ipledger.sdk import LicenseTerms, flatten
from ipledger.serve import create_app


@pytest.fixture(scope="module")
def site(module_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    w = module_world
    rid = w.file_registered("LAPI1")
    root = w.alice.offer_license(rid, w.bob.address, LicenseTerms(
        kind="exclusive", territories=("DE", "FR"), field="software", sublicensable=True)).license_id
    w.bob.accept_license(root)
    sub = w.bob.offer_license(rid, w.carol.address, LicenseTerms(kind="sole", territories=("DE",), field="software"),
                              parent_id=root).license_id
    deadline = w.now() + 3600
    w.stranger.accept_license_by_sig(sub, deadline, w.carol.sign_license_acceptance(sub, deadline))
    terms = w.alice.register_terms(LicenseTerms(territories=("IT",), terms_uri="ipfs://it")).terms_id
    granted = w.alice.grant_license(rid, w.dave.address, terms,
                                    w.dave.sign_license_grant(rid, terms, deadline), deadline).license_id
    ended = w.alice.offer_license(rid, w.carol.address, LicenseTerms(territories=("ES",))).license_id
    w.carol.accept_license(ended)
    w.carol.surrender_license(ended)
    pending = w.alice.offer_license(rid, w.dave.address, LicenseTerms(territories=("AT",))).license_id
    unlicensed = w.file("LAPI2")
    store = open_for(w.ipl, tmp_path_factory.mktemp("idx") / "i.sqlite")
    update(w.ipl, store)
    try:
        with serving(create_app(store)) as url:
            yield {"url": url, "world": w, "rid": rid, "root": root, "sub": sub, "granted": granted, "ended": ended,
                   "pending": pending, "unlicensed": unlicensed}
    finally:
        store.close()


def get(site: dict[str, Any], path: str, status: int = 200) -> Any:
    r = httpx.get(site["url"] + path, timeout=10)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    return r.json() if path.startswith("/api/") else r.text


def test_a_rights_licence_tree_is_the_sdks(site: dict[str, Any]) -> None:
    w = site["world"]
    answer = get(site, "/api/rights/EM/TM/LAPI1/licences")
    assert answer["valid_at"]["block"] == w.ipl.w3.eth.block_number and answer["count"] == 5
    assert answer == get(site, f"/api/rights/0x{site['rid']:064x}/licences")
    roots = answer["licences"]
    chain = w.ipl.license_tree(site["rid"])
    assert [n["licence_id"] for n in roots] == [n.license.license_id for n in chain]
    assert [c["licence_id"] for c in roots[0]["children"]] == [site["sub"]]
    by_id = {n["licence_id"]: n for n in [*roots, *roots[0]["children"]]}
    for info in flatten(chain):
        n = by_id[info.license_id]
        assert (n["licensor"], n["licensee"], n["kind_name"], n["state_name"], n["active"], n["territories"],
                n["field_label"]) == (info.licensor, info.licensee, info.kind.name, info.state.name, info.active,
                                      list(info.territories), info.field_label)
    assert [by_id[site[k]]["standing"] for k in ("root", "sub", "granted", "ended", "pending")] == [
        "active", "active", "active", "surrendered", "offered"]


def test_licences_by_licensee_right_and_state(site: dict[str, Any]) -> None:
    w = site["world"]
    carol = get(site, f"/api/licences?licensee={w.carol.address}")
    assert [x["licence_id"] for x in carol["licences"]] == w.ipl.licenses_of(w.carol.address) == [
        site["sub"], site["ended"]]
    assert carol["valid_at"]["block"] == w.ipl.w3.eth.block_number and carol["next"] is None
    active = get(site, f"/api/licences?licensee={w.carol.address}&state=active")["licences"]
    assert [(x["licence_id"], x["right_ref"], x["licensor"]) for x in active] == [
        (site["sub"], "EM/TM/LAPI1", w.bob.address)]
    page = get(site, "/api/licences?right=EM/TM/LAPI1&limit=2")
    rest = get(site, f"/api/licences?right=EM/TM/LAPI1&limit=500&after={page['next']}")
    assert [x["licence_id"] for x in page["licences"] + rest["licences"]] == sorted(
        site[k] for k in ("root", "sub", "granted", "ended", "pending"))
    assert [x["licence_id"] for x in get(site, "/api/licences?right=EM/TM/LAPI1&state=OFFERED")["licences"]] == [
        site["pending"]]


@pytest.mark.parametrize("path, status, words", [
    ("/api/licences?licensee=0x1234", 400, "licensee"),
    ("/api/licences?state=expired", 400, "state 'expired' is not a licence state; use one of offered, active"),
    ("/api/licences?right=EM/XX/1", 400, "type"),
    ("/api/licences?limit=0", 400, "limit"),
    ("/api/licences?after=-1", 400, "after"),
    ("/api/rights/0xzz/licences", 400, "right"),
    ("/api/rights/EM/TM/NOPE/licences", 404, "the index holds no right EM/TM/NOPE"),
])
def test_bad_licence_query_input_is_a_4xx_with_one_clear_line(site: dict[str, Any], path: str, status: int,
                                                              words: str) -> None:
    body = get(site, path, status)
    assert set(body) == {"error"} and words in body["error"] and "\n" not in body["error"]


def test_the_licence_endpoints_are_described_by_openapi(site: dict[str, Any]) -> None:
    spec = httpx.get(site["url"] + "/openapi.json", timeout=10).json()
    assert {"/api/licences", "/api/rights/{ref}/licences"} <= set(spec["paths"])


def test_the_right_page_shows_the_tree_and_the_holder_page_the_licences_held(site: dict[str, Any]) -> None:
    w = site["world"]
    page = get(site, "/right/EM/TM/LAPI1")
    tree = page[page.index('id="licence-tree"'):page.index("Licence events")]
    assert tree.index(w.bob.address) < tree.index(w.carol.address)  # the root first, its sublicence nested in it
    assert f'<a class="licensee" href="/holder/{w.dave.address}">' in tree and "surrendered" in tree
    assert "exclusive" in tree and "sole" in tree and "DE, FR" in tree
    held = get(site, f"/holder/{w.carol.address}")
    assert held.count('class="licensed-right"') == 2 and "surrendered" in held
    assert "No licence held." in get(site, f"/holder/{w.alice.address}")
    assert "No licence offered or granted." in get(site, f"/right/0x{site['unlicensed']:064x}")
