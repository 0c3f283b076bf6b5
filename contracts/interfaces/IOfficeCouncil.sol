// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IOfficeDirectory
/// @notice The three registry functions the council calls when a vote passed or an office re-seats itself; the
/// registry restricts them to the council (the authority's COUNCIL_ROLE).
interface IOfficeDirectory {
    /// @notice Admits an office to the register.
    /// @param office The office's WIPO ST.3 code.
    /// @param admin The office's admin account (grants its registrars, sets its codes and base URI).
    /// @param recordalRequired Whether the office's assignments need recordal by its registrar.
    function addOffice(bytes2 office, address admin, bool recordalRequired) external;

    /// @notice Removes an office: its registrars stop at once.
    /// @param office The office's WIPO ST.3 code.
    function removeOffice(bytes2 office) external;

    /// @notice Hands an office's admin role to another account.
    /// @param office The office's WIPO ST.3 code.
    /// @param admin The new admin account.
    function setOfficeAdmin(bytes2 office, address admin) external;
}

/// @title IOfficeCouncil
/// @notice The office council's own API (the rest is OpenZeppelin's `IGovernor`): one vote per admitted office,
/// cast by its admin account, a pass threshold of the offices at the proposal's snapshot (default 2/3), then the
/// timelock. Membership changes only by a passed proposal, except an office's own two-step key rotation.
interface IOfficeCouncil {
    /// @notice An office took its seat (by a passed proposal, or at deployment).
    /// @param office The office's WIPO ST.3 code.
    /// @param admin The account that casts the office's vote.
    /// @param recordalRequired The office's recordal setting passed on to the registry.
    event OfficeAdmitted(bytes2 indexed office, address indexed admin, bool recordalRequired);

    /// @notice An office lost its seat (by a passed proposal).
    /// @param office The office's WIPO ST.3 code.
    /// @param admin The account that held the seat.
    event OfficeRemoved(bytes2 indexed office, address indexed admin);

    /// @notice An office's seat moved to another account (accepted rotation, or replacement by vote).
    /// @param office The office's WIPO ST.3 code.
    /// @param previousAdmin The account that held the seat.
    /// @param newAdmin The account that holds it now.
    event OfficeAdminChanged(bytes2 indexed office, address indexed previousAdmin, address indexed newAdmin);

    /// @notice An office's admin offered its seat to another account (which must accept; zero cancels).
    /// @param office The office's WIPO ST.3 code.
    /// @param admin The current admin.
    /// @param pendingAdmin The account that may accept (zero: the offer was withdrawn).
    event OfficeAdminTransferStarted(bytes2 indexed office, address indexed admin, address indexed pendingAdmin);

    /// @notice The pass threshold changed (by a passed proposal); it applies to proposals made afterwards.
    /// @param oldNumerator The previous numerator.
    /// @param oldDenominator The previous denominator.
    /// @param newNumerator The new numerator.
    /// @param newDenominator The new denominator.
    event ThresholdSet(uint16 oldNumerator, uint16 oldDenominator, uint16 newNumerator, uint16 newDenominator);

    /// @notice The code is not two capital letters A-Z (WIPO ST.3).
    /// @param office The code given.
    error CouncilInvalidOffice(bytes2 office);

    /// @notice The zero address cannot admin an office.
    /// @param admin The account given.
    error CouncilInvalidAdmin(address admin);

    /// @notice The office already has a seat.
    /// @param office The office's code.
    error CouncilOfficeExists(bytes2 office);

    /// @notice The office has no seat.
    /// @param office The office's code.
    error CouncilUnknownOffice(bytes2 office);

    /// @notice One account admins at most one office, and this one already admins `office`.
    /// @param admin The account given.
    /// @param office The office it admins.
    error CouncilAdminHoldsSeat(address admin, bytes2 office);

    /// @notice The council has `max` offices already.
    /// @param max MAX_OFFICES.
    error CouncilFull(uint256 max);

    /// @notice The council's last office cannot be removed (nobody could propose any more).
    /// @param office The office's code.
    error CouncilLastOffice(bytes2 office);

