"""The benchmark scripts run as a user would run them (the figures themselves are the benchmarks' job)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.mark.slow
def test_gas_benchmark_out_outside_the_repo_writes_there(tmp_path: Path) -> None:
    out = tmp_path / "elsewhere" / "gas.json"
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gas.py"), "--out", str(out)],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert f"wrote {out}" in res.stdout
    rows = {r["action"]: r for r in json.loads(out.read_text())}
    for action in ("file: with a 59-byte metadata URI", "fileBatch of 100, per right", "license offer+accept",
                   "OpenZeppelin ERC721 _mint: next token"):
        assert action in rows, sorted(rows)
    for row in rows.values():
        assert row["gas"] >= row["floor"] > 21_000, row  # a receipt never beats its computed floor
