// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271Wallet (test double)
/// @notice A minimal contract wallet for tests: it holds rights, licences and security interests like a Safe
/// would, approves a signature when its owner's key signed the digest (ERC-1271), and forwards calls its owner
/// makes through it (so the wallet itself is `msg.sender`). Not for production.
contract ERC1271Wallet is IERC1271 {
    /// @notice The key whose signatures the wallet accepts.
    address public immutable owner;

    /// @notice The caller is not the wallet's owner.
    /// @param caller The caller.
    error NotOwner(address caller);

    /// @notice A forwarded call reverted; its revert data is passed on unchanged.
    /// @param data The revert data.
    error CallFailed(bytes data);

    /// @notice The wallet forwarded a call.
    /// @param target The contract called.
    /// @param data The calldata.
    event Executed(address indexed target, bytes data);

    /// @param owner_ The owner's key.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice ERC-1271: a signature is valid when it recovers to the owner.
    /// @param hash The digest signed.
    /// @param signature The owner's ECDSA signature of `hash`.
    /// @return magicValue `IERC1271.isValidSignature.selector` if valid, else 0xffffffff.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        // A failed recovery yields address(0), never the owner: the error code adds nothing.
        // slither-disable-next-line unused-return
        (address recovered,,) = ECDSA.tryRecover(hash, signature);
        return recovered == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice Forwards a call from the owner, with the wallet as `msg.sender`.
    /// @param target The contract to call.
    /// @param data The calldata.
    /// @return result What the call returned.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        emit Executed(target, data);
        bool ok;
        // The owner chooses the target: forwarding its call is this test double's whole job.
        // slither-disable-next-line low-level-calls,arbitrary-send-eth
        (ok, result) = target.call(data);
        if (!ok) revert CallFailed(result);
    }
}
