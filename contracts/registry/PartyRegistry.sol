// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../governance/Governed.sol";
import {IPartyRegistry} from "../interfaces/IPartyRegistry.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";

/// @title PartyRegistry
/// @notice Party profiles and per-office verification. Offices and registrars are those of the {IPRegistry}
/// given at initialization.
/// @dev Behind a {RegisterProxy}, governed by the {RegisterAuthority} (its own pause: the guardian pauses, the
/// council unpauses), state in one ERC-7201 namespaced struct.
contract PartyRegistry is IPartyRegistry, Governed {
    /// @custom:storage-location erc7201:ipledger.storage.PartyRegistry
    struct PartyRegistryStorage {
        IIPRegistry registry;
        mapping(address party => Profile) profiles;
        mapping(address party => mapping(bytes2 office => uint64 version)) verifiedVersion;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.PartyRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0x1ffd293ce73e83093d20fac073c3330546c5f8118237236465ebea8bf19ac800;

    /// @notice Sets up the party register behind its proxy (once).
    /// @param authority The {RegisterAuthority}.
    /// @param registry_ The IP register whose offices and registrars it trusts.
    function initialize(address authority, address registry_) external initializer {
        if (authority.code.length == 0) revert InvalidAccount(authority);
        if (registry_.code.length == 0) revert InvalidAccount(registry_);
        __Governed_init(authority);
        _s().registry = IIPRegistry(registry_);
    }

    /// @notice The register whose offices and registrars this contract trusts.
    /// @return The IP register.
    function registry() external view returns (IIPRegistry) {
        return _s().registry;
    }

    /// @inheritdoc IPartyRegistry
    function publishProfile(bytes32 identityHash, bytes2 country, string calldata metadataURI) external whenNotPaused {
        _checkCountry(country);
        Profile storage p = _s().profiles[msg.sender];
        uint64 version = p.version + 1;
        p.identityHash = identityHash;
        p.country = country;
        p.version = version;
        p.updatedAt = uint40(block.timestamp);
        emit ProfilePublished(msg.sender, identityHash, country, metadataURI, version);
    }

    /// @inheritdoc IPartyRegistry
    function verifyProfile(address party, bytes2 office) external whenNotPaused {
        _checkRegistrar(office);
        PartyRegistryStorage storage $ = _s();
        uint64 version = $.profiles[party].version;
        if (version == 0) revert NoProfile(party);
        $.verifiedVersion[party][office] = version;
        emit ProfileVerified(party, office, version, msg.sender);
    }

    /// @inheritdoc IPartyRegistry
    function revokeVerification(address party, bytes2 office) external whenNotPaused {
        _checkRegistrar(office);
        if (!isVerified(party, office)) revert NotVerified(party, office);
        delete _s().verifiedVersion[party][office];
        emit VerificationRevoked(party, office, msg.sender);
    }

    /// @inheritdoc IPartyRegistry
    function profileOf(address party) external view returns (Profile memory) {
        return _s().profiles[party];
    }

    /// @inheritdoc IPartyRegistry
    function isVerified(address party, bytes2 office) public view returns (bool) {
        PartyRegistryStorage storage $ = _s();
        uint64 v = $.verifiedVersion[party][office];
        // Profile versions are counters, not balances or times: a verification holds for one exact version.
        // slither-disable-next-line incorrect-equality
        return v != 0 && v == $.profiles[party].version;
    }

    function _s() private pure returns (PartyRegistryStorage storage $) {
        assembly {
            $.slot := _STORAGE
        }
    }

    function _checkRegistrar(bytes2 office) internal view {
        IIPRegistry registry_ = _s().registry;
        // Only whether the office exists matters here, not its recordal setting nor its admin.
        // slither-disable-next-line unused-return
        (bool known,,) = registry_.officeInfo(office);
        if (!known) revert UnknownOffice(office);
        if (!registry_.isRegistrar(office, msg.sender)) revert NotRegistrar(office, msg.sender);
    }

    function _checkCountry(bytes2 code) internal pure {
        for (uint256 i; i < 2; ++i) {
            bytes1 c = code[i];
            if (c < 0x41 || c > 0x5A) revert InvalidOfficeCode(code);
        }
    }
}
