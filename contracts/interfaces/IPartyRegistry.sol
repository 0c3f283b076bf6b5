// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPLedgerErrors} from "./IIPLedgerErrors.sol";

/// @title IP Ledger party identity
/// @notice Holders, licensees, creditors and representatives publish a profile; office
/// registrars verify it for their office. A verification holds only for the profile version
/// it was given for: publishing a new profile voids earlier verifications.
interface IPartyRegistry is IIPLedgerErrors {
    /// @notice A party's published profile.
    struct Profile {
        bytes32 identityHash;
        bytes2 country;
        uint64 version;
        uint40 updatedAt;
    }

    /// @notice The account has not published a profile.
    /// @param party The account.
    error NoProfile(address party);

    /// @notice The profile is not verified by this office.
    /// @param party The account.
    /// @param office The office.
    error NotVerified(address party, bytes2 office);

    /// @notice A party published or replaced its profile.
    /// @param party The party.
    /// @param identityHash Hash of its legal name or DID.
    /// @param country Its ST.3 country code.
    /// @param metadataURI URI of its profile document.
    /// @param version The profile's version (starts at 1).
    event ProfilePublished(
        address indexed party, bytes32 identityHash, bytes2 country, string metadataURI, uint64 version
    );

    /// @notice An office verified a party's current profile.
    /// @param party The party.
    /// @param office The office.
    /// @param version The profile version verified.
    /// @param registrar The registrar who verified it.
    event ProfileVerified(address indexed party, bytes2 indexed office, uint64 version, address registrar);

    /// @notice An office revoked its verification.
    /// @param party The party.
    /// @param office The office.
    /// @param registrar The registrar who revoked it.
    event VerificationRevoked(address indexed party, bytes2 indexed office, address registrar);

    /// @notice Publishes or replaces the caller's profile.
    /// @param identityHash Hash of the legal name or DID.
    /// @param country ST.3 country code.
    /// @param metadataURI URI of the profile document.
    function publishProfile(bytes32 identityHash, bytes2 country, string calldata metadataURI) external;

    /// @notice A registrar of `office` verifies the party's current profile.
    /// @param party The party.
    /// @param office The office.
    function verifyProfile(address party, bytes2 office) external;

    /// @notice A registrar of `office` revokes that office's verification.
    /// @param party The party.
    /// @param office The office.
    function revokeVerification(address party, bytes2 office) external;

    /// @notice The party's profile (version 0 if none).
    /// @param party The party.
    /// @return The profile.
    function profileOf(address party) external view returns (Profile memory);

    /// @notice Whether `office` has verified the party's current profile.
    /// @param party The party.
    /// @param office The office.
    /// @return True if verified.
    function isVerified(address party, bytes2 office) external view returns (bool);
}
