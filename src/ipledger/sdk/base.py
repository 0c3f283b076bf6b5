"""The connection every SDK room builds on: chain, deployment, contracts, one sender per account.

``ClientBase`` connects (``connect``), switches accounts (``as_account``), sends
(``transact``), calls (``call``) and decodes logs (``decode_logs``); the action rooms
(``registry``, ``parties``, ``licensing``, ``reads``) are mixins over it and
``ipledger.sdk.client.IPLedger`` combines them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from eth_utils import to_checksum_address
from typing_extensions import Self

from ipledger import rpc, types
from ipledger.abi import ErrorDecoder, topic
from ipledger.build.compiler import CompileResult, compile_project
from ipledger.config import Config, load_config
from ipledger.deploy import Deployment, deploy_suite, load_record
from ipledger.errors import DeploymentError, NetworkError, UsageError
from ipledger.sdk import signing
from ipledger.sdk.results import Event, TxResult
from ipledger.tx.sender import Sender, translated

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from ipledger.chain import Chain


def jsonable(value: Any) -> Any:
    """Event arguments as JSON-ready values: bytes as 0x-hex (ST.3 codes as text), tuples as lists."""
    if isinstance(value, (bytes, bytearray)):
        if len(value) in (2, 3) and all(0x20 < b < 0x7F for b in value):
            return bytes(value).decode()
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    return value


class ClientBase:
    """A connection to a deployed IP Ledger, acting as one account."""

    def __init__(self, chain: Chain, deployment: Deployment, artifacts: CompileResult, account: LocalAccount,
                 *, config: Config | None = None, owns_chain: bool = False, confirmations: int = 0) -> None:
        self.chain = chain
        self.w3 = chain.w3
        self.deployment = deployment
        self.artifacts = artifacts
        self.account = account
        self.config = config
        self.read_index = True  # reads of events use the deployment's index when one serves (``local_index``)
        self._index_times: dict[int, int] = {}  # block times the index gave alongside events
        self._owns_chain = owns_chain
        self.decoder = ErrorDecoder()
        for art in artifacts.artifacts.values():
            self.decoder.add_abi(art.abi, art.metadata)
        self.contracts: dict[str, Any] = {
            name: self.w3.eth.contract(address=to_checksum_address(c.address), abi=artifacts[name].abi)
            for name, c in deployment.contracts.items()
        }
        self._topics: dict[bytes, tuple[str, str]] = {}
        for cname, contract in self.contracts.items():
            for item in contract.abi:
                if item.get("type") == "event":
                    self._topics[topic(item)] = (cname, item["name"])
        self.sender = Sender(chain, account, decoder=self.decoder, confirmations=confirmations,
                             expected_chain_id=deployment.chain_id)
        self._senders: dict[str, Sender] = {account.address: self.sender}

    # ------------------------------------------------------------ connecting

    @classmethod
    def connect(cls, network: str | None = None, account: Any = 0, *, config: Config | None = None,
                chain: Chain | None = None, deploy: bool = False, persist: bool | None = None,
                confirmations: int | None = None) -> Self:
        """Connects to ``network`` and loads (or, with ``deploy=True``, makes) the deployment.

        ``persist`` (with ``deploy``) writes the deployment record; by default only chains that
        outlive the process (RPC networks) are recorded.
        """
        from ipledger.accounts import resolve_account
        from ipledger.chain import connect as connect_chain

        config = config or load_config()
        owns = chain is None
        chain = chain or connect_chain(network, config)
        try:
            artifacts = compile_project(config)
            signer = resolve_account(chain, account)
            if deploy:
                deployment = deploy_suite(chain, signer, artifacts, config=config, persist=persist)
            else:
                if chain.backend == "embedded" or chain.process is not None:
                    raise DeploymentError(
                        f"network '{chain.name}' starts empty every time; pass deploy=True (CLI: use `ipledger demo` "
                        "or a persistent node started with `ipledger node`)"
                    )
                deployment = load_record(config, chain, artifacts)
            conf = chain.settings.confirmations if confirmations is None else confirmations
            return cls(chain, deployment, artifacts, signer, config=config, owns_chain=owns, confirmations=conf)
        except BaseException:
            if owns:
                chain.close()
            raise

    def as_account(self, account: Any) -> Self:
        """The same connection acting as another account (dev index, address, or signer)."""
        from ipledger.accounts import resolve_account

        signer = resolve_account(self.chain, account)
        other = type(self).__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.account = signer
        other._owns_chain = False
        sender = self._senders.get(signer.address)
        if sender is None:
            sender = Sender(self.chain, signer, decoder=self.decoder, confirmations=self.sender.confirmations,
                            expected_chain_id=self.deployment.chain_id)
            self._senders[signer.address] = sender
        other.sender = sender
        return other

    def reset_nonces(self) -> None:
        """Forgets cached nonces (after a snapshot revert, or when another tool sent from the same accounts)."""
        for sender in self._senders.values():
            sender.reset_nonce()

    def close(self) -> None:
        if self._owns_chain:
            self.chain.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def address(self) -> str:
        return str(self.account.address)

    @property
    def registry(self) -> Any:
        return self.contracts["IPRegistry"]

    @property
    def parties(self) -> Any:
        return self.contracts["PartyRegistry"]

    # ------------------------------------------------------------ plumbing

    def transact(self, fn: Any, label: str) -> TxResult:
        """Sends a contract function as this account and waits; returns the receipt's result."""
        receipt = self.sender.send(fn, label=label)
        return self._result(receipt)

    def _result(self, receipt: Any) -> TxResult:
        return TxResult(
            tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            gas_used=int(receipt["gasUsed"]),
            block=int(receipt["blockNumber"]),
            events=tuple(self.decode_logs(receipt["logs"])),
        )

    def decode_logs(self, logs: Iterable[Any]) -> list[Event]:
        """Decodes the logs of our contracts; others are skipped."""
        out = []
        by_address = {c.address.lower(): name for name, c in self.contracts.items()}
        for log in logs:
            if not log["topics"]:
                continue
            key = self._topics.get(bytes(log["topics"][0]))
            if key is None or str(log["address"]).lower() not in by_address:
                continue
            cname = by_address[str(log["address"]).lower()]
            event_name = key[1]
            try:
                decoded = self.contracts[cname].events[event_name]().process_log(log)
            except Exception:  # noqa: BLE001 - an event of the same signature from another ABI
                continue
            out.append(Event(
                name=event_name, args=jsonable(dict(decoded["args"])), contract=cname,
                block=int(log["blockNumber"]), log_index=int(log["logIndex"]),
                tx_hash="0x" + bytes(log["transactionHash"]).hex(),
            ))
        return out

    def call(self, fn: Any, label: str) -> Any:
        """Calls a view function as this account; a revert raises the named error."""
        with translated(self.decoder, label):
            return fn.call({"from": self.address})

    @property
    def interests(self) -> Any:
        """The SecurityInterests contract (a UsageError if this deployment has none)."""
        if "SecurityInterests" not in self.contracts:
            raise UsageError("this deployment has no SecurityInterests; redeploy with `ipledger deploy --force`")
        return self.contracts["SecurityInterests"]

    @property
    def licenses(self) -> Any:
        """The LicenseRegistry contract (a UsageError if this deployment has none)."""
        if "LicenseRegistry" not in self.contracts:
            raise UsageError("this deployment has no LicenseRegistry; redeploy with `ipledger deploy --force`")
        return self.contracts["LicenseRegistry"]

    # ------------------------------------------------------------ events

    def logs(self, addresses: list[str], topics: list[Any], what: str, *, from_block: int | None = None
             ) -> list[dict[str, Any]]:
        """Every log of ``addresses`` matching ``topics`` since the deployment (or ``from_block``), in web3's form,
        read in spans of the network's ``max_log_span`` blocks (halved when the node refuses; ``rpc.get_logs``)."""
        from hexbytes import HexBytes

        with translated(self.decoder, what):
            head = int(self.w3.eth.block_number)
            first = self.deployment.first_block if from_block is None else from_block
            raw = rpc.get_logs(self.w3, addresses, topics, first, head, span=self.chain.settings.max_log_span) \
                if first <= head else []
        return [{"address": to_checksum_address(r.address), "topics": [HexBytes(t) for t in r.topics],
                 "data": HexBytes(r.data), "blockNumber": r.block, "logIndex": r.index,
                 "transactionHash": HexBytes(r.tx_hash), "blockHash": HexBytes(r.block_hash),
                 "transactionIndex": r.tx_index} for r in raw]

    def local_index(self) -> Any:
        """The deployment's SQLite index (``ipledger index``) when it can serve reads — its cursor block still the
        chain's, bound to this deployment — else None (``read_index = False`` turns it off). It need not be
        fresh: the blocks after its cursor are read from the chain."""
        if not self.read_index or self.config is None:
            return None
        from ipledger.index.local import LocalIndex, Unusable

        try:
            index = LocalIndex.open_settings(self.config, self.chain.settings, fresh=False)
        except Unusable:
            return None
        if index.contracts != {n: c.address.lower() for n, c in self.contracts.items()}:
            index.close()
            return None
        return index

    def _events_of(self, right_id: int, names: tuple[str, ...], what: str) -> list[Event]:
        """The events of ``names`` (contracts) whose topic 1 is the right: the index's up to its cursor, the
        chain's after it (all from the chain without an index), oldest first."""
        addresses = [self.contracts[n].address for n in names if n in self.contracts]
        topics = [None, right_id.to_bytes(32, "big")]
        index = self.local_index()
        if index is None:
            events = self.decode_logs(self.logs(addresses, topics, what))
        else:
            from ipledger.sdk.history import event_of

            try:
                events = [event_of(e) for e in index.events(f"0x{right_id:064x}", names)]
                cursor = index.freshness.cursor
                self._index_times.update(index.block_times({e.block for e in events}))
            finally:
                index.close()
            events += self.decode_logs(self.logs(addresses, topics, what, from_block=cursor + 1))
        return sorted(events, key=lambda e: (e.block, e.log_index))

    def right_events(self, right_id: int, names: set[str] | None = None) -> list[Event]:
        """The register's events of a right (its security interests' included), oldest first."""
        events = self._events_of(right_id, ("IPRegistry", "SecurityInterests"), "reading events")
        return events if names is None else [e for e in events if e.name in names]

    def license_events(self, right_id: int) -> list[Event]:
        return self._events_of(right_id, ("LicenseRegistry",), "reading license events")

    def block_times(self, blocks: set[int]) -> dict[int, int]:
        """The timestamps of ``blocks``: those the index read alongside the events, the rest in JSON-RPC batches
        of headers over HTTP (not one request per block)."""
        known = {n: self._index_times[n] for n in blocks if n in self._index_times}
        ask = sorted(set(blocks) - set(known))
        with translated(self.decoder, "reading blocks"):
            headers = rpc.block_headers(self.w3, ask) if ask else {}
        missing = sorted(set(ask) - set(headers))
        if missing:
            raise NetworkError(f"the node has no block {missing[0]} any more (a reorganisation?); try again")
        return {**known, **{n: h.timestamp for n, h in headers.items()}}

    # ------------------------------------------------------------ EIP-712

    def nonce_of(self, account: str, contract: str = "IPRegistry") -> int:
        """The EIP-712 nonce of ``account`` at ``contract``."""
        return int(self.call(self.contracts[contract].functions.nonces(types.address(account)), "nonces"))

    def sign_typed(self, contract: Any, primary: str, message: dict[str, Any]) -> bytes:
        """This account's EIP-712 signature of ``message`` (type ``primary``) for ``contract``'s domain."""
        raw = self.call(contract.functions.eip712Domain(), "eip712Domain")
        return signing.sign(self.account.key, signing.domain_of(raw), primary, message)

    def typed_digest(self, contract: Any, primary: str, message: dict[str, Any]) -> bytes:
        """The EIP-712 digest of ``message`` for ``contract``'s domain (what ``revokeSignature`` takes)."""
        raw = self.call(contract.functions.eip712Domain(), "eip712Domain")
        return signing.digest(signing.domain_of(raw), primary, message)
