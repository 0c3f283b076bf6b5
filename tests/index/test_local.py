"""``ipledger show`` and ``history`` from a fresh index, as a user runs them on anvil: the same answer as the chain.

One register on a launched anvil holds rights with every kind of history the record folds: registration, an
anchor, a metadata change, an assignment requested → accepted → recorded (EM), one accepted at RU (title moves), a
one-transaction assignment, pledges recorded and released, a pending request, licences with a sublicence, an
office base URI. After ``ipledger index`` the index answers ``show``/``history`` (``--from index``) with exactly
what the chain answers (``--from chain``), JSON and tables, except the block it names and the token URI a contract
renders; a stale index (a block after it) is not used by ``auto`` and refused by ``--from index`` in one line; no
index, another deployment's index or a reorganised one are refused the same way. The stdlib reader agrees with the
SQLAlchemy queries on the same file; the SDK reads events from the index up to its cursor and the chain after it;
``ipledger search`` finds rights by holder, office, status, dates and hash as the chain has them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_world
from helpers import ROOT, run_cli
from helpers.processes import persisted_on_anvil

from ipledger.config import Config
from ipledger.domain import IPType
from ipledger.index import Store, queries
from ipledger.index.local import LocalIndex, Unusable, sdk_value
from ipledger.sdk import IPLedger, LicenseTerms
from ipledger.types import right_ref

pytestmark = pytest.mark.nodes
DAY = 86_400


@pytest.fixture(scope="module")
def story(config: Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The register on anvil with its rights (refs by name), the env that points the CLI at it, the URL."""
    with persisted_on_anvil(config, tmp_path_factory.mktemp("local-index")) as (ipl, env):
        w = make_world(ipl)
        refs: dict[str, str] = {}
        # registered, anchored, metadata changed, assigned by request → acceptance → recordal (EM)
        r1 = w.file_registered("LOC-1")
        w.alice.anchor(r1, "0x" + "11" * 32, "deed")
        w.registrar.update_metadata(r1, "ipfs://bafy-new-metadata", "0x" + "22" * 32)
        w.alice.request_assignment(r1, w.bob.address, "0x" + "33" * 32)
        w.bob.accept_assignment(r1)
        w.registrar.record_assignment(r1)
        refs["recorded"] = "EM/TM/LOC-1"
        # RU: acceptance moves title; the office has a base URI
        w.ru_admin.set_base_uri("RU", "https://ru.example/rights/")
        r2 = w.file("LOC-2", office="RU")
        w.alice.request_assignment(r2, w.carol.address)
        w.carol.accept_assignment(r2)
        refs["accepted"] = "RU/TM/LOC-2"
        # one transaction, the assignee's signature relayed by the holder
        r3 = w.file_registered("LOC-3", office="RU")
        deadline = w.now() + DAY
        sig = w.dave.sign_title_assignment(r3, w.dave.address, None, deadline)
        w.alice.assign(r3, w.dave.address, deadline, sig)
        refs["one-tx"] = "RU/TM/LOC-3"
        # pledges: two recorded, the senior released, a third recorded
        r4 = w.file_registered("LOC-4")
        p1 = w.alice.record_pledge(r4, w.bob.address).pledge_id
        w.alice.record_pledge(r4, w.carol.address)
        w.bob.release_pledge(p1)
        w.alice.record_pledge(r4, w.dave.address)
        refs["pledged"] = "EM/TM/LOC-4"
        # a pending request; licences with a sublicence, one ended
        r5 = w.file_registered("LOC-5")
        w.alice.request_assignment(r5, w.carol.address)
        refs["pending"] = "EM/TM/LOC-5"
        r6 = w.file_registered("LOC-6")
        head = w.alice.offer_license(r6, w.bob.address, LicenseTerms(territories=("EM",), sublicensable=True))
        w.bob.accept_license(head.license_id)
        sub = w.bob.offer_license(r6, w.carol.address, LicenseTerms(territories=("EM",)), parent_id=head.license_id)
        w.carol.accept_license(sub.license_id)
        other = w.alice.offer_license(r6, w.dave.address, LicenseTerms(territories=("RU",)))
        w.dave.accept_license(other.license_id)
        w.dave.surrender_license(other.license_id)
        refs["licensed"] = "EM/TM/LOC-6"
        url = str(ipl.chain.url)
        done = run_cli("index", "--network", url, "--no-progress", "--json", env=env)
        assert done.returncode == 0, done.stderr
        yield {"ipl": ipl, "world": w, "refs": refs, "env": env, "url": url}


def _cli(story: dict[str, Any], *args: str) -> Any:
    return run_cli(*args, "--network", story["url"], env=story["env"])


