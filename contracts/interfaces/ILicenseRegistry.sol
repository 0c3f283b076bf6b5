// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPLedgerErrors} from "./IIPLedgerErrors.sol";
import {IIPRegistry} from "./IIPRegistry.sol";

/// @title IP Ledger license register
/// @notice Licenses granted under the rights of {IIPRegistry}, as a tree per right (ERC-5218 style):
/// the holder of a right offers root licenses, the licensee of an active sublicensable license
/// offers sublicenses under it. A license is active once its licensee accepts it, and ends by
/// termination (licensor), surrender (licensee), expiry (time), the end of its parent, or the end
/// of the right. Ending is read lazily: nothing is written when a license expires or when an
/// ancestor or the right ends.
///
/// Bounds (so every loop has a known maximum):
/// - a license tree is at most `MAX_DEPTH` (8) licenses deep: the ancestor walk of every read
///   takes at most 8 steps;
/// - at most `MAX_LICENSES_PER_RIGHT` (64) live licenses and pending offers per right are
///   considered for exclusivity (and by `isLicensed`): entries that can never become active
///   again (withdrawn, terminated, surrendered, expired, or under an ended parent) are dropped
///   from that list when a scan meets them or when it is full, and an offer that would exceed
///   the cap reverts with {TooManyLicenses}. The full history stays in `licensesOfRight`;
/// - at most `MAX_TERRITORIES` (32) territory codes per license.
///
/// Time is unix seconds. A license covers the closed period [start, end]; `end` 0 means until
/// the right ends. A license whose `end` is before the current block time reads as expired.
interface ILicenseRegistry is IIPLedgerErrors {
    /// @notice How exclusive a license is. A stronger kind has a smaller value.
    /// `Exclusive` excludes everyone in its scope, the holder of the right included;
    /// `Sole` excludes every other licensee but not the holder; `NonExclusive` excludes no one.
    enum LicenseKind {
        Exclusive,
        Sole,
        NonExclusive
    }

    /// @notice Stored state of a license. Expiry and the end of a parent or of the right are not
    /// stored: read `isLicenseActive` (or `License.active`) for the effective answer.
    enum LicenseState {
        None,
        Offered,
        Active,
        Withdrawn,
        Terminated,
        Surrendered
    }

    /// @notice Terms of a license, as offered.
    struct Terms {
        /// @dev Exclusive, sole or non-exclusive.
        LicenseKind kind;
        /// @dev WIPO ST.3 codes (two upper-case letters); "WO" means worldwide. 1 to 32 codes.
        bytes2[] territories;
        /// @dev keccak256 of the field-of-use label; zero means all fields.
        bytes32 fieldHash;
        /// @dev First second covered (0 = from the start of the right).
        uint64 start;
        /// @dev Last second covered (0 = until the right ends).
        uint64 end;
        /// @dev Royalty in basis points, at most 10000.
        uint16 royaltyBps;
        /// @dev Whether the licensee may offer sublicenses under it.
        bool sublicensable;
        /// @dev Whether the licensee may transfer it to another party.
        bool transferable;
        /// @dev Hash of the license agreement document.
        bytes32 termsHash;
    }

    /// @notice A license as read back, with its licensor and effective activity resolved now.
    struct License {
        /// @dev The licensed right.
        uint256 rightId;
        /// @dev The license it is a sublicense of (0 for a root license).
        uint256 parentId;
        /// @dev Who may terminate it now: the holder of the right (root), or the licensee of the parent.
        address licensor;
        /// @dev The current licensee.
        address licensee;
        /// @dev Exclusive, sole or non-exclusive.
        LicenseKind kind;
        /// @dev The stored state.
        LicenseState state;
        /// @dev Whether it is in force now (see `isLicenseActive`).
        bool active;
        /// @dev Its depth in the tree (1 for a root license).
        uint8 depth;
        /// @dev ST.3 territory codes.
        bytes2[] territories;
        /// @dev Field-of-use label hash (0 = all fields).
        bytes32 fieldHash;
        /// @dev First second covered.
        uint64 start;
        /// @dev Last second covered (0 = until the right ends).
        uint64 end;
        /// @dev Royalty in basis points.
        uint16 royaltyBps;
        /// @dev Whether sublicenses may be offered under it.
        bool sublicensable;
        /// @dev Whether the licensee may transfer it.
        bool transferable;
        /// @dev Hash of the license agreement document.
        bytes32 termsHash;
    }

