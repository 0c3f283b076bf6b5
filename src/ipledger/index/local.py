"""The SQLite index read without SQLAlchemy or web3: what makes ``ipledger show`` and ``history`` a 0.2 s process.

A read from the index needs neither web3 (0.5 s to import and connect) nor SQLAlchemy (0.2–0.3 s to import), so
this reader uses the standard library only: ``sqlite3`` opened read-only on the file ``ipledger index`` keeps
(the schema is the migrations'; these are three plain ``SELECT``s on its indexed columns, checked against the
SQLAlchemy queries in tests/index/test_local.py), and one JSON-RPC batch over ``http.client`` to tell
whether the index is fresh. PostgreSQL indexes are read through the SDK (``ipledger.index.logs``).

``LocalIndex.open(config, network)`` gives the index of ``network``'s deployment when it can answer for the
chain's present: the network is a node that outlives the command (not one launched per command), the file
exists and is bound to the deployment recorded in ``deployments/<chain-id>.json``, the block under its cursor is
still the chain's (no reorganisation since), and it has processed every block up to ``head − confirmations``.
Otherwise ``Unusable`` says why, in one line, and the caller reads the chain. Event arguments come back as the
SDK gives them (``ipledger.sdk.base.jsonable``: bytes as 0x-hex, ST.3 codes as text), from the ABIs the compiler
wrote to ``build/contracts``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ipledger.config import Config, NetworkSettings
from ipledger.errors import IPLedgerError

RPC_TIMEOUT = 5.0  # seconds for the freshness check; a slower node is read the usual way
EVENTS_LIMIT = 5_000  # events of one right in one answer (as ipledger.index.queries.RIGHT_EVENTS_LIMIT)
IN_LIST = 500  # block numbers per IN (...) list
READ_CONTRACTS = ("IPRegistry", "SecurityInterests", "LicenseRegistry")  # the ABIs a right's events need


def index_folder(config: Config) -> Path:
    """Where indexes live unless ``--db`` says otherwise: ``.ipledger/index/`` of the project, or
    ``$IPLEDGER_INDEX_DIR``."""
    folder = os.environ.get("IPLEDGER_INDEX_DIR")
    return Path(folder) if folder else config.root / ".ipledger" / "index"


def default_location(config: Config, chain_id: int) -> Path:
    """The index of chain ``chain_id`` (one file per chain: ``<chain-id>.sqlite``)."""
    return index_folder(config) / f"{chain_id}.sqlite"


def chain_id_of(settings: NetworkSettings) -> int:
    """The network's chain id: brownie-config.yaml's, else the node's (``eth_chainId``, a network given as URL)."""
    if settings.chain_id is not None:
        return settings.chain_id
    return int(_rpc(settings.resolved_host(), [("eth_chainId", [])])[0], 16)


class Unusable(IPLedgerError):
    """The index cannot answer for the chain's present (the message says why); read the chain instead."""


@dataclass(frozen=True)
class Freshness:
    """Where the index stands against the chain."""

    cursor: int
    cursor_hash: str
    head: int
    confirmations: int


