"""Helpers of the brownie suite (conftest.py keeps the fixtures).

Custom errors: brownie decodes a revert carrying a custom error with the ABIs it has seen
and reports it as ``"Name: arg1, arg2"`` (``brownie.exceptions.decode_typed_error``).
``custom_error`` builds that string, so ``with brownie.reverts(custom_error("NotHolder",
rid, bob)):`` asserts the error's name and every argument value.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from brownie import web3
from eth_utils import is_address

from ipledger.domain import IPType
from ipledger.types import office_bytes

ZERO32 = b"\x00" * 32
YEAR = 365 * 86400


def custom_error(name: str, *args: Any) -> str:
    """The revert message brownie reports for the Solidity custom error ``name(args...)``.

    brownie shows each decoded value with ``str()``: integers and enum values in decimal,
    addresses in lower case, ``bytesN`` as Python bytes (``b'EM'``), booleans as True/False.
    """

    def show(value: Any) -> str:
        if hasattr(value, "address"):  # a brownie account or contract
            value = value.address
        if isinstance(value, IntEnum):
            return str(int(value))
        if isinstance(value, str) and is_address(value):
            return value.lower()
        return str(value)

    return f"{name}: {', '.join(show(a) for a in args)}"


def filing(office: str, number: str, holder: Any, *, ip_type: IPType = IPType.TRADE_MARK, filing_date: int = 0,
           content_hash: bytes = ZERO32, metadata_uri: str = "") -> tuple[Any, ...]:
    """The ``IIPRegistry.Filing`` tuple."""
    return (office_bytes(office), int(ip_type), str(holder), filing_date, content_hash, ZERO32, number, metadata_uri)


def now() -> int:
    """The latest block's timestamp."""
    return int(web3.eth.get_block("latest")["timestamp"])


def event_code(value: str) -> str:
    """A ``bytes3`` event code from an event (``0x413130``) as text (``A10``)."""
    return bytes.fromhex(str(value)[2:]).decode()


def signer_of(account: Any) -> Any:
    """The eth-account signer of a brownie dev account (brownie's own hold no key).

    The nodes brownie launches use ipledger's dev mnemonic (brownie-config.yaml), so the key
    is derived from it.
    """
    from ipledger.chain import dev_accounts

    address = str(getattr(account, "address", account))
    for signer in dev_accounts(10):
        if signer.address.lower() == address.lower():
            return signer
    raise LookupError(f"{address} is not one of ipledger's dev accounts; is the node's mnemonic the dev mnemonic?")


def sign_acceptance(registry: Any, assignee: Any, right: int, deed_hash: bytes, deadline: int) -> bytes:
    """The assignee's EIP-712 ``AcceptAssignment`` signature, made off chain."""
    from eth_account import Account

    domain = {"name": "IP Ledger Registry", "version": "1", "chainId": web3.eth.chain_id,
              "verifyingContract": registry.address}
    types = {"AcceptAssignment": [{"name": "rightId", "type": "uint256"}, {"name": "assignee", "type": "address"},
                                  {"name": "deedHash", "type": "bytes32"}, {"name": "nonce", "type": "uint256"},
                                  {"name": "deadline", "type": "uint256"}]}
    message = {"rightId": right, "assignee": str(assignee), "deedHash": deed_hash,
               "nonce": int(registry.nonces(assignee)), "deadline": deadline}
    signed = Account.sign_typed_data(signer_of(assignee).key, domain, types, message)
    return bytes(signed.signature)
