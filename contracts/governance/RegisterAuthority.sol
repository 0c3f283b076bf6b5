// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title RegisterAuthority
/// @notice The one OpenZeppelin `AccessManager` of a deployment: the authority every {Governed} register asks.
/// @dev Roles (ids are fixed; see `ipledger.domain.governance`): `ADMIN_ROLE` (0) is held by the council's
/// timelock alone once deployment is over; `GUARDIAN` (1) may call `pause` on each register; `COUNCIL` (2) is
/// the {OfficeCouncil} contract, which may admit, remove and re-seat offices in the registry when a vote passed.
contract RegisterAuthority is AccessManager {
    /// @notice May pause every register, and nothing else.
    uint64 public constant GUARDIAN_ROLE = 1;
    /// @notice The office council contract: admits, removes and re-seats offices (after a vote and the delay).
    uint64 public constant COUNCIL_ROLE = 2;

    /// @param initialAdmin The deployer, who wires the deployment and then hands the admin role to the timelock.
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