def _json(story: dict[str, Any], *args: str) -> dict[str, Any]:
    """The command's JSON answer, run in process (the installed command's code without its start-up: the
    process-level tests below run it as a user does)."""
    from click.testing import CliRunner

    from ipledger.cli import cli

    done = CliRunner().invoke(cli, [*args, "--network", story["url"], "--json"], env=story["env"])
    assert done.exit_code == 0, f"{args}: {done.output} {done.exception!r}"
    return json.loads(done.stdout)


@pytest.mark.parametrize("which", ["recorded", "accepted", "one-tx", "pledged", "pending", "licensed"])
def test_show_and_history_from_the_index_equal_the_chain(story: dict[str, Any], which: str) -> None:
    ref = story["refs"][which]
    chain_show, index_show = _json(story, "show", ref, "--from", "chain"), _json(story, "show", ref, "--from", "index")
    source = index_show.pop("source")
    assert source["block"] >= story["ipl"].deployment.first_block and source["index"].endswith(".sqlite")
    chain_uri, index_uri = chain_show.pop("token_uri"), index_show.pop("token_uri")
    if which in ("accepted", "one-tx"):  # RU's base URI + id: the index says the same
        assert index_uri == chain_uri and chain_uri.startswith("https://ru.example/rights/")
    else:  # a document the contract renders: left to the chain
        assert index_uri is None and chain_uri.startswith("data:application/json;base64,")
    assert index_show == chain_show
    chain_history = _json(story, "history", ref, "--from", "chain")
    index_history = _json(story, "history", ref, "--from", "index")
    assert index_history.pop("source") == source
    assert index_history == chain_history


def test_the_folded_record_has_what_the_register_keeps(story: dict[str, Any]) -> None:
    w = story["world"]
    pledged = _json(story, "show", story["refs"]["pledged"], "--from", "index")
    assert pledged["creditors"] == [w.carol.address, w.dave.address] and pledged["pledge_count"] == 2
    assert _json(story, "show", story["refs"]["pending"], "--from", "index")["pending_assignee"] == w.carol.address
    one_tx = _json(story, "show", story["refs"]["one-tx"], "--from", "index")
    assert one_tx["holder"] == w.dave.address and one_tx["assignment_sequence"] == 1
    licensed = _json(story, "history", story["refs"]["licensed"], "--from", "index")
    assert {e["name"] for e in licensed["events"]} >= {"LicenseOffered", "LicenseAccepted", "LicenseSurrendered"}


def test_tables_are_the_chains_with_the_block_they_are_valid_at(story: dict[str, Any]) -> None:
    ref = story["refs"]["recorded"]
    for command in ("show", "history"):
        chain = _cli(story, command, ref, "--from", "chain")
        index = _cli(story, command, ref)  # auto: the index is fresh
        assert chain.returncode == index.returncode == 0, chain.stderr + index.stderr
        lines = index.stdout.splitlines()
        assert "from the index at block" in lines[-1]
        strip = [ln for ln in lines[:-1] if "Token URI" not in ln]
        assert strip == [ln for ln in chain.stdout.splitlines() if "Token URI" not in ln]


def test_a_stale_index_is_not_used_and_index_only_says_why(story: dict[str, Any]) -> None:
    w = story["world"]
    w.file("LOC-LATE")  # a block after the index's cursor
    auto = _json(story, "show", "EM/TM/LOC-LATE")
    assert "source" not in auto and auto["application_number"] == "LOC-LATE"  # read from the chain
    forced = _cli(story, "show", story["refs"]["recorded"], "--from", "index")
    assert forced.returncode == 2 and "Traceback" not in forced.stderr
    assert forced.stderr.strip().count("\n") == 0 and "the index is at block" in forced.stderr
    assert "ipledger index" in forced.stderr
    again = run_cli("index", "--network", story["url"], "--no-progress", "--json", env=story["env"])
    assert again.returncode == 0, again.stderr
    assert _json(story, "show", "EM/TM/LOC-LATE", "--from", "index")["application_number"] == "LOC-LATE"