    // ------------------------------------------------------------------ errors

    /// @notice No license with this id exists.
    /// @param licenseId The unknown id.
    error LicenseNotFound(uint256 licenseId);

    /// @notice The right has ended (see `IIPRegistry.isEnded`): nothing can be offered or accepted under it.
    /// @param rightId The right.
    /// @param status Its status.
    error RightEnded(uint256 rightId, IIPRegistry.Status status);

    /// @notice The caller is not the licensor of the license (the holder of the right, or the licensee of the parent).
    /// @param licenseId The license.
    /// @param caller The caller.
    error NotLicensor(uint256 licenseId, address caller);

    /// @notice The caller is not the licensee of the license.
    /// @param licenseId The license (for a sublicense offer: the parent).
    /// @param caller The caller.
    error NotLicensee(uint256 licenseId, address caller);

    /// @notice The license is not a pending offer.
    /// @param licenseId The license.
    /// @param state Its stored state.
    error NotOffered(uint256 licenseId, LicenseState state);

    /// @notice The license is not active (not accepted, ended, expired, under an ended parent, or its right ended).
    /// @param licenseId The license.
    error LicenseNotActive(uint256 licenseId);

    /// @notice The offer's period is over: it can no longer be accepted.
    /// @param licenseId The offer.
    /// @param end Its end.
    error OfferExpired(uint256 licenseId, uint64 end);

    /// @notice The parent license belongs to another right.
    /// @param parentId The parent.
    /// @param parentRightId The parent's right.
    /// @param rightId The right named in the offer.
    error ParentOfOtherRight(uint256 parentId, uint256 parentRightId, uint256 rightId);

    /// @notice The parent license does not allow sublicensing.
    /// @param parentId The parent.
    error NotSublicensable(uint256 parentId);

    /// @notice A sublicense under this parent would be deeper than `maxDepth`.
    /// @param parentId The parent.
    /// @param maxDepth The maximum depth of a license tree.
    error TreeTooDeep(uint256 parentId, uint8 maxDepth);

    /// @notice The license may not be transferred.
    /// @param licenseId The license.
    error NotTransferable(uint256 licenseId);

    /// @notice The royalty is above 10000 basis points.
    /// @param royaltyBps The rejected royalty.
    error RoyaltyTooHigh(uint16 royaltyBps);

    /// @notice The number of territory codes is 0 or above the maximum.
    /// @param count The number given.
    /// @param max The maximum.
    error TerritoryCount(uint256 count, uint256 max);

    /// @notice A territory code is not two upper-case ASCII letters (WIPO ST.3).
    /// @param code The rejected code.
    error InvalidTerritory(bytes2 code);

    /// @notice The period is empty or already over (`end` must be 0, or after `start` and not before now).
    /// @param start The start.
    /// @param end The end.
    error InvalidPeriod(uint64 start, uint64 end);

    /// @notice The field-of-use label does not hash to the field hash (an empty label goes with a zero hash).
    /// @param fieldHash The field hash given.
    /// @param labelHash keccak256 of the label (zero for an empty label).
    error FieldLabelMismatch(bytes32 fieldHash, bytes32 labelHash);

    /// @notice The sublicense is more exclusive than its parent.
    /// @param parentId The parent.
    /// @param parentKind The parent's kind.
    /// @param kind The sublicense's kind.
    error ExceedsParentKind(uint256 parentId, LicenseKind parentKind, LicenseKind kind);

    /// @notice A territory of the sublicense is outside its parent's territories.
    /// @param parentId The parent.
    /// @param territory The territory not covered by the parent.
    error ExceedsParentTerritory(uint256 parentId, bytes2 territory);

    /// @notice The sublicense's field of use is wider than or different from its parent's.
    /// @param parentId The parent.
    /// @param parentFieldHash The parent's field hash.
    /// @param fieldHash The sublicense's field hash.
    error ExceedsParentField(uint256 parentId, bytes32 parentFieldHash, bytes32 fieldHash);

