"""The licence projection on SQLite and PostgreSQL: what the index answers is what the SDK reads from the chain.

A real deployment on the embedded chain with a licence tree — an offer accepted, a sublicence accepted by a
relayed signature, a sub-sublicence, a grant by the licensee's signature then transferred, a licence surrendered,
an offer withdrawn and one left open, a licence that expires — indexed, then compared licence by licence with
``license_tree`` and ``licenses_of`` (which read ``licenseOf`` and the events from the chain), again after the
right is assigned (the new holder is the root licences' licensor), time passes and a root licence ends with its
subtree. A reorganisation (the embedded chain's snapshot and revert, then another branch at the same heights) is
undone and the projection is right again.
"""

from __future__ import annotations

from typing import Any

from conftest import World
from helpers.postgres import index_db, pg_server  # noqa: F401 - fixtures

from ipledger.index import Store, queries, schema
from ipledger.index.ledger import open_for, update
from ipledger.sdk import LicenseTerms
from ipledger.sdk.licensing import LicenseInfo, LicenseNode

SOFTWARE = LicenseTerms(kind="exclusive", territories=("DE", "FR"), field="software", royalty_bps=300,
                        sublicensable=True, transferable=True, terms_hash=b"\x11" * 32, terms_uri="ipfs://root")


def sdk_view(info: LicenseInfo) -> dict[str, Any]:
    """The SDK's licence as the index names its fields."""
    return {"licence_id": info.license_id, "right_id": f"0x{info.right_id:064x}", "parent_id": info.parent_id,
            "licensor": info.licensor, "licensee": info.licensee, "kind": int(info.kind), "state": int(info.state),
            "active": info.active, "depth": info.depth, "territories": list(info.territories),
            "field_hash": info.field_hash, "start": info.start, "end": info.end, "royalty_bps": info.royalty_bps,
            "sublicensable": info.sublicensable, "transferable": info.transferable, "terms_id": info.terms_id,
            "deadline": info.deadline, "field_label": info.field_label, "terms_hash": info.terms_hash}


def sdk_tree(nodes: tuple[LicenseNode, ...] | list[LicenseNode]) -> list[dict[str, Any]]:
    return [{**sdk_view(n.license), "children": sdk_tree(n.children)} for n in nodes]


