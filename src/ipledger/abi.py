"""Everything derived from the compiled ABI: signatures, selectors, topics, calldata, events, errors.

No signature, selector or topic is typed by hand anywhere in the package: they come from
the ABI items the compiler wrote (``signature``, ``selector``, ``topic``), calldata is
encoded with eth-abi from the same items (``ContractCodec.encode_call``), and logs are
decoded by name and type, not by byte offset (``ContractCodec.decode_log``).

Revert data becomes a Python exception named after the Solidity custom error. In-process (eth-tester) a revert surfaces as ``TransactionFailed`` carrying the revert bytes
in its message; over JSON-RPC web3 raises ``ContractCustomError`` / ``ContractLogicError``
with the data in hex (anvil and Ganache differ in which). ``revert_data`` hides that
difference and ``ErrorDecoder`` maps the 4-byte selector to the ABI error, its arguments and
the NatSpec notice of the error. An unknown selector prints as hex.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_abi import decode, encode
from eth_abi.decoding import ContextFramesBytesIO, TupleDecoder
from eth_abi.registry import registry
from eth_utils import keccak, to_checksum_address

from ipledger.errors import ContractRevert, revert_class



@dataclass(frozen=True)
class ErrorSpec:
    """One ABI error."""

    name: str
    types: tuple[str, ...]
    names: tuple[str, ...]
    notice: str


def canonical_type(inp: dict[str, Any]) -> str:
    """The canonical ABI type of an input, tuples spelled out (for selectors and topics)."""
    if inp["type"].startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in inp["components"])
        return f"({inner}){inp['type'][5:]}"
    return str(inp["type"])


def signature(item: dict[str, Any]) -> str:
    """The canonical signature of an ABI function, event or error: ``name(type,...)``, tuples spelled out."""
    return f"{item['name']}({','.join(canonical_type(i) for i in item.get('inputs', []))})"


def selector(item: dict[str, Any]) -> bytes:
    """The 4-byte selector of an ABI function or error."""
    return keccak(text=signature(item))[:4]


def topic(item: dict[str, Any]) -> bytes:
    """topic0 of an ABI event."""
    return keccak(text=signature(item))


# Solidity's built-in errors, which no ABI lists: require(..., "reason") and assert / arithmetic panics.
ERROR_STRING = selector({"name": "Error", "inputs": [{"type": "string"}]})
PANIC = selector({"name": "Panic", "inputs": [{"type": "uint256"}]})


@dataclass(frozen=True)
class DecodedLog:
    """One log decoded against an ABI: the event's name and its arguments by name."""

    name: str
    args: dict[str, Any]


