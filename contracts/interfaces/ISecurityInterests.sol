// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPRegistry} from "./IIPRegistry.sol";
import {IRevocableSignatures} from "./IRevocableSignatures.sol";

/// @title Security interests in rights of an IP Ledger register
/// @notice Pledges (security interests) recorded against rights of an {IIPRegistry}. Several may stand on one right
/// at once, at most `MAX_PLEDGES_PER_RIGHT` (8, a constant of the contract), ranked by recording order (rank 1 is the oldest active one; a release
/// moves the junior ones up). While any stands:
///   * an assignment of the right takes effect only with the consent of EVERY active creditor, each consent bound
///     to the exact pair (that pledge, that assignment) and to the right's pledge version: recording or releasing
///     any pledge of the right voids every consent given before;
///   * the holder cannot withdraw or surrender the right (it would wipe the interests out).
/// Each creditor releases its own pledge; a registrar of the right's office records a release ordered by a court.
/// Pledges follow the right: after a recorded assignment they stay active against the new holder, whom they bind
/// as they bound the old one, until released.
interface ISecurityInterests is IRevocableSignatures {
    /// @notice State of a pledge.
    enum PledgeState {
        None,
        Active,
        Released
    }

    /// @notice A recorded security interest (two storage slots).
    struct Pledge {
        uint256 rightId;
        address creditor;
        uint40 recordedAt;
        PledgeState state;
    }

    // ------------------------------------------------------------------ errors

    /// @notice The right already carries `MAX_PLEDGES_PER_RIGHT` active pledges.
    /// @param rightId The right.
    /// @param max The bound.
    error TooManyPledges(uint256 rightId, uint256 max);

    /// @notice The pledge is not active (released, or never recorded).
    /// @param pledgeId The pledge.
    /// @param state Its state.
    error PledgeNotActive(uint256 pledgeId, PledgeState state);

    /// @notice The caller is not the creditor of the pledge.
    /// @param pledgeId The pledge.
    /// @param caller The caller.
    error NotCreditor(uint256 pledgeId, address caller);

    /// @notice The consent names an assignment that is not the right's pending one (cancelled, rejected, completed
    /// or superseded by a new request).
    /// @param rightId The right.
    /// @param assignmentId The assignment named.
    /// @param pendingId The right's pending assignment (0 if none).
    error StaleAssignment(uint256 rightId, uint256 assignmentId, uint256 pendingId);

    /// @notice The signed consent was made for another version of the right's pledges (one was recorded or
    /// released since): it no longer stands.
    /// @param rightId The right.
    /// @param signedVersion The version in the signed message.
    /// @param currentVersion The right's pledge version now.
    error PledgesChanged(uint256 rightId, uint256 signedVersion, uint256 currentVersion);

    /// @notice A court-ordered release needs the hash of the order.
    /// @param pledgeId The pledge.
    error MissingCourtOrder(uint256 pledgeId);

    /// @notice The right's status allows no new pledge (it ended; a lapsed right, which may be restored, still can).
    /// @param rightId The right.
    /// @param status Its status.
    error NotAssignable(uint256 rightId, IIPRegistry.Status status);

    // ------------------------------------------------------------------ events

