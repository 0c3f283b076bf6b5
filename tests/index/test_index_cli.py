"""``ipledger index`` as a user runs it, on anvil: killed with SIGKILL mid-run it loses and duplicates nothing.

The test deploys on a launched anvil (the record in a temporary deployments folder the CLI is pointed at),
files rights in several blocks and mines a long stretch of empty blocks, then runs ``ipledger index --span 1``
(one block per span, so the run takes long enough to be killed in the middle), kills it once the index has
committed some spans, runs it again, and compares the index with the chain.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import make_world
from helpers import IPLEDGER, ROOT, run_cli
from ipledger.config import Config
from ipledger.index import Store, schema
from ipledger.index.ledger import decoder_for
from ipledger.sdk import IPLedger
from ipledger import rpc

pytestmark = pytest.mark.nodes


def _cursor(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute("select value from meta where key = 'cursor_block'").fetchone()
    except sqlite3.Error:
        return -1
    return int(row[0]) if row else -1


def test_index_killed_mid_run_resumes_and_writes_nothing_twice(config: Config, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    deployments = tmp_path / "deployments"
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(deployments))
    ipl = IPLedger.connect("anvil", 0, config=config, deploy=True, persist=True)
    try:
        world = make_world(ipl)
        for i in range(12):
            world.file(f"K{i:04d}")
            ipl.w3.provider.make_request("anvil_mine", [hex(40)])
        url = str(ipl.chain.url)
        db = tmp_path / "index.sqlite"
        env = {**os.environ, "COLUMNS": "160"}
        proc = subprocess.Popen([str(IPLEDGER), "index", "--network", url, "--db", str(db), "--span", "1",
                                 "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        head = ipl.w3.eth.block_number
        deadline = time.monotonic() + 120
        while _cursor(db) < ipl.deployment.first_block + 60 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the first run ended before it could be killed: make the chain longer"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        stopped_at = _cursor(db)
        assert ipl.deployment.first_block < stopped_at < head
        again = run_cli("index", "--network", url, "--db", str(db), "--no-progress", "--json")
        assert again.returncode == 0, again.stderr
        summary = json.loads(again.stdout)
        assert summary["from_block"] == stopped_at + 1 and summary["block"] == head
        decoder = decoder_for(ipl)
        logs = rpc.get_logs(ipl.w3, decoder.addresses, [], ipl.deployment.first_block, head)
        want = [(r["block"], r["log_index"], r["name"]) for r in map(decoder.row, logs) if r is not None]
        store = Store(db)
        try:
            e = schema.events
            with store.engine.connect() as conn:
                got = [(r.block, r.log_index, r.name)
                       for r in conn.execute(e.select().order_by(e.c.block, e.c.log_index))]
        finally:
            store.close()
        assert got == want and len(want) >= 12 * 3
        third = run_cli("index", "--network", url, "--db", str(db), "--no-progress")
        assert third.returncode == 0 and "0 new event(s)" in third.stdout
    finally:
        ipl.close()
