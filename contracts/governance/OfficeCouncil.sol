// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorSuperQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorSuperQuorum.sol";
import {GovernorSequentialProposalId} from
    "@openzeppelin/contracts/governance/extensions/GovernorSequentialProposalId.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IOfficeCouncil, IOfficeDirectory} from "../interfaces/IOfficeCouncil.sol";

/// @title OfficeCouncil
/// @notice The offices govern the register together: one vote per admitted office, cast by the office's admin
/// account (an EOA, or a contract wallet voting with `castVoteBySig` through ERC-1271). A proposal passes once its
/// for-votes reach `ceil(threshold x offices at the snapshot)` (default 2/3), at once (like
/// {GovernorSuperQuorum}), or is defeated at its deadline; then it waits the {CouncilTimelock}'s delay and anyone
/// may execute it. The timelock is the authority's admin: upgrades, unpausing, recordal settings and the guardian
/// pass only this way. Admitting, removing and re-seating offices are the council's own functions (`onlyGovernance`)
/// and reach the registry through the authority's COUNCIL_ROLE, which this contract holds.
/// @dev Votes: a seat is a weight of one, checkpointed per account by block number ({Checkpoints}); the number of
/// offices and the threshold are checkpointed too, so a proposal counts the offices, admins and threshold of its
/// snapshot: an office admitted later cannot vote on it and a replaced admin's successor cannot vote again.
/// Proposal ids are sequential (1, 2, 3 ...). The proposal threshold is one seat and cannot be changed.
contract OfficeCouncil is
    IOfficeCouncil,
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorTimelockControl,
    GovernorSuperQuorum,
    GovernorSequentialProposalId
{
    using Checkpoints for Checkpoints.Trace208;

    /// @notice The most offices the council seats (bounds `offices()` and the removal loop).
    uint256 public constant MAX_OFFICES = 64;
    /// @notice The default pass threshold, two thirds.
    uint16 private constant DEFAULT_NUMERATOR = 2;
    uint16 private constant DEFAULT_DENOMINATOR = 3;

    /// @dev The registry the council admits offices to (the council is not behind a proxy: immutable is safe).
    IOfficeDirectory private immutable _registry;

    mapping(bytes2 office => address admin) private _adminOf;
    mapping(address admin => bytes2 office) private _officeOf;
    mapping(bytes2 office => address pending) private _pendingAdminOf;
    bytes2[] private _offices;
    mapping(address account => Checkpoints.Trace208 seat) private _seats;
    Checkpoints.Trace208 private _officeCount;
    /// @dev numerator << 16 | denominator, by block.
    Checkpoints.Trace208 private _thresholds;

    /// @param timelock_ The {CouncilTimelock}: it executes what passed (the council is its proposer and canceller).
    /// @param registry_ The IPRegistry (its addOffice/removeOffice/setOfficeAdmin are restricted to this council).
    /// @param offices_ The initial offices (seated at deployment; the deployment seeds the registry with them).
    /// @param admins_ Their admins, in the same order.
    /// @param votingDelay_ Blocks between a proposal and its snapshot (voting starts the block after).
    /// @param votingPeriod_ Blocks the vote stays open.
    constructor(
        TimelockController timelock_,
        IOfficeDirectory registry_,
        bytes2[] memory offices_,
        address[] memory admins_,
        uint48 votingDelay_,
        uint32 votingPeriod_
    )
        Governor("IP Ledger Office Council")
        GovernorSettings(votingDelay_, votingPeriod_, 1)
        GovernorTimelockControl(timelock_)
    {
        if (offices_.length != admins_.length) revert CouncilSeedMismatch(offices_.length, admins_.length);
        _registry = registry_;
        _setThreshold(DEFAULT_NUMERATOR, DEFAULT_DENOMINATOR);
        for (uint256 i = 0; i < offices_.length; ++i) {
            _seat(offices_[i], admins_[i], false);
        }
    }

    // ------------------------------------------------------------------ membership (by vote)

    /// @inheritdoc IOfficeCouncil
    /// @dev Requirements: a passed proposal through the timelock; a valid new code; an admin with no seat; fewer
    /// than MAX_OFFICES offices. Emits {OfficeAdmitted}; the registry emits its own `OfficeAdded`.
    function admitOffice(bytes2 office, address admin, bool recordalRequired) external onlyGovernance {
        _seat(office, admin, recordalRequired);
        _registry.addOffice(office, admin, recordalRequired);
    }

    /// @inheritdoc IOfficeCouncil
    /// @dev Requirements: a passed proposal through the timelock; a seated office that is not the last.
    /// Emits {OfficeRemoved}. Loops over at most MAX_OFFICES codes.
    function removeOffice(bytes2 office) external onlyGovernance {
        address admin = _requireAdmin(office);
        uint256 n = _offices.length;
        if (n == 1) revert CouncilLastOffice(office);
        for (uint256 i = 0; i < n; ++i) {
            if (_offices[i] == office) {
                _offices[i] = _offices[n - 1];
                _offices.pop();
                break;
            }
        }
        delete _adminOf[office];
        delete _officeOf[admin];
        delete _pendingAdminOf[office];
        _checkpoint(_seats[admin], 0);
        _checkpoint(_officeCount, uint208(n - 1));
        emit OfficeRemoved(office, admin);
        _registry.removeOffice(office);
    }

    /// @inheritdoc IOfficeCouncil
    /// @dev Requirements: a passed proposal through the timelock; a seated office; a new admin with no seat.
    /// Emits {OfficeAdminChanged}.
    function replaceOfficeAdmin(bytes2 office, address newAdmin) external onlyGovernance {
        _reseat(office, _requireAdmin(office), newAdmin);
    }

    // ------------------------------------------------------------------ an office's own key rotation

    /// @inheritdoc IOfficeCouncil
    /// @dev Requirements: the caller is the office's admin; `newAdmin` holds no seat (or is zero: withdraws).
    /// Emits {OfficeAdminTransferStarted}.
    function transferOfficeAdmin(bytes2 office, address newAdmin) external {
        address admin = _requireAdmin(office);
        if (msg.sender != admin) revert CouncilNotOfficeAdmin(office, msg.sender);
        if (newAdmin != address(0)) _requireNoSeat(newAdmin);
        _pendingAdminOf[office] = newAdmin;
        emit OfficeAdminTransferStarted(office, admin, newAdmin);
    }

    /// @inheritdoc IOfficeCouncil
    /// @dev Requirements: the caller is the pending admin the office's admin named, and holds no seat.
    /// Emits {OfficeAdminChanged}.
    function acceptOfficeAdmin(bytes2 office) external {
        address admin = _requireAdmin(office);
        if (msg.sender != _pendingAdminOf[office] || msg.sender == address(0)) {
            revert CouncilNotPendingAdmin(office, msg.sender);
        }
        _reseat(office, admin, msg.sender);
    }

    // ------------------------------------------------------------------ rules (by vote)

    /// @inheritdoc IOfficeCouncil
    /// @dev Requirements: a passed proposal through the timelock; 1/2 < numerator/denominator <= 1.
    /// Emits {ThresholdSet}. Proposals already made keep the threshold of their snapshot.
    function setThreshold(uint16 numerator, uint16 denominator) external onlyGovernance {
        _setThreshold(numerator, denominator);
    }

    /// @notice The proposal threshold is fixed at one seat; this always reverts.
    function setProposalThreshold(uint256) public pure override {
        revert CouncilProposalThresholdFixed();
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOfficeCouncil
    function officeAdmin(bytes2 office) external view returns (address) {
        return _adminOf[office];
    }

    /// @inheritdoc IOfficeCouncil
    function pendingOfficeAdmin(bytes2 office) external view returns (address) {
        return _pendingAdminOf[office];
    }

    /// @inheritdoc IOfficeCouncil
    function officeOf(address account) external view returns (bytes2) {
        return _officeOf[account];
    }

    /// @inheritdoc IOfficeCouncil
    function offices() external view returns (bytes2[] memory) {
        return _offices;
    }

    /// @inheritdoc IOfficeCouncil
    function officeCountAt(uint256 timepoint) external view returns (uint256) {
        return _officeCount.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    /// @inheritdoc IOfficeCouncil
    function threshold() external view returns (uint16 numerator, uint16 denominator) {
        return _unpack(_thresholds.latest());
    }

    /// @inheritdoc IOfficeCouncil
    function thresholdAt(uint256 timepoint) public view returns (uint16 numerator, uint16 denominator) {
        return _unpack(_thresholds.upperLookupRecent(SafeCast.toUint48(timepoint)));
    }

    /// @inheritdoc IOfficeCouncil
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @notice The for-votes a proposal with this snapshot needs: ceil(threshold x offices), at least one.
    /// @param timepoint The proposal's snapshot block.
    function quorum(uint256 timepoint) public view override returns (uint256) {
        uint256 n = _officeCount.upperLookupRecent(SafeCast.toUint48(timepoint));
        (uint16 num, uint16 den) = thresholdAt(timepoint);
        return Math.max((n * num + den - 1) / den, 1);
    }

    /// @notice Equal to `quorum`: a proposal succeeds as soon as its for-votes reach it.
    /// @param timepoint The proposal's snapshot block.
    function superQuorum(uint256 timepoint) public view override returns (uint256) {
        return quorum(timepoint);
    }

    /// @notice The council counts by block number.
    function clock() public view override returns (uint48) {
        return uint48(block.number);
    }

    /// @notice ERC-6372: block numbers.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=blocknumber&from=default";
    }

    // ------------------------------------------------------------------ internal

    function _requireAdmin(bytes2 office) private view returns (address admin) {
        admin = _adminOf[office];
        if (admin == address(0)) revert CouncilUnknownOffice(office);
    }

    function _requireNoSeat(address account) private view {
        bytes2 held = _officeOf[account];
        if (held != bytes2(0)) revert CouncilAdminHoldsSeat(account, held);
    }

    /// @dev Seats a new office (checks, checkpoints, event); the caller informs the registry.
    function _seat(bytes2 office, address admin, bool recordalRequired) private {
        if (!_isOfficeCode(office)) revert CouncilInvalidOffice(office);
        if (admin == address(0)) revert CouncilInvalidAdmin(admin);
        if (_adminOf[office] != address(0)) revert CouncilOfficeExists(office);
        _requireNoSeat(admin);
        uint256 n = _offices.length;
        if (n >= MAX_OFFICES) revert CouncilFull(MAX_OFFICES);
        _offices.push(office);
        _adminOf[office] = admin;
        _officeOf[admin] = office;
        _checkpoint(_seats[admin], 1);
        _checkpoint(_officeCount, uint208(n + 1));
        emit OfficeAdmitted(office, admin, recordalRequired);
    }

    /// @dev Moves a seat from `admin` to `newAdmin` (checks, checkpoints, event), then tells the registry.
    function _reseat(bytes2 office, address admin, address newAdmin) private {
        if (newAdmin == address(0)) revert CouncilInvalidAdmin(newAdmin);
        _requireNoSeat(newAdmin);
        _adminOf[office] = newAdmin;
        delete _officeOf[admin];
        _officeOf[newAdmin] = office;
        delete _pendingAdminOf[office];
        _checkpoint(_seats[admin], 0);
        _checkpoint(_seats[newAdmin], 1);
        emit OfficeAdminChanged(office, admin, newAdmin);
        _registry.setOfficeAdmin(office, newAdmin);
    }

    function _setThreshold(uint16 numerator, uint16 denominator) private {
        if (denominator == 0 || numerator > denominator || uint256(numerator) * 2 <= denominator) {
            revert CouncilInvalidThreshold(numerator, denominator);
        }
        (uint16 oldNum, uint16 oldDen) = _unpack(_thresholds.latest());
        _checkpoint(_thresholds, (uint208(numerator) << 16) | denominator);
        emit ThresholdSet(oldNum, oldDen, numerator, denominator);
    }

    /// @dev Writes `value` at the current block (the previous and new values `push` returns are not needed).
    function _checkpoint(Checkpoints.Trace208 storage trace, uint208 value) private {
        // slither-disable-next-line unused-return
        trace.push(clock(), value);
    }

    function _unpack(uint208 packed) private pure returns (uint16 numerator, uint16 denominator) {
        return (uint16(packed >> 16), uint16(packed));
    }

    function _isOfficeCode(bytes2 office) private pure returns (bool) {
        bytes1 a = office[0];
        bytes1 b = office[1];
        return a >= "A" && a <= "Z" && b >= "A" && b <= "Z";
    }

    /// @dev A seat is a weight of one at `timepoint`.
    function _getVotes(address account, uint256 timepoint, bytes memory) internal view override returns (uint256) {
        return _seats[account].upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    /// @dev Passing needs the for-votes of `quorum(snapshot)` offices (abstentions and against-votes never pass).
    function _quorumReached(uint256 proposalId) internal view override(Governor, GovernorCountingSimple) returns (bool) {
        return _forVotesReached(proposalId);
    }

    function _voteSucceeded(uint256 proposalId) internal view override(Governor, GovernorCountingSimple) returns (bool) {
        return _forVotesReached(proposalId);
    }

    function _forVotesReached(uint256 proposalId) private view returns (bool) {
        (, uint256 forVotes,) = proposalVotes(proposalId);
        return forVotes >= quorum(proposalSnapshot(proposalId));
    }

    /// @dev A voter without a seat at the snapshot is refused (instead of counting a vote of weight zero).
    function _countVote(uint256 proposalId, address account, uint8 support, uint256 totalWeight, bytes memory params)
        internal
        override(Governor, GovernorCountingSimple)
        returns (uint256)
    {
        // A seat weighs exactly 0 or 1 (never a balance that could be gamed): zero means no seat at the snapshot.
        // slither-disable-next-line incorrect-equality
        if (totalWeight == 0) revert CouncilNoSeat(proposalId, account);
        return super._countVote(proposalId, account, support, totalWeight, params);
    }

    // ------------------------------------------------------------------ the overrides Solidity asks for

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public pure override(Governor, GovernorSettings) returns (uint256) {
        return 1;
    }

    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl, GovernorSuperQuorum)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    function proposalVotes(uint256 proposalId)
        public
        view
        override(GovernorCountingSimple, GovernorSuperQuorum)
        returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)
    {
        return super.proposalVotes(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function getProposalId(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public view override(Governor, GovernorSequentialProposalId) returns (uint256) {
        return super.getProposalId(targets, values, calldatas, descriptionHash);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorSequentialProposalId) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}

