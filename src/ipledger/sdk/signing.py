"""EIP-712 signing for the SDK: the one place that knows the typed messages and signs them.

The message types mirror the contracts' type hashes (``IPRegistry.ACCEPT_ASSIGNMENT_TYPEHASH``
and friends); a signature made here is what ``acceptAssignmentBySig``, ``consentToAssignmentBySig``
and ``acceptLicenseBySig`` recover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MESSAGE_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "AcceptAssignment": (("rightId", "uint256"), ("assignee", "address"), ("deedHash", "bytes32"),
                         ("nonce", "uint256"), ("deadline", "uint256")),
    "ConsentToAssignment": (("rightId", "uint256"), ("creditor", "address"), ("assignee", "address"),
                            ("deedHash", "bytes32"), ("nonce", "uint256"), ("deadline", "uint256")),
    "AcceptLicense": (("licenseId", "uint256"), ("licensee", "address"), ("nonce", "uint256"),
                      ("deadline", "uint256")),
}


def domain_of(eip712_domain: Sequence[Any]) -> dict[str, Any]:
    """The EIP-712 domain from a contract's ERC-5267 ``eip712Domain()`` answer."""
    _, name, version, chain_id, verifying, _, _ = eip712_domain
    return {"name": name, "version": version, "chainId": int(chain_id), "verifyingContract": verifying}


def sign(key: Any, domain: dict[str, Any], primary: str, message: dict[str, Any]) -> bytes:
    """The 65-byte signature of ``message`` of type ``primary`` (one of ``MESSAGE_TYPES``) under ``domain``."""
    from eth_account import Account

    fields = [{"name": n, "type": t} for n, t in MESSAGE_TYPES[primary]]
    signed = Account.sign_typed_data(key, domain, {primary: fields}, message)
    return bytes(signed.signature)