    /// @notice The sublicense's period is outside its parent's.
    /// @param parentId The parent.
    /// @param parentStart The parent's start.
    /// @param parentEnd The parent's end (0 = open).
    /// @param start The sublicense's start.
    /// @param end The sublicense's end (0 = open).
    error ExceedsParentPeriod(uint256 parentId, uint64 parentStart, uint64 parentEnd, uint64 start, uint64 end);

    /// @notice The license overlaps another live license or pending offer on the same right in territory,
    /// field and time, and one of the two is exclusive or sole.
    /// @param licenseId The license being offered or accepted.
    /// @param conflictingId The license it conflicts with.
    error LicenseConflict(uint256 licenseId, uint256 conflictingId);

    /// @notice The right already has the maximum number of live licenses and pending offers.
    /// @param rightId The right.
    /// @param max The maximum (`MAX_LICENSES_PER_RIGHT`).
    error TooManyLicenses(uint256 rightId, uint256 max);

    // ------------------------------------------------------------------ events

    /// @notice A licensor offered a license (or a sublicense under `parentId`).
    /// @param rightId The right.
    /// @param licenseId The new license's id.
    /// @param licensee The party it is offered to.
    /// @param parentId The parent license (0 for a root license).
    /// @param licensor The party who offered it (the holder, or the parent's licensee).
    /// @param terms The terms (kind, territories, field hash, period, royalty, flags, terms hash).
    /// @param fieldLabel The field-of-use label whose keccak256 is `terms.fieldHash` (empty for all fields).
    /// @param termsURI URI of the license agreement document.
    event LicenseOffered(
        uint256 indexed rightId,
        uint256 indexed licenseId,
        address indexed licensee,
        uint256 parentId,
        address licensor,
        Terms terms,
        string fieldLabel,
        string termsURI
    );

    /// @notice The licensee accepted the offer; the license is active.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param licensee The licensee.
    /// @param bySignature True when accepted by a relayed EIP-712 signature.
    event LicenseAccepted(
        uint256 indexed rightId, uint256 indexed licenseId, address indexed licensee, bool bySignature
    );

    /// @notice The licensor withdrew a pending offer.
    /// @param rightId The right.
    /// @param licenseId The offer.
    /// @param licensor The licensor who withdrew it.
    event OfferWithdrawn(uint256 indexed rightId, uint256 indexed licenseId, address indexed licensor);

    /// @notice The licensor terminated a license; its sublicenses end with it.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param licensor The licensor who terminated it.
    /// @param licensee The licensee at termination.
    event LicenseTerminated(
        uint256 indexed rightId, uint256 indexed licenseId, address indexed licensor, address licensee
    );

    /// @notice The licensee surrendered a license; its sublicenses end with it.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param licensee The licensee who surrendered it.
    event LicenseSurrendered(uint256 indexed rightId, uint256 indexed licenseId, address indexed licensee);

    /// @notice The licensee transferred a transferable license; its sublicenses stay, the new licensee their licensor.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param to The new licensee.
    /// @param from The previous licensee.
    event LicenseTransferred(uint256 indexed rightId, uint256 indexed licenseId, address indexed to, address from);

    // ------------------------------------------------------------------ lifecycle

    /// @notice Offers a license under `rightId` to `licensee`. The caller is the current holder of the right
    /// (`parentId` 0), or the licensee of the active sublicensable license `parentId` (a sublicense, which
    /// must stay within its parent's kind, territories, field and period). Reverts with {LicenseConflict}
    /// if the offer overlaps a live license or pending offer and either is exclusive or sole.
    /// @param rightId The right (must exist and not be ended).
    /// @param parentId The parent license, or 0 for a root license.
    /// @param licensee The party offered the license (not zero, not the caller).
    /// @param terms The terms.
    /// @param fieldLabel The field-of-use label: keccak256(label) must equal `terms.fieldHash`; empty for all fields.
    /// @param termsURI URI of the license agreement document (recorded in the event only).
    /// @return licenseId The new license's id (sequential from 1).
    function offerLicense(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        Terms calldata terms,
        string calldata fieldLabel,
        string calldata termsURI
    ) external returns (uint256 licenseId);

    /// @notice The licensee accepts a pending offer; exclusivity and the parent are checked again.
    /// @param licenseId The offer.
    function acceptLicense(uint256 licenseId) external;

