// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IP Ledger shared errors
/// @notice Custom errors used by more than one IP Ledger contract. Each carries the offending values.
interface IIPLedgerErrors {
    /// @notice The office code is not two upper-case ASCII letters (WIPO ST.3).
    /// @param code The rejected code.
    error InvalidOfficeCode(bytes2 code);

    /// @notice No office with this ST.3 code has been added to the register.
    /// @param code The unknown office code.
    error UnknownOffice(bytes2 code);

    /// @notice The caller is not a registrar of the office that must act.
    /// @param office The office whose registrar role is required.
    /// @param account The caller.
    error NotRegistrar(bytes2 office, address account);

    /// @notice No right with this id has been filed.
    /// @param rightId The unknown right id.
    error RightNotFound(uint256 rightId);

    /// @notice The caller is not the current holder of the right.
    /// @param rightId The right.
    /// @param caller The caller.
    error NotHolder(uint256 rightId, address caller);

    /// @notice An address argument is the zero address or otherwise unusable.
    /// @param account The rejected address.
    error InvalidAccount(address account);

    /// @notice An EIP-712 signature was signed by someone other than the party who must sign.
    /// @param expected The party whose signature is required.
    /// @param recovered The address the signature recovers to.
    error InvalidSignature(address expected, address recovered);

    /// @notice An EIP-712 signature's deadline has passed.
    /// @param deadline The deadline in the signed message.
    /// @param timestamp The current block timestamp.
    error SignatureExpired(uint256 deadline, uint256 timestamp);
}
