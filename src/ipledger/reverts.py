"""Revert data -> a Python exception named after the Solidity custom error.

In-process (eth-tester) a revert surfaces as ``TransactionFailed`` carrying the revert bytes
in its message; over JSON-RPC web3 raises ``ContractCustomError`` / ``ContractLogicError``
with the data in hex (anvil and Ganache differ in which). ``revert_data`` hides that
difference and ``ErrorDecoder`` maps the 4-byte selector to the ABI error, its arguments and
the NatSpec notice of the error. An unknown selector prints as hex.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Any

from eth_abi import decode
from eth_utils import keccak, to_checksum_address

from .errors import ContractRevert, revert_class

ERROR_STRING = bytes.fromhex("08c379a0")
PANIC = bytes.fromhex("4e487b71")


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
    from eth_abi import encode

    return encode(["string"], [reason])
