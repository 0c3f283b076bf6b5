// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IdBags
/// @notice A small unordered list of 32-bit ids packed in words, with its length, a count of *marked* entries, a
/// 32-bit sequence and a 32-bit tag sharing the first word: the first entry of a new list costs one new storage
/// slot (a `uint64[]` costs two: the length and the data), and every eighth entry after the fifth one more.
/// @dev Word 0: bits 0-7 the length, 8-15 the marked count, 16-47 the sequence, 48-79 the tag, then ids 0-4 (32
/// bits each, from bit 80); word k >= 1: ids 5 + 8(k - 1) to 12 + 8(k - 1). The length is at most 255: callers bound
/// it (64 and 16 in {LicenseRegistry}). Order is not kept (swap-and-pop). Which entries are marked is the caller's
/// to know (it passes the mark when it pushes and removes one).
library IdBags {
    /// @dev The words of one list, by index.
    struct Bag {
        mapping(uint256 index => uint256 word) words;
    }

    /// @notice The bag's sequence has run out (2**32 - 1 uses).
    error SequenceExhausted();

    uint256 private constant _MASK8 = 0xff;
    uint256 private constant _MASK32 = 0xffffffff;
    uint256 private constant _MARKED_ONE = 1 << 8;
    uint256 private constant _SEQ_SHIFT = 16;
    uint256 private constant _TAG_SHIFT = 48;
    uint256 private constant _INLINE = 5;

    /// @notice The number of ids in the bag.
    function length(Bag storage b) internal view returns (uint256) {
        return b.words[0] & _MASK8;
    }

    /// @notice The number of marked ids in the bag.
    function marked(Bag storage b) internal view returns (uint256) {
        return (b.words[0] >> 8) & _MASK8;
    }

    /// @notice The free 32-bit tag of the bag (0 until set).
    function tag(Bag storage b) internal view returns (uint256) {
        return (b.words[0] >> _TAG_SHIFT) & _MASK32;
    }

    /// @notice Sets the tag (`value` below 2**32).
    function setTag(Bag storage b, uint256 value) internal {
        uint256 w = b.words[0];
        b.words[0] = (w & ~(_MASK32 << _TAG_SHIFT)) | (value << _TAG_SHIFT);
    }

    /// @notice The bag's 32-bit sequence number (0 until bumped).
    function sequence(Bag storage b) internal view returns (uint256) {
        return (b.words[0] >> _SEQ_SHIFT) & _MASK32;
    }

    /// @notice Adds one to the sequence; reverts {SequenceExhausted} rather than wrap.
    function bumpSequence(Bag storage b) internal {
        uint256 w = b.words[0];
        uint256 next = ((w >> _SEQ_SHIFT) & _MASK32) + 1;
        if (next > _MASK32) revert SequenceExhausted();
        b.words[0] = (w & ~(_MASK32 << _SEQ_SHIFT)) | (next << _SEQ_SHIFT);
    }

    /// @notice The id at position `i` (below `length`).
    function at(Bag storage b, uint256 i) internal view returns (uint256) {
        (uint256 index, uint256 shift) = _place(i);
        return (b.words[index] >> shift) & _MASK32;
    }

    /// @notice Appends `id` (nonzero, below 2**32), marked or not; the caller keeps the length below 255.
    function push(Bag storage b, uint256 id, bool mark) internal {
        uint256 w0 = b.words[0];
        uint256 n = w0 & _MASK8;
        uint256 count = mark ? 1 + _MARKED_ONE : 1;
        if (n < _INLINE) {
            b.words[0] = (w0 + count) | (id << (80 + 32 * n));
        } else {
            _write(b, n, id);
            b.words[0] = w0 + count;
        }
    }

    /// @notice Removes the id at position `i` (marked or not, as it was pushed) by moving the last one there.
    function removeAt(Bag storage b, uint256 i, bool mark) internal {
        uint256 last = length(b) - 1;
        if (i != last) _write(b, i, at(b, last));
        _write(b, last, 0);
        b.words[0] = b.words[0] - (mark ? 1 + _MARKED_ONE : 1);
    }

    function _write(Bag storage b, uint256 i, uint256 id) private {
        (uint256 index, uint256 shift) = _place(i);
        uint256 w = b.words[index];
        b.words[index] = (w & ~(_MASK32 << shift)) | (id << shift);
    }

    function _place(uint256 i) private pure returns (uint256 index, uint256 shift) {
        if (i < _INLINE) return (0, 80 + 32 * i);
        i -= _INLINE;
        return (1 + i / 8, 32 * (i % 8));
    }
}
