// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title CouncilWalletMock (test double)
/// @notice An office admin that is a contract wallet (like a Safe): it approves digests its owner's key signed
/// (ERC-1271), so it votes with `castVoteBySig`, and forwards its owner's calls (propose, accept a seat).
/// Not for production.
contract CouncilWalletMock is IERC1271 {
    /// @notice The key whose signatures the wallet accepts.
    address public immutable owner;

    /// @notice The caller is not the wallet's owner.
    /// @param caller The caller.
    error CouncilWalletNotOwner(address caller);

    /// @notice A forwarded call reverted; its revert data is passed on unchanged.
    /// @param data The revert data.
    error CouncilWalletCallFailed(bytes data);

    /// @param owner_ The owner's key.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice ERC-1271: valid when the signature recovers to the owner.
    /// @param hash The digest.
    /// @param signature The owner's signature.
    /// @return magicValue The ERC-1271 magic value, or 0xffffffff.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        // slither-disable-next-line unused-return
        (address recovered,,) = ECDSA.tryRecover(hash, signature);
        return recovered == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice Forwards a call of the owner, with the wallet as `msg.sender`.
    /// @param target The contract called.
    /// @param data The calldata.
    /// @return result What the call returned.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != owner) revert CouncilWalletNotOwner(msg.sender);
        bool ok;
        // slither-disable-next-line low-level-calls
        (ok, result) = target.call(data);
        if (!ok) revert CouncilWalletCallFailed(result);
    }
}
