// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPartyRegistry} from "../interfaces/IPartyRegistry.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title PartyRegistry
/// @notice Party profiles and per-office verification. Offices and registrar roles are
/// those of the {IPRegistry} given at deployment.
contract PartyRegistry is IPartyRegistry {
    /// @notice The register whose offices and registrars this contract trusts.
    IIPRegistry public immutable registry;

    mapping(address party => Profile) private _profiles;
    mapping(address party => mapping(bytes2 office => uint64 version)) private _verifiedVersion;

    /// @param registry_ The IP register.
    constructor(IIPRegistry registry_) {
        if (address(registry_) == address(0)) revert InvalidAccount(address(registry_));
        registry = registry_;
    }

    /// @inheritdoc IPartyRegistry
    function publishProfile(bytes32 identityHash, bytes2 country, string calldata metadataURI) external {
        _checkNotPaused();
        _checkCountry(country);
        Profile storage p = _profiles[msg.sender];
        uint64 version = p.version + 1;
        p.identityHash = identityHash;
        p.country = country;
        p.version = version;
        p.updatedAt = uint40(block.timestamp);
        emit ProfilePublished(msg.sender, identityHash, country, metadataURI, version);
    }

    /// @inheritdoc IPartyRegistry
    function verifyProfile(address party, bytes2 office) external {
        _checkRegistrar(office);
        uint64 version = _profiles[party].version;
        if (version == 0) revert NoProfile(party);
        _verifiedVersion[party][office] = version;
        emit ProfileVerified(party, office, version, msg.sender);
    }

    /// @inheritdoc IPartyRegistry
    function revokeVerification(address party, bytes2 office) external {
        _checkRegistrar(office);
        if (!isVerified(party, office)) revert NotVerified(party, office);
        delete _verifiedVersion[party][office];
        emit VerificationRevoked(party, office, msg.sender);
    }

    /// @inheritdoc IPartyRegistry
    function profileOf(address party) external view returns (Profile memory) {
        return _profiles[party];
    }

    /// @inheritdoc IPartyRegistry
    function isVerified(address party, bytes2 office) public view returns (bool) {
        uint64 v = _verifiedVersion[party][office];
        // Profile versions are counters, not balances or times: a verification holds for one exact version.
        // slither-disable-next-line incorrect-equality
        return v != 0 && v == _profiles[party].version;
    }

    /// @dev State changes stop while the register is paused.
    function _checkNotPaused() internal view {
        if (Pausable(address(registry)).paused()) revert Pausable.EnforcedPause();
    }

    function _checkRegistrar(bytes2 office) internal view {
        _checkNotPaused();
        // Only whether the office exists matters here, not its recordal setting.
        // slither-disable-next-line unused-return
        (bool known,) = registry.officeInfo(office);
        if (!known) revert UnknownOffice(office);
        if (!registry.isRegistrar(office, msg.sender)) revert NotRegistrar(office, msg.sender);
    }

    function _checkCountry(bytes2 code) internal pure {
        for (uint256 i; i < 2; ++i) {
            bytes1 c = code[i];
            if (c < 0x41 || c > 0x5A) revert InvalidOfficeCode(code);
        }
    }
}
