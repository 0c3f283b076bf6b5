"""Node processes: launch anvil or Ganache from node_modules on a free port, wait until ready, stop them.

Every node a process launches is stopped when its chain closes, on error, and at interpreter
exit (the whole process group, SIGTERM then SIGKILL).
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from ipledger.config import Config
from ipledger.errors import ConfigError, NetworkError

log = logging.getLogger(__name__)

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_ACCOUNTS = 13  # 0-9 the test parties, 10-11 the RU and US office admins, 12 the guardian

_LIVE_PROCESSES: set[subprocess.Popen[bytes]] = set()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stops a node and its process group: SIGTERM, then SIGKILL after ``timeout``."""
    _LIVE_PROCESSES.discard(proc)
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=timeout)


@atexit.register
def _stop_all() -> None:
    for proc in list(_LIVE_PROCESSES):
        stop_process(proc, timeout=5)


def node_command(config: Config, backend: str, port: int, chain_id: int, *, host: str = "127.0.0.1",
                 accounts: int = DEV_ACCOUNTS, state_file: Path | None = None,
                 extra_args: tuple[str, ...] = ()) -> list[str]:
    """The command line that launches an anvil or Ganache node from node_modules."""
    binary = config.node_bin / backend
    if not binary.exists():
        raise NetworkError(f"{binary} is missing; run `make setup` (npm ci) in {config.root}")
    if backend == "anvil":
        cmd = [str(binary), "--host", host, "--port", str(port), "--chain-id", str(chain_id),
               "--accounts", str(accounts), "--mnemonic", DEV_MNEMONIC, "--silent"]
        if state_file is not None:
            cmd += ["--state", str(state_file)]
        return cmd + list(extra_args)
    if backend == "ganache":
        cmd = [str(binary), "--server.host", host, "--server.port", str(port),
               "--chain.chainId", str(chain_id), "--chain.hardfork", config.compiler.evm_version,
               "--wallet.mnemonic", DEV_MNEMONIC, "--wallet.totalAccounts", str(accounts),
               "--logging.quiet"]
        if state_file is not None:
            cmd += ["--database.dbPath", str(state_file)]
        return cmd + list(extra_args)
    raise ConfigError(f"backend '{backend}' is not a node that ipledger launches; use anvil or ganache")


def launch_node(config: Config, backend: str, chain_id: int, *, port: int | None = None,
                accounts: int = DEV_ACCOUNTS, timeout: float = 60.0, state_file: Path | None = None,
                extra_args: tuple[str, ...] = ()) -> tuple[subprocess.Popen[bytes], str]:
    """Starts anvil or Ganache on a free port and waits until it answers ``eth_chainId``.

    ``extra_args`` go to the node as they are (e.g. ``("--block-time", "1")`` for anvil).
    """
    port = port or free_port()
    cmd = node_command(config, backend, port, chain_id, accounts=accounts, state_file=state_file,
                       extra_args=extra_args)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    _LIVE_PROCESSES.add(proc)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, timeout)
    except BaseException:
        stop_process(proc)
        raise
    log.info("%s started on %s (pid %d)", backend, url, proc.pid)
    return proc, url


def wait_ready(url: str, proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """Polls the node until it answers, it exits, or ``timeout`` passes."""
    import json
    import urllib.error
    import urllib.request

    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise NetworkError(f"the node exited with code {proc.returncode} before it was ready: {err.strip()[:500]}")
        try:
            req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=2) as resp:
                if b"result" in resp.read():
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise NetworkError(f"no answer from {url} within {timeout:.0f} s; is the port free and the node installed?")