def _rpc(url: str, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
    """One JSON-RPC batch over HTTP(S); the results in call order (``Unusable`` on any failure)."""
    import http.client
    from urllib.parse import urlsplit

    body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)])
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    try:
        conn = kind(parts.hostname or "127.0.0.1", parts.port, timeout=RPC_TIMEOUT)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("POST", path, body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            answers = json.loads(response.read())
        finally:
            conn.close()
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise Unusable(f"the node at {parts.hostname} did not answer ({exc})") from None
    if not isinstance(answers, list):
        raise Unusable(f"the node at {parts.hostname} does not take JSON-RPC batches")
    by_id = {a.get("id"): a for a in answers if isinstance(a, dict)}
    out = []
    for i in range(len(calls)):
        answer = by_id.get(i, {})
        if "result" not in answer:
            raise Unusable(f"the node at {parts.hostname} refused {calls[i][0]}: {answer.get('error')}")
        out.append(answer["result"])
    return out


def _event_types(abi: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Event name → argument name → ABI type."""
    return {item["name"]: {a["name"]: a["type"] for a in item["inputs"]} for item in abi if item.get("type") == "event"}


def _first_indexed(abi: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """Event name → its first indexed argument (what topic 1 holds)."""
    return {item["name"]: next((a["name"] for a in item["inputs"] if a.get("indexed")), None)
            for item in abi if item.get("type") == "event"}


@lru_cache(maxsize=16)
def _event_shapes(artifact: Path, mtime_ns: int) -> tuple[dict[str, dict[str, str]], dict[str, str | None]]:
    """The event argument types and topic-1 names of a compiled artifact, parsed once per version of the file
    (the SDK opens the index for every read of a right's events; the artifacts are hundreds of kilobytes)."""
    abi = json.loads(artifact.read_text())["abi"]
    return _event_types(abi), _first_indexed(abi)


def sdk_value(kind: str, value: Any) -> Any:
    """An argument as the index stores it (``ipledger.index.follower.plain``) → as the SDK gives it (``jsonable``):
    the two differ in 8-byte national codes (text here, hex there) and integers past 2**53 (decimal text here)."""
    if kind.endswith("]") and isinstance(value, list):
        inner = kind[: kind.rindex("[")]
        return [sdk_value(inner, v) for v in value]
    if kind.startswith(("uint", "int")) and isinstance(value, str):
        return int(value)
    if kind.startswith("bytes") and kind != "bytes" and isinstance(value, str) and not value.startswith("0x"):
        size = int(kind[5:])
        if size in (2, 3):
            return value  # an ST.3 office or ST.27 key code: text in both
        return "0x" + value.encode().ljust(size, b"\0").hex()
    return value


class LocalIndex:
    """A read-only view of one deployment's SQLite index."""

    def __init__(self, db: sqlite3.Connection, path: Path, build_dir: Path, freshness: Freshness,
                 contracts: Mapping[str, str]) -> None:
        """``db``: the file opened read-only (this reader closes it); ``Unusable`` when an ABI it needs is missing."""
        self.path = path
        self.freshness = freshness
        self.contracts = dict(contracts)  # name → address (lower case) of the deployment it is bound to
        self._db = db
        self._db.row_factory = sqlite3.Row
        self.types: dict[str, dict[str, dict[str, str]]] = {}
        self.topic1: dict[str, dict[str, str | None]] = {}
        for name in READ_CONTRACTS:
            if name not in self.contracts:
                continue
            artifact = build_dir / "contracts" / f"{name}.json"
            try:
                self.types[name], self.topic1[name] = _event_shapes(artifact, artifact.stat().st_mtime_ns)
            except (OSError, ValueError, KeyError):
                self._db.close()
                raise Unusable(f"no ABI of {name} at {artifact}: run `ipledger compile`") from None

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, config: Config, network: str | None, *, fresh: bool = True) -> LocalIndex:
        """The fresh index of ``network``'s deployment; ``Unusable`` (one line, why) when there is none. With
        ``fresh=False`` an index behind the head is opened too (its reader asks the chain for the blocks after
        ``freshness.cursor``)."""
        return cls.open_settings(config, config.network(network), fresh=fresh)

    @classmethod
    def open_settings(cls, config: Config, settings: NetworkSettings, *, fresh: bool = True) -> LocalIndex:
        """``open`` for a network's settings (an SDK connection's ``chain.settings``)."""
        if settings.backend != "rpc":
            raise Unusable(f"network '{settings.name}' starts a node per command: it has no index")
        chain_id = chain_id_of(settings)
        path = default_location(config, chain_id)
        if not path.is_file():
            raise Unusable(f"no index at {path}: run `ipledger index --network {settings.name}`")
        record_path = config.deployments_dir / f"{chain_id}.json"
        try:
            record = json.loads(record_path.read_text())
        except (OSError, ValueError):
            raise Unusable(f"no readable deployment record at {record_path}") from None
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise Unusable(f"the index at {path} cannot be read ({exc})") from None
        try:
            return cls._checked(db, path, config, settings, chain_id, record, record_path, fresh)
        except BaseException:
            db.close()
            raise

    @classmethod
    def _checked(cls, db: sqlite3.Connection, path: Path, config: Config, settings: NetworkSettings, chain_id: int,
                 record: Mapping[str, Any], record_path: Path, fresh: bool) -> LocalIndex:
        """The reader of the opened ``db`` once it is bound to the recorded deployment and fresh enough."""
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise Unusable(f"the index at {path} cannot be read ({exc})") from None
        recorded = {n: str(c.get("address", "")).lower() for n, c in record.get("contracts", {}).items()}
        indexed = {n: str(a).lower() for n, a in json.loads(meta.get("contracts", "{}")).items()}
        if str(meta.get("chain_id")) != str(chain_id) or indexed != recorded:
            raise Unusable(f"the index at {path} is of another deployment than {record_path}: delete it and run "
                           f"`ipledger index --network {settings.name}`")
        if "cursor_block" not in meta:
            raise Unusable(f"the index at {path} has processed no block yet: run `ipledger index`")
        cursor, cursor_hash = int(meta["cursor_block"]), meta["cursor_hash"]
        node_chain, head_hex, block = _rpc(settings.resolved_host(), [
            ("eth_chainId", []), ("eth_blockNumber", []), ("eth_getBlockByNumber", [hex(cursor), False])])
        if int(node_chain, 16) != chain_id:
            raise Unusable(f"the node of network '{settings.name}' is chain {int(node_chain, 16)}, not {chain_id}")
        head = int(head_hex, 16)
        if not block or str(block.get("hash")).lower() != cursor_hash.lower():
            raise Unusable(f"block {cursor} of the index is no longer the chain's (a reorganisation): run "
                           "`ipledger index`")
        if fresh and head - settings.confirmations > cursor:
            raise Unusable(f"the index is at block {cursor}, the chain at {head}: run `ipledger index` (or keep "
                           "`ipledger index --follow` running)")
        return cls(db, path, config.build_dir, Freshness(cursor, cursor_hash, head, settings.confirmations), indexed)

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------ reads

    def find(self, office: str, ip_type: int, number: str) -> str | None:
        """The id (0x + 64 hex digits) of the right filed as ``office``/``ip_type``/``number``, or None."""
        row = self._db.execute("SELECT right_id FROM rights WHERE number = ? AND office = ? AND ip_type = ?",
                               (number, office, int(ip_type))).fetchone()
        return None if row is None else str(row["right_id"])

    def right(self, right_id: str) -> dict[str, Any] | None:
        """The ``rights`` row of ``right_id`` (as ``ipledger.index.projections`` folds it), or None."""
        row = self._db.execute("SELECT * FROM rights WHERE right_id = ?", (right_id,)).fetchone()
        return None if row is None else dict(row)

    def events(self, right_id: str, contracts: Iterable[str]) -> list[dict[str, Any]]:
        """The events of ``contracts`` whose topic 1 is ``right_id`` (what ``eth_getLogs`` with the topics
        ``[None, rightId]`` returns), oldest first, with their arguments as the SDK gives them."""
        names = [c for c in contracts if c in self.types]
        if not names:
            return []
        marks = ",".join("?" * len(names))
        rows = self._db.execute(
            f"SELECT block, log_index, tx_hash, contract, name, args FROM events WHERE right_id = ? AND contract IN "
            f"({marks}) ORDER BY block, log_index LIMIT {EVENTS_LIMIT}", (right_id, *names)).fetchall()
        return [self._event(r) for r in rows if self.topic1[r["contract"]].get(r["name"]) == "rightId"]

    def office_events(self, office: str, name: str, contract: str = "IPRegistry") -> list[dict[str, Any]]:
        """The events ``name`` of ``contract`` that name ``office`` (an ST.3 code), oldest first."""
        rows = self._db.execute(
            f"SELECT block, log_index, tx_hash, contract, name, args FROM events WHERE name = ? AND contract = ? "
            f"ORDER BY block, log_index LIMIT {EVENTS_LIMIT}", (name, contract)).fetchall()
        return [e for e in map(self._event, rows) if e["args"].get("office") == office]

    def block_times(self, blocks: Iterable[int]) -> dict[int, int]:
        """The timestamps of the blocks the index holds events of."""
        numbers = sorted(set(blocks))
        out: dict[int, int] = {}
        for start in range(0, len(numbers), IN_LIST):
            part = numbers[start:start + IN_LIST]
            out.update((int(n), int(t)) for n, t in self._db.execute(
                f"SELECT number, timestamp FROM blocks WHERE number IN ({','.join('?' * len(part))})", part))
        return out

    def _event(self, row: sqlite3.Row) -> dict[str, Any]:
        kinds = self.types[row["contract"]].get(row["name"], {})
        args = {k: sdk_value(kinds.get(k, ""), v) for k, v in json.loads(row["args"]).items()}
        return {"name": row["name"], "args": args, "contract": row["contract"], "block": int(row["block"]),
                "log_index": int(row["log_index"]), "tx_hash": row["tx_hash"]}
