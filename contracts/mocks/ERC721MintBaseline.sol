// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title ERC721MintBaseline
/// @notice Test double for benchmarks/gas.py: a bare OpenZeppelin ERC-721 whose `mint` is only
/// `_mint`, the cost any register of title tokens pays per right before its own bookkeeping.
contract ERC721MintBaseline is ERC721 {
    constructor() ERC721("IP Ledger mint baseline", "BASE") {}

    /// @notice Mints `tokenId` to `to`. Anyone may call it: it exists to be measured.
    /// @param to The receiver.
    /// @param tokenId The token id.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
