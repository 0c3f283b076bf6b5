"""The JSON-RPC plumbing every layer shares: failure classes, retries, raw requests, batches, bounded log reads.

* ``is_transport`` tells a node that did not answer (connection refused or reset, a timeout)
  from a node that answered with a refusal; only the first is worth retrying.
* ``retry`` is the one retry loop: transport failures are retried with exponential backoff (a
  node that restarts comes back), anything else is raised at once, and a node that stays away
  becomes one ``NetworkError`` that says what to do.
* ``request`` sends one raw JSON-RPC request and ``eth_calls`` many ``eth_call`` s (one HTTP
  batch per chunk; one by one on the in-process chain, which has no batches). Raw requests skip
  web3's result formatters, which cost about half a millisecond per log: slower than the node
  for a receipt of a 200-filing batch.
* ``get_logs`` reads ``eth_getLogs`` over a block range in bounded spans and halves the span
  when a node refuses one (span too large, too many results), as public endpoints do.
  Everything that reads events goes through it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from ipledger.abi import revert_data
from ipledger.errors import IPLedgerError, NetworkError

if TYPE_CHECKING:
    from web3 import Web3

T = TypeVar("T")

RETRIES = 5  # attempts of one request before a transport failure is final
FIRST_DELAY = 0.2  # seconds before the first retry; doubled each time
MAX_DELAY = 5.0
LOG_SPAN = 10_000  # blocks per eth_getLogs request unless the caller says otherwise
CALL_BATCH = 20  # eth_call requests per HTTP batch


class RPCError(IPLedgerError):
    """The node answered a JSON-RPC request with an error object (a refusal, not a transport failure).

    ``code``, ``message`` and ``data`` are the error object's fields (``data`` is often the
    revert data of a call).
    """

    def __init__(self, method: str, error: Any) -> None:
        fields = error if isinstance(error, Mapping) else {"message": str(error)}
        self.method = method
        self.code = fields.get("code")
        self.message = str(fields.get("message", error))
        self.data = fields.get("data")
        super().__init__(f"{method} failed: {self.message}")


# ---------------------------------------------------------------- failures and retries


def is_transport(exc: BaseException) -> bool:
    """True when ``exc`` means the node did not answer (no connection, reset, timeout), not that it refused.

    An HTTP error status counts as not answering when it is one a retry can cure (429 rate
    limited, 5xx a gateway or an overloaded node); any other status (400, 413: a request too
    large) is the node's refusal.
    """
    import requests
    from web3.exceptions import TimeExhausted

    if isinstance(exc, requests.exceptions.HTTPError):
        status = exc.response.status_code if exc.response is not None else None
        return status is None or status == 429 or status >= 500
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout, ConnectionError,
                        TimeoutError, TimeExhausted, OSError)):
        return True
    return "Connection" in type(exc).__name__ or "Timeout" in type(exc).__name__


def retry(fn: Callable[[], T], what: str, *, attempts: int = RETRIES) -> T:
    """``fn()``, retrying transport failures with exponential backoff; other exceptions pass through at once.

    After ``attempts`` transport failures it raises ``NetworkError`` naming ``what`` and the fix
    (the node must be running; an import run again resumes).
    """
    delay = FIRST_DELAY
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - only transport failures are retried
            if not is_transport(exc):
                raise
            if attempt == attempts - 1:
                raise NetworkError(f"{what}: the node did not answer ({type(exc).__name__}); check that it is "
                                   "running, then run the same command again: it resumes") from None
            time.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- raw requests


def is_http(w3: Web3) -> bool:
    """Whether ``w3`` talks JSON-RPC over HTTP (batches, raw results) rather than to the in-process chain."""
    from web3 import HTTPProvider

    return isinstance(w3.provider, HTTPProvider)


def is_in_process(w3: Web3) -> bool:
    """Whether ``w3`` is the embedded chain (eth-tester in this process)."""
    from web3 import EthereumTesterProvider

    return isinstance(w3.provider, EthereumTesterProvider)


def call_fields(w3: Web3) -> dict[str, Any]:
    """Fee fields that a call or gas estimate needs on this chain (none, except on the embedded chain).

    eth-tester gives a call without fee fields a fee cap of 1 gwei and refuses it once the base
    fee is higher (after a few full blocks); a zero tip makes its cap twice the base fee.
    """
    return {"maxPriorityFeePerGas": 0} if is_in_process(w3) else {}


def hexify(value: Any) -> Any:
    """A Python value in JSON-RPC form: ints and bytes as 0x-hex, mappings and lists element-wise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return {k: hexify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [hexify(v) for v in value]
    return value


def to_int(value: Any) -> int:
    """A JSON-RPC quantity (0x-hex) or an int as an int."""
    return int(value, 16) if isinstance(value, str) else int(value)


def to_bytes(value: Any) -> bytes:
    """JSON-RPC data (0x-hex) or bytes as bytes."""
    return bytes.fromhex(value[2:]) if isinstance(value, str) else bytes(value)


def request(w3: Web3, method: str, params: Sequence[Any]) -> Any:
    """One raw JSON-RPC request; the ``result``, or ``RPCError`` with the node's error object."""
    response = w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
    if response.get("error"):
        raise RPCError(method, response["error"])
    return response.get("result")


def _get(result: Mapping[str, Any], key: str, snake: str) -> Any:
    """A field of a raw result; the in-process chain's provider spells keys in snake case."""
    return result[key] if key in result else result[snake]


# ---------------------------------------------------------------- eth_call in batches


@dataclass(frozen=True)
class CallResult:
    """One ``eth_call``'s answer: the returned bytes, or the revert data when ``reverted``."""

    output: bytes
    reverted: bool = False


def eth_calls(w3: Web3, calls: Sequence[Mapping[str, Any]], *, batch: int = CALL_BATCH,
              what: str = "reading the register") -> list[CallResult]:
    """``eth_call`` of each call (``from``, ``to`` or none for creation code, ``data``, ``gas``), at "latest".

    Over HTTP the calls go in JSON-RPC batches of ``batch``; on the in-process chain one by one.
    A revert is an answer (``CallResult.reverted`` with its data); a node that refuses a call
    without revert data raises ``RPCError``; transport failures are retried (``retry``).
    """
    out: list[CallResult] = []
    if is_http(w3):
        provider: Any = w3.provider
        for start in range(0, len(calls), batch):
            part = calls[start:start + batch]
            reqs = [("eth_call", [hexify(dict(c)), "latest"]) for c in part]
            resps = retry(partial(provider.make_batch_request, reqs), what)
            if not isinstance(resps, list) or len(resps) != len(part):
                raise NetworkError(f"{what}: the node answered a batch of {len(part)} calls with {resps!r:.200}")
            for resp in resps:
                error = resp.get("error")
                if not error:
                    out.append(CallResult(to_bytes(resp["result"])))
                    continue
                data = revert_data(RPCError("eth_call", error))
                if data is None:
                    raise RPCError("eth_call", error)
                out.append(CallResult(data, reverted=True))
        return out
    fees = call_fields(w3)
    for c in calls:
        call: Any = {**fees, **c}
        try:
            out.append(CallResult(bytes(retry(partial(w3.eth.call, call), what))))
        except NetworkError:
            raise
        except Exception as exc:  # noqa: BLE001 - a revert is an answer
            data = revert_data(exc)
            if data is None:
                raise
            out.append(CallResult(data, reverted=True))
    return out


# ---------------------------------------------------------------- receipts


@dataclass(frozen=True)
class RawReceipt:
    """A receipt as bulk work needs it: status, block, and each log's topics (no web3 formatting)."""

    status: int
    block: int
    topics: tuple[tuple[bytes, ...], ...]

    def count(self, topic0: bytes) -> int:
        """How many of the receipt's logs have this topic0."""
        return sum(1 for t in self.topics if t and t[0] == topic0)


def receipt(w3: Web3, tx_hash: bytes) -> RawReceipt | None:
    """The receipt of ``tx_hash``, or None while it is unknown or pending (one raw request)."""
    result = request(w3, "eth_getTransactionReceipt", ["0x" + bytes(tx_hash).hex()])
    if not result:
        return None
    return RawReceipt(status=to_int(result["status"]), block=to_int(_get(result, "blockNumber", "block_number")),
                      topics=tuple(tuple(to_bytes(t) for t in lg["topics"]) for lg in result["logs"]))


# ---------------------------------------------------------------- bounded log reads


@dataclass(frozen=True)
class RawLog:
    """One log: its block, index in the block, topics and data (bytes)."""

    block: int
    index: int
    topics: tuple[bytes, ...]
    data: bytes
    address: str = ""  # lower-case 0x-hex: a query may name several contracts
    tx_hash: bytes = b""
    block_hash: bytes = b""
    tx_index: int = 0


def _logs_once(w3: Web3, address: str | Sequence[str], topics: Sequence[Any], from_block: int, to_block: int) -> list[RawLog]:
    """One ``eth_getLogs`` request: raw over HTTP, through web3 on the in-process chain."""
    if not is_http(w3):
        query: Any = {"address": address, "fromBlock": from_block, "toBlock": to_block, "topics": list(topics)}
        return [RawLog(block=int(lg["blockNumber"]), index=int(lg["logIndex"]),
                       topics=tuple(bytes(t) for t in lg["topics"]), data=bytes(lg["data"]),
                       address=str(lg["address"]).lower(), tx_hash=bytes(lg["transactionHash"]),
                       block_hash=bytes(lg["blockHash"]), tx_index=int(lg["transactionIndex"]))
                for lg in w3.eth.get_logs(query)]
    result = request(w3, "eth_getLogs", [{"address": address, "fromBlock": hex(from_block),
                                          "toBlock": hex(to_block), "topics": hexify(list(topics))}])
    return [RawLog(block=to_int(_get(lg, "blockNumber", "block_number")), index=to_int(_get(lg, "logIndex", "log_index")),
                   topics=tuple(to_bytes(t) for t in lg["topics"]), data=to_bytes(lg["data"]),
                   address=str(lg["address"]).lower(),
                   tx_hash=to_bytes(_get(lg, "transactionHash", "transaction_hash")),
                   block_hash=to_bytes(_get(lg, "blockHash", "block_hash")),
                   tx_index=to_int(_get(lg, "transactionIndex", "transaction_index")))
            for lg in result or []]


def get_logs(w3: Web3, address: str | Sequence[str], topics: Sequence[Any], from_block: int, to_block: int, *,
             span: int = LOG_SPAN) -> list[RawLog]:
    """Every log of ``address`` (one contract or several) matching ``topics`` in ``[from_block, to_block]``,
    in chain order.

    ``topics`` follows ``eth_getLogs``: one entry per position, each a topic (bytes or hex), a
    list of alternatives, or None for any. The range is read ``span`` blocks at a time; a span
    the node refuses (too large, too many results) is halved until it is accepted, down to one
    block. Transport failures are retried.
    """
    out: list[RawLog] = []
    start, size = from_block, max(1, span)
    while start <= to_block:
        end = min(start + size - 1, to_block)
        try:
            logs = retry(partial(_logs_once, w3, address, topics, start, end), "reading events")
        except NetworkError:
            raise
        except Exception as exc:  # noqa: BLE001 - "too many results" and friends: smaller spans
            if size == 1:
                raise IPLedgerError(f"reading events of block {start} failed: {exc}") from None
            size = max(1, size // 2)
            continue
        out.extend(logs)
        start = end + 1
    return out


@dataclass(frozen=True)
class BlockHeader:
    """What the index keeps of a block: its hash (to notice a reorganisation) and its time."""

    number: int
    hash: bytes
    timestamp: int


def block_headers(w3: Web3, numbers: Sequence[int], *, batch: int = CALL_BATCH) -> dict[int, BlockHeader]:
    """The headers of ``numbers`` (without transactions): JSON-RPC batches over HTTP, one by one in process.

    A block the node does not have (past its head, or pruned) is missing from the answer.
    """
    out: dict[int, BlockHeader] = {}
    wanted = sorted(set(numbers))
    if not is_http(w3):
        for n in wanted:
            try:
                b = retry(partial(w3.eth.get_block, n), "reading blocks")
            except NetworkError:
                raise
            except Exception:  # noqa: BLE001 - eth-tester raises BlockNotFound past its head
                continue
            out[n] = BlockHeader(n, bytes(b["hash"]), int(b["timestamp"]))
        return out
    provider: Any = w3.provider
    for start in range(0, len(wanted), batch):
        part = wanted[start:start + batch]
        resps = retry(partial(provider.make_batch_request, [("eth_getBlockByNumber", [hex(n), False]) for n in part]),
                      "reading blocks")
        if not isinstance(resps, list) or len(resps) != len(part):
            raise NetworkError(f"reading blocks: the node answered a batch of {len(part)} with {resps!r:.200}")
        for n, resp in zip(part, resps):
            if resp.get("error"):
                raise RPCError("eth_getBlockByNumber", resp["error"])
            block = resp.get("result")
            if block:
                out[n] = BlockHeader(n, to_bytes(block["hash"]), to_int(block["timestamp"]))
    return out


__all__ = ["BlockHeader", "CallResult", "RPCError", "RawLog", "RawReceipt", "block_headers", "call_fields", "eth_calls", "get_logs", "hexify",
           "is_http", "is_in_process", "is_transport", "receipt", "request", "retry", "to_bytes", "to_int"]
