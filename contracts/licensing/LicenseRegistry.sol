// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ILicenseRegistry} from "../interfaces/ILicenseRegistry.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";

/// @title LicenseRegistry
/// @notice Licenses and sublicenses under the rights of an {IPRegistry}: offer, acceptance (also by
/// relayed EIP-712 signature), withdrawal, termination, surrender, transfer and exclusivity.
/// See {ILicenseRegistry} for the API and its bounds.
/// @dev Licensors are never stored: a root license's licensor is the current holder of the right
/// and a sublicense's is the current licensee of its parent, so licenses survive an assignment of
/// the right (and a transfer of the parent) with the new party as licensor. Ending is lazy: reads
/// walk the parent chain (at most `MAX_DEPTH` steps) and ask the registry whether the right ended.
contract LicenseRegistry is ILicenseRegistry, EIP712, Nonces {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Maximum depth of a license tree (a root license has depth 1).
    uint8 public constant MAX_DEPTH = 8;
    /// @notice Maximum live licenses and pending offers per right considered for exclusivity.
    uint256 public constant MAX_LICENSES_PER_RIGHT = 64;
    /// @notice Maximum territory codes per license.
    uint256 public constant MAX_TERRITORIES = 32;
    /// @notice Royalty ceiling: 100 % in basis points.
    uint16 public constant MAX_ROYALTY_BPS = 10_000;
    /// @notice EIP-712 type of a licensee's acceptance.
    bytes32 public constant ACCEPT_LICENSE_TYPEHASH =
        keccak256("AcceptLicense(uint256 licenseId,address licensee,uint256 nonce,uint256 deadline)");

    /// @dev ST.3 "WO" (worldwide) and its bit in a territory mask: ('W'-'A') * 26 + ('O'-'A').
    bytes2 private constant _WORLDWIDE = "WO";
    uint256 private constant _WORLDWIDE_BIT = 586;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One license in six slots: [licensee, start, kind, state, depth, sublicensable, transferable],
    /// [end, parentId, royaltyBps, index in the licensee's list], rightId, fieldHash, termsHash, and the
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
        uint64 partyIndex;
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
    mapping(uint256 rightId => uint64[]) private _rightLicenses;
    /// @dev Licenses and offers of a right that may still be or become active: the exclusivity scan.
    // Written through storage pointers (`live.push` in `_admit`, `_dropAt`), which slither does not follow.
    // slither-disable-next-line uninitialized-state
    mapping(uint256 rightId => uint64[]) private _live;
    mapping(address party => uint64[]) private _partyLicenses;
    mapping(uint256 licenseId => uint64[]) private _children;

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
        string calldata fieldLabel,
        string calldata termsURI
    ) external returns (uint256 licenseId) {
        _checkNotPaused();
        address holder = _checkRightLive(rightId);
        uint8 depth = parentId == 0 ? _checkHolder(rightId, holder) : _checkParent(rightId, parentId, terms);
        if (licensee == address(0) || licensee == msg.sender) revert InvalidAccount(licensee);
        bytes memory codes = _checkTerms(terms, fieldLabel);
        if (parentId != 0) _checkTerritoriesWithinParent(parentId, codes);

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
        l.rightId = rightId;
        l.fieldHash = terms.fieldHash;
        l.termsHash = terms.termsHash;
        l.territories = codes;
        _checkConflicts(licenseId, l);
        _admit(rightId, licenseId);
        _rightLicenses[rightId].push(uint64(licenseId));
        _addToParty(licensee, licenseId, l);
        if (parentId != 0) _children[parentId].push(uint64(licenseId));

        emit LicenseOffered(rightId, licenseId, licensee, parentId, msg.sender, terms, fieldLabel, termsURI);
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
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        bytes32 structHash =
            keccak256(abi.encode(ACCEPT_LICENSE_TYPEHASH, licenseId, licensee, _useNonce(licensee), deadline));
        // A failed recovery yields address(0), and a licensee is never zero (checked at the offer), so the
        // error code adds nothing: any failure is an InvalidSignature.
        // slither-disable-next-line unused-return
        (address recovered,,) = ECDSA.tryRecover(_hashTypedDataV4(structHash), signature);
        if (recovered != licensee) revert InvalidSignature(licensee, recovered);
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
        emit LicenseTerminated(l.rightId, licenseId, licensor, l.licensee);
    }

    /// @inheritdoc ILicenseRegistry
    function surrenderLicense(uint256 licenseId) external {
        _checkNotPaused();
        Record storage l = _activeLicense(licenseId);
        if (l.licensee != msg.sender) revert NotLicensee(licenseId, msg.sender);
        l.state = LicenseState.Surrendered;
        emit LicenseSurrendered(l.rightId, licenseId, msg.sender);
    }

    /// @inheritdoc ILicenseRegistry
    function transferLicense(uint256 licenseId, address to) external {
        _checkNotPaused();
        Record storage l = _activeLicense(licenseId);
        address from = l.licensee;
        if (from != msg.sender) revert NotLicensee(licenseId, msg.sender);
        if (!l.transferable) revert NotTransferable(licenseId);
        if (to == address(0) || to == from || to == _licensorOf(l)) revert InvalidAccount(to);
        _removeFromParty(from, l);
        l.licensee = to;
        _addToParty(to, licenseId, l);
        emit LicenseTransferred(l.rightId, licenseId, to, from);
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

        bool isHolder = party == holder;
        bool holderExcluded;
        (licenseId, holderExcluded) = _findCover(rightId, party, isHolder, Use(territory, fieldHash, time));
        if (licenseId != 0) return (true, licenseId);
        return (isHolder && !holderExcluded, 0);
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
            termsHash: l.termsHash
        });
    }

    /// @inheritdoc ILicenseRegistry
    function licensesOfRight(uint256 rightId) external view returns (uint256[] memory) {
        return _widen(_rightLicenses[rightId]);
    }

    /// @inheritdoc ILicenseRegistry
    function licensesOf(address party) external view returns (uint256[] memory) {
        return _widen(_partyLicenses[party]);
    }

    /// @inheritdoc ILicenseRegistry
    function childrenOf(uint256 licenseId) external view returns (uint256[] memory) {
        _existing(licenseId);
        return _widen(_children[licenseId]);
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

    /// @dev Accepts a pending offer: the right, the period, the parent and exclusivity are checked again.
    function _accept(uint256 licenseId, Record storage l, bool bySignature) internal {
        uint256 rightId = l.rightId;
        _checkRightLive(rightId);
        uint64 end = l.end;
        if (end != 0 && end < block.timestamp) revert OfferExpired(licenseId, end);
        // Not expired, so not live means an ancestor ended: the parent is no longer active.
        uint256 parentId = l.parentId;
        if (parentId != 0 && !_isLive(l)) revert LicenseNotActive(parentId);
        // Offers are already checked against pending offers, so this second scan guards the invariant
        // rather than catching a conflict the offer could not see.
        _checkConflicts(licenseId, l);
        l.state = LicenseState.Active;
        emit LicenseAccepted(rightId, licenseId, l.licensee, bySignature);
    }

    /// @dev Reverts with {LicenseConflict} if a live license or pending offer of the right conflicts with `l`:
    /// one of the two is exclusive or sole and they overlap (see {_overlaps}); `l` itself and its ancestors
    /// are exempt. Entries met that can never become active again are dropped from the list.
    function _checkConflicts(uint256 id, Record storage l) internal {
        uint64[] storage live = _live[l.rightId];
        bool exclusive = l.kind != LicenseKind.NonExclusive;
        uint256[3] memory mask = _maskOf(l.territories);
        uint256[] memory ancestors = _ancestorsOf(l);
        uint256 i;
        while (i < live.length) {
            uint256 other = live[i];
            Record storage o = _licenses[other];
            if (other == id || (!exclusive && o.kind == LicenseKind.NonExclusive)) {
                ++i; // two non-exclusive licenses never conflict
            } else if (!_isLiveOrPending(o)) {
                _dropAt(live, i);
            } else {
                if (_overlaps(l, o, mask) && !_contains(ancestors, other)) revert LicenseConflict(id, other);
                ++i;
            }
        }
    }

    /// @dev Appends an offer to the right's live list; when the list is full, first drops every entry that
    /// can never become active again, and reverts with {TooManyLicenses} if it is still full.
    function _admit(uint256 rightId, uint256 id) internal {
        uint64[] storage live = _live[rightId];
        if (live.length >= MAX_LICENSES_PER_RIGHT) {
            uint256 i;
            while (i < live.length) {
                if (_isLiveOrPending(_licenses[live[i]])) ++i;
                else _dropAt(live, i);
            }
            if (live.length >= MAX_LICENSES_PER_RIGHT) revert TooManyLicenses(rightId, MAX_LICENSES_PER_RIGHT);
        }
        live.push(uint64(id));
    }

    /// @dev Swap-and-pop: the order of the live list does not matter.
    function _dropAt(uint64[] storage list, uint256 i) internal {
        list[i] = list[list.length - 1];
        list.pop();
    }

    function _addToParty(address party, uint256 licenseId, Record storage l) internal {
        uint64[] storage list = _partyLicenses[party];
        l.partyIndex = uint64(list.length);
        list.push(uint64(licenseId));
    }

    function _removeFromParty(address party, Record storage l) internal {
        uint64[] storage list = _partyLicenses[party];
        uint64 index = l.partyIndex;
        uint64 last = list[list.length - 1];
        list[index] = last;
        _licenses[last].partyIndex = index;
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

    /// @dev Pending or accepted, and live: it may still be or become active (whatever the right's status,
    /// which all licenses of the right share and which may come back, e.g. Lapsed -> Restored).
    function _isLiveOrPending(Record storage l) internal view returns (bool) {
        LicenseState s = l.state;
        return (s == LicenseState.Offered || s == LicenseState.Active) && _isLive(l);
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

    /// @dev Territory (or WO), field (0 or equal) and period (inclusive; open end) cover the use.
    function _covers(Record storage l, Use memory u) internal view returns (bool) {
        if (u.time < l.start) return false;
        uint64 end = l.end;
        if (end != 0 && u.time > end) return false;
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

    /// @dev The first active license of `party` on the right covering the use, and whether an active
    /// Exclusive license of someone else covers it (which matters only when `party` is the holder).
    function _findCover(uint256 rightId, address party, bool isHolder, Use memory u)
        internal
        view
        returns (uint256 found, bool excluded)
    {
        uint64[] storage live = _live[rightId];
        for (uint256 i; i < live.length; ++i) {
            uint256 id = live[i];
            Record storage l = _licenses[id];
            if (l.state != LicenseState.Active) continue;
            bool own = l.licensee == party;
            if (!own && !(isHolder && l.kind == LicenseKind.Exclusive)) continue;
            if (!_covers(l, u) || !_isLive(l)) continue;
            if (own) return (id, excluded);
            excluded = true;
        }
    }

    function _licensorOf(Record storage l) internal view returns (address) {
        uint256 parentId = l.parentId;
        if (parentId != 0) return _licenses[parentId].licensee;
        // The licensor is the holder whatever the right's status; callers check the status where it matters.
        // slither-disable-next-line unused-return
        (address holder,) = registry.holderAndStatus(l.rightId);
        return holder;
    }

    function _ancestorsOf(Record storage l) internal view returns (uint256[] memory ids) {
        ids = new uint256[](l.depth - 1);
        uint256 p = l.parentId;
        for (uint256 i; p != 0; ++i) {
            ids[i] = p;
            p = _licenses[p].parentId;
        }
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

    function _contains(uint256[] memory ids, uint256 id) private pure returns (bool) {
        for (uint256 i; i < ids.length; ++i) {
            if (ids[i] == id) return true;
        }
        return false;
    }

    function _widen(uint64[] storage ids) private view returns (uint256[] memory out) {
        uint256 n = ids.length;
        out = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            out[i] = ids[i];
        }
    }
}