def index_tree(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = ("licence_id", "right_id", "parent_id", "licensor", "licensee", "kind", "state", "active", "depth",
              "territories", "field_hash", "start", "end", "royalty_bps", "sublicensable", "transferable",
              "terms_id", "deadline", "field_label", "terms_hash")
    return [{**{k: n[k] for k in fields}, "children": index_tree(n["children"])} for n in nodes]


def assert_matches_chain(w: World, store: Store, rid: int) -> dict[str, Any]:
    """The index's tree of ``rid`` equals the SDK's, and each party's licences are the SDK's ``licenses_of``."""
    tree = queries.licence_tree(store, f"0x{rid:064x}")
    assert tree["valid_at"]["block"] == w.ipl.w3.eth.block_number
    assert index_tree(tree["licences"]) == sdk_tree(w.ipl.license_tree(rid))
    for party in (w.bob, w.carol, w.dave, w.stranger):
        held = queries.licences(store, licensee=party.address, limit=500)
        assert [x["licence_id"] for x in held["licences"]] == w.ipl.licenses_of(party.address)
    return tree


def build_tree(w: World) -> dict[str, Any]:
    """The licence tree of one registered right of Alice; returns the right and the licence ids by role."""
    rid = w.file_registered("LIC1", office="RU")  # RU records assignments without a registrar
    root = w.alice.offer_license(rid, w.bob.address, SOFTWARE).license_id
    w.bob.accept_license(root)
    sub = w.bob.offer_license(rid, w.carol.address, LicenseTerms(
        kind="sole", territories=("DE",), field="software", sublicensable=True), parent_id=root).license_id
    deadline = w.now() + 3600
    w.stranger.accept_license_by_sig(sub, deadline, w.carol.sign_license_acceptance(sub, deadline))
    leaf = w.carol.offer_license(rid, w.dave.address, LicenseTerms(territories=("DE",), field="software"),
                                 parent_id=sub).license_id
    w.dave.accept_license(leaf)
    italy = w.alice.register_terms(LicenseTerms(territories=("IT",), transferable=True, terms_uri="ipfs://it"))
    consent = w.dave.sign_license_grant(rid, italy.terms_id, deadline)
    granted = w.alice.grant_license(rid, w.dave.address, italy.terms_id, consent, deadline).license_id
    w.dave.transfer_license(granted, w.stranger.address)
    spain = w.alice.offer_license(rid, w.carol.address, LicenseTerms(territories=("ES",))).license_id
    w.carol.accept_license(spain)
    w.carol.surrender_license(spain)
    withdrawn = w.alice.offer_license(rid, w.dave.address, LicenseTerms(territories=("PT",))).license_id
    w.alice.withdraw_offer(withdrawn)
    pending = w.alice.offer_license(rid, w.stranger.address, LicenseTerms(territories=("AT",))).license_id
    short = w.alice.offer_license(rid, w.carol.address, LicenseTerms(territories=("NL",), end=w.now() + 86_400))
    w.carol.accept_license(short.license_id)
    return {"rid": rid, "root": root, "sub": sub, "leaf": leaf, "granted": granted, "spain": spain,
            "withdrawn": withdrawn, "pending": pending, "short": short.license_id}


def test_licence_projection_equals_what_the_sdk_reads_from_the_chain(world: World, index_db: str) -> None:
    ids = build_tree(world)
    store = open_for(world.ipl, index_db)
    try:
        update(world.ipl, store)
        tree = assert_matches_chain(world, store, ids["rid"])
        flat = {n["licence_id"]: n for n in _flatten(tree["licences"])}
        assert [n["licence_id"] for n in tree["licences"]] == [ids[k] for k in ("root", "granted", "spain",
                                                                                "withdrawn", "pending", "short")]
        assert [c["licence_id"] for c in flat[ids["root"]]["children"]] == [ids["sub"]]
        assert {k: flat[ids[k]]["standing"] for k in ids if k != "rid"} == {
            "root": "active", "sub": "active", "leaf": "active", "granted": "active", "spain": "surrendered",
            "withdrawn": "withdrawn", "pending": "offered", "short": "active"}
        assert flat[ids["sub"]]["by_signature"] and flat[ids["granted"]]["by_signature"]
        assert not flat[ids["leaf"]]["by_signature"] and flat[ids["granted"]]["deadline"] == 0
        assert flat[ids["granted"]]["offered_by"] == world.alice.address  # the licensee moved, the offer did not
        assert flat[ids["granted"]]["licensee"] == world.stranger.address
        assert flat[ids["spain"]]["ended_block"] is not None and flat[ids["pending"]]["accepted_block"] is None
        assert flat[ids["root"]]["terms_uri"] == "ipfs://root" and flat[ids["leaf"]]["right_ref"] == "RU/TM/LIC1"

        # filters and keyed pages
        active = queries.licences(store, right_id=f"0x{ids['rid']:064x}", state=2, limit=2)
        assert [x["licence_id"] for x in active["licences"]] == [ids["root"], ids["sub"]]
        rest = queries.licences(store, state=2, limit=500, after=active["next"])
        assert [x["licence_id"] for x in rest["licences"]] == [ids[k] for k in ("leaf", "granted", "short")]
        assert rest["next"] is None

        # the new holder of the right becomes the root licences' licensor; time makes a licence expire (lazily)
        world.alice.request_assignment(ids["rid"], world.carol.address)
        world.carol.accept_assignment(ids["rid"])
        world.tester.time_travel(world.now() + 2 * 86_400)
        world.tester.mine_blocks()
        update(world.ipl, store)
        tree = assert_matches_chain(world, store, ids["rid"])
        flat = {n["licence_id"]: n for n in _flatten(tree["licences"])}
        assert {flat[ids[k]]["licensor"] for k in ("root", "granted", "pending")} == {world.carol.address}
        assert (flat[ids["short"]]["standing"], flat[ids["short"]]["active"]) == ("expired", False)

        # ending the root ends its subtree (read lazily, as the chain does); Bob's licensee moves by transfer
        world.bob.transfer_license(ids["root"], world.dave.address)
        world.carol.terminate_license(ids["root"])
        update(world.ipl, store)
        tree = assert_matches_chain(world, store, ids["rid"])
        flat = {n["licence_id"]: n for n in _flatten(tree["licences"])}
        assert flat[ids["sub"]]["licensor"] == world.dave.address
        assert [flat[ids[k]]["standing"] for k in ("root", "sub", "leaf")] == [
            "terminated", "ended with its parent", "ended with its parent"]
    finally:
        store.close()


def test_a_reorganisation_is_undone_in_the_licence_projection(world: World, index_db: str) -> None:
    """Branch A registers terms and offers, the index follows; the chain reverts and branch B, longer, does other
    things at the same heights (new terms under the same id): the index rewinds and equals the chain again."""
    w = world
    rid = w.file_registered("LIC2")
    root = w.alice.offer_license(rid, w.bob.address, SOFTWARE).license_id
    w.bob.accept_license(root)
    store = open_for(w.ipl, index_db)
    tester = w.tester
    try:
        update(w.ipl, store)
        snap = tester.take_snapshot()
        a = w.bob.offer_license(rid, w.carol.address, LicenseTerms(kind="sole", territories=("FR",),
                                                                    field="software"), parent_id=root).license_id
        w.carol.accept_license(a)
        update(w.ipl, store)
        assert_matches_chain(w, store, rid)
        terms_a = _terms(store)
        tester.revert_to_snapshot(snap)
        w.ipl.reset_nonces()
        b = w.alice.offer_license(rid, w.dave.address, LicenseTerms(territories=("US",), terms_uri="ipfs://b"))
        w.dave.accept_license(b.license_id)
        w.bob.surrender_license(root)
        w.alice.offer_license(rid, w.carol.address, LicenseTerms(territories=("CA",)))
        result = update(w.ipl, store)
        assert result.rewound_to is not None
        assert b.license_id == a and _terms(store) != terms_a  # the same ids, other licences and terms
        tree = assert_matches_chain(w, store, rid)
        assert [n["licensee"] for n in tree["licences"]] == [w.bob.address, w.dave.address, w.carol.address]
        assert tree["licences"][0]["children"] == []
    finally:
        store.close()


def _terms(store: Store) -> list[tuple[int, list[str], str]]:
    t = schema.terms
    with store.engine.connect() as conn:
        return [(r.terms_id, r.territories, r.terms_uri) for r in conn.execute(t.select().order_by(t.c.terms_id))]


def _flatten(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = list(reversed(nodes))
    for _ in range(queries.TREE_LIMIT):
        if not stack:
            break
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n["children"]))
    return out


def test_migration_0003_folds_the_licence_events_an_older_index_already_holds(world: World, tmp_path: Any) -> None:
    """An index made before 0003 (its events, no licence tables) gets the same licences by the upgrade alone."""
    import shutil

    from alembic import command
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import create_engine

    from ipledger.index.store import MIGRATIONS, database_url

    rid = f"0x{build_tree(world)['rid']:064x}"
    fresh = open_for(world.ipl, tmp_path / "fresh.sqlite")
    try:
        update(world.ipl, fresh)
        want = queries.licence_tree(fresh, rid)
    finally:
        fresh.close()
    old = tmp_path / "old.sqlite"
    shutil.copy(tmp_path / "fresh.sqlite", old)
    engine = create_engine(database_url(old))
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")  # as an index made before 0003: every event, no licence tables
    engine.dispose()
    store = Store(old)  # upgrades to the newest revision
    try:
        assert store.revision() == Store.newest_revision() and want["count"] == 8
        assert queries.licence_tree(store, rid) == want
    finally:
        store.close()
