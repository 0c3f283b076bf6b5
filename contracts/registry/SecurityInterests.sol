// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../governance/Governed.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {ISecurityInterests} from "../interfaces/ISecurityInterests.sol";
import {Lifecycle} from "../lib/Lifecycle.sol";
import {RevocableSignaturesUpgradeable} from "./RevocableSignaturesUpgradeable.sol";

/// @title SecurityInterests
/// @notice Security interests (pledges) in the rights of an {IPRegistry}, several per right, ranked by recording
/// order, with creditor consent bound to each (pledge, assignment) pair. The register asks `firstWithoutConsent`
/// before an assignment takes effect and before the holder withdraws or surrenders a right. See
/// {ISecurityInterests} for the API and its bounds.
/// It keeps each right's count of active pledges in the right's record at the registry (`setPledgeCount`), so
/// the registry asks it nothing about an unpledged right.
/// @dev Its own contract because IPRegistry's runtime code is near the EIP-170 limit (24,576 bytes). Behind a
/// {RegisterProxy}, governed by the {RegisterAuthority} (its own pause), state in one ERC-7201 namespaced struct.
contract SecurityInterests is ISecurityInterests, Governed, RevocableSignaturesUpgradeable {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The most pledges active on one right at once: it bounds every loop over a right's pledges
    /// (`firstWithoutConsent`, the ranking kept by `_release`).
    uint256 public constant MAX_PLEDGES_PER_RIGHT = 8;

    /// @notice EIP-712 type of a creditor's consent to an assignment.
    bytes32 public constant CONSENT_TO_ASSIGNMENT_TYPEHASH = keccak256(
        "ConsentToAssignment(uint256 pledgeId,uint256 rightId,address creditor,uint256 assignmentId,address assignee,"
        "bytes32 deedHash,uint256 pledgesVersion,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev A creditor's consent: the assignment and the right's pledge version it was given at (one slot).
    struct Consent {
        uint128 assignmentId;
        uint128 pledgesVersion;
    }

    /// @custom:storage-location erc7201:ipledger.storage.SecurityInterests
    struct SecurityInterestsStorage {
        IIPRegistry registry;
        uint256 count;
        mapping(uint256 pledgeId => Pledge) pledges;
        /// @dev The right's active pledges in rank order; at most MAX_PLEDGES_PER_RIGHT long.
        mapping(uint256 rightId => uint256[]) active;
        mapping(uint256 rightId => uint256) versions;
        mapping(uint256 pledgeId => Consent) consents;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.SecurityInterests")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _SECURITY_INTERESTS_STORAGE = 0x4d866f97e23ea2f21d062fa211277daa08c7ef2aa4d9eadcf450277b010e1f00;

    /*//////////////////////////////////////////////////////////////
                               INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets up the security-interest register behind its proxy (once); the registry's council wires it
    /// (`IPRegistry.setSecurityInterests`).
    /// @param authority The {RegisterAuthority}.
    /// @param registry_ The register of rights.
    function initialize(address authority, address registry_) external initializer {
        if (authority.code.length == 0) revert InvalidAccount(authority);
        if (registry_.code.length == 0) revert InvalidAccount(registry_);
        __Governed_init(authority);
        __RevocableSignatures_init("IP Ledger Security Interests", "1");
        _s().registry = IIPRegistry(registry_);
    }

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecurityInterests
    function recordPledge(uint256 rightId, address creditor, bytes32 agreementHash)
        external
        whenNotPaused
        returns (uint256 pledgeId)
    {
        SecurityInterestsStorage storage $ = _s();
        IIPRegistry registry_ = $.registry;
        (address holder, IIPRegistry.Status status, bytes2 office) = registry_.holderStatusOffice(rightId);
        if (status == IIPRegistry.Status.None) revert RightNotFound(rightId);
        if (holder != msg.sender) revert NotHolder(rightId, msg.sender);
        if (status != IIPRegistry.Status.Lapsed && Lifecycle.isEnded(status)) revert NotAssignable(rightId, status);
        if (creditor == address(0) || creditor == holder) revert InvalidAccount(creditor);
        uint256[] storage active = $.active[rightId];
        uint256 rank = active.length + 1;
        if (rank > MAX_PLEDGES_PER_RIGHT) revert TooManyPledges(rightId, MAX_PLEDGES_PER_RIGHT);
        pledgeId = ++$.count;
        $.pledges[pledgeId] = Pledge({
            rightId: rightId,
            creditor: creditor,
            recordedAt: uint40(block.timestamp),
            state: PledgeState.Active
        });
        active.push(pledgeId);
        uint256 version = ++$.versions[rightId];
        (bytes3 key, bytes8 national) = _codes(office, IIPRegistry.LegalEvent.SecurityInterestRecorded);
        emit PledgeRecorded(rightId, pledgeId, creditor, agreementHash, rank, version, key, national);
        // The registry keeps the count in the right's record: its unpledged assignments ask nothing of this contract.
        registry_.setPledgeCount(rightId, uint8(rank));
    }

    /// @inheritdoc ISecurityInterests
    function consentToAssignment(uint256 pledgeId, uint256 assignmentId) external whenNotPaused {
        Pledge storage p = _activePledge(pledgeId);
        if (p.creditor != msg.sender) revert NotCreditor(pledgeId, msg.sender);
        uint256 rightId = p.rightId;
        IIPRegistry.Assignment memory a = _pendingAssignment(rightId, assignmentId);
        _consent(rightId, pledgeId, msg.sender, assignmentId, a.assignee, false);
    }

    /// @inheritdoc ISecurityInterests
    function consentToAssignmentBySig(
        uint256 pledgeId,
        uint256 assignmentId,
        uint256 pledgesVersion,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        Pledge storage p = _activePledge(pledgeId);
        uint256 rightId = p.rightId;
        IIPRegistry.Assignment memory a = _pendingAssignment(rightId, assignmentId);
        uint256 version = _s().versions[rightId];
        if (pledgesVersion != version) revert PledgesChanged(rightId, pledgesVersion, version);
        _checkSignature(p.creditor, _consentHash(pledgeId, p, a, version, deadline), deadline, signature);
        _consent(rightId, pledgeId, p.creditor, assignmentId, a.assignee, true);
    }

    /// @inheritdoc ISecurityInterests
    function releasePledge(uint256 pledgeId) external whenNotPaused {
        Pledge storage p = _activePledge(pledgeId);
        if (p.creditor != msg.sender) revert NotCreditor(pledgeId, msg.sender);
        _release(pledgeId, p, bytes32(0));
    }

    /// @inheritdoc ISecurityInterests
    function releasePledgeByCourtOrder(uint256 pledgeId, bytes32 courtOrderHash) external whenNotPaused {
        Pledge storage p = _activePledge(pledgeId);
        IIPRegistry registry_ = _s().registry;
        // Only the office matters here.
        // slither-disable-next-line unused-return
        (,, bytes2 office) = registry_.holderStatusOffice(p.rightId);
        if (!registry_.isRegistrar(office, msg.sender)) revert NotRegistrar(office, msg.sender);
        if (courtOrderHash == bytes32(0)) revert MissingCourtOrder(pledgeId);
        _release(pledgeId, p, courtOrderHash);
    }

    /*//////////////////////////////////////////////////////////////
                                  READS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecurityInterests
    function registry() external view returns (IIPRegistry) {
        return _s().registry;
    }

    /// @inheritdoc ISecurityInterests
    function pledgeOf(uint256 pledgeId) external view returns (Pledge memory) {
        return _s().pledges[pledgeId];
    }

    /// @inheritdoc ISecurityInterests
    function pledgesOf(uint256 rightId) external view returns (uint256[] memory) {
        return _s().active[rightId];
    }

    /// @inheritdoc ISecurityInterests
    function pledgesVersionOf(uint256 rightId) external view returns (uint256) {
        return _s().versions[rightId];
    }

    /// @inheritdoc ISecurityInterests
    function hasConsented(uint256 pledgeId, uint256 assignmentId) public view returns (bool) {
        SecurityInterestsStorage storage $ = _s();
        Pledge storage p = $.pledges[pledgeId];
        Consent memory c = $.consents[pledgeId];
        return p.state == PledgeState.Active && assignmentId != 0 && c.assignmentId == assignmentId
            && c.pledgesVersion == $.versions[p.rightId];
    }

    /// @inheritdoc ISecurityInterests
    function firstWithoutConsent(uint256 rightId, uint256 assignmentId)
        external
        view
        returns (uint256 pledgeId, address creditor)
    {
        uint256[] storage active = _s().active[rightId];
        uint256 n = active.length; // at most MAX_PLEDGES_PER_RIGHT
        for (uint256 i; i < n; ++i) {
            uint256 id = active[i];
            if (!hasConsented(id, assignmentId)) return (id, _s().pledges[id].creditor);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _consent(
        uint256 rightId,
        uint256 pledgeId,
        address creditor,
        uint256 assignmentId,
        address assignee,
        bool bySignature
    ) internal {
        SecurityInterestsStorage storage $ = _s();
        uint256 version = $.versions[rightId];
        $.consents[pledgeId] = Consent({assignmentId: uint128(assignmentId), pledgesVersion: uint128(version)});
        emit AssignmentConsented(rightId, pledgeId, creditor, assignmentId, assignee, version, bySignature);
    }

    /// @dev Marks the pledge released, closes the gap in the right's ranking (at most MAX_PLEDGES_PER_RIGHT
    /// moves) and bumps the pledge version, which voids every standing consent.
    function _release(uint256 pledgeId, Pledge storage p, bytes32 courtOrderHash) internal {
        SecurityInterestsStorage storage $ = _s();
        uint256 rightId = p.rightId;
        p.state = PledgeState.Released;
        uint256[] storage active = $.active[rightId];
        uint256 n = active.length; // at most MAX_PLEDGES_PER_RIGHT, and the pledge is among them
        uint256 i;
        while (active[i] != pledgeId) ++i;
        for (; i + 1 < n; ++i) active[i] = active[i + 1];
        active.pop();
        uint256 version = ++$.versions[rightId];
        IIPRegistry registry_ = $.registry;
        // Only the office matters here.
        // slither-disable-next-line unused-return
        (,, bytes2 office) = registry_.holderStatusOffice(rightId);
        (bytes3 key, bytes8 national) = _codes(office, IIPRegistry.LegalEvent.SecurityInterestReleased);
        emit PledgeReleased(rightId, pledgeId, p.creditor, msg.sender, courtOrderHash, version, key, national);
        registry_.setPledgeCount(rightId, uint8(n - 1));
    }

    /// @dev The EIP-712 struct hash of the creditor's consent to `a` for pledge `pledgeId` at `version`.
    function _consentHash(
        uint256 pledgeId,
        Pledge storage p,
        IIPRegistry.Assignment memory a,
        uint256 version,
        uint256 deadline
    ) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                CONSENT_TO_ASSIGNMENT_TYPEHASH,
                pledgeId,
                p.rightId,
                p.creditor,
                uint256(a.id),
                a.assignee,
                a.deedHash,
                version,
                deadline
            )
        );
    }

    function _activePledge(uint256 pledgeId) internal view returns (Pledge storage p) {
        p = _s().pledges[pledgeId];
        if (p.state != PledgeState.Active) revert PledgeNotActive(pledgeId, p.state);
    }

    /// @dev The right's pending assignment, which must be `assignmentId` (requested or accepted).
    function _pendingAssignment(uint256 rightId, uint256 assignmentId)
        internal
        view
        returns (IIPRegistry.Assignment memory a)
    {
        a = _s().registry.pendingAssignment(rightId);
        uint256 pendingId = a.state == IIPRegistry.AssignmentState.None ? 0 : a.id;
        if (pendingId == 0 || pendingId != assignmentId) revert StaleAssignment(rightId, assignmentId, pendingId);
    }

    /// @dev The ST.27 key event code and the office's national code of a legal event at `office`.
    function _codes(bytes2 office, IIPRegistry.LegalEvent kind) internal view returns (bytes3, bytes8) {
        IIPRegistry registry_ = _s().registry;
        return (registry_.keyEventCodeOf(kind), registry_.nationalCodeOf(office, kind));
    }

    function _s() private pure returns (SecurityInterestsStorage storage $) {
        assembly {
            $.slot := _SECURITY_INTERESTS_STORAGE
        }
    }
}
