// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPRegistry} from "../registry/IPRegistry.sol";

/// @title IPRegistryNext (test double)
/// @notice A compatible next version of {IPRegistry} for the upgrade tests: everything of IPRegistry, plus one
/// field in a NEW namespaced struct (the registry's own struct is untouched), its getter and setter, and a
/// `version()`. Not for production.
/// @dev Only ever an upgrade of a proxy that IPRegistry's `initialize` already set up, never a fresh deployment:
/// its own initialization is the `reinitializer(2)` below, hence the allowance for upgrades-core.
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract IPRegistryNext is IPRegistry {
    /// @custom:storage-location erc7201:ipledger.storage.IPRegistryNext
    struct NextStorage {
        uint256 note;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.IPRegistryNext")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _NEXT_STORAGE = 0xadb95d7c0797c271e6a901c82ea5b8e9601df5a0afa96e44628d31e3139e7f00;

    /// @notice The new field was set.
    /// @param note The new value.
    event NoteSet(uint256 note);

    /// @notice The upgrade's initializer, passed as the data of `upgradeToAndCall`: sets the new field once.
    /// @param note_ Its first value.
    function initializeNext(uint256 note_) external reinitializer(2) {
        _next().note = note_;
        emit NoteSet(note_);
    }

    /// @notice Sets the new field (anyone: a test double).
    /// @param note_ The new value.
    function setNote(uint256 note_) external {
        _next().note = note_;
        emit NoteSet(note_);
    }

    /// @notice The new field.
    function note() external view returns (uint256) {
        return _next().note;
    }

    /// @notice The version of this implementation.
    function version() external pure returns (uint256) {
        return 2;
    }

    function _next() private pure returns (NextStorage storage $) {
        assembly {
            $.slot := _NEXT_STORAGE
        }
    }
}
