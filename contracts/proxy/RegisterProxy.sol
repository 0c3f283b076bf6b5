// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title RegisterProxy
/// @notice The address of a register contract for ever: an ERC-1967 proxy whose implementation is a
/// {Governed} (UUPS) contract; its upgrades go through the implementation's `upgradeToAndCall`, which only the
/// council's timelock may call. Clients use this address with the implementation's ABI.
contract RegisterProxy is ERC1967Proxy {
    /// @param implementation The first implementation.
    /// @param data Its `initialize` call, made through the proxy in the same transaction.
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