class ContractCodec:
    """Encodes calls and decodes logs of one contract from its compiled ABI (eth-abi underneath).

    Functions are found by name (overloads by their full signature); events by topic0.
    Values keep eth-abi's Python types (bytes for bytesN, checksummed str for address).
    """

    def __init__(self, abi: list[dict[str, Any]]) -> None:
        self.abi = abi
        self._functions: dict[str, dict[str, Any]] = {}
        self._events: dict[str, dict[str, Any]] = {}
        self._by_topic: dict[bytes, dict[str, Any]] = {}
        self._plans: dict[bytes, _LogPlan] = {}
        for item in abi:
            kind = item.get("type")
            if kind == "function":
                self._functions[signature(item)] = item
                self._functions.setdefault(item["name"], item)
            elif kind == "event":
                self._events[item["name"]] = item
                self._by_topic[topic(item)] = item

    def function(self, name: str) -> dict[str, Any]:
        """The ABI item of function ``name`` (or of a full signature, for overloads)."""
        try:
            return self._functions[name]
        except KeyError:
            raise KeyError(f"the ABI has no function {name}") from None

    def encode_call(self, name: str, args: Sequence[Any]) -> bytes:
        """Calldata: the selector and the ABI-encoded arguments of function ``name``."""
        item = self.function(name)
        types = [canonical_type(i) for i in item["inputs"]]
        return selector(item) + encode(types, list(args))

    def decode_output(self, name: str, data: bytes) -> tuple[Any, ...]:
        """The return values of function ``name`` from the bytes an ``eth_call`` returned."""
        item = self.function(name)
        return tuple(decode([canonical_type(o) for o in item["outputs"]], data))

    def event_topic(self, name: str) -> bytes:
        """topic0 of event ``name``."""
        try:
            return topic(self._events[name])
        except KeyError:
            raise KeyError(f"the ABI has no event {name}") from None

    def decode_log(self, topics: Sequence[bytes], data: bytes) -> DecodedLog | None:
        """The event a log carries, or None if topic0 is not one of this ABI's events.

        Indexed arguments come from the topics (a dynamic indexed value stays its keccak hash),
        the others from ``data``.
        """
        if not topics:
            return None
        plan = self._plans.get(bytes(topics[0]))
        if plan is None:
            item = self._by_topic.get(bytes(topics[0]))
            if item is None:
                return None
            plan = self._plans[bytes(topics[0])] = _LogPlan.of(item)
        values = iter(plan.data_decoder(bytes(data)) if plan.data_types else ())
        indexed = iter(topics[1:])
        args: dict[str, Any] = {}
        for name, topic_type in plan.fields:
            if topic_type is None:
                args[name] = next(values)
            else:
                raw = bytes(next(indexed))
                args[name] = _decoded((topic_type,), raw)[0] if topic_type else raw
        return DecodedLog(plan.name, args)


@dataclass(frozen=True)
class _LogPlan:
    """How to decode one event, worked out once: its fields in order and the decoder of its data."""

    name: str
    # (name, None) for a data field; (name, type) for an indexed static value; (name, "") for a hashed dynamic one
    fields: tuple[tuple[str, str | None], ...]
    data_types: tuple[str, ...]

    @classmethod
    def of(cls, item: dict[str, Any]) -> _LogPlan:
        fields: list[tuple[str, str | None]] = []
        for inp in item["inputs"]:
            kind = canonical_type(inp)
            if not inp.get("indexed"):
                fields.append((inp["name"], None))
            else:
                static = not (kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("("))
                fields.append((inp["name"], kind if static else ""))
        data_types = tuple(canonical_type(i) for i in item["inputs"] if not i.get("indexed"))
        return cls(item["name"], tuple(fields), data_types)

    def data_decoder(self, data: bytes) -> tuple[Any, ...]:
        """The non-indexed values, decoded by eth-abi's decoder for this event's types (built once and cached)."""
        return _decoded(self.data_types, data)


@lru_cache(maxsize=8192)
def _decoded(types: tuple[str, ...], data: bytes) -> tuple[Any, ...]:
    """``data`` decoded as ``types`` by eth-abi, remembered: a register's logs repeat themselves (the same right id
    in every topic of its events, the same status move and codes for every right of a batch), and the values are
    immutable (ints, bytes, str, bool and tuples of them)."""
    return tuple(_tuple_decoder(types)(ContextFramesBytesIO(data)))


@lru_cache(maxsize=256)
def _tuple_decoder(types: tuple[str, ...]) -> Any:
    """eth-abi's decoder of a tuple of ``types``: what ``eth_abi.decode`` builds on every call, built once."""
    return TupleDecoder(decoders=[registry.get_decoder(t, strict=True) for t in types])