    /// @notice The holder recorded a security interest.
    /// @param rightId The right.
    /// @param pledgeId The pledge's id (sequential from 1 across the register).
    /// @param creditor The secured creditor.
    /// @param agreementHash Hash of the security agreement.
    /// @param rank Its rank among the right's active pledges (recording order; 1 = senior).
    /// @param pledgesVersion The right's pledge version after the change (earlier consents no longer stand).
    /// @param keyEventCode The ST.27 key event code (category R: party data change recorded).
    /// @param nationalCode The office's own code for the event.
    event PledgeRecorded(
        uint256 indexed rightId,
        uint256 indexed pledgeId,
        address indexed creditor,
        bytes32 agreementHash,
        uint256 rank,
        uint256 pledgesVersion,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice A security interest was released, by its creditor or by the office on a court order.
    /// @param rightId The right.
    /// @param pledgeId The pledge.
    /// @param creditor The creditor.
    /// @param releasedBy The creditor, or the registrar who recorded the court-ordered release.
    /// @param courtOrderHash Hash of the court order (zero for the creditor's own release).
    /// @param pledgesVersion The right's pledge version after the change.
    /// @param keyEventCode The ST.27 key event code (category R).
    /// @param nationalCode The office's own code for the event.
    event PledgeReleased(
        uint256 indexed rightId,
        uint256 indexed pledgeId,
        address indexed creditor,
        address releasedBy,
        bytes32 courtOrderHash,
        uint256 pledgesVersion,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice A creditor consented to the pending assignment, for one pledge.
    /// @param rightId The right.
    /// @param pledgeId The pledge.
    /// @param creditor The creditor.
    /// @param assignmentId The assignment consented to.
    /// @param assignee Its assignee.
    /// @param pledgesVersion The right's pledge version the consent is bound to.
    /// @param bySignature True when relayed as an EIP-712 / ERC-1271 signature.
    event AssignmentConsented(
        uint256 indexed rightId,
        uint256 indexed pledgeId,
        address indexed creditor,
        uint256 assignmentId,
        address assignee,
        uint256 pledgesVersion,
        bool bySignature
    );

    // ------------------------------------------------------------------ actions

    /// @notice The holder records a security interest in favour of `creditor`, ranked after the active ones.
    /// Requirements: the caller holds the right; the right is assignable (not ended, a lapse apart); the creditor is
    /// neither zero nor the holder; fewer than `MAX_PLEDGES_PER_RIGHT` pledges are active. Voids every consent
    /// given to the right's pending assignment. Emits {PledgeRecorded}.
    /// @param rightId The right.
    /// @param creditor The secured creditor (an EOA or a contract wallet).
    /// @param agreementHash Hash of the security agreement.
    /// @return pledgeId The new pledge's id.
    function recordPledge(uint256 rightId, address creditor, bytes32 agreementHash) external returns (uint256 pledgeId);

    /// @notice The creditor consents to the right's pending assignment `assignmentId` for its pledge.
    /// Requirements: the caller is the pledge's creditor; the pledge is active; `assignmentId` is the right's pending
    /// assignment (requested or accepted). Emits {AssignmentConsented}.
    /// @param pledgeId The pledge.
    /// @param assignmentId The assignment (see `IIPRegistry.pendingAssignment`).
    function consentToAssignment(uint256 pledgeId, uint256 assignmentId) external;

    /// @notice Anyone relays the creditor's signed consent: `ConsentToAssignment(uint256 pledgeId,uint256 rightId,
    /// address creditor,uint256 assignmentId,address assignee,bytes32 deedHash,uint256 pledgesVersion,
    /// uint256 deadline)` under this contract's EIP-712 domain, by the creditor's key or its ERC-1271 wallet.
    /// Requirements as `consentToAssignment`, and `pledgesVersion` is the right's current one. Reverts
    /// {StaleAssignment}, {PledgesChanged}, {SignatureExpired}, {RevokedSignature} or {InvalidSignature}.
    /// Emits {AssignmentConsented}.
    /// @param pledgeId The pledge.
    /// @param assignmentId The assignment signed for.
    /// @param pledgesVersion The pledge version signed for.
    /// @param deadline The signature's deadline.
    /// @param signature The creditor's signature.
    function consentToAssignmentBySig(
        uint256 pledgeId,
        uint256 assignmentId,
        uint256 pledgesVersion,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The creditor releases its own pledge. Voids every consent given to the right's pending assignment.
    /// Emits {PledgeReleased}.
    /// @param pledgeId The pledge.
    function releasePledge(uint256 pledgeId) external;

    /// @notice A registrar of the right's office records a release ordered by a court. Emits {PledgeReleased}.
    /// @param pledgeId The pledge.
    /// @param courtOrderHash Hash of the court order (not zero).
    function releasePledgeByCourtOrder(uint256 pledgeId, bytes32 courtOrderHash) external;

    // ------------------------------------------------------------------ reads

    /// @notice The register whose rights are pledged.
    /// @return The IPRegistry.
    function registry() external view returns (IIPRegistry);

    /// @notice A pledge.
    /// @param pledgeId The pledge.
    /// @return The record (state None if unknown).
    function pledgeOf(uint256 pledgeId) external view returns (Pledge memory);

    /// @notice The active pledges of a right in rank order (senior first), at most `MAX_PLEDGES_PER_RIGHT`.
    /// @param rightId The right.
    /// @return The pledge ids.
    function pledgesOf(uint256 rightId) external view returns (uint256[] memory);

    /// @notice The right's pledge version: it grows by one at every recording and release.
    /// @param rightId The right.
    /// @return The version (0 if never pledged).
    function pledgesVersionOf(uint256 rightId) external view returns (uint256);

    /// @notice Whether the pledge's creditor consented to `assignmentId` at the right's current pledge version.
    /// @param pledgeId The pledge.
    /// @param assignmentId The assignment.
    /// @return True if the consent stands.
    function hasConsented(uint256 pledgeId, uint256 assignmentId) external view returns (bool);

    /// @notice The most senior active pledge of the right whose consent to `assignmentId` does not stand (for 0:
    /// the most senior active pledge). The register asks it when an assignment takes effect and when the holder
    /// withdraws or surrenders.
    /// @param rightId The right.
    /// @param assignmentId The assignment (0: none).
    /// @return pledgeId The pledge (0 if none).
    /// @return creditor Its creditor (zero if none).
    function firstWithoutConsent(uint256 rightId, uint256 assignmentId)
        external
        view
        returns (uint256 pledgeId, address creditor);
}
