"""EIP-712 for the tests: the one signing helper, written apart from the SDK's signing so that it checks it.

The domain is read from the contract itself (ERC-5267 ``eip712Domain()``), the typed data is built from the
message type's fields as the tests declare them below, and the message is signed with eth-account. Tests compare
the SDK's signatures with these, relay them to the contracts, and check the declared types against the
contracts' type hashes (``type_hash``). Works with web3 contracts (pytest suite) and brownie contracts
(tests_brownie).
"""

from __future__ import annotations

from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

MESSAGE_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "AcceptAssignment": (("rightId", "uint256"), ("assignmentId", "uint256"), ("assignee", "address"),
                         ("deedHash", "bytes32"), ("deadline", "uint256")),
    "ConsentToAssignment": (("pledgeId", "uint256"), ("rightId", "uint256"), ("creditor", "address"),
                            ("assignmentId", "uint256"), ("assignee", "address"), ("deedHash", "bytes32"),
                            ("pledgesVersion", "uint256"), ("deadline", "uint256")),
    "AcceptLicense": (("licenseId", "uint256"), ("licensee", "address"), ("termsId", "uint256"),
                      ("deadline", "uint256")),
    "GrantLicense": (("rightId", "uint256"), ("parentId", "uint256"), ("licensee", "address"),
                     ("termsId", "uint256"), ("sequence", "uint256"), ("deadline", "uint256")),
}


def domain(contract: Any) -> dict[str, Any]:
    """The EIP-712 domain the contract reports through ``eip712Domain()`` (a web3 or a brownie contract)."""
    from web3.contract import Contract

    answer = contract.functions.eip712Domain().call() if isinstance(contract, Contract) else contract.eip712Domain()
    _, name, version, chain_id, verifying, _, _ = answer
    return {"name": str(name), "version": str(version), "chainId": int(chain_id),
            "verifyingContract": str(verifying)}


def encode_type(primary: str) -> str:
    """The EIP-712 type string, e.g. ``AcceptLicense(uint256 licenseId,address licensee,...)``."""
    return f"{primary}(" + ",".join(f"{t} {n}" for n, t in MESSAGE_TYPES[primary]) + ")"


def type_hash(primary: str) -> bytes:
    """keccak of the type string: what the contract's ``*_TYPEHASH`` constant must be."""
    return keccak(text=encode_type(primary))


def typed_data(contract: Any, primary: str, message: dict[str, Any]) -> dict[str, Any]:
    """The full EIP-712 typed data of ``message`` of type ``primary`` under ``contract``'s domain."""
    fields = [{"name": n, "type": t} for n, t in MESSAGE_TYPES[primary]]
    missing = {n for n, _ in MESSAGE_TYPES[primary]} ^ set(message)
    assert not missing, f"{primary} message: fields {sorted(missing)} missing or unknown"
    return {"domain": domain(contract), "types": {primary: fields}, "primaryType": primary, "message": message}


def sign(contract: Any, primary: str, message: dict[str, Any], key: Any) -> bytes:
    """The 65-byte signature of ``message`` by ``key`` (a private key or an eth-account signer)."""
    data = typed_data(contract, primary, message)
    signed = Account.sign_typed_data(getattr(key, "key", key), data["domain"], data["types"], data["message"])
    return bytes(signed.signature)


def digest(contract: Any, primary: str, message: dict[str, Any]) -> bytes:
    """The EIP-712 digest of ``message`` (what is signed, and what ``revokeSignature`` takes)."""
    data = typed_data(contract, primary, message)
    signable = encode_typed_data(data["domain"], data["types"], data["message"])
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def recover(contract: Any, primary: str, message: dict[str, Any], signature: bytes) -> str:
    """The address that ``signature`` recovers to for ``message`` (what the contract's ECDSA.recover sees)."""
    data = typed_data(contract, primary, message)
    signable = encode_typed_data(data["domain"], data["types"], data["message"])
    return str(Account.recover_message(signable, signature=signature))