def test_no_index_or_another_deployments_index_is_refused_in_one_line(story: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    ref = story["refs"]["recorded"]
    empty = {**story["env"], "IPLEDGER_INDEX_DIR": str(tmp_path / "none")}
    done = run_cli("show", ref, "--network", story["url"], "--from", "index", env=empty)
    assert done.returncode == 2 and "no index at" in done.stderr and "ipledger index" in done.stderr
    assert "source" not in json.loads(run_cli("show", ref, "--network", story["url"], "--json", env=empty).stdout)
    other = tmp_path / "deployments"
    other.mkdir()
    record = json.loads((Path(story["env"]["IPLEDGER_DEPLOYMENTS_DIR"]) / "31337.json").read_text())
    record["contracts"]["IPRegistry"]["address"] = "0x" + "12" * 20
    (other / "31337.json").write_text(json.dumps(record))
    done = run_cli("show", ref, "--network", story["url"], "--from", "index",
                   env={**story["env"], "IPLEDGER_DEPLOYMENTS_DIR": str(other)})
    assert done.returncode == 2 and "another deployment" in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_right_in_the_index_is_left_to_the_chain(story: dict[str, Any]) -> None:
    done = _cli(story, "show", "EM/TM/NEVER-FILED", "--from", "index")
    assert done.returncode == 2 and "holds no such right" in done.stderr
    done = _cli(story, "history", "EM/TM/NEVER-FILED")  # auto: the chain says it does not exist
    assert done.returncode == 2 and "no right" in done.stderr


def test_the_stdlib_reader_agrees_with_the_sqlalchemy_queries(story: dict[str, Any], config: Config) -> None:
    index = LocalIndex.open(config, story["url"])
    store = Store(Path(story["env"]["IPLEDGER_INDEX_DIR"]) / "31337.sqlite")
    try:
        rid = index.find("EM", IPType.TRADE_MARK, "LOC-1")
        assert rid is not None
        assert index.right(rid) == {k: v for k, v in queries.right(store, rid).items()
                                    if k in index.right(rid)}
        registry = [e for e in queries.history(store, rid) if e["contract"] in ("IPRegistry", "SecurityInterests")
                    and e["name"] != "Transfer"]
        mine = index.events(rid, ("IPRegistry", "SecurityInterests"))
        assert [(e["block"], e["log_index"], e["name"]) for e in mine] == \
               [(e["block"], e["log_index"], e["name"]) for e in registry]
        times = index.block_times({e["block"] for e in mine})
        assert times == {e["block"]: e["timestamp"] for e in registry}
    finally:
        index.close()
        store.close()


def test_a_reorganised_index_is_refused(story: dict[str, Any], config: Config) -> None:
    ipl = story["ipl"]
    snap = ipl.w3.provider.make_request("evm_snapshot", [])["result"]
    try:
        run = run_cli("index", "--network", story["url"], "--no-progress", env=story["env"])
        assert run.returncode == 0, run.stderr
        ipl.w3.provider.make_request("evm_revert", [snap])
        ipl.w3.provider.make_request("anvil_mine", [hex(3)])  # same heights, other hashes
        with pytest.raises(Unusable, match="no longer the chain's|the index is at block"):
            LocalIndex.open(config, story["url"])
    finally:
        run_cli("index", "--network", story["url"], "--no-progress", env=story["env"])


@pytest.mark.parametrize(("kind", "stored", "sdk"), [
    ("bytes8", "A1", "0x4131000000000000"), ("bytes8", "0x00ff000000000000", "0x00ff000000000000"),
    ("bytes2", "EM", "EM"), ("bytes3", "F10", "F10"), ("uint256", str(2**60), 2**60), ("uint40", 7, 7),
    ("bytes2[]", ["EM", "RU"], ["EM", "RU"]), ("string", "A1", "A1"), ("bytes32", "0x" + "ab" * 32, "0x" + "ab" * 32),
])
def test_stored_arguments_come_back_as_the_sdk_gives_them(kind: str, stored: Any, sdk: Any) -> None:
    assert sdk_value(kind, stored) == sdk


def test_the_fast_path_imports_neither_web3_nor_sqlalchemy() -> None:
    import subprocess
    import sys

    code = ("import sys; import ipledger.cli.app, ipledger.cli.indexed, ipledger.index.local, ipledger.sdk.history, "
            "ipledger.cli.render; print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'web3', 'sqlalchemy', 'eth_abi', 'eth_utils', 'eth_account'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_sdk_reads_events_from_the_index_and_the_blocks_after_it_from_the_chain(story: dict[str, Any],
                                                                                   config: Config) -> None:
    run = run_cli("index", "--network", story["url"], "--no-progress", env=story["env"])
    assert run.returncode == 0, run.stderr
    ipl = IPLedger.connect(story["url"], 0, config=config)
    try:
        rid = right_ref(story["refs"]["licensed"])
        asked: list[int] = []
        inner = ipl.w3.provider.make_request

        def counting(method: Any, params: Any) -> Any:
            if method == "eth_getLogs":
                asked.append(int(params[0]["fromBlock"], 16))
            return inner(method, params)

        ipl.w3.provider.make_request = counting  # type: ignore[method-assign]
        index = ipl.local_index()
        assert index is not None
        cursor = index.freshness.cursor
        index.close()
        with_index = ipl.history(rid), ipl.right(rid)
        assert all(start > cursor for start in asked)  # nothing the index holds is asked of the chain
        story["world"].alice.anchor(rid, "0x" + "44" * 32, "evidence")  # after the cursor: from the chain
        ipl.read_index = False
        asked.clear()
        without = ipl.history(rid), ipl.right(rid)
        assert min(asked) == ipl.deployment.first_block
        ipl.read_index = True
        again = ipl.history(rid)
        assert again == without[0] and again.anchors[-1].document_hash == "0x" + "44" * 32
        assert with_index[1] == without[1] and with_index[0].events == without[0].events[:len(with_index[0].events)]
    finally:
        ipl.close()


def _refs(answer: dict[str, Any]) -> set[str]:
    return {r["ref"] for r in answer["rights"]}


def test_search_finds_rights_by_holder_office_status_date_and_hash(story: dict[str, Any]) -> None:
    run = run_cli("index", "--network", story["url"], "--no-progress", env=story["env"])
    assert run.returncode == 0, run.stderr
    w, ipl = story["world"], story["ipl"]
    everything = _json(story, "search", "rights", "--limit", "500")
    assert everything["valid_at"]["block"] is not None
    refs = _refs(everything)
    assert set(story["refs"].values()) <= refs
    # each answer is what the chain says of the same rights
    for who in (w.alice, w.bob, w.carol, w.dave):
        want = {ref for ref in refs if ipl.right(right_ref(ref)).holder == who.address}
        assert _refs(_json(story, "search", "rights", "--holder", who.address.lower())) == want
    assert _refs(_json(story, "search", "rights", "--office", "RU")) == {"RU/TM/LOC-2", "RU/TM/LOC-3"}
    registered = _refs(_json(story, "search", "rights", "--office", "EM", "--status", "registered"))
    assert registered == {ref for ref in refs if ref.startswith("EM/")
                          and ipl.right(right_ref(ref)).status.name == "REGISTERED"}
    hashed = _refs(_json(story, "search", "rights", "--content-hash", "0x" + "ab" * 32))
    assert {"EM/TM/LOC-1", "RU/TM/LOC-3", "EM/TM/LOC-4"} <= hashed and "RU/TM/LOC-2" not in hashed
    assert _refs(_json(story, "search", "rights", "--filed-to", "2000-01-01")) == set()
    assert _refs(_json(story, "search", "rights", "--filed-from", "2000-01-01", "--number", "LOC-5")) == \
        {"EM/TM/LOC-5"}
    page = _json(story, "search", "rights", "--limit", "2", "--offset", "1")["rights"]
    assert [r["ref"] for r in page] == [r["ref"] for r in everything["rights"][1:3]]
    table = _cli(story, "search", "rights", "--office", "RU")
    assert table.returncode == 0 and "LOC-2" in table.stdout and "from the index at block" in table.stdout


def test_search_hash_is_proof_of_existence(story: dict[str, Any], tmp_path: Path) -> None:
    hits = _json(story, "search", "hash", "--hash", "0x" + "11" * 32)["hits"]
    assert [h["name"] for h in hits] == ["DocumentAnchored"] and hits[0]["timestamp"] > 0
    document = tmp_path / "nothing.txt"
    document.write_text("never anchored")
    assert _json(story, "search", "hash", "--document", str(document))["hits"] == []


def test_search_without_an_index_names_the_fix_and_makes_none(story: dict[str, Any], tmp_path: Path) -> None:
    done = run_cli("search", "rights", "--network", story["url"],
                   env={**story["env"], "IPLEDGER_INDEX_DIR": str(tmp_path / "none")})
    assert done.returncode == 2 and "no index at" in done.stderr and "ipledger index" in done.stderr
    assert not (tmp_path / "none").exists()


def test_search_licences_by_licensee_right_and_state(story: dict[str, Any]) -> None:
    w, ipl = story["world"], story["ipl"]
    rid = right_ref(story["refs"]["licensed"])
    of_right = _json(story, "search", "licences", "--right", story["refs"]["licensed"])["licences"]
    chain = {lid: ipl.license(lid) for lid in ipl.licenses_of_right(rid)}
    assert [x["licence_id"] for x in of_right] == sorted(chain) and len(of_right) == 3
    for x in of_right:
        assert x["licensee"] == chain[x["licence_id"]].licensee and x["active"] == chain[x["licence_id"]].active
    held = _json(story, "search", "licences", "--licensee", w.carol.address)["licences"]
    assert [(x["right_ref"], x["parent_id"] != 0) for x in held] == [("EM/TM/LOC-6", True)]
    ended = _json(story, "search", "licences", "--state", "surrendered")["licences"]
    assert [x["licensee"] for x in ended] == [w.dave.address]
    assert _json(story, "search", "licences", "--licensee", w.stranger.address)["licences"] == []