    /// @notice Only the office's admin may do this.
    /// @param office The office's code.
    /// @param caller The caller.
    error CouncilNotOfficeAdmin(bytes2 office, address caller);

    /// @notice Only the account the office's admin named may accept the seat.
    /// @param office The office's code.
    /// @param caller The caller.
    error CouncilNotPendingAdmin(bytes2 office, address caller);

    /// @notice A threshold is a fraction above one half and at most one.
    /// @param numerator The numerator given.
    /// @param denominator The denominator given.
    error CouncilInvalidThreshold(uint256 numerator, uint256 denominator);

    /// @notice The voter held no office's seat at the proposal's snapshot.
    /// @param proposalId The proposal.
    /// @param voter The voter.
    error CouncilNoSeat(uint256 proposalId, address voter);

    /// @notice The proposal threshold is one seat, fixed: only office admins propose.
    error CouncilProposalThresholdFixed();

    /// @notice The seed lists of the constructor differ in length.
    /// @param offices The number of offices.
    /// @param admins The number of admins.
    error CouncilSeedMismatch(uint256 offices, uint256 admins);

    /// @notice Admits an office (only through a passed proposal and the timelock); also admits it to the registry.
    /// @param office The office's WIPO ST.3 code.
    /// @param admin Its admin account (holding no other seat).
    /// @param recordalRequired Whether its assignments need recordal (passed on to the registry).
    function admitOffice(bytes2 office, address admin, bool recordalRequired) external;

    /// @notice Removes an office (only through a passed proposal and the timelock), here and in the registry.
    /// @param office The office's code.
    function removeOffice(bytes2 office) external;

    /// @notice Replaces an office's admin, e.g. when its key is lost (only through a passed proposal and the
    /// timelock); also in the registry.
    /// @param office The office's code.
    /// @param newAdmin The new admin (holding no other seat).
    function replaceOfficeAdmin(bytes2 office, address newAdmin) external;

    /// @notice The office's admin offers its seat to another account, which must accept (zero withdraws the offer).
    /// @param office The office's code.
    /// @param newAdmin The account that may accept.
    function transferOfficeAdmin(bytes2 office, address newAdmin) external;

    /// @notice The account the office's admin named takes the seat (here and in the registry).
    /// @param office The office's code.
    function acceptOfficeAdmin(bytes2 office) external;

    /// @notice Sets the pass threshold (only through a passed proposal and the timelock): above 1/2, at most 1.
    /// @param numerator The numerator.
    /// @param denominator The denominator.
    function setThreshold(uint16 numerator, uint16 denominator) external;

    /// @notice The office's admin (zero: no such office).
    /// @param office The office's code.
    /// @return The admin account.
    function officeAdmin(bytes2 office) external view returns (address);

    /// @notice The account the office's admin offered its seat to (zero: none).
    /// @param office The office's code.
    /// @return The pending admin.
    function pendingOfficeAdmin(bytes2 office) external view returns (address);

    /// @notice The office `account` admins (zero: none).
    /// @param account The account.
    /// @return The office's code.
    function officeOf(address account) external view returns (bytes2);

    /// @notice Every office with a seat (at most MAX_OFFICES).
    /// @return The codes, in no particular order.
    function offices() external view returns (bytes2[] memory);

    /// @notice The number of seated offices at a past block (the base of a proposal's threshold).
    /// @param timepoint The block number.
    /// @return The number of offices.
    function officeCountAt(uint256 timepoint) external view returns (uint256);

    /// @notice The current pass threshold.
    /// @return numerator The numerator.
    /// @return denominator The denominator.
    function threshold() external view returns (uint16 numerator, uint16 denominator);

    /// @notice The pass threshold at a past block (the one a proposal with that snapshot uses).
    /// @param timepoint The block number.
    /// @return numerator The numerator.
    /// @return denominator The denominator.
    function thresholdAt(uint256 timepoint) external view returns (uint16 numerator, uint16 denominator);

    /// @notice The registry the council admits offices to.
    /// @return The registry's address.
    function registry() external view returns (address);
}
