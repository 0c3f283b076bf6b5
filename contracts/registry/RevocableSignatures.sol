// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IRevocableSignatures} from "../interfaces/IRevocableSignatures.sol";

/// @title RevocableSignatures
/// @notice Checks relayed EIP-712 signatures of EOAs (ECDSA) and contract wallets (ERC-1271, through
/// OpenZeppelin's SignatureChecker), with a deadline and the signer's revocation. See {IRevocableSignatures}.
/// @dev No nonces: each contract puts the id of the pending action in its signed messages instead.
abstract contract RevocableSignatures is IRevocableSignatures, EIP712 {
    mapping(address signer => mapping(bytes32 digest => bool)) private _revoked;

    /// @inheritdoc IRevocableSignatures
    function revokeSignature(bytes32 digest) external {
        _revoked[msg.sender][digest] = true;
        emit SignatureRevoked(msg.sender, digest);
    }

    /// @inheritdoc IRevocableSignatures
    function isSignatureRevoked(address signer, bytes32 digest) external view returns (bool) {
        return _revoked[signer][digest];
    }

    /// @dev Reverts unless `signer` signed `structHash` under this domain, before `deadline`, and kept it:
    /// {SignatureExpired}, {RevokedSignature}, or {InvalidSignature} naming the address the signature recovers
    /// to (zero if none). A contract signer is asked by ERC-1271 when the ECDSA recovery does not match it.
    function _checkSignature(address signer, bytes32 structHash, uint256 deadline, bytes calldata signature)
        internal
        view
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        bytes32 digest = _hashTypedDataV4(structHash);
        if (_revoked[signer][digest]) revert RevokedSignature(signer, digest);
        // A failed recovery yields address(0), and `signer` is never zero (assignees and creditors are checked
        // non-zero when recorded), so the error code adds nothing: any mismatch is an InvalidSignature.
        // slither-disable-next-line unused-return
        (address recovered,,) = ECDSA.tryRecover(digest, signature);
        if (recovered == signer) return;
        if (signer.code.length != 0 && SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature)) {
            return;
        }
        revert InvalidSignature(signer, recovered);
    }
}
