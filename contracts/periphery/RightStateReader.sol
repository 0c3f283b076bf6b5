// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPRegistry} from "../interfaces/IIPRegistry.sol";

/// @title Batch reader of right states, run without being deployed
/// @notice Reads `holderAndStatus` of many rights, and the filing and registration dates (`rightOf`) of
/// those that exist (the content hash lives in `RightFiled`, not in storage), in one `eth_call` and hands the answers back in its revert data, so that an importer
/// checks thousands of rights (what is filed, and whether it is filed with the data it holds) in a
/// few node calls instead of one call per right.
/// @dev Never deployed, and holds no state. Its creation code followed by the ABI-encoded
/// constructor arguments is the `data` of an `eth_call` without `to`, which every node runs.
/// The constructor always reverts with {RightStates}: a reverted creation leaves nothing
/// behind, and revert data, unlike the code a constructor returns, is not capped by EIP-170
/// (24,576 bytes of code: 384 answers of 64 bytes). What bounds one call is the input: EIP-3860
/// caps creation code plus arguments at 49,152 bytes, 32 bytes per id (see `MAX_IDS`). Callers
/// decode the answers from the error's ABI; any other revert means the reader could not run
/// (e.g. no registry at the address).
contract RightStateReader {
    /// @notice The most ids one call may read, and the bound of the constructor's loop. The ids
    /// travel in the creation code (32 bytes each), which EIP-3860 caps at 49,152 bytes with this
    /// contract's own code; each filed id costs two static calls (three cold storage reads): a full
    /// call of filed rights runs within the 30 million gas anvil and Ganache give an `eth_call`.
    uint256 public constant MAX_IDS = 1400;

    /// @notice The answers: `holders[i]` and `statuses[i]` are `registry.holderAndStatus(ids[i])`
    /// (the zero address and `None` for a right that was never filed); for a filed right,
    /// `filingDates[i]` and `registrationDates[i]` are those of `registry.rightOf(ids[i])` (zero otherwise).
    /// @param holders The holder of each right.
    /// @param statuses The status of each right.
    /// @param filingDates The filing date of each right.
    /// @param registrationDates The registration date of each right (0 until registered).
    error RightStates(
        address[] holders, IIPRegistry.Status[] statuses, uint40[] filingDates, uint40[] registrationDates
    );

    /// @notice More ids were given than one call may read.
    /// @param given The number of ids given.
    /// @param max The most one call reads (`MAX_IDS`).
    error TooManyIds(uint256 given, uint256 max);

    /// @notice Reads the holder, status and filing data of each right and reverts with them.
    /// @param registry The register to read.
    /// @param ids The rights to read, at most `MAX_IDS`.
    constructor(IIPRegistry registry, uint256[] memory ids) {
        uint256 count = ids.length;
        if (count > MAX_IDS) revert TooManyIds(count, MAX_IDS);
        address[] memory holders = new address[](count);
        IIPRegistry.Status[] memory statuses = new IIPRegistry.Status[](count);
        uint40[] memory filingDates = new uint40[](count);
        uint40[] memory registrationDates = new uint40[](count);
        for (uint256 i = 0; i < count; ++i) {
            // Calling the registry per id is this contract's purpose; the loop is bounded by MAX_IDS, the calls are
            // views (static calls), and the contract is never deployed, so no state can depend on them.
            // slither-disable-next-line calls-loop
            (holders[i], statuses[i]) = registry.holderAndStatus(ids[i]);
            if (statuses[i] != IIPRegistry.Status.None) {
                // slither-disable-next-line calls-loop
                IIPRegistry.Right memory r = registry.rightOf(ids[i]);
                (filingDates[i], registrationDates[i]) = (r.filingDate, r.registrationDate);
            }
        }
        revert RightStates(holders, statuses, filingDates, registrationDates);
    }
}
