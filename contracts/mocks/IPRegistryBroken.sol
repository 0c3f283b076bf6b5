// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPRegistry} from "../registry/IPRegistry.sol";

/// @title IPRegistryBroken (test double)
/// @notice An UNSAFE next version of {IPRegistry}: an immutable set by its constructor (a value baked into the
/// code for every proxy, never in the proxy's storage). `ipledger upgrade` must refuse it before anything is
/// deployed or proposed. Not for production.
/// @dev Only ever an upgrade of a proxy that IPRegistry's `initialize` already set up, never a fresh deployment:
/// its own initialization is the `reinitializer(2)` below, hence the allowance for upgrades-core.
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract IPRegistryBroken is IPRegistry {
    /// @notice The baked-in value.
    uint256 public immutable baked;

    constructor() {
        baked = block.number;
    }

    /// @notice The upgrade's initializer (present, so the check's only objections are the immutable and the
    /// constructor).
    function initializeBroken() external reinitializer(2) {}
}
