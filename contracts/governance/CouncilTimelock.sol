// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title CouncilTimelock
/// @notice The delay between a passed council vote and its effect, and the one account that holds the
/// {RegisterAuthority}'s admin role: an OpenZeppelin `TimelockController` whose proposer and canceller is the
/// {OfficeCouncil} and whose executor is anyone (a passed proposal is executed by whoever calls it).
/// @dev The deployment makes the deployer its temporary admin to grant the council its roles, then renounces:
/// afterwards only the timelock itself administers its roles (a council proposal calling `grantRole` or
/// `updateDelay` on it). A zero delay is for local dev chains only (the deployment refuses it elsewhere).
contract CouncilTimelock is TimelockController {
    /// @param minDelay Seconds between queuing a passed proposal and executing it.
    /// @param admin The temporary admin (the deployer), who grants the council its roles and renounces.
    constructor(uint256 minDelay, address admin)
        TimelockController(minDelay, new address[](0), _anyone(), admin)
    {}

    function _anyone() private pure returns (address[] memory executors) {
        executors = new address[](1); // address(0): the executor role is open to everyone
    }
}
