// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IdBags
/// @notice A small unordered list of 32-bit ids packed in words, its length, a 24-bit sequence and a 32-bit tag
/// sharing the first word: the first entry of a new list costs one new storage slot (a `uint64[]` costs two: the
/// length and the data), and every eighth entry after the sixth one more.
/// @dev Word 0: bits 0-7 the length, 8-31 the sequence, 32-63 the tag, then ids 0-5 (32 bits each); word k >= 1:
/// ids 6 + 8(k - 1) to 13 + 8(k - 1). The length is at most 255: callers bound it (64 and 16 in {LicenseRegistry}).
/// Order is not kept (swap-and-pop).
library IdBags {
    /// @dev The words of one list, by index.
    struct Bag {
        mapping(uint256 index => uint256 word) words;
    }

    uint256 private constant _MASK8 = 0xff;
    uint256 private constant _MASK24 = 0xffffff;
    uint256 private constant _MASK32 = 0xffffffff;

    /// @notice The number of ids in the bag.
    function length(Bag storage b) internal view returns (uint256) {
        return b.words[0] & _MASK8;
    }

    /// @notice The free 32-bit tag of the bag (0 until set).
    function tag(Bag storage b) internal view returns (uint256) {
        return (b.words[0] >> 32) & _MASK32;
    }

    /// @notice Sets the tag (`value` below 2**32).
    function setTag(Bag storage b, uint256 value) internal {
        uint256 w = b.words[0];
        b.words[0] = (w & ~(_MASK32 << 32)) | (value << 32);
    }

    /// @notice The bag's 24-bit sequence number (0 until bumped).
    function sequence(Bag storage b) internal view returns (uint256) {
        return (b.words[0] >> 8) & _MASK24;
    }

    /// @notice Adds one to the sequence; reverts (arithmetic) rather than wrap after 2**24 - 1.
    function bumpSequence(Bag storage b) internal {
        uint256 w = b.words[0];
        uint256 next = ((w >> 8) & _MASK24) + 1;
        if (next > _MASK24) revert SequenceExhausted();
        b.words[0] = (w & ~(_MASK24 << 8)) | (next << 8);
    }

    /// @notice The bag's sequence has run out (2**24 - 1 uses).
    error SequenceExhausted();

    /// @notice The id at position `i` (below `length`).
    function at(Bag storage b, uint256 i) internal view returns (uint256) {
        (uint256 index, uint256 shift) = _place(i);
        return (b.words[index] >> shift) & _MASK32;
    }

    /// @notice Appends `id` (nonzero, below 2**32); the caller keeps the length bounded.
    function push(Bag storage b, uint256 id) internal {
        uint256 n = length(b);
        _write(b, n, id);
        b.words[0] = b.words[0] + 1; // length in the low byte; callers keep it below 255
    }

    /// @notice Removes the id at position `i` by moving the last one there.
    function removeAt(Bag storage b, uint256 i) internal {
        uint256 last = length(b) - 1;
        if (i != last) _write(b, i, at(b, last));
        _write(b, last, 0);
        b.words[0] = b.words[0] - 1;
    }

    function _write(Bag storage b, uint256 i, uint256 id) private {
        (uint256 index, uint256 shift) = _place(i);
        uint256 w = b.words[index];
        b.words[index] = (w & ~(_MASK32 << shift)) | (id << shift);
    }

    function _place(uint256 i) private pure returns (uint256 index, uint256 shift) {
        if (i < 6) return (0, 64 + 32 * i);
        i -= 6;
        return (1 + i / 8, 32 * (i % 8));
    }
}
