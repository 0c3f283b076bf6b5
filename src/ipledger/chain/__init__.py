"""One way to get a connected Web3 for every backend.

``connect("embedded")`` runs eth-tester + py-evm in process (``chain.embedded``);
``connect("anvil")`` and ``connect("ganache")`` launch the npm node on a free port, wait
until it answers, and stop it when the chain is closed (``chain.nodes``); any other network
is a JSON-RPC URL. Every chain comes with its funded dev accounts as local signers (none
for a live network: bring a keystore account).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ipledger.chain.embedded import EmbeddedRevert, embedded_web3
from ipledger.chain.nodes import (
    DEV_ACCOUNTS,
    DEV_MNEMONIC,
    free_port,
    launch_node,
    node_command,
    stop_process,
    wait_ready,
)
from ipledger.config import Config, NetworkSettings, load_config
from ipledger.errors import NetworkError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3

RPC_TIMEOUT = 30.0  # seconds a node has to answer one request
CONNECT_TIMEOUT = 5.0
RPC_RETRIES = 3  # attempts to connect before a request fails

__all__ = ["CONNECT_TIMEOUT", "DEV_ACCOUNTS", "DEV_MNEMONIC", "RPC_RETRIES", "RPC_TIMEOUT", "Chain", "EmbeddedRevert",
           "connect", "describe", "dev_accounts", "free_port", "http_web3", "launch_node", "node_command",
           "stop_process", "wait_ready"]


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


def dev_accounts(count: int = DEV_ACCOUNTS, mnemonic: str = DEV_MNEMONIC) -> list[LocalAccount]:
    """The well-known dev accounts of local nodes (anvil's default mnemonic)."""
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{i}") for i in range(count)]


def http_web3(url: str, timeout: float) -> Web3:
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


def connect(network: str | None = None, config: Config | None = None, *, accounts: int = DEV_ACCOUNTS) -> Chain:
    """A connected chain for ``network`` (a name from brownie-config.yaml or an RPC URL)."""
    config = config or load_config()
    settings = config.network(network)
    if settings.backend == "embedded":
        w3, signers = embedded_web3()
        return Chain(name=settings.name, backend="embedded", w3=w3, accounts=signers[:accounts], settings=settings)
    if settings.backend in ("anvil", "ganache"):
        chain_id = settings.chain_id or (31337 if settings.backend == "anvil" else 1337)
        proc, url = launch_node(config, settings.backend, chain_id, accounts=accounts,
                                timeout=settings.timeout)
        try:
            w3 = http_web3(url, RPC_TIMEOUT)
            return Chain(name=settings.name, backend=settings.backend, w3=w3, accounts=dev_accounts(accounts),
                         settings=settings, process=proc, url=url)
        except BaseException:
            stop_process(proc)
            raise
    url = settings.resolved_host()
    w3 = http_web3(url, max(RPC_TIMEOUT, settings.timeout))
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
