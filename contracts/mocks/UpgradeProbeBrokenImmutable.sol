// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../governance/Governed.sol";

/// @title UpgradeProbeBrokenImmutable (test double)
/// @notice An unsafe implementation: an immutable set by its constructor, one value baked into the code for
/// every proxy. upgrades-core must refuse it. Not for production.
contract UpgradeProbeBrokenImmutable is Governed {
    /// @custom:storage-location erc7201:ipledger.storage.UpgradeProbe
    struct ProbeStorage {
        address keeper;
        uint64 count;
    }

    /// @notice The baked-in value.
    uint256 public immutable baked;

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.UpgradeProbe")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0xa08ef568019362872895c86b8d3afd00665c7bdee8f800fe4ebeea96eaa4ab00;

    function _probe() private pure returns (ProbeStorage storage $) {
        assembly {
            $.slot := _STORAGE
        }
    }

    constructor() {
        baked = block.number;
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
