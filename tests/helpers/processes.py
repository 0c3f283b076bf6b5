"""Processes the tests start or look for: the ``ipledger`` CLI, anvil and Ganache nodes, marked children."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
IPLEDGER = Path(sys.executable).with_name("ipledger")


def node_pids(port: int | str | None = None) -> set[int]:
    """PIDs of running anvil / Ganache processes; with ``port``, only those serving that port."""
    out = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    pids = set()
    for line in out.splitlines():
        pid, _, args = line.strip().partition(" ")
        if ("anvil" in args or "ganache" in args) and "ps -eo" not in args:
            if port is None or re.search(rf"(--port|--server\.port) {port}\b", args):
                pids.add(int(pid))
    return pids


def port_of(url: str) -> int:
    """The port of an ``http://host:port[/path]`` URL."""
    return int(url.rsplit(":", 1)[1].split("/")[0])


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 240,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs the venv's ``ipledger`` with ``args`` (a wide terminal, extra ``env``), capturing text output."""
    full_env = {**os.environ, "COLUMNS": "160", **(env or {})}
    return subprocess.run([str(IPLEDGER), *args], capture_output=True, text=True, timeout=timeout,
                          env=full_env, cwd=str(cwd or ROOT))


def processes_with_env(marker: str) -> set[int]:
    """PIDs of live processes whose environment holds ``IPLEDGER_TEST_MARK=marker`` (children inherit it)."""
    needle = f"IPLEDGER_TEST_MARK={marker}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.add(int(entry.name))
        except OSError:
            continue
    return found


@contextmanager
def persisted_on_anvil(config: Any, base: Path) -> Iterator[tuple[Any, dict[str, str]]]:
    """A deployment on a launched anvil whose record and index live under ``base``: ``(ipl, env)``, where ``env``
    (``IPLEDGER_DEPLOYMENTS_DIR``, ``IPLEDGER_INDEX_DIR``, also set in this process meanwhile) points a CLI
    process at them. The node is stopped and the environment restored afterwards, also on failure."""
    from ipledger.sdk import IPLedger

    env = {"IPLEDGER_DEPLOYMENTS_DIR": str(base / "deployments"), "IPLEDGER_INDEX_DIR": str(base / "index")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        ipl = IPLedger.connect("anvil", 0, config=config, deploy=True, persist=True)
        try:
            yield ipl, env
        finally:
            ipl.close()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
