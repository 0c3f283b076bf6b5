// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPRegistry} from "../interfaces/IIPRegistry.sol";

/// @title Lifecycle
/// @notice Pure facts about a right's status that every register contract needs the same way.
library Lifecycle {
    /// @notice Whether a right in `s` has ended (refused, withdrawn, expired, revoked, invalidated, surrendered,
    /// lapsed): its title can no longer be used or licensed (a lapsed right may still be restored).
    /// @param s The status.
    /// @return True for an ended status.
    function isEnded(IIPRegistry.Status s) internal pure returns (bool) {
        // Enum membership, not a balance or time: strict equality is the point.
        // slither-disable-next-line incorrect-equality
        return s == IIPRegistry.Status.Expired || s == IIPRegistry.Status.Refused || s == IIPRegistry.Status.Withdrawn
            || s == IIPRegistry.Status.Revoked || s == IIPRegistry.Status.Invalidated
            || s == IIPRegistry.Status.Surrendered || s == IIPRegistry.Status.Lapsed;
    }
}
