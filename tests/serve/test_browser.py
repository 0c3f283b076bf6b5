"""The explorer in a real browser: Playwright driving Debian's Chromium against the served index.

A person searches a right, opens it, follows its chain of title to the new holder's page, and verifies a
document by choosing a file (hashed by the page with WebCrypto; the file never leaves the machine). A
screenshot of each page is kept under build/screenshots/ as a test artefact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import World
from helpers import ROOT, browser
from helpers.server import serving
from ipledger.index.ledger import open_for, update
from ipledger.serve import create_app

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not browser.available(), reason="Chromium/Playwright missing (.ci/run installs them)")]
SHOTS = ROOT / "build" / "screenshots"
DEED = b"Deed of assignment of RU/TM/BRW1 from Alice to Bob, 2026-12-01"


@pytest.fixture(scope="module")
def site(module_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An RU trade mark of Alice assigned to Bob (RU needs no recordal) with the deed anchored, licensed by Bob to
    Carol, who offers Dave a sublicence; and an EM mark."""
    import hashlib

    w = module_world
    rid = w.file("BRW1", office="RU")
    w.file("BRW2")
    w.alice.request_assignment(rid, w.bob.address, deed_hash="0x" + hashlib.sha256(DEED).hexdigest())
    w.bob.accept_assignment(rid)
    w.bob.anchor(rid, document_hash="0x" + hashlib.sha256(DEED).hexdigest(), tag="deed")
    from ipledger.sdk import LicenseTerms

    root = w.bob.offer_license(rid, w.carol.address, LicenseTerms(territories=("RU",), sublicensable=True))
    w.carol.accept_license(root.license_id)
    w.carol.offer_license(rid, w.dave.address, LicenseTerms(territories=("RU",)), parent_id=root.license_id)
    store = open_for(w.ipl, tmp_path_factory.mktemp("idx") / "i.sqlite")
    update(w.ipl, store)
    deed = tmp_path_factory.mktemp("files") / "deed.txt"
    deed.write_bytes(DEED)
    other = deed.with_name("other.txt")
    other.write_bytes(b"never anchored")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with serving(create_app(store)) as url, browser.chromium() as chromium:
            yield {"url": url, "browser": chromium, "world": w, "deed": deed, "other": other, "rid": rid}
    finally:
        store.close()


def test_search_open_a_right_follow_its_title_and_verify_a_document(site: dict[str, Any]) -> None:
    w = site["world"]
    page = site["browser"].new_page()
    page.goto(site["url"] + "/")
    page.fill("input[name=office]", "RU")
    page.fill("input[name=number]", "BRW1")
    page.click("#search")
    page.wait_for_selector("a.right-link")
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    links = page.locator("a.right-link")
    assert links.count() == 1 and links.first.inner_text() == "RU/TM/BRW1"

    links.first.click()
    page.wait_for_selector("#right-ref")
    page.screenshot(path=str(SHOTS / "right.png"), full_page=True)
    assert page.inner_text("#right-ref") == "RU/TM/BRW1"
    assert page.inner_text("#holder") == w.bob.address
    assert page.inner_text("#st27") == "pending"
    steps = page.locator("#title li")
    assert steps.count() == 2 and w.alice.address in steps.nth(0).inner_text()
    tree = page.locator("#licence-tree")
    assert tree.is_visible() and tree.locator("li").count() == 2
    assert w.carol.address in tree.locator("> li").first.inner_text()
    sublicence = tree.locator("li li").first
    assert sublicence.is_visible() and w.dave.address in sublicence.inner_text()
    assert "offered" in sublicence.inner_text()

    page.locator("#title a.assignee").click()
    page.wait_for_selector("#holder-address")
    page.screenshot(path=str(SHOTS / "holder.png"), full_page=True)
    assert page.inner_text("#holder-address") == w.bob.address
    assert [t.strip() for t in page.locator("a.right-link").all_inner_texts()] == ["RU/TM/BRW1"]

    page.goto(site["url"] + "/verify")
    page.set_input_files("#file", str(site["deed"]))
    page.wait_for_selector("#found li")
    page.screenshot(path=str(SHOTS / "verify.png"), full_page=True)
    hits = page.locator("#found li").all_inner_texts()
    assert [h.split(" ")[0] for h in hits] == ["AssignmentRequested", "AssignmentRecorded", "DocumentAnchored"]
    import hashlib

    assert page.inner_text("#digest") == "0x" + hashlib.sha256(DEED).hexdigest()
    page.set_input_files("#file", str(site["other"]))
    page.wait_for_selector(".none")
    assert "No filing or anchored document has this hash" in page.inner_text("#result")


def test_an_office_page_and_a_bad_reference_page(site: dict[str, Any]) -> None:
    page = site["browser"].new_page()
    page.goto(site["url"] + "/office/RU")
    page.screenshot(path=str(SHOTS / "office.png"), full_page=True)
    assert page.inner_text("#office-rights") == "1"
    response = page.goto(site["url"] + "/right/EM/XX/1")
    assert response is not None and response.status == 400
    assert "type" in page.inner_text("#error") and "Traceback" not in page.content()
