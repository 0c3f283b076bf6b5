// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";

/// @title Governed
/// @notice The base of every register contract: it sits behind a UUPS proxy ({RegisterProxy}), keeps its
/// state in ERC-7201 namespaced structs, and answers to one OpenZeppelin `AccessManager` ({RegisterAuthority}).
/// @dev Who may call a `restricted` function is the authority's business, not this contract's:
/// - `upgradeToAndCall` (through `_authorizeUpgrade`) and `unpause`: the authority's admin role, which only
///   the council's timelock holds once deployment is over (a proposal, a two-thirds vote, the delay);
/// - `pause`: the guardian role (it may pause and nothing else);
/// - anything a subcontract marks `restricted`: the role the deployment assigns to that selector.
/// The implementation itself can never be initialized (its constructor disables initializers), so nobody
/// can take over the logic contract behind a proxy.
abstract contract Governed is Initializable, UUPSUpgradeable, AccessManagedUpgradeable, PausableUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Called once by the subcontract's `initialize`, through the proxy.
    /// @param authority The {RegisterAuthority} every restricted function asks.
    // solhint-disable-next-line func-name-mixedcase
    function __Governed_init(address authority) internal onlyInitializing {
        __AccessManaged_init(authority);
        __Pausable_init();
    }

    /// @notice Stops every state change of this contract (the guardian, or the council).
    function pause() external restricted {
        _pause();
    }

    /// @notice Resumes state changes (the council only: a vote and the timelock).
    function unpause() external restricted {
        _unpause();
    }

    /// @dev An upgrade is a restricted call of `upgradeToAndCall`: only the council's timelock may make it.
    function _authorizeUpgrade(address) internal override restricted {}
}
