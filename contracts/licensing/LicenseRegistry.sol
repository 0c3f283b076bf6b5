// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ILicenseRegistry} from "../interfaces/ILicenseRegistry.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {RevocableSignatures} from "../registry/RevocableSignatures.sol";

/// @title LicenseRegistry
/// @notice Licenses and sublicenses under the rights of an {IPRegistry}: offer (with a deadline), acceptance
/// (also by a relayed EIP-712 or ERC-1271 signature bound to the offer), withdrawal, termination, surrender,
/// transfer and exclusivity. See {ILicenseRegistry} for the API, the scope rules and the bounds.
/// @dev Licensors are never stored: a root license's licensor is the current holder of the right
/// and a sublicense's is the current licensee of its parent, so licenses survive an assignment of
/// the right (and a transfer of the parent) with the new party as licensor. Ending is lazy: reads
/// walk the parent chain (at most `MAX_DEPTH` steps) and ask the registry whether the right ended.
/// Lists that only views would read (a right's history, a party's licenses, a license's children) are
/// not stored: they are in the events. Stored lists are the ones the rules read, each bounded.
contract LicenseRegistry is ILicenseRegistry, RevocableSignatures {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Maximum depth of a license tree (a root license has depth 1).
    uint8 public constant MAX_DEPTH = 8;
    /// @notice Maximum open entries (pending offers and licenses that may still be active) of one licensor
    /// position: the holder's root position of a right, or one license as the parent of its sublicenses.
    uint256 public constant MAX_OPEN_PER_LICENSOR = 64;
    /// @notice Maximum active licenses one party holds on one right (what `isLicensed` reads).
    uint256 public constant MAX_HELD_PER_PARTY = 16;
    /// @notice Longest time an offer stays open: its deadline is at most this far ahead.
    uint64 public constant MAX_OFFER_WINDOW = 365 days;
    /// @notice Maximum territory codes per license.
    uint256 public constant MAX_TERRITORIES = 32;
    /// @notice Royalty ceiling: 100 % in basis points.
    uint16 public constant MAX_ROYALTY_BPS = 10_000;
    /// @notice EIP-712 type of a licensee's acceptance: bound to the offer (id, licensee, terms hash).
    bytes32 public constant ACCEPT_LICENSE_TYPEHASH =
        keccak256("AcceptLicense(uint256 licenseId,address licensee,bytes32 termsHash,uint256 deadline)");

    /// @dev ST.3 "WO" (worldwide) and its bit in a territory mask: ('W'-'A') * 26 + ('O'-'A').
    bytes2 private constant _WORLDWIDE = "WO";
    uint256 private constant _WORLDWIDE_BIT = 586;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One license in five slots: [licensee, start, kind, state, depth, sublicensable],
    /// [transferable, end, parentId, royaltyBps, deadline], rightId, fieldHash, termsHash, and the
    /// territory codes packed two bytes each (one slot for up to 15 codes).
    struct Record {
        address licensee;
        uint64 start;
        LicenseKind kind;
        LicenseState state;
        uint8 depth;
        bool sublicensable;
        bool transferable;
        uint64 end;
        uint64 parentId;
        uint16 royaltyBps;
        uint64 deadline;
        uint256 rightId;
        bytes32 fieldHash;
        bytes32 termsHash;
        bytes territories;
    }

    /// @dev A use asked about by `isLicensed`.
    struct Use {
        bytes2 territory;
        bytes32 fieldHash;
        uint64 time;
    }

    /// @notice The register of rights.
    IIPRegistry public immutable registry;

    uint256 private _count;
    mapping(uint256 licenseId => Record) private _licenses;
    /// @dev Open entries of each licensor position (parent 0 = the holder's root position): the exclusivity
    /// scan, at most MAX_OPEN_PER_LICENSOR. Entries that can never become active again are dropped lazily.
    // Written through storage pointers (`open.push` in `_admit`, `_dropAt`), which slither does not follow.
    // slither-disable-next-line uninitialized-state
    mapping(uint256 rightId => mapping(uint256 parentId => uint64[])) private _open;
    /// @dev Accepted licenses of each party on each right: the sources `isLicensed` reads, at most
    /// MAX_HELD_PER_PARTY. Removed on termination, surrender and transfer; others dropped lazily.
    // slither-disable-next-line uninitialized-state
    mapping(uint256 rightId => mapping(address party => uint64[])) private _held;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param registry_ The register of rights.
    constructor(IIPRegistry registry_) EIP712("IP Ledger Licenses", "1") {
        if (address(registry_) == address(0)) revert InvalidAccount(address(registry_));
        registry = registry_;
    }

    /*//////////////////////////////////////////////////////////////
                                LIFECYCLE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILicenseRegistry
    function offerLicense(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        Terms calldata terms,
        uint64 deadline,
        string calldata fieldLabel,
        string calldata termsURI
    ) external returns (uint256 licenseId) {
        _checkNotPaused();
        licenseId = _newOffer(rightId, parentId, licensee, terms, deadline, fieldLabel);
        _emitOffered(licenseId, terms, fieldLabel, termsURI);
    }

    /// @inheritdoc ILicenseRegistry
    function acceptLicense(uint256 licenseId) external {
        _checkNotPaused();
        Record storage l = _offer(licenseId);
        if (l.licensee != msg.sender) revert NotLicensee(licenseId, msg.sender);
        _accept(licenseId, l, false);
    }

    /// @inheritdoc ILicenseRegistry
    function acceptLicenseBySig(uint256 licenseId, uint256 deadline, bytes calldata signature) external {
        _checkNotPaused();
        Record storage l = _offer(licenseId);
        address licensee = l.licensee;
        _checkSignature(licensee, _acceptanceHash(licenseId, l, deadline), deadline, signature);
        _accept(licenseId, l, true);
    }

    /// @inheritdoc ILicenseRegistry
    function withdrawOffer(uint256 licenseId) external {
        _checkNotPaused();
        Record storage l = _offer(licenseId);
        address licensor = _checkLicensor(licenseId, l);
        l.state = LicenseState.Withdrawn;
        emit OfferWithdrawn(l.rightId, licenseId, licensor);
    }

    /// @inheritdoc ILicenseRegistry
    function terminateLicense(uint256 licenseId) external {
        _checkNotPaused();
        Record storage l = _activeLicense(licenseId);
        address licensor = _checkLicensor(licenseId, l);
        l.state = LicenseState.Terminated;
        address licensee = l.licensee;
        _unhold(l.rightId, licensee, licenseId);
        (bytes3 key, bytes8 national) = _codes(l.rightId, IIPRegistry.LegalEvent.LicenceEnded);
        emit LicenseTerminated(l.rightId, licenseId, licensor, licensee, key, national);
    }

    /// @inheritdoc ILicenseRegistry
    function surrenderLicense(uint256 licenseId) external {
        _checkNotPaused();
        Record storage l = _activeLicense(licenseId);
        if (l.licensee != msg.sender) revert NotLicensee(licenseId, msg.sender);
        l.state = LicenseState.Surrendered;
        _unhold(l.rightId, msg.sender, licenseId);
        (bytes3 key, bytes8 national) = _codes(l.rightId, IIPRegistry.LegalEvent.LicenceEnded);
        emit LicenseSurrendered(l.rightId, licenseId, msg.sender, key, national);
    }

    /// @inheritdoc ILicenseRegistry
    function transferLicense(uint256 licenseId, address to) external {
        _checkNotPaused();
        Record storage l = _activeLicense(licenseId);
        address from = l.licensee;
        if (from != msg.sender) revert NotLicensee(licenseId, msg.sender);
        if (!l.transferable) revert NotTransferable(licenseId);
        uint256 rightId = l.rightId;
        if (to == address(0) || to == from || to == _licensorOf(l) || _isOpenLicenseeUnder(rightId, licenseId, to)) {
            revert InvalidAccount(to);
        }
        _unhold(rightId, from, licenseId);
        l.licensee = to;
        _hold(rightId, to, licenseId);
        emit LicenseTransferred(rightId, licenseId, to, from);
    }

    /*//////////////////////////////////////////////////////////////
                                  READS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILicenseRegistry
    function isLicensed(uint256 rightId, address party, bytes2 territory, bytes32 fieldHash, uint64 time)
        external
        view
        returns (bool licensed, uint256 licenseId)
    {
        (address holder, IIPRegistry.Status status) = registry.holderAndStatus(rightId);
        if (status == IIPRegistry.Status.None || registry.isEnded(rightId)) return (false, 0);
        uint40 expiry = registry.rightOf(rightId).expiryDate;
        if (expiry != 0 && time > expiry) return (false, 0);

        Use memory u = Use(territory, fieldHash, time);
        licenseId = _coveringLicense(rightId, party, u);
        if (licenseId != 0) return (true, licenseId);
        return (party == holder && _unexcluded(rightId, 0, party, u, true), 0);
    }

    /// @inheritdoc ILicenseRegistry
    function isLicenseActive(uint256 licenseId) public view returns (bool) {
        return _isActiveLicense(_licenses[licenseId]);
    }

    /// @inheritdoc ILicenseRegistry
    function licenseOf(uint256 licenseId) external view returns (License memory) {
        Record storage l = _existing(licenseId);
        bytes memory codes = l.territories;
        uint256 n = codes.length / 2;
        bytes2[] memory territories = new bytes2[](n);
        for (uint256 i; i < n; ++i) {
            territories[i] = _codeAt(codes, i);
        }
        return License({
            rightId: l.rightId,
            parentId: l.parentId,
            licensor: _licensorOf(l),
            licensee: l.licensee,
            kind: l.kind,
            state: l.state,
            active: isLicenseActive(licenseId),
            depth: l.depth,
            territories: territories,
            fieldHash: l.fieldHash,
            start: l.start,
            end: l.end,
            royaltyBps: l.royaltyBps,
            sublicensable: l.sublicensable,
            transferable: l.transferable,
            termsHash: l.termsHash,
            deadline: l.deadline
        });
    }

    /// @inheritdoc ILicenseRegistry
    function openLicensesOf(uint256 rightId, uint256 parentId) external view returns (uint256[] memory ids) {
        uint64[] storage open = _open[rightId][parentId];
        uint256 n = open.length;
        ids = new uint256[](n);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            if (_isOpen(_licenses[open[i]])) ids[k++] = open[i];
        }
        assembly ("memory-safe") {
            mstore(ids, k)
        }
    }

    /// @inheritdoc ILicenseRegistry
    function licensesHeldBy(uint256 rightId, address party) external view returns (uint256[] memory ids) {
        uint64[] storage held = _held[rightId][party];
        uint256 n = registry.isEnded(rightId) ? 0 : held.length; // no license is active on an ended right
        ids = new uint256[](n);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            Record storage l = _licenses[held[i]];
            if (l.licensee == party && l.state == LicenseState.Active && _isLive(l)) ids[k++] = held[i];
        }
        assembly ("memory-safe") {
            mstore(ids, k)
        }
    }

    /// @inheritdoc ILicenseRegistry
    function acceptanceDigest(uint256 licenseId, uint256 deadline) external view returns (bytes32) {
        return _hashTypedDataV4(_acceptanceHash(licenseId, _existing(licenseId), deadline));
    }

    /// @inheritdoc ILicenseRegistry
    function parentOf(uint256 licenseId) public view returns (uint256) {
        return _existing(licenseId).parentId;
    }

    /// @inheritdoc ILicenseRegistry
    function getParentLicenseId(uint256 licenseId) external view returns (uint256) {
        return parentOf(licenseId);
    }

    /// @inheritdoc ILicenseRegistry
    function getLicenseRevoker(uint256 licenseId) external view returns (address) {
        return _licensorOf(_existing(licenseId));
    }

    /// @inheritdoc ILicenseRegistry
    function licenseCount() external view returns (uint256) {
        return _count;
    }

    /*//////////////////////////////////////////////////////////////
                           INTERNAL: LIFECYCLE
    //////////////////////////////////////////////////////////////*/

    /// @dev Checks and stores a new offer (see {offerLicense}) and admits it to its licensor position.
    function _newOffer(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        Terms calldata terms,
        uint64 deadline,
        string calldata fieldLabel
    ) internal returns (uint256 licenseId) {
        address holder = _checkRightLive(rightId);
        uint8 depth = parentId == 0 ? _checkHolder(rightId, holder) : _checkParent(rightId, parentId, terms);
        if (licensee == address(0) || licensee == msg.sender) revert InvalidAccount(licensee);
        bytes memory codes = _checkTerms(terms, fieldLabel);
        if (parentId != 0) _checkTerritoriesWithinParent(parentId, codes);
        _checkDeadline(deadline, terms.end);

        licenseId = ++_count;
        Record storage l = _licenses[licenseId];
        l.licensee = licensee;
        l.start = terms.start;
        l.kind = terms.kind;
        l.state = LicenseState.Offered;
        l.depth = depth;
        l.sublicensable = terms.sublicensable;
        l.transferable = terms.transferable;
        l.end = terms.end;
        l.parentId = uint64(parentId);
        l.royaltyBps = terms.royaltyBps;
        l.deadline = deadline;
        l.rightId = rightId;
        l.fieldHash = terms.fieldHash;
        l.termsHash = terms.termsHash;
        l.territories = codes;
        _checkConflicts(licenseId, l);
        _admit(rightId, parentId, licenseId);
    }

    /// @dev Emits {LicenseOffered} for a stored offer (its keys read back, which keeps the stack shallow).
    function _emitOffered(uint256 licenseId, Terms calldata terms, string calldata fieldLabel, string calldata uri)
        internal
    {
        Record storage l = _licenses[licenseId];
        emit LicenseOffered(
            l.rightId, licenseId, l.licensee, l.parentId, msg.sender, terms, l.deadline, fieldLabel, uri
        );
    }

    /// @dev Accepts a pending offer: the right, the deadline, the parent and exclusivity are checked again,
    /// and the license joins the licensee's held list.
    function _accept(uint256 licenseId, Record storage l, bool bySignature) internal {
        uint256 rightId = l.rightId;
        _checkRightLive(rightId);
        uint64 deadline = l.deadline;
        if (block.timestamp > deadline) revert OfferExpired(licenseId, deadline, block.timestamp);
        // Before the deadline, so before the end: not live means an ancestor ended.
        uint256 parentId = l.parentId;
        if (parentId != 0 && !_isLive(l)) revert LicenseNotActive(parentId);
        // Offers are already checked against pending offers, so this second scan guards the invariant
        // rather than catching a conflict the offer could not see.
        _checkConflicts(licenseId, l);
        l.state = LicenseState.Active;
        address licensee = l.licensee;
        _hold(rightId, licensee, licenseId);
        (bytes3 key, bytes8 national) = _codes(rightId, IIPRegistry.LegalEvent.LicenceRecorded);
        emit LicenseAccepted(rightId, licenseId, licensee, bySignature, key, national);
    }

    /// @dev Reverts with {LicenseConflict} if an open sibling (same right, same parent) conflicts with `l`: one
    /// of the two is exclusive or sole and they overlap (see {_overlaps}). Entries met that can never become
    /// active again are dropped. At most MAX_OPEN_PER_LICENSOR steps.
    function _checkConflicts(uint256 id, Record storage l) internal {
        uint64[] storage open = _open[l.rightId][l.parentId];
        bool exclusive = l.kind != LicenseKind.NonExclusive;
        uint256[3] memory mask = _maskOf(l.territories);
        uint256 i;
        while (i < open.length) {
            uint256 other = open[i];
            Record storage o = _licenses[other];
            if (other == id || (!exclusive && o.kind == LicenseKind.NonExclusive)) {
                ++i; // two non-exclusive licenses never conflict
            } else if (!_isOpen(o)) {
                _dropAt(open, i);
            } else {
                if (_overlaps(l, o, mask)) revert LicenseConflict(id, other);
                ++i;
            }
        }
    }

    /// @dev Appends an offer to its licensor position; when the position is full, first drops every entry that
    /// can never become active again, and reverts with {TooManyLicenses} if it is still full.
    function _admit(uint256 rightId, uint256 parentId, uint256 id) internal {
        uint64[] storage open = _open[rightId][parentId];
        if (open.length >= MAX_OPEN_PER_LICENSOR) {
            uint256 i;
            while (i < open.length) {
                if (_isOpen(_licenses[open[i]])) ++i;
                else _dropAt(open, i);
            }
            if (open.length >= MAX_OPEN_PER_LICENSOR) {
                revert TooManyLicenses(rightId, parentId, MAX_OPEN_PER_LICENSOR);
            }
        }
        open.push(uint64(id));
    }

    /// @dev Adds an accepted license to its licensee's held list; when the list is full, first drops the
    /// licenses that can never be active again, and reverts with {TooManyLicensesHeld} if it is still full.
    function _hold(uint256 rightId, address party, uint256 id) internal {
        uint64[] storage held = _held[rightId][party];
        if (held.length >= MAX_HELD_PER_PARTY) {
            uint256 i;
            while (i < held.length) {
                Record storage h = _licenses[held[i]];
                if (h.state == LicenseState.Active && h.licensee == party && _isLive(h)) ++i;
                else _dropAt(held, i);
            }
            if (held.length >= MAX_HELD_PER_PARTY) revert TooManyLicensesHeld(rightId, party, MAX_HELD_PER_PARTY);
        }
        held.push(uint64(id));
    }

    /// @dev Removes a license from a party's held list if it is there (at most MAX_HELD_PER_PARTY steps).
    function _unhold(uint256 rightId, address party, uint256 id) internal {
        uint64[] storage held = _held[rightId][party];
        uint256 n = held.length;
        for (uint256 i; i < n; ++i) {
            if (held[i] == id) {
                _dropAt(held, i);
                return;
            }
        }
    }

    /// @dev Swap-and-pop: the order of these lists does not matter.
    function _dropAt(uint64[] storage list, uint256 i) internal {
        list[i] = list[list.length - 1];
        list.pop();
    }

    /*//////////////////////////////////////////////////////////////
                            INTERNAL: CHECKS
    //////////////////////////////////////////////////////////////*/

    /// @dev State changes stop while the register is paused.
    function _checkNotPaused() internal view {
        if (Pausable(address(registry)).paused()) revert Pausable.EnforcedPause();
    }

    /// @dev The right exists and has not ended; returns its holder.
    function _checkRightLive(uint256 rightId) internal view returns (address holder) {
        IIPRegistry.Status status;
        (holder, status) = registry.holderAndStatus(rightId);
        if (status == IIPRegistry.Status.None) revert RightNotFound(rightId);
        if (registry.isEnded(rightId)) revert RightEnded(rightId, status);
    }

    /// @dev A root license is offered by the holder; returns depth 1.
    function _checkHolder(uint256 rightId, address holder) internal view returns (uint8) {
        if (holder != msg.sender) revert NotHolder(rightId, msg.sender);
        return 1;
    }

    /// @dev A sublicense is offered by the licensee of an active sublicensable parent of the same right,
    /// within the parent's kind, field and period (territories are checked by the caller); returns its depth.
    function _checkParent(uint256 rightId, uint256 parentId, Terms calldata t) internal view returns (uint8) {
        Record storage p = _existing(parentId);
        if (p.rightId != rightId) revert ParentOfOtherRight(parentId, p.rightId, rightId);
        if (p.state != LicenseState.Active || !_isLive(p)) revert LicenseNotActive(parentId);
        if (p.licensee != msg.sender) revert NotLicensee(parentId, msg.sender);
        if (!p.sublicensable) revert NotSublicensable(parentId);
        if (p.depth >= MAX_DEPTH) revert TreeTooDeep(parentId, MAX_DEPTH);
        if (t.kind < p.kind) revert ExceedsParentKind(parentId, p.kind, t.kind);
        bytes32 pField = p.fieldHash;
        if (pField != 0 && pField != t.fieldHash) revert ExceedsParentField(parentId, pField, t.fieldHash);
        uint64 pEnd = p.end;
        if (t.start < p.start || (pEnd != 0 && (t.end == 0 || t.end > pEnd))) {
            revert ExceedsParentPeriod(parentId, p.start, pEnd, t.start, t.end);
        }
        return p.depth + 1;
    }

    /// @dev Every territory of a sublicense is one of its parent's, unless the parent is worldwide.
    function _checkTerritoriesWithinParent(uint256 parentId, bytes memory codes) internal view {
        uint256[3] memory parentMask = _maskOf(_licenses[parentId].territories);
        if (_hasBit(parentMask, _WORLDWIDE_BIT)) return;
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (!_hasBit(parentMask, _bitOf(code))) revert ExceedsParentTerritory(parentId, code);
        }
    }

    /// @dev Validates the terms and returns the territory codes packed two bytes each.
    function _checkTerms(Terms calldata t, string calldata fieldLabel) internal view returns (bytes memory codes) {
        if (t.royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(t.royaltyBps);
        if (t.end != 0 && (t.end <= t.start || t.end < block.timestamp)) revert InvalidPeriod(t.start, t.end);
        bytes32 labelHash = bytes(fieldLabel).length == 0 ? bytes32(0) : keccak256(bytes(fieldLabel));
        if (labelHash != t.fieldHash) revert FieldLabelMismatch(t.fieldHash, labelHash);
        uint256 n = t.territories.length;
        if (n == 0 || n > MAX_TERRITORIES) revert TerritoryCount(n, MAX_TERRITORIES);
        codes = new bytes(n * 2);
        for (uint256 i; i < n; ++i) {
            bytes2 code = t.territories[i];
            if (code[0] < 0x41 || code[0] > 0x5A || code[1] < 0x41 || code[1] > 0x5A) revert InvalidTerritory(code);
            codes[2 * i] = code[0];
            codes[2 * i + 1] = code[1];
        }
    }

    /// @dev An offer's deadline: not before now, at most MAX_OFFER_WINDOW ahead, not after the license's end.
    function _checkDeadline(uint64 deadline, uint64 end) internal view {
        uint256 latest = block.timestamp + MAX_OFFER_WINDOW;
        if (end != 0 && end < latest) latest = end;
        if (deadline < block.timestamp || deadline > latest) {
            revert InvalidOfferDeadline(deadline, block.timestamp, latest);
        }
    }

    /// @dev The caller is the licensor of `l` now; returns it.
    function _checkLicensor(uint256 licenseId, Record storage l) internal view returns (address licensor) {
        licensor = _licensorOf(l);
        if (licensor != msg.sender) revert NotLicensor(licenseId, msg.sender);
    }

    function _offer(uint256 licenseId) internal view returns (Record storage l) {
        l = _existing(licenseId);
        if (l.state != LicenseState.Offered) revert NotOffered(licenseId, l.state);
    }

    function _activeLicense(uint256 licenseId) internal view returns (Record storage l) {
        l = _existing(licenseId);
        if (!_isActiveLicense(l)) revert LicenseNotActive(licenseId);
    }

    function _existing(uint256 licenseId) internal view returns (Record storage l) {
        l = _licenses[licenseId];
        if (l.state == LicenseState.None) revert LicenseNotFound(licenseId);
    }

    /*//////////////////////////////////////////////////////////////
                             INTERNAL: READS
    //////////////////////////////////////////////////////////////*/

    /// @dev The EIP-712 struct hash of the licensee's acceptance of `licenseId` (signature deadline `deadline`).
    function _acceptanceHash(uint256 licenseId, Record storage l, uint256 deadline) internal view returns (bytes32) {
        return keccak256(abi.encode(ACCEPT_LICENSE_TYPEHASH, licenseId, l.licensee, l.termsHash, deadline));
    }

    /// @dev Accepted, live, and the right not ended.
    function _isActiveLicense(Record storage l) internal view returns (bool) {
        return l.state == LicenseState.Active && _isLive(l) && !registry.isEnded(l.rightId);
    }

    /// @dev Not expired, and every ancestor accepted and not terminated or surrendered. The state of `l`
    /// itself is the caller's to check. Ancestors' periods need no check: a sublicense ends no later than
    /// its parent. At most MAX_DEPTH - 1 steps.
    function _isLive(Record storage l) internal view returns (bool) {
        uint64 end = l.end;
        if (end != 0 && end < block.timestamp) return false;
        for (uint256 p = l.parentId; p != 0; p = _licenses[p].parentId) {
            if (_licenses[p].state != LicenseState.Active) return false;
        }
        return true;
    }

    /// @dev An open entry: a pending offer before its deadline, or an accepted license, and live. It may still be
    /// or become active (whatever the right's status, which all licenses of the right share and which may come
    /// back, e.g. Lapsed -> Restored); an entry that is not open never will be again.
    function _isOpen(Record storage l) internal view returns (bool) {
        LicenseState s = l.state;
        if (s == LicenseState.Offered) return block.timestamp <= l.deadline && _isLive(l);
        return s == LicenseState.Active && _isLive(l);
    }

    /// @dev Whether `party` is the licensee of an open sublicense of `parentId` (at most MAX_OPEN_PER_LICENSOR steps).
    function _isOpenLicenseeUnder(uint256 rightId, uint256 parentId, address party) internal view returns (bool) {
        uint64[] storage open = _open[rightId][parentId];
        uint256 n = open.length;
        for (uint256 i; i < n; ++i) {
            Record storage c = _licenses[open[i]];
            if (c.licensee == party && _isOpen(c)) return true;
        }
        return false;
    }

    /// @dev No active exclusive license directly under the source `parentId` (0: the holder's root position)
    /// touches the use unless `party` holds it, and then (with `lookThrough`) none directly under that one
    /// does either. At most MAX_OPEN_PER_LICENSOR entries, each looked through at most once.
    function _unexcluded(uint256 rightId, uint256 parentId, address party, Use memory u, bool lookThrough)
        internal
        view
        returns (bool)
    {
        uint64[] storage open = _open[rightId][parentId];
        uint256 n = open.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = open[i];
            Record storage e = _licenses[id];
            if (e.kind != LicenseKind.Exclusive || e.state != LicenseState.Active || !_touches(e, u) || !_isLive(e)) {
                continue;
            }
            if (e.licensee != party) return false;
            if (lookThrough && !_unexcluded(rightId, id, party, u, false)) return false;
        }
        return true;
    }

    /// @dev The first active license `party` holds on the right that covers the use and that no exclusive license
    /// of another party directly under it touches (0 if none). At most MAX_HELD_PER_PARTY licenses.
    function _coveringLicense(uint256 rightId, address party, Use memory u) internal view returns (uint256) {
        uint64[] storage held = _held[rightId][party];
        uint256 n = held.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = held[i];
            Record storage l = _licenses[id];
            if (l.state != LicenseState.Active || l.licensee != party || !_covers(l, u) || !_isLive(l)) continue;
            if (_unexcluded(rightId, id, party, u, true)) return id;
        }
        return 0;
    }

    /// @dev They overlap in time (closed periods, end 0 = open), field (equal, or either is 0) and territory
    /// (a shared code, or either is "WO"). `aMask` is the territory mask of `a`.
    function _overlaps(Record storage a, Record storage b, uint256[3] memory aMask) internal view returns (bool) {
        uint64 aEnd = a.end;
        uint64 bEnd = b.end;
        if ((aEnd != 0 && aEnd < b.start) || (bEnd != 0 && bEnd < a.start)) return false;
        bytes32 af = a.fieldHash;
        bytes32 bf = b.fieldHash;
        if (af != 0 && bf != 0 && af != bf) return false;
        if (_hasBit(aMask, _WORLDWIDE_BIT)) return true;
        bytes memory codes = b.territories;
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (code == _WORLDWIDE || _hasBit(aMask, _bitOf(code))) return true;
        }
        return false;
    }

    /// @dev The license covers the whole use: its period includes the moment (end 0 = open), its field is 0 or
    /// the one asked (a question for all fields needs 0), its territories include the one asked or "WO" (a
    /// question for "WO" needs "WO").
    function _covers(Record storage l, Use memory u) internal view returns (bool) {
        if (!_inForceAt(l, u.time)) return false;
        bytes32 f = l.fieldHash;
        if (f != 0 && f != u.fieldHash) return false;
        bytes memory codes = l.territories;
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (code == u.territory || code == _WORLDWIDE) return true;
        }
        return false;
    }

    /// @dev The license shares some part of the use: its period includes the moment, the fields are equal or
    /// either is 0, and a territory is the one asked or either is "WO".
    function _touches(Record storage l, Use memory u) internal view returns (bool) {
        if (!_inForceAt(l, u.time)) return false;
        bytes32 f = l.fieldHash;
        if (f != 0 && u.fieldHash != 0 && f != u.fieldHash) return false;
        if (u.territory == _WORLDWIDE) return true;
        bytes memory codes = l.territories;
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (code == u.territory || code == _WORLDWIDE) return true;
        }
        return false;
    }

    /// @dev The moment is within the license's closed period [start, end] (end 0 = open).
    function _inForceAt(Record storage l, uint64 time) internal view returns (bool) {
        uint64 end = l.end;
        return time >= l.start && (end == 0 || time <= end);
    }

    /// @dev The WIPO ST.27 key event code of a licence event and the national code of the right's office (IPRegistry
    /// holds both tables; three view calls).
    function _codes(uint256 rightId, IIPRegistry.LegalEvent kind) internal view returns (bytes3 key, bytes8 national) {
        bytes2 office = registry.rightOf(rightId).office;
        return (registry.keyEventCodeOf(kind), registry.nationalCodeOf(office, kind));
    }

    function _licensorOf(Record storage l) internal view returns (address) {
        uint256 parentId = l.parentId;
        if (parentId != 0) return _licenses[parentId].licensee;
        // The licensor is the holder whatever the right's status; callers check the status where it matters.
        // slither-disable-next-line unused-return
        (address holder,) = registry.holderAndStatus(l.rightId);
        return holder;
    }

    /*//////////////////////////////////////////////////////////////
                                 PRIVATE
    //////////////////////////////////////////////////////////////*/

    /// @dev The set of ST.3 codes as a 676-bit mask in three words; bit (c0 - 'A') * 26 + (c1 - 'A').
    function _maskOf(bytes memory codes) private pure returns (uint256[3] memory mask) {
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            uint256 bit = _bitOf(_codeAt(codes, i));
            mask[bit >> 8] |= uint256(1) << (bit & 0xff);
        }
    }

    function _bitOf(bytes2 code) private pure returns (uint256) {
        return (uint256(uint8(code[0])) - 0x41) * 26 + (uint256(uint8(code[1])) - 0x41);
    }

    function _hasBit(uint256[3] memory mask, uint256 bit) private pure returns (bool) {
        return mask[bit >> 8] & (uint256(1) << (bit & 0xff)) != 0;
    }

    /// @dev The i-th two-byte code of a packed list.
    function _codeAt(bytes memory codes, uint256 i) private pure returns (bytes2 code) {
        assembly ("memory-safe") {
            code := and(mload(add(add(codes, 0x20), shl(1, i))), shl(240, 0xffff))
        }
    }
}
