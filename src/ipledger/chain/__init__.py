"""One way to get a connected Web3 for every backend.

``connect("embedded")`` runs eth-tester + py-evm in process; ``connect("anvil")`` and
``connect("ganache")`` launch the npm node on a free port, wait until it answers, and stop
it when the chain is closed (also at interpreter exit, and on error); any other network is
a JSON-RPC URL. Every chain comes with its funded dev accounts as local signers (none for a
live network: bring a keystore account).
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipledger.config import Config, NetworkSettings, load_config
from ipledger.errors import ConfigError, NetworkError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3

log = logging.getLogger(__name__)

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_ACCOUNTS = 10
RPC_TIMEOUT = 30.0  # seconds a node has to answer one request
CONNECT_TIMEOUT = 5.0
RPC_RETRIES = 3  # attempts to connect before a request fails

_LIVE_PROCESSES: set[subprocess.Popen[bytes]] = set()


@dataclass
class Chain:
    """A connected chain: its Web3, the accounts that can sign on it, and the node it owns."""

    name: str
    backend: str
    w3: Web3
    accounts: list[LocalAccount]
    settings: NetworkSettings
    process: subprocess.Popen[bytes] | None = None
    url: str | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def chain_id(self) -> int:
        return int(self.w3.eth.chain_id)

    @property
    def is_local(self) -> bool:
        return not self.settings.live

    def close(self) -> None:
        """Stops the node this chain launched (if any). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self.process is not None:
            stop_process(self.process)

    def __enter__(self) -> Chain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- accounts


def dev_accounts(count: int = DEV_ACCOUNTS, mnemonic: str = DEV_MNEMONIC) -> list[LocalAccount]:
    """The well-known dev accounts of local nodes (anvil's default mnemonic)."""
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{i}") for i in range(count)]


# ---------------------------------------------------------------- processes


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


# ---------------------------------------------------------------- connecting


def _http_web3(url: str, timeout: float) -> Web3:
    """A Web3 over HTTP whose every request ends: connected within CONNECT_TIMEOUT, answered within ``timeout``.

    web3 retries most methods five times on connection errors *and* timeouts by default, which turns a hung
    node into minutes per call and may send a raw transaction twice. Here only failures to connect are
    retried (the request never reached the node), a few times with a short back-off, and a raw transaction
    is never re-sent: a dead or hung node surfaces as one ``NetworkError`` in seconds.
    """
    import requests
    from web3 import HTTPProvider, Web3
    from web3.providers.rpc.utils import REQUEST_RETRY_ALLOWLIST, ExceptionRetryConfiguration

    retry = ExceptionRetryConfiguration(
        errors=(requests.exceptions.ConnectionError,), retries=RPC_RETRIES, backoff_factor=0.1,
        method_allowlist=[m for m in REQUEST_RETRY_ALLOWLIST if m != "eth_sendRawTransaction"])
    return Web3(HTTPProvider(url, request_kwargs={"timeout": (min(CONNECT_TIMEOUT, timeout), timeout)},
                             exception_retry_configuration=retry))


class EmbeddedRevert(Exception):
    """A call or gas estimate reverted on the embedded chain; ``data`` holds the raw revert data."""

    def __init__(self, data: bytes) -> None:
        super().__init__(f"execution reverted: {data!r}")
        self.data = data


def _raw_reverts(endpoint: Any) -> Any:
    """Wraps an eth-tester endpoint so that a revert keeps its raw data.

    web3's eth-tester provider ABI-decodes every revert as ``Error(string)``, which loses the
    selector of a custom error whose arguments happen to decode as a string. The wrapper raises
    ``EmbeddedRevert`` (which web3 lets through) with the bytes, so decoding is the same as over
    JSON-RPC.
    """
    from eth_tester.exceptions import TransactionFailed

    def wrapped(tester: Any, params: Any) -> Any:
        try:
            return endpoint(tester, params)
        except TransactionFailed as exc:
            raw = exc.args[0] if exc.args else b""
            if isinstance(raw, Exception) and raw.args:
                raw = raw.args[0]
            if isinstance(raw, (bytes, bytearray)):
                raise EmbeddedRevert(bytes(raw)) from None
            raise

    return wrapped


def _embedded_web3() -> tuple[Web3, list[LocalAccount]]:
    from eth_account import Account
    from eth_tester import EthereumTester, PyEVMBackend
    from web3 import EthereumTesterProvider, Web3
    from web3.providers.eth_tester.defaults import API_ENDPOINTS

    backend = PyEVMBackend()
    tester = EthereumTester(backend)
    endpoints = {ns: dict(calls) for ns, calls in API_ENDPOINTS.items()}
    for name in ("call", "estimateGas"):
        endpoints["eth"][name] = _raw_reverts(endpoints["eth"][name])
    w3 = Web3(EthereumTesterProvider(tester, api_endpoints=endpoints))
    keys = backend.account_keys
    return w3, [Account.from_key(k.to_bytes()) for k in keys]


def connect(network: str | None = None, config: Config | None = None, *, accounts: int = DEV_ACCOUNTS) -> Chain:
    """A connected chain for ``network`` (a name from brownie-config.yaml or an RPC URL)."""
    config = config or load_config()
    settings = config.network(network)
    if settings.backend == "embedded":
        w3, signers = _embedded_web3()
        return Chain(name=settings.name, backend="embedded", w3=w3, accounts=signers[:accounts], settings=settings)
    if settings.backend in ("anvil", "ganache"):
        chain_id = settings.chain_id or (31337 if settings.backend == "anvil" else 1337)
        proc, url = launch_node(config, settings.backend, chain_id, accounts=accounts,
                                timeout=settings.timeout)
        try:
            w3 = _http_web3(url, RPC_TIMEOUT)
            return Chain(name=settings.name, backend=settings.backend, w3=w3, accounts=dev_accounts(accounts),
                         settings=settings, process=proc, url=url)
        except BaseException:
            stop_process(proc)
            raise
    url = settings.resolved_host()
    w3 = _http_web3(url, max(RPC_TIMEOUT, settings.timeout))
    try:
        node_chain_id = int(w3.eth.chain_id)
    except Exception as exc:  # noqa: BLE001 - any transport failure means the same to the user
        raise NetworkError(
            f"no node answers at {url} ({type(exc).__name__}); start one with `ipledger node` or check the URL"
        ) from None
    if settings.chain_id is not None and node_chain_id != settings.chain_id:
        raise NetworkError(
            f"the node at {url} reports chain id {node_chain_id}, but network '{settings.name}' expects "
            f"{settings.chain_id}; point the network at the right node"
        )
    signers = [] if settings.live else dev_accounts(accounts)
    return Chain(name=settings.name, backend="rpc", w3=w3, accounts=signers, settings=settings, url=url)


def describe(chain: Chain) -> dict[str, Any]:
    """A small summary for logs and the CLI."""
    return {"network": chain.name, "backend": chain.backend, "chain_id": chain.chain_id, "url": chain.url or "in-process"}
