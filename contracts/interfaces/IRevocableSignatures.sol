// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPLedgerErrors} from "./IIPLedgerErrors.sol";

/// @title Revocable, action-bound EIP-712 signatures
/// @notice Every signed message of IP Ledger names the exact pending action it approves (its own id, and for a
/// creditor's consent the version of the right's security interests), so independent actions can be signed and
/// relayed in any order and a cancelled or re-requested action voids the signatures made for it. A signer may
/// also revoke a signature it has not seen used, by its EIP-712 digest (the hash `eth_signTypedData` signs).
/// Signers are externally owned accounts (ECDSA) or contract wallets (ERC-1271, e.g. a Safe).
interface IRevocableSignatures is IIPLedgerErrors {
    /// @notice The signer revoked the signature of `digest`: relaying it reverts {RevokedSignature}.
    /// @param signer The account that revoked (the signer of the message).
    /// @param digest The EIP-712 digest of the signed message, under this contract's domain.
    event SignatureRevoked(address indexed signer, bytes32 indexed digest);

    /// @notice The relayed signature was revoked by its signer.
    /// @param signer The signer who revoked it.
    /// @param digest The EIP-712 digest of the message.
    error RevokedSignature(address signer, bytes32 digest);

    /// @notice Revokes the caller's signature of `digest` before anyone relays it. Open to every account (each
    /// revokes only its own signatures) and allowed while the register is paused: it only takes power away.
    /// Emits {SignatureRevoked}.
    /// @param digest The EIP-712 digest of the signed message under this contract's domain.
    function revokeSignature(bytes32 digest) external;

    /// @notice Whether `signer` revoked its signature of `digest`.
    /// @param signer The signer.
    /// @param digest The EIP-712 digest.
    /// @return True if revoked.
    function isSignatureRevoked(address signer, bytes32 digest) external view returns (bool);
}
