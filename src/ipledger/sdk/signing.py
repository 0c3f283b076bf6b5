"""EIP-712 signing for the SDK: the one place that knows the typed messages and signs them.

The message types mirror the contracts' type hashes (``IPRegistry.ACCEPT_ASSIGNMENT_TYPEHASH``
and friends); a signature made here is what ``acceptAssignmentBySig``, ``consentToAssignmentBySig``
and ``acceptLicenseBySig`` recover. Assignment messages name the pending action's own id, and the
one-transaction ``AssignTitle`` the right's holder and assignment sequence number (no ordered nonce); ``digest`` is the hash a signer passes to ``revokeSignature`` to revoke one before it is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MESSAGE_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "AcceptAssignment": (("rightId", "uint256"), ("assignmentId", "uint256"), ("assignee", "address"),
                         ("deedHash", "bytes32"), ("deadline", "uint256")),
    "AssignTitle": (("rightId", "uint256"), ("holder", "address"), ("assignee", "address"), ("deedHash", "bytes32"),
                    ("sequence", "uint256"), ("deadline", "uint256")),
    "ConsentToAssignment": (("pledgeId", "uint256"), ("rightId", "uint256"), ("creditor", "address"),
                            ("assignmentId", "uint256"), ("assignee", "address"), ("deedHash", "bytes32"),
                            ("pledgesVersion", "uint256"), ("deadline", "uint256")),
    "AcceptLicense": (("licenseId", "uint256"), ("licensee", "address"), ("termsId", "uint256"),
                      ("deadline", "uint256")),
    "GrantLicense": (("rightId", "uint256"), ("parentId", "uint256"), ("licensee", "address"),
                     ("termsId", "uint256"), ("sequence", "uint256"), ("deadline", "uint256")),
}


def domain_of(eip712_domain: Sequence[Any]) -> dict[str, Any]:
    """The EIP-712 domain from a contract's ERC-5267 ``eip712Domain()`` answer."""
    _, name, version, chain_id, verifying, _, _ = eip712_domain
    return {"name": name, "version": version, "chainId": int(chain_id), "verifyingContract": verifying}


def _typed(primary: str) -> dict[str, list[dict[str, str]]]:
    return {primary: [{"name": n, "type": t} for n, t in MESSAGE_TYPES[primary]]}


def digest(domain: dict[str, Any], primary: str, message: dict[str, Any]) -> bytes:
    """The EIP-712 digest of ``message`` under ``domain``: what is signed, and what ``revokeSignature`` takes."""
    from eth_account.messages import encode_typed_data
    from eth_utils import keccak

    m = encode_typed_data(domain, _typed(primary), message)
    return bytes(keccak(b"\x19" + m.version + m.header + m.body))


def sign(key: Any, domain: dict[str, Any], primary: str, message: dict[str, Any]) -> bytes:
    """The 65-byte signature of ``message`` of type ``primary`` (one of ``MESSAGE_TYPES``) under ``domain``."""
    from eth_account import Account

    signed = Account.sign_typed_data(key, domain, _typed(primary), message)
    return bytes(signed.signature)
