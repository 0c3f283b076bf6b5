// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../governance/Governed.sol";

/// @title UpgradeProbeBrokenConstructor (test double)
/// @notice An unsafe implementation: its constructor writes state, which lives in the implementation's own
/// storage and never in the proxy's. upgrades-core must refuse it. Not for production.
contract UpgradeProbeBrokenConstructor is Governed {
    /// @custom:storage-location erc7201:ipledger.storage.UpgradeProbe
    struct ProbeStorage {
        address keeper;
        uint64 count;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.UpgradeProbe")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0xa08ef568019362872895c86b8d3afd00665c7bdee8f800fe4ebeea96eaa4ab00;

    function _probe() private pure returns (ProbeStorage storage $) {
        assembly {
            $.slot := _STORAGE
        }
    }

    constructor() {
        _probe().count = 1;
    }

    /// @param authority The access manager.
    function initialize(address authority) external initializer {
        __Governed_init(authority);
    }

    /// @notice Adds one to the counter.
    function bump() external whenNotPaused {
        _probe().count += 1;
    }

    /// @notice The counter.
    function count() external view returns (uint64) {
        return _probe().count;
    }
}
