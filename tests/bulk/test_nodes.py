"""Bulk import and export on real anvil nodes: the CLI end to end, the deployless reader, gas re-planning, and
exactly-once imports that survive SIGKILL, dropped transactions and stale transactions of an earlier run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulk_helpers import BULK_CLI, EXAMPLES, Node, assert_exactly_once, make_records, on_chain, start_node, write_json
from helpers import ROOT
from ipledger import bulk
from ipledger.abi import ContractCodec
from ipledger.bulk import ImportOptions, gas, reader
from ipledger.domain import Status, right_id
from ipledger.rpc import get_logs
from ipledger.build.compiler import CompileResult
from ipledger.config import Config
from ipledger.tx import FastSigner


@pytest.fixture(scope="module")
def node(config: Config, artifacts: CompileResult) -> Iterator[Node]:
    """One anvil for the tests of this module that only add rights."""
    yield from start_node(config, artifacts)


@pytest.fixture
def own_node(config: Config, artifacts: CompileResult) -> Iterator[Node]:
    """An anvil of the test's own (it kills processes, drops transactions or leaves stale ones)."""
    yield from start_node(config, artifacts)


@pytest.mark.nodes
def test_cli_import_and_export_on_anvil(node: Node, tmp_path: Path) -> None:
    records = make_records(300, node.holders, prefix="C", uri=True)
    src = write_json(tmp_path / "records.json", records)
    res = node.cli("import", str(src), "--network", node.url, "--account", "1", "--batch-size", "64", "--json",
                   "--journal", str(tmp_path / "import.journal"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["complete"] and out["filed"] == 300 and out["moves"] == 300 and out["transactions"] == 5 + 300
    journal = bulk.Journal.read(tmp_path / "import.journal")
    assert [e["event"] for e in journal][:2] == ["start", "round"] and journal[-1]["event"] == "done"
    assert sum(e["event"] == "sent" for e in journal) == 305
    assert_exactly_once(node.ipl, records)

    exported = node.cli("export", "-", "--network", node.url, "--office", "EM")
    assert exported.returncode == 0, exported.stderr
    em = [r for r in bulk.parse_records(exported.stdout, "json") if r.application_number.startswith("C")]
    assert bulk.dumps(em) == bulk.dumps([r for r in records if r.office == "EM"])

    again = node.cli("import", str(src), "--network", node.url, "--account", "1", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["transactions"] == 0


@pytest.mark.nodes
def test_cli_import_csv_example_and_text_output(node: Node) -> None:
    res = node.cli("import", str(EXAMPLES / "records.csv"), "--network", node.url, "--account", "1")
    assert res.returncode == 0, res.stderr
    assert "rights filed now" in res.stdout and "6" in res.stdout
    assert "actions" in res.stderr, "the progress bar goes to stderr"
    assert_exactly_once(node.ipl, bulk.load_records(EXAMPLES / "records.csv"))


@pytest.mark.nodes
def test_cli_rejects_bad_records_with_exit_2_and_files_nothing(node: Node) -> None:
    before = node.chain.w3.eth.get_transaction_count(node.ipl.address)
    res = node.cli("import", str(EXAMPLES / "invalid-records.json"), "--network", node.url, "--account", "1")
    assert res.returncode == 2, res.stderr
    for n in (2, 3, 4):
        assert f"record {n}," in res.stderr
    assert "record 1," not in res.stderr and "nothing was sent" in res.stderr
    assert node.chain.w3.eth.get_transaction_count(node.ipl.address) == before
    assert not node.ipl.exists(right_id("EM", "TM", "018345678")), "not even the valid record was filed"
    dry = node.cli("import", str(EXAMPLES / "records.json"), "--dry-run", "--json")
    assert dry.returncode == 0 and json.loads(dry.stdout)["records"] == 8
    bad_dry = node.cli("import", str(EXAMPLES / "invalid-records.json"), "--dry-run")
    assert bad_dry.returncode == 2


@pytest.mark.nodes
def test_cli_import_conflict_exits_1_files_nothing_for_it_and_skip_conflicts_exits_0(node: Node,
                                                                                       tmp_path: Path) -> None:
    """Issue #12: a right on chain under a record's number with another holder was "already on chain with another
    holder: 1, problems: 0", then published and registered, exit 0. Now: listed as a conflict, left alone, exit 1."""
    records = make_records(6, node.holders, prefix="K", moves=2)
    taken = records[2]
    other = node.holders[(node.holders.index(taken.holder) + 1) % len(node.holders)]
    node.ipl.file(taken.office, taken.ip_type, taken.application_number, holder=other, filing_date=taken.filing_date,
                  content_hash=taken.content_hash)
    src = write_json(tmp_path / "records.json", records)
    res = node.cli("import", str(src), "--network", node.url, "--account", "1", "--no-progress")
    assert res.returncode == 1, res.stdout + res.stderr
    conflicts = [line for line in res.stderr.splitlines() if line.startswith("conflict: ")]
    number = [r.right_id for r in bulk.load_records(src)].index(taken.right_id) + 1  # the file's canonical order
    assert len(conflicts) == 1
    assert f"record {number}, holder: {taken.ref} is on the register with other data" in conflicts[0]
    assert "Traceback" not in res.stderr
    states = on_chain(node.ipl, records)
    assert states[taken.right_id] == (other.lower(), Status.FILED), "not published or registered"
    assert all(states[r.right_id] == (r.holder.lower(), r.status) for r in records if r is not taken)
    skipped = node.cli("import", str(src), "--network", node.url, "--account", "1", "--skip-conflicts", "--json")
    assert skipped.returncode == 0, skipped.stderr
    out = json.loads(skipped.stdout)
    assert out["complete"] and out["transactions"] == 0 and len(out["conflicts"]) == 1


@pytest.mark.nodes
def test_cli_help_has_examples(node: Node) -> None:
    for cmd in ("import", "export"):
        res = node.cli(cmd, "--help")
        assert res.returncode == 0 and "Example" in res.stdout


@pytest.mark.nodes
def test_deployless_reader_matches_plain_calls(node: Node) -> None:
    records = make_records(7, node.holders, prefix="R")
    assert bulk.import_records(node.ipl, records).complete
    ids = [r.right_id for r in records] + [right_id("EM", "TM", "never-filed"), 1, 2**256 - 1]
    ipl = node.ipl
    fast = reader.reader_states(ipl, ids, chunk=4)
    slow = reader.call_states(ipl, ids)
    assert fast is not None and len(fast) == len(ids) and fast == slow
    many = ids + [right_id("RU", "PT", f"none-{i}") for i in range(1500)]  # two reader calls, one HTTP batch
    assert reader.reader_states(ipl, many) == reader.call_states(ipl, many)
    assert ipl.w3 not in reader._NO_READER, "anvil runs the reader"
    states = bulk.read_states(ipl, ids)
    assert [states[r.right_id] for r in records] == [(r.holder.lower(), r.status) for r in records]
    assert states[ids[-1]] == ("0x" + "00" * 20, Status.NONE)


@pytest.mark.nodes
def test_batch_out_of_gas_is_planned_again_with_an_estimate(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    records = make_records(40, node.holders, prefix="G", moves=1)
    monkeypatch.setattr(gas, "FILE_EXEC_GAS", 20_000)  # a cost model that is far too low
    monkeypatch.setattr(gas, "NEW_HOLDER_GAS", 0)
    report = bulk.import_records(node.ipl, records, ImportOptions(batch_size=20))
    assert report.complete and report.rounds == 2, report
    assert_exactly_once(node.ipl, records)


@pytest.mark.nodes
def test_sigkill_mid_import_then_rerun_files_everything_exactly_once(own_node: Node, tmp_path: Path) -> None:
    records = make_records(500, own_node.holders, prefix="K", moves=2)
    src = write_json(tmp_path / "records.json", records)
    args = ["import", str(src), "--network", own_node.url, "--account", "1", "--batch-size", "20", "--no-progress",
            "--json", "--journal", str(tmp_path / "import.journal")]
    proc = subprocess.Popen([*BULK_CLI, *args], cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    ipl = own_node.ipl
    published = ContractCodec(ipl.registry.abi).event_topic("StatusChanged")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            moved = get_logs(ipl.w3, ipl.registry.address, [published], 0, ipl.w3.eth.block_number)
            if len(moved) >= 500 + 150:  # every filing and 150 publications are in: kill it mid-way
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the import ended before it could be killed; make it bigger"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close() if proc.stdout else None
        proc.stderr.close() if proc.stderr else None
    assert proc.returncode == -signal.SIGKILL
    states = on_chain(ipl, records)
    partial = sum(states[r.right_id][1] is Status.REGISTERED for r in records)
    assert partial < len(records), "killed before the end"

    res = subprocess.run([*BULK_CLI, *args], cwd=str(ROOT), capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["complete"] and out["already_filed"] == 500 and out["filed"] == 0
    assert out["already_moved"] + out["moves"] == 1000 and out["moves"] > 0
    assert_exactly_once(ipl, records)
    runs = [e for e in bulk.Journal.read(tmp_path / "import.journal") if e["event"] == "start"]
    assert len(runs) == 2 and runs[1]["earlier_sent"] > 0


@pytest.mark.nodes
def test_dropped_transaction_is_detected_and_the_rest_resent(own_node: Node) -> None:
    w3 = own_node.chain.w3
    records = make_records(60, own_node.holders, prefix="D", moves=2)
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    paused, stop = threading.Event(), threading.Event()
    lock = threading.Lock()

    def miner() -> None:  # a block every 50 ms, unless paused
        while not stop.is_set():
            with lock:
                if not paused.is_set():
                    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            time.sleep(0.05)

    dropped: list[str] = []
    sent: list[str] = []

    def backlog() -> int:
        me = own_node.ipl.address
        return int(w3.eth.get_transaction_count(me, "pending")) - int(w3.eth.get_transaction_count(me, "latest"))

    def on_sent(tx_hash: bytes, nonce: int, kind: str) -> None:
        sent.append(kind)
        if kind == "move" and sent.count("move") >= 39 and not paused.is_set() and not dropped:
            with lock:
                # the next move stays pending ... (once the window has room for it: with 16 unmined the importer
                # would wait for a block that never comes, and the stall would not be the one this test makes)
                if backlog() <= 8:
                    paused.set()
        elif paused.is_set() and not dropped:
            with lock:  # ... and is dropped from the mempool, as a node under pressure would
                res = w3.provider.make_request("anvil_dropTransaction", ["0x" + tx_hash.hex()])  # type: ignore
                dropped.append(res.get("result"))
            paused.clear()

    thread = threading.Thread(target=miner, daemon=True)
    thread.start()
    try:
        report = bulk.import_records(own_node.ipl, records, ImportOptions(batch_size=25, receipt_timeout=3, window=16),
                                     on_sent=on_sent)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert dropped and dropped[0] is not None, "the transaction was dropped"
    assert report.complete and report.stalls == 1 and report.rounds == 2, report
    assert_exactly_once(own_node.ipl, records)
    assert w3.eth.get_transaction_count(own_node.ipl.address, "pending") == w3.eth.get_transaction_count(
        own_node.ipl.address, "latest"), "nothing stale is left in the mempool"


@pytest.mark.nodes
def test_stale_transactions_of_an_earlier_run_are_replaced_and_never_run(own_node: Node, tmp_path: Path) -> None:
    w3, ipl = own_node.chain.w3, own_node.ipl
    signer = FastSigner(ipl.account, own_node.chain.chain_id)
    mined = w3.eth.get_transaction_count(ipl.address, "latest")
    # an earlier run (killed) sent nonces mined+1 .. mined+3, but the one at `mined` was dropped: they wait
    sink = bytes.fromhex("00000000000000000000000000000000000b0b0b")
    journal = tmp_path / "import.journal"
    entries = [{"event": "start", "account": ipl.address, "chain_id": signer.chain_id}]
    for nonce in range(mined + 1, mined + 4):
        raw, tx_hash = signer.sign(nonce=nonce, to=sink, data=b"", gas=21_000, value=1, max_fee=10**10, tip=10**9)
        w3.eth.send_raw_transaction(raw)
        entries.append({"event": "sent", "nonce": nonce, "tx": "0x" + tx_hash.hex()})
    journal.write_text("".join(json.dumps(e) + "\n" for e in entries))
    assert w3.eth.get_transaction_count(ipl.address, "pending") == mined, "the node shows none of them"

    records = make_records(1, own_node.holders, prefix="S", moves=0)  # one transaction, fewer than the stale ones
    report = bulk.import_records(ipl, records, ImportOptions(journal=journal, receipt_timeout=2))
    # one stall for the stale transactions found; a second when the first replacement fees do not yet outbid them
    # (the stale ones pay 10 gwei: how far that is above the node's base fee depends on the blocks before)
    assert report.complete and report.stalls in (1, 2) and report.transactions == 4, report
    assert w3.eth.get_transaction_count(ipl.address, "latest") == mined + 4
    assert w3.eth.get_balance(w3.to_checksum_address(sink)) == 0, "no stale transaction ran"
    assert_exactly_once(ipl, records)
    kinds = [e.get("kind") for e in bulk.Journal.read(journal) if e["event"] == "sent"][3:]
    assert sorted(kinds) == ["cancel", "cancel", "cancel", "file"]