class ErrorDecoder:
    """Knows every custom error of a set of ABIs."""

    def __init__(self) -> None:
        self._by_selector: dict[bytes, ErrorSpec] = {}

    def add_abi(self, abi: list[dict[str, Any]], metadata: str = "") -> None:
        notices: dict[str, str] = {}
        if metadata:
            try:
                userdoc = json.loads(metadata)["output"]["userdoc"].get("errors", {})
                notices = {sig: docs[0].get("notice", "") for sig, docs in userdoc.items() if docs}
            except (ValueError, KeyError, TypeError, IndexError):
                notices = {}
        for item in abi:
            if item.get("type") != "error":
                continue
            types = tuple(canonical_type(i) for i in item["inputs"])
            signature = f"{item['name']}({','.join(types)})"
            selector = keccak(text=signature)[:4]
            existing = self._by_selector.get(selector)
            notice = notices.get(signature, "") or (existing.notice if existing else "")
            self._by_selector[selector] = ErrorSpec(
                name=item["name"], types=types, names=tuple(i["name"] for i in item["inputs"]), notice=notice
            )

    def decode(self, data: bytes) -> ContractRevert:
        """The exception for revert ``data``."""
        if len(data) < 4:
            return revert_class("Reverted")("the transaction reverted without a reason", {}, "0x" + data.hex())
        selector, body = data[:4], data[4:]
        if selector in (ERROR_STRING, PANIC):
            name = "Error" if selector == ERROR_STRING else "Panic"
            try:
                (value,) = decode(["string" if name == "Error" else "uint256"], body)
            except Exception:  # noqa: BLE001 - malformed data is shown, not raised
                return revert_class(name)(f"{name}(<undecodable 0x{body.hex()}>)", {}, "0x" + data.hex())
            if name == "Error":
                return revert_class("Error")(f"reverted: {value}", {"reason": value}, "0x" + data.hex())
            return revert_class("Panic")(f"Panic(0x{value:02x}): a contract assertion failed", {"code": value},
                                         "0x" + data.hex())
        spec = self._by_selector.get(selector)
        if spec is None:
            return revert_class("UnknownError")(
                f"reverted with unknown error selector 0x{selector.hex()} (data 0x{data.hex()})", {}, "0x" + data.hex()
            )
        try:
            values = decode(list(spec.types), body)
        except Exception:  # noqa: BLE001 - malformed data is shown, not raised
            return revert_class(spec.name)(f"{spec.name}(<undecodable 0x{body.hex()}>)", {}, "0x" + data.hex())
        args = {n or f"arg{i}": _pythonic(t, v) for i, (n, t, v) in enumerate(zip(spec.names, spec.types, values))}
        shown = ", ".join(f"{k}={_show(v)}" for k, v in args.items())
        message = f"{spec.name}({shown})"
        if spec.notice:
            message += f": {spec.notice}"
        return revert_class(spec.name)(message, args, "0x" + data.hex())


def _pythonic(abi_type: str, value: Any) -> Any:
    if abi_type == "address":
        return to_checksum_address(value)
    if abi_type == "bytes2" and all(0x20 < b < 0x7F for b in value):
        return bytes(value).decode("ascii")
    if abi_type.startswith("bytes") and isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def _show(value: Any) -> str:
    if isinstance(value, int) and value >= 2**64:
        return f"0x{value:064x}"
    return str(value)


def revert_data(exc: BaseException) -> bytes | None:
    """The revert bytes carried by an exception from any backend, or None if it is not a revert."""
    data: Any = getattr(exc, "data", None)
    if isinstance(data, dict):
        data = data.get("result") or data.get("data")
    if isinstance(data, str) and data.startswith("0x"):
        try:
            return bytes.fromhex(data[2:])
        except ValueError:
            return None
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if type(exc).__name__ == "TransactionFailed" and exc.args:
        msg = str(exc.args[0])
        prefix = "execution reverted: "
        if msg.startswith(prefix):
            rest = msg[len(prefix):]
            if rest.startswith(("b'", 'b"')):
                try:
                    value = ast.literal_eval(rest)
                    if isinstance(value, bytes):
                        return value
                except (ValueError, SyntaxError):
                    pass
            return ERROR_STRING + _encode_reason(rest)
        if msg == "execution reverted":
            return b""
    return None


def _encode_reason(reason: str) -> bytes:
    return encode(["string"], [reason])
