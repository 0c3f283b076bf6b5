// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IRevocableSignatures} from "../interfaces/IRevocableSignatures.sol";

/// @title RevocableSignaturesUpgradeable
/// @notice Checks relayed EIP-712 signatures of EOAs (ECDSA) and contract wallets (ERC-1271, through
/// OpenZeppelin's SignatureChecker), with a deadline and the signer's revocation. See {IRevocableSignatures}.
/// @dev No nonces: each contract puts the id of the pending action in its signed messages instead. The state
/// lives in an ERC-7201 namespaced struct, so a register behind a proxy can inherit it and still upgrade.
abstract contract RevocableSignaturesUpgradeable is IRevocableSignatures, EIP712Upgradeable {
    /// @custom:storage-location erc7201:ipledger.storage.RevocableSignatures
    struct RevocableSignaturesStorage {
        mapping(address signer => mapping(bytes32 digest => bool)) revoked;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.RevocableSignatures")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0xcbd5d8858d392c3e4944da14a9bd9696d6927782925a31034e010b41f56f3d00;

    function _revocations() private pure returns (RevocableSignaturesStorage storage $) {
        assembly {
            $.slot := _STORAGE
        }
    }

    /// @dev The EIP-712 domain (name, version) of the inheriting register; called by its `initialize`.
    // solhint-disable-next-line func-name-mixedcase
    function __RevocableSignatures_init(string memory name, string memory version) internal onlyInitializing {
        __EIP712_init(name, version);
    }

    /// @inheritdoc IRevocableSignatures
    function revokeSignature(bytes32 digest) external {
        _revocations().revoked[msg.sender][digest] = true;
        emit SignatureRevoked(msg.sender, digest);
    }

    /// @inheritdoc IRevocableSignatures
    function isSignatureRevoked(address signer, bytes32 digest) external view returns (bool) {
        return _revocations().revoked[signer][digest];
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
        if (_revocations().revoked[signer][digest]) revert RevokedSignature(signer, digest);
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
