"""Asserting reverts: the Solidity custom error's name and the values of its arguments.

Two forms, one per way a test talks to the contracts:
  * ``assert_revert`` checks a ``ContractRevert`` the SDK raised (arguments by name, as the SDK decodes them);
  * ``error_of`` decodes the raw revert data of a direct web3 call to ``(name, args)`` with eth-abi's own values
    (bytes for ``bytesN``, checksummed addresses), for tests that drive a contract without the SDK.
"""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi import decode as abi_decode
from eth_utils import to_checksum_address

from ipledger.abi import canonical_type, revert_data, selector
from ipledger.errors import ContractRevert


def assert_revert(exc_info: pytest.ExceptionInfo[ContractRevert], name: str, **expected: Any) -> None:
    """The revert is the Solidity error ``name`` with these argument values."""
    err = exc_info.value
    assert type(err).__name__ == name, f"expected {name}, got {type(err).__name__}: {err}"
    for key, value in expected.items():
        got = err.args_by_name.get(key)
        if isinstance(value, str) and isinstance(got, str):
            assert got.lower() == value.lower(), f"{name}.{key}: expected {value}, got {got}"
        else:
            assert got == value, f"{name}.{key}: expected {value!r}, got {got!r}"


def error_of(abi: list[dict[str, Any]], exc: BaseException) -> tuple[str, tuple[Any, ...]]:
    """``(name, args)`` of the custom error in ``exc``'s revert data, matched by selector against ``abi``.

    Works for eth-tester's and the JSON-RPC nodes' exceptions alike (``ipledger.abi.revert_data``).
    """
    data = revert_data(exc)
    if data is None:
        raise AssertionError(f"no revert data in {type(exc).__name__}: {exc}")
    for item in abi:
        if item["type"] == "error" and selector(item) == data[:4]:
            types = [canonical_type(i) for i in item["inputs"]]
            args = abi_decode(types, data[4:])
            return item["name"], tuple(to_checksum_address(a) if t == "address" else a for t, a in zip(types, args))
    raise AssertionError(f"unknown revert data 0x{data.hex()}")