    /// @notice Anyone relays the licensee's EIP-712 acceptance
    /// `AcceptLicense(uint256 licenseId,address licensee,uint256 nonce,uint256 deadline)`.
    /// @param licenseId The offer.
    /// @param deadline The signature's deadline (unix seconds).
    /// @param signature The licensee's signature.
    function acceptLicenseBySig(uint256 licenseId, uint256 deadline, bytes calldata signature) external;

    /// @notice The licensor withdraws a pending offer.
    /// @param licenseId The offer.
    function withdrawOffer(uint256 licenseId) external;

    /// @notice The licensor terminates an active license; its whole subtree ends with it.
    /// @param licenseId The license.
    function terminateLicense(uint256 licenseId) external;

    /// @notice The licensee surrenders an active license; its whole subtree ends with it.
    /// @param licenseId The license.
    function surrenderLicense(uint256 licenseId) external;

    /// @notice The licensee transfers an active transferable license to `to`.
    /// @param licenseId The license.
    /// @param to The new licensee (not zero, not the current licensee, not the licensor).
    function transferLicense(uint256 licenseId, address to) external;

    // ------------------------------------------------------------------ reads

    /// @notice Whether `party` may use the right in `territory`, field `fieldHash`, at `time`, as the
    /// register stands now. A licensee is covered by an active license it holds whose territories
    /// include `territory` (or "WO"), whose field is 0 or `fieldHash`, and whose period includes `time`
    /// (open ends are bounded by the right's expiry date). The current holder of a right that has not
    /// ended is covered with `licenseId` 0, unless an active Exclusive license covers that scope (a Sole
    /// license does not exclude the holder). Ended licenses cover nothing, even for earlier times:
    /// history is in the events.
    /// @param rightId The right.
    /// @param party The party asking.
    /// @param territory An ST.3 code.
    /// @param fieldHash keccak256 of the field-of-use label (0 asks about all fields).
    /// @param time The moment of use (unix seconds).
    /// @return licensed True if covered.
    /// @return licenseId The covering license (0 for the holder, or when not covered).
    function isLicensed(uint256 rightId, address party, bytes2 territory, bytes32 fieldHash, uint64 time)
        external
        view
        returns (bool licensed, uint256 licenseId);

    /// @notice Whether the license is in force now: accepted, not terminated or surrendered, not expired,
    /// every ancestor likewise, and the right not ended (a walk of at most `MAX_DEPTH` steps).
    /// A license whose period has not started yet is active (it is granted) but covers no use before its start.
    /// @param licenseId The license.
    /// @return True if active.
    function isLicenseActive(uint256 licenseId) external view returns (bool);

    /// @notice A license with its licensor and activity resolved now (reverts if unknown).
    /// @param licenseId The license.
    /// @return The license.
    function licenseOf(uint256 licenseId) external view returns (License memory);

    /// @notice Every license ever offered under a right, in order of offer (any state).
    /// @param rightId The right.
    /// @return The license ids.
    function licensesOfRight(uint256 rightId) external view returns (uint256[] memory);

    /// @notice Every license whose current licensee is `party` (any state: offers, active and ended).
    /// @param party The party.
    /// @return The license ids (order changes when licenses are transferred).
    function licensesOf(address party) external view returns (uint256[] memory);

    /// @notice The sublicenses offered under a license, in order of offer (any state).
    /// @param licenseId The license.
    /// @return The child license ids.
    function childrenOf(uint256 licenseId) external view returns (uint256[] memory);

    /// @notice The parent of a license (0 for a root license).
    /// @param licenseId The license.
    /// @return The parent's id.
    function parentOf(uint256 licenseId) external view returns (uint256);

    /// @notice ERC-5218 name of `parentOf`.
    /// @param licenseId The license.
    /// @return The parent's id (0 for a root license).
    function getParentLicenseId(uint256 licenseId) external view returns (uint256);

    /// @notice ERC-5218: who may terminate the license now — the current holder of the right for a root
    /// license, the current licensee of the parent for a sublicense (neither is stored, so assignments
    /// and transfers carry the licensor position).
    /// @param licenseId The license.
    /// @return The licensor.
    function getLicenseRevoker(uint256 licenseId) external view returns (address);

    /// @notice How many licenses were ever offered (the last id).
    /// @return The count.
    function licenseCount() external view returns (uint256);

    /// @notice The register of rights this register licenses under.
    /// @return The registry.
    function registry() external view returns (IIPRegistry);
}
