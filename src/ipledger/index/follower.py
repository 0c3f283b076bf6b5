"""Following a deployment into the index: bounded spans, past a confirmation depth, rewinding on a reorg.

``sync`` reads the register contracts' logs from the block after the cursor up to ``head - confirmations``, in
spans of at most ``span`` blocks (``ipledger.rpc.get_logs``: halved when the node refuses, retried on transport
failures), decodes each log from the ABI, and writes each span with its block hashes and the new cursor in one
transaction (``Store.write_span``). Before each span it checks that the block under the cursor still has the
hash it had: if not, the chain reorganised, and it walks back over the stored hashes to the newest block the
chain still agrees with and rewinds the index there (``Store.rewind``), then reads forward again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ipledger.abi import ContractCodec
from ipledger.index.store import Cursor, Store
from ipledger.rpc import RawLog, block_headers, get_logs

JS_SAFE = 2**53  # larger integers are kept as decimal text, so a browser reads them exactly
FORK_SEARCH = 64  # stored block hashes compared per step of the walk back to a fork point


@dataclass
class SyncResult:
    """What one ``sync`` did."""

    from_block: int
    to_block: int  # the new cursor (from_block - 1 if there was nothing to do)
    events: int = 0
    spans: int = 0
    rewound_to: int | None = None  # the fork point, if a reorganisation was undone


def plain(value: Any) -> Any:
    """A decoded argument as JSON that any client reads exactly: bytes as 0x-hex (ST.3/ST.27 codes as text),
    integers beyond 2**53 as decimal text, tuples as lists."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value) if abs(value) >= JS_SAFE else value
    if isinstance(value, (bytes, bytearray)):
        text = bytes(value).rstrip(b"\0") if len(value) == 8 else bytes(value)  # bytes8: a national code
        if len(value) in (2, 3, 8) and text and all(0x20 < b < 0x7F for b in text):
            return text.decode()
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=65_536)
def _checksum(address: str) -> str:
    """EIP-55 of ``address``, remembered: a register names the same holders and registrars over and over, and
    each checksum is a keccak (~80 µs)."""
    from eth_utils import to_checksum_address

    return to_checksum_address(address)


class Decoder:
    """Logs of the deployment's contracts decoded by address and topic0."""

    def __init__(self, abis: Mapping[str, tuple[str, Sequence[Mapping[str, Any]]]]) -> None:
        """``abis``: contract name → (address, ABI)."""
        self._by_address = {address.lower(): (name, ContractCodec(list(abi))) for name, (address, abi) in abis.items()}
        # (contract, event, argument) of every address-typed argument: stored EIP-55 checksummed
        self._addresses = {(name, item["name"], arg["name"]) for name, (_, abi) in abis.items() for item in abi
                           if item.get("type") == "event" for arg in item["inputs"] if arg["type"] == "address"}

    @property
    def addresses(self) -> list[str]:
        """The contracts' addresses, EIP-55 checksummed (what web3 asks on the in-process chain)."""
        from eth_utils import to_checksum_address

        return [to_checksum_address(a) for a in sorted(self._by_address)]

    def row(self, log: RawLog) -> dict[str, Any] | None:
        """The ``events`` row of a log, or None for a log this deployment's ABIs do not describe."""
        found = self._by_address.get(log.address)
        if found is None:
            return None
        name, codec = found
        decoded = codec.decode_log(log.topics, log.data)
        if decoded is None:
            return None
        args = {k: _checksum(v) if (name, decoded.name, k) in self._addresses else plain(v)
                for k, v in decoded.args.items()}
        right = decoded.args.get("rightId")
        if right is None and name == "IPRegistry" and decoded.name == "Transfer":
            right = decoded.args.get("tokenId")  # the title token is the right
        return {"block": log.block, "log_index": log.index, "tx_hash": "0x" + log.tx_hash.hex(), "contract": name,
                "name": decoded.name, "right_id": None if right is None else f"0x{int(right):064x}", "args": args}


def _fork_point(w3: Any, store: Store, below: int) -> Cursor | None:
    """The newest stored block at or below ``below`` whose hash the chain still has; None: none is left."""
    while True:
        stored = store.stored_blocks(below, FORK_SEARCH)
        if not stored:
            return None
        chain = block_headers(w3, [n for n, _ in stored])
        for number, hash_ in stored:
            header = chain.get(number)
            if header is not None and "0x" + header.hash.hex() == hash_:
                return Cursor(number, hash_)
        below = stored[-1][0] - 1


def sync(w3: Any, store: Store, decoder: Decoder, first_block: int, *, confirmations: int = 0, span: int = 1_000,
         until: int | None = None, progress: Callable[[int, int], None] | None = None) -> SyncResult:
    """Brings the index up to ``min(until, head - confirmations)``; see the module's docstring."""
    head = int(w3.eth.block_number)
    target = head - confirmations if until is None else min(until, head - confirmations)
    cursor = store.cursor()
    result = SyncResult(from_block=(cursor.number + 1) if cursor else first_block, to_block=0)
    if cursor is not None:
        now = block_headers(w3, [cursor.number]).get(cursor.number)
        if now is None or "0x" + now.hash.hex() != cursor.hash:
            fork = _fork_point(w3, store, cursor.number)
            store.rewind(fork)
            cursor = fork
            result.rewound_to = fork.number if fork else first_block - 1
            result.from_block = (fork.number + 1) if fork else first_block
    start = result.from_block
    while start <= target:
        end = min(start + span - 1, target)
        logs = get_logs(w3, decoder.addresses, [], start, end, span=span)
        rows = [r for r in (decoder.row(lg) for lg in logs) if r is not None]
        headers = block_headers(w3, {r["block"] for r in rows} | {end})
        if end not in headers:
            break  # the node lost the block meanwhile (a reorg under our feet): the next sync notices
        store.write_span(rows, [{"number": h.number, "hash": "0x" + h.hash.hex(), "timestamp": h.timestamp}
                                for h in headers.values()], Cursor(end, "0x" + headers[end].hash.hex()))
        result.events += len(rows)
        result.spans += 1
        if progress is not None:
            progress(end - result.from_block + 1, target - result.from_block + 1)
        start = end + 1
    final = store.cursor()
    result.to_block = final.number if final else first_block - 1
    return result
