// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IOfficeDirectory} from "../interfaces/IOfficeCouncil.sol";

/// @title CouncilRegistryMock (test double)
/// @notice The v2 registry's governed surface as the council and the deployment see it, until the registry's v2
/// lands: initialized through a RegisterProxy with the authority, restricted like the real IPRegistry (office
/// functions to the council, `pause` to the guardian, the rest to the admin, i.e. the council's timelock), and an
/// office-admin-only `grantRegistrar`. Tests deploy the suite with it in IPRegistry's place. Not for production.
contract CouncilRegistryMock is IOfficeDirectory, AccessManaged {
    struct Office {
        bool exists;
        bool recordalRequired;
        address admin;
    }

    mapping(bytes2 office => Office) private _offices;
    mapping(bytes2 office => mapping(address account => bool)) private _registrars;
    bool private _initialized;
    bool private _paused;
    address private _securityInterests;
    address private _nextImplementation;

    /// @notice The office is already admitted.
    /// @param office The code.
    error OfficeExists(bytes2 office);

    /// @notice The office is not admitted.
    /// @param office The code.
    error UnknownOffice(bytes2 office);

    /// @notice As the registry's: only the office's admin acts in its number space.
    /// @param office The code.
    /// @param caller The caller.
    error NotOfficeAdmin(bytes2 office, address caller);

    /// @notice `initialize` ran already.
    error AlreadyInitialized();

    /// @notice As the registry's.
    event OfficeAdded(bytes2 indexed office, address indexed admin, bool recordalRequired);
    /// @notice As the registry's.
    event OfficeRemoved(bytes2 indexed office);
    /// @notice As the registry's.
    event OfficeAdminSet(bytes2 indexed office, address indexed previousAdmin, address indexed newAdmin);
    /// @notice As the registry's.
    event RegistrarGranted(bytes2 indexed office, address indexed account, address indexed by);
    /// @notice As the registry's.
    event RecordalRequirementSet(bytes2 indexed office, bool required);
    /// @notice The pause state changed.
    event PausedSet(bool paused);
    /// @notice An upgrade was authorized (the mock only records the address).
    event UpgradeAuthorized(address implementation);

    constructor() AccessManaged(address(0)) {}

    /// @notice Sets the authority, once (through the proxy).
    /// @param authority_ The RegisterAuthority.
    function initialize(address authority_) external {
        if (_initialized) revert AlreadyInitialized();
        _initialized = true;
        _setAuthority(authority_);
    }

    /// @inheritdoc IOfficeDirectory
    function addOffice(bytes2 office, address admin, bool recordalRequired) external restricted {
        if (_offices[office].exists) revert OfficeExists(office);
        _offices[office] = Office(true, recordalRequired, admin);
        emit OfficeAdded(office, admin, recordalRequired);
    }

    /// @inheritdoc IOfficeDirectory
    function removeOffice(bytes2 office) external restricted {
        if (!_offices[office].exists) revert UnknownOffice(office);
        delete _offices[office];
        emit OfficeRemoved(office);
    }

    /// @inheritdoc IOfficeDirectory
    function setOfficeAdmin(bytes2 office, address admin) external restricted {
        if (!_offices[office].exists) revert UnknownOffice(office);
        emit OfficeAdminSet(office, _offices[office].admin, admin);
        _offices[office].admin = admin;
    }

    /// @notice As the registry's (admin: the timelock).
    function setRecordalRequired(bytes2 office, bool required) external restricted {
        if (!_offices[office].exists) revert UnknownOffice(office);
        _offices[office].recordalRequired = required;
        emit RecordalRequirementSet(office, required);
    }

    /// @notice As the registry's one-time wiring (admin).
    function setSecurityInterests(address securityInterests) external restricted {
        _securityInterests = securityInterests;
    }

    /// @notice As the registry's: the office's admin names a registrar.
    function grantRegistrar(bytes2 office, address account) external {
        if (!_offices[office].exists || _offices[office].admin != msg.sender) revert NotOfficeAdmin(office, msg.sender);
        _registrars[office][account] = true;
        emit RegistrarGranted(office, account, msg.sender);
    }

    /// @notice As Governed's (guardian).
    function pause() external restricted {
        _paused = true;
        emit PausedSet(true);
    }

    /// @notice As Governed's (admin).
    function unpause() external restricted {
        _paused = false;
        emit PausedSet(false);
    }

    /// @notice As UUPS's entry point (admin); the mock records the address and changes nothing.
    function upgradeToAndCall(address implementation, bytes calldata) external payable restricted {
        _nextImplementation = implementation;
        emit UpgradeAuthorized(implementation);
    }

    /// @notice As the registry's view.
    function officeInfo(bytes2 office) external view returns (bool exists, bool recordalRequired, address admin) {
        Office memory o = _offices[office];
        return (o.exists, o.recordalRequired, o.admin);
    }

    /// @notice As the registry's view.
    function isRegistrar(bytes2 office, address account) external view returns (bool) {
        return _registrars[office][account];
    }

    /// @notice As Pausable's view.
    function paused() external view returns (bool) {
        return _paused;
    }
}
