// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {Governed} from "../governance/Governed.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {ILicenseRegistry} from "../interfaces/ILicenseRegistry.sol";
import {Lifecycle} from "../lib/Lifecycle.sol";
import {RevocableSignaturesUpgradeable} from "../registry/RevocableSignaturesUpgradeable.sol";
import {IdBags} from "./IdBags.sol";

/// @title LicenseRegistry
/// @notice Licenses and sublicenses under the rights of an {IPRegistry}: interned terms, offer (with a deadline),
/// acceptance (also by a relayed EIP-712 or ERC-1271 signature bound to the offer), a one-transaction grant with
/// the licensee's signature, withdrawal, termination, surrender, transfer and exclusivity. See {ILicenseRegistry}
/// for the API, the scope rules and the bounds. Behind a {RegisterProxy}; governed by its {RegisterAuthority}.
/// @dev Store what the rules read, emit the rest. A license is one slot (licensee, terms id, anchor, state, depth)
/// plus its deadline while it is an offer; its terms are interned once (kind, period, royalty, flags and up to five
/// territory codes in one slot, the field hash in a second, six or more codes in
/// `moreCodes`). The anchor of a root license is
/// the right's number in this register (its right id stored once per licensed right), of a sublicense its parent.
/// Licensors are never stored: a root license's licensor is the current holder of the right and a sublicense's the
/// current licensee of its parent, so licenses survive an assignment of the right (and a transfer of the parent).
/// Ending is lazy: reads walk the parent chain (at most `MAX_DEPTH` steps) and ask the registry once whether the
/// right ended. The bounded lists the rules read (the open entries of each licensor position, the licenses each
/// party holds on a right) are {IdBags}: 32-bit ids, their length in the first word.
contract LicenseRegistry is ILicenseRegistry, Governed, RevocableSignaturesUpgradeable {
    using IdBags for IdBags.Bag;

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
    /// @notice EIP-712 type of a licensee's acceptance: bound to the offer (id, licensee, terms id).
    bytes32 public constant ACCEPT_LICENSE_TYPEHASH =
        keccak256("AcceptLicense(uint256 licenseId,address licensee,uint256 termsId,uint256 deadline)");
    /// @notice EIP-712 type of a licensee's consent to a one-transaction grant: bound to the exact license and to
    /// the licensor position's grant sequence (spent by the grant).
    bytes32 public constant GRANT_LICENSE_TYPEHASH = keccak256(
        "GrantLicense(uint256 rightId,uint256 parentId,address licensee,uint256 termsId,uint256 sequence,uint256 deadline)"
    );

    /// @dev ST.3 "WO" (worldwide) and its bit in a territory mask: ('W'-'A') * 26 + ('O'-'A').
    bytes2 private constant _WORLDWIDE = "WO";
    uint256 private constant _WORLDWIDE_BIT = 586;
    /// @dev WIPO ST.27 key event codes of category S (IPRegistry's table; a test compares them).
    bytes3 private constant _S10_RECORDED = "S10";
    bytes3 private constant _S20_ENDED = "S20";
    /// @dev Territory codes kept in the first terms slot.
    uint256 private constant _INLINE_CODES = 5;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One license in one slot. `anchor`: the right's number (depth 1) or the parent license (depth > 1).
    struct Record {
        address licensee;
        uint32 termsId;
        uint32 anchor;
        LicenseState state;
        uint8 depth;
    }

    /// @dev Interned terms: slot 1 kind, period, royalty, flags, code count and up to five codes; slot 2 the field
    /// hash (0 = all fields, never written then); six codes or more in `moreCodes` instead (two bytes each).
    struct TermsData {
        LicenseKind kind;
        uint64 start;
        uint64 end;
        uint16 royaltyBps;
        bool sublicensable;
        bool transferable;
        uint8 territoryCount;
        bytes10 firstCodes;
        bytes32 fieldHash;
        bytes moreCodes;
    }

    /// @dev A license's scope in memory: what exclusivity and `isLicensed` compare.
    struct Scope {
        LicenseKind kind;
        uint64 start;
        uint64 end;
        bytes32 fieldHash;
        bytes codes;
    }

    /// @dev A use asked about by `isLicensed`.
    struct Use {
        bytes2 territory;
        bytes32 fieldHash;
        uint64 time;
    }

    /// @custom:storage-location erc7201:ipledger.storage.LicenseRegistry
    struct LicenseRegistryStorage {
        IIPRegistry registry;
        uint32 licenseCount;
        uint32 termsCount;
        uint32 rightCount;
        mapping(uint256 licenseId => Record) licenses;
        mapping(uint256 licenseId => uint64) deadlines;
        mapping(uint256 termsId => TermsData) terms;
        mapping(bytes32 contentHash => uint256 termsId) termsIds;
        mapping(uint256 rightNo => uint256 rightId) rightIds;
        /// @dev The holder's root position of each right (tag: the right's number; sequence: its grants).
        mapping(uint256 rightId => IdBags.Bag) rootOpen;
        /// @dev Each license as the position of its sublicenses (sequence: its grants).
        mapping(uint256 licenseId => IdBags.Bag) subOpen;
        /// @dev The accepted licenses of each party on each right: the sources `isLicensed` reads.
        mapping(uint256 rightId => mapping(address party => IdBags.Bag)) held;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.LicenseRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _LICENSES_STORAGE = 0x34fa191dfb4b6f22f61f0b8eb615fa9a3ae6e2ab1f4b4a6a75115f75611cfb00;

    function _s() private pure returns (LicenseRegistryStorage storage $) {
        assembly {
            $.slot := _LICENSES_STORAGE
        }
    }

    /*//////////////////////////////////////////////////////////////
                               INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets up the register behind its proxy (once).
    /// @param authority The {RegisterAuthority}.
    /// @param registry_ The register of rights.
    function initialize(address authority, address registry_) external initializer {
        if (registry_ == address(0)) revert InvalidAccount(registry_);
        __Governed_init(authority);
        __RevocableSignatures_init("IP Ledger Licenses", "1");
        _s().registry = IIPRegistry(registry_);
    }

    /// @dev The EIP-712 name as a constant (the same string `initialize` records): no storage read per signature.
    function _EIP712Name() internal pure override returns (string memory) {
        return "IP Ledger Licenses";
    }

    /// @dev The EIP-712 version as a constant (as recorded by `initialize`).
    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    /*//////////////////////////////////////////////////////////////
                                LIFECYCLE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILicenseRegistry
    function registerTerms(Terms calldata terms, string calldata fieldLabel, string calldata termsURI)
        external
        whenNotPaused
        returns (uint256 termsId)
    {
        return _intern(terms, fieldLabel, termsURI);
    }

    /// @inheritdoc ILicenseRegistry
    function offerLicense(uint256 rightId, uint256 parentId, address licensee, uint256 termsId, uint64 deadline)
        external
        whenNotPaused
        returns (uint256 licenseId)
    {
        return _offer(rightId, parentId, licensee, termsId, deadline);
    }

    /// @inheritdoc ILicenseRegistry
    function offerLicenseWithTerms(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        Terms calldata terms,
        uint64 deadline,
        string calldata fieldLabel,
        string calldata termsURI
    ) external whenNotPaused returns (uint256 licenseId) {
        return _offer(rightId, parentId, licensee, _intern(terms, fieldLabel, termsURI), deadline);
    }

    /// @inheritdoc ILicenseRegistry
    function grantLicenseBySig(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        uint256 termsId,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (uint256 licenseId) {
        bytes2 office = _checkNewLicense(rightId, parentId, licensee, termsId);
        IdBags.Bag storage pos = _position(rightId, parentId);
        bytes32 structHash = keccak256(
            abi.encode(GRANT_LICENSE_TYPEHASH, rightId, parentId, licensee, termsId, pos.sequence(), deadline)
        );
        _checkSignature(licensee, structHash, deadline, signature);
        pos.bumpSequence();
        licenseId = _create(rightId, parentId, licensee, termsId, LicenseState.Active);
        _admit(pos, rightId, parentId, licenseId, _checkConflicts(licenseId, pos));
        _hold(rightId, licensee, licenseId);
        emit LicenseGranted(
            rightId,
            licenseId,
            licensee,
            parentId,
            msg.sender,
            termsId,
            _S10_RECORDED,
            _national(office, IIPRegistry.LegalEvent.LicenceRecorded)
        );
    }

    /// @inheritdoc ILicenseRegistry
    function acceptLicense(uint256 licenseId) external whenNotPaused {
        Record storage r = _offered(licenseId);
        if (r.licensee != msg.sender) revert NotLicensee(licenseId, msg.sender);
        _accept(licenseId, r, false);
    }

    /// @inheritdoc ILicenseRegistry
    function acceptLicenseBySig(uint256 licenseId, uint256 deadline, bytes calldata signature)
        external
        whenNotPaused
    {
        Record storage r = _offered(licenseId);
        _checkSignature(r.licensee, _acceptanceHash(licenseId, r, deadline), deadline, signature);
        _accept(licenseId, r, true);
    }

    /// @inheritdoc ILicenseRegistry
    function withdrawOffer(uint256 licenseId) external whenNotPaused {
        Record storage r = _offered(licenseId);
        uint256 rightId = _rightIdOf(licenseId);
        (address holder,,) = _rightState(rightId);
        address licensor = _licensorOf(r, holder);
        if (licensor != msg.sender) revert NotLicensor(licenseId, msg.sender);
        r.state = LicenseState.Withdrawn;
        emit OfferWithdrawn(rightId, licenseId, licensor);
    }

    /// @inheritdoc ILicenseRegistry
    function terminateLicense(uint256 licenseId) external whenNotPaused {
        Record storage r = _existing(licenseId);
        (uint256 rightId, address holder, bytes2 office) = _checkActive(licenseId, r);
        address licensor = _licensorOf(r, holder);
        if (licensor != msg.sender) revert NotLicensor(licenseId, msg.sender);
        r.state = LicenseState.Terminated;
        address licensee = r.licensee;
        _unhold(rightId, licensee, licenseId);
        emit LicenseTerminated(
            rightId, licenseId, licensor, licensee, _S20_ENDED, _national(office, IIPRegistry.LegalEvent.LicenceEnded)
        );
    }

    /// @inheritdoc ILicenseRegistry
    function surrenderLicense(uint256 licenseId) external whenNotPaused {
        Record storage r = _existing(licenseId);
        (uint256 rightId,, bytes2 office) = _checkActive(licenseId, r);
        if (r.licensee != msg.sender) revert NotLicensee(licenseId, msg.sender);
        r.state = LicenseState.Surrendered;
        _unhold(rightId, msg.sender, licenseId);
        emit LicenseSurrendered(
            rightId, licenseId, msg.sender, _S20_ENDED, _national(office, IIPRegistry.LegalEvent.LicenceEnded)
        );
    }

    /// @inheritdoc ILicenseRegistry
    function transferLicense(uint256 licenseId, address to) external whenNotPaused {
        Record storage r = _existing(licenseId);
        (uint256 rightId, address holder,) = _checkActive(licenseId, r);
        address from = r.licensee;
        if (from != msg.sender) revert NotLicensee(licenseId, msg.sender);
        if (!_s().terms[r.termsId].transferable) revert NotTransferable(licenseId);
        if (to == address(0) || to == from || to == _licensorOf(r, holder) || _isOpenLicenseeUnder(licenseId, to)) {
            revert InvalidAccount(to);
        }
        _unhold(rightId, from, licenseId);
        r.licensee = to;
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
        (address holder, IIPRegistry.Status status,) = _rightState(rightId);
        if (status == IIPRegistry.Status.None || Lifecycle.isEnded(status)) return (false, 0);
        uint40 expiry = _s().registry.rightOf(rightId).expiryDate;
        if (expiry != 0 && time > expiry) return (false, 0);

        Use memory u = Use(territory, fieldHash, time);
        licenseId = _coveringLicense(rightId, party, u);
        if (licenseId != 0) return (true, licenseId);
        return (party == holder && _unexcluded(_s().rootOpen[rightId], party, u, true), 0);
    }

    /// @inheritdoc ILicenseRegistry
    function isLicenseActive(uint256 licenseId) public view returns (bool) {
        Record storage r = _s().licenses[licenseId];
        if (r.state != LicenseState.Active || !_isLive(licenseId)) return false;
        (, IIPRegistry.Status status,) = _rightState(_rightIdOf(licenseId));
        return !Lifecycle.isEnded(status);
    }

    /// @inheritdoc ILicenseRegistry
    function licenseOf(uint256 licenseId) external view returns (License memory l) {
        Record storage r = _existing(licenseId);
        TermsData storage t = _s().terms[r.termsId];
        uint256 rightId = _rightIdOf(licenseId);
        (address holder,,) = _rightState(rightId);
        l.rightId = rightId;
        l.parentId = _parentOf(r);
        l.licensor = _licensorOf(r, holder);
        l.licensee = r.licensee;
        l.kind = t.kind;
        l.state = r.state;
        l.active = isLicenseActive(licenseId);
        l.depth = r.depth;
        l.territories = _territoriesOf(t);
        l.fieldHash = t.fieldHash;
        l.start = t.start;
        l.end = t.end;
        l.royaltyBps = t.royaltyBps;
        l.sublicensable = t.sublicensable;
        l.transferable = t.transferable;
        l.termsId = r.termsId;
        l.deadline = _s().deadlines[licenseId];
    }

    /// @inheritdoc ILicenseRegistry
    function termsIdOf(bytes32 contentHash) external view returns (uint256) {
        return _s().termsIds[contentHash];
    }

    /// @inheritdoc ILicenseRegistry
    function termsCount() external view returns (uint256) {
        return _s().termsCount;
    }

    /// @inheritdoc ILicenseRegistry
    function openLicensesOf(uint256 rightId, uint256 parentId) external view returns (uint256[] memory ids) {
        IdBags.Bag storage open = _position(rightId, parentId);
        if (parentId != 0 && _rightIdOf(parentId) != rightId) return ids;
        uint256 n = open.length();
        ids = new uint256[](n);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            uint256 id = open.at(i);
            if (_isOpen(id)) ids[k++] = id;
        }
        assembly ("memory-safe") {
            mstore(ids, k)
        }
    }

    /// @inheritdoc ILicenseRegistry
    function licensesHeldBy(uint256 rightId, address party) external view returns (uint256[] memory ids) {
        IdBags.Bag storage held = _s().held[rightId][party];
        (, IIPRegistry.Status status,) = _rightState(rightId);
        uint256 n = Lifecycle.isEnded(status) ? 0 : held.length(); // no license is active on an ended right
        ids = new uint256[](n);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            uint256 id = held.at(i);
            if (_isHeldBy(id, party)) ids[k++] = id;
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
    function grantSequenceOf(uint256 rightId, uint256 parentId) external view returns (uint256) {
        return _position(rightId, parentId).sequence();
    }

    /// @inheritdoc ILicenseRegistry
    function getParentLicenseId(uint256 licenseId) external view returns (uint256) {
        return _parentOf(_existing(licenseId));
    }

    /// @inheritdoc ILicenseRegistry
    function getLicenseRevoker(uint256 licenseId) external view returns (address) {
        Record storage r = _existing(licenseId);
        (address holder,,) = _rightState(_rightIdOf(licenseId));
        return _licensorOf(r, holder);
    }

    /// @inheritdoc ILicenseRegistry
    function licenseCount() external view returns (uint256) {
        return _s().licenseCount;
    }

    /// @inheritdoc ILicenseRegistry
    function registry() external view returns (IIPRegistry) {
        return _s().registry;
    }

    /*//////////////////////////////////////////////////////////////
                           INTERNAL: LIFECYCLE
    //////////////////////////////////////////////////////////////*/

    /// @dev The id of the terms and URI, interning them (validated, stored, {TermsRegistered}) the first time.
    function _intern(Terms calldata t, string calldata fieldLabel, string calldata termsURI)
        internal
        returns (uint256 termsId)
    {
        LicenseRegistryStorage storage $ = _s();
        bytes32 key = keccak256(abi.encode(t, termsURI));
        termsId = $.termsIds[key];
        if (termsId != 0) return termsId;
        bytes memory codes = _checkTerms(t, fieldLabel);
        termsId = ++$.termsCount;
        $.termsIds[key] = termsId;
        TermsData storage d = $.terms[termsId];
        d.kind = t.kind;
        d.start = t.start;
        d.end = t.end;
        d.royaltyBps = t.royaltyBps;
        d.sublicensable = t.sublicensable;
        d.transferable = t.transferable;
        uint256 n = codes.length / 2;
        d.territoryCount = uint8(n);
        if (n <= _INLINE_CODES) {
            bytes32 word;
            assembly ("memory-safe") {
                word := mload(add(codes, 0x20))
            }
            d.firstCodes = bytes10(word); // new bytes are zeroed: nothing after the codes
        }
        if (t.fieldHash != 0) d.fieldHash = t.fieldHash;
        if (n > _INLINE_CODES) d.moreCodes = codes;
        emit TermsRegistered(termsId, key, t, fieldLabel, termsURI);
    }

    /// @dev Checks and stores a new offer (see {offerLicense}) and admits it to its licensor position.
    function _offer(uint256 rightId, uint256 parentId, address licensee, uint256 termsId, uint64 deadline)
        internal
        returns (uint256 licenseId)
    {
        _checkNewLicense(rightId, parentId, licensee, termsId);
        _checkDeadline(deadline, _s().terms[termsId].end);
        licenseId = _create(rightId, parentId, licensee, termsId, LicenseState.Offered);
        _s().deadlines[licenseId] = deadline;
        IdBags.Bag storage pos = _position(rightId, parentId);
        _admit(pos, rightId, parentId, licenseId, _checkConflicts(licenseId, pos));
        emit LicenseOffered(rightId, licenseId, licensee, parentId, msg.sender, termsId, deadline);
    }

    /// @dev A new license record (ids and anchors are 32-bit: the checked counter reverts past 2**32 - 1).
    function _create(uint256 rightId, uint256 parentId, address licensee, uint256 termsId, LicenseState state)
        internal
        returns (uint256 licenseId)
    {
        LicenseRegistryStorage storage $ = _s();
        licenseId = ++$.licenseCount;
        Record storage r = $.licenses[licenseId];
        r.licensee = licensee;
        r.termsId = uint32(termsId); // checked by _storedTerms: at most termsCount
        r.state = state;
        if (parentId == 0) {
            r.anchor = _rightNumber(rightId);
            r.depth = 1;
        } else {
            r.anchor = uint32(parentId); // an existing license: at most licenseCount
            r.depth = $.licenses[parentId].depth + 1;
        }
    }

    /// @dev The right's number in this register, given on its first license (the tag of its root position).
    function _rightNumber(uint256 rightId) internal returns (uint32 no) {
        LicenseRegistryStorage storage $ = _s();
        IdBags.Bag storage root = $.rootOpen[rightId];
        no = uint32(root.tag());
        if (no == 0) {
            no = SafeCast.toUint32(uint256($.rightCount) + 1);
            $.rightCount = no;
            root.setTag(no);
            $.rightIds[no] = rightId;
        }
    }

    /// @dev Accepts a pending offer: the right, the deadline and the parent are checked again, and the license joins
    /// the licensee's held list.
    function _accept(uint256 licenseId, Record storage r, bool bySignature) internal {
        uint256 rightId = _rightIdOf(licenseId);
        bytes2 office = _checkRightLive(rightId);
        uint64 deadline = _s().deadlines[licenseId];
        if (block.timestamp > deadline) revert OfferExpired(licenseId, deadline, block.timestamp);
        // Before the deadline, so before the end: not live means an ancestor ended.
        uint256 parentId = _parentOf(r);
        if (parentId != 0 && !_isLive(licenseId)) revert LicenseNotActive(parentId);
        // No exclusivity scan: every open entry of a position was checked against every other one when it was
        // admitted, terms never change, and an entry that stops being open never opens again (tests/invariants
        // checks exclusivity from chain reads alone).
        r.state = LicenseState.Active;
        address licensee = r.licensee;
        _hold(rightId, licensee, licenseId);
        emit LicenseAccepted(
            rightId,
            licenseId,
            licensee,
            bySignature,
            _S10_RECORDED,
            _national(office, IIPRegistry.LegalEvent.LicenceRecorded)
        );
    }

    /// @dev Reverts with {LicenseConflict} if an open sibling conflicts with license `id`: one of the two is
    /// exclusive or sole and they overlap (see {_overlaps}); returns whether `id` is exclusive or sole. A
    /// non-exclusive license skips the scan when the position holds no exclusive or sole entry (the bag's marked
    /// count, kept exact on push and removal). Entries met that can never become active again are dropped. At most
    /// MAX_OPEN_PER_LICENSOR steps.
    function _checkConflicts(uint256 id, IdBags.Bag storage open) internal returns (bool exclusive) {
        LicenseRegistryStorage storage $ = _s();
        uint256 termsId = $.licenses[id].termsId;
        exclusive = $.terms[termsId].kind != LicenseKind.NonExclusive;
        if (!exclusive && open.marked() == 0) return false; // no exclusive or sole sibling: nothing to compare
        Scope memory s = _scope(termsId);
        uint256[3] memory mask = _maskOf(s.codes);
        uint256 i;
        while (i < open.length()) {
            uint256 other = open.at(i);
            uint256 otherTerms = $.licenses[other].termsId;
            bool otherExclusive = $.terms[otherTerms].kind != LicenseKind.NonExclusive;
            if (other == id || (!exclusive && !otherExclusive)) {
                ++i; // two non-exclusive licenses never conflict
            } else if (!_isOpen(other)) {
                open.removeAt(i, otherExclusive);
            } else {
                if (_overlaps(s, mask, _scope(otherTerms))) revert LicenseConflict(id, other);
                ++i;
            }
        }
    }

    /// @dev Appends a license (`exclusive`: exclusive or sole, the bag's marked entries) to its licensor position;
    /// when the position is full, first drops every entry that can never become active again, and reverts with
    /// {TooManyLicenses} if it is still full.
    function _admit(IdBags.Bag storage open, uint256 rightId, uint256 parentId, uint256 id, bool exclusive)
        internal
    {
        if (open.length() >= MAX_OPEN_PER_LICENSOR) {
            uint256 i;
            while (i < open.length()) {
                uint256 other = open.at(i);
                if (_isOpen(other)) ++i;
                else open.removeAt(i, _s().terms[_s().licenses[other].termsId].kind != LicenseKind.NonExclusive);
            }
            if (open.length() >= MAX_OPEN_PER_LICENSOR) {
                revert TooManyLicenses(rightId, parentId, MAX_OPEN_PER_LICENSOR);
            }
        }
        open.push(id, exclusive);
    }

    /// @dev Adds an accepted license to its licensee's held list; when the list is full, first drops the licenses
    /// that can never be active again, and reverts with {TooManyLicensesHeld} if it is still full.
    function _hold(uint256 rightId, address party, uint256 id) internal {
        IdBags.Bag storage held = _s().held[rightId][party];
        if (held.length() >= MAX_HELD_PER_PARTY) {
            uint256 i;
            while (i < held.length()) {
                if (_isHeldBy(held.at(i), party)) ++i;
                else held.removeAt(i, false);
            }
            if (held.length() >= MAX_HELD_PER_PARTY) revert TooManyLicensesHeld(rightId, party, MAX_HELD_PER_PARTY);
        }
        held.push(id, false);
    }

    /// @dev Removes a license from a party's held list if it is there (at most MAX_HELD_PER_PARTY steps).
    function _unhold(uint256 rightId, address party, uint256 id) internal {
        IdBags.Bag storage held = _s().held[rightId][party];
        uint256 n = held.length();
        for (uint256 i; i < n; ++i) {
            if (held.at(i) == id) {
                held.removeAt(i, false);
                return;
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                            INTERNAL: CHECKS
    //////////////////////////////////////////////////////////////*/

    /// @dev The checks of a new license (offer or grant): the right is live, the caller is the licensor of the
    /// position, the licensee is another party, the terms exist, have not ended and stay within the parent.
    /// Returns the right's office.
    function _checkNewLicense(uint256 rightId, uint256 parentId, address licensee, uint256 termsId)
        internal
        view
        returns (bytes2 office)
    {
        address holder;
        (holder, office) = _checkRightLiveHolder(rightId);
        TermsData storage t = _storedTerms(termsId);
        if (parentId == 0) {
            if (holder != msg.sender) revert NotHolder(rightId, msg.sender);
        } else {
            _checkParent(rightId, parentId, t);
        }
        if (licensee == address(0) || licensee == msg.sender) revert InvalidAccount(licensee);
        uint64 end = t.end;
        if (end != 0 && end < block.timestamp) revert InvalidPeriod(t.start, end);
    }

    /// @dev A sublicense is offered by the licensee of an active sublicensable parent of the same right, within the
    /// parent's kind, territories, field and period.
    function _checkParent(uint256 rightId, uint256 parentId, TermsData storage t) internal view {
        LicenseRegistryStorage storage $ = _s();
        Record storage p = _existing(parentId);
        uint256 parentRight = _rightIdOf(parentId);
        if (parentRight != rightId) revert ParentOfOtherRight(parentId, parentRight, rightId);
        if (p.state != LicenseState.Active || !_isLive(parentId)) revert LicenseNotActive(parentId);
        if (p.licensee != msg.sender) revert NotLicensee(parentId, msg.sender);
        TermsData storage pt = $.terms[p.termsId];
        if (!pt.sublicensable) revert NotSublicensable(parentId);
        if (p.depth >= MAX_DEPTH) revert TreeTooDeep(parentId, MAX_DEPTH);
        if (t.kind < pt.kind) revert ExceedsParentKind(parentId, pt.kind, t.kind);
        bytes32 pField = pt.fieldHash;
        if (pField != 0 && pField != t.fieldHash) revert ExceedsParentField(parentId, pField, t.fieldHash);
        uint64 pEnd = pt.end;
        uint64 end = t.end;
        if (t.start < pt.start || (pEnd != 0 && (end == 0 || end > pEnd))) {
            revert ExceedsParentPeriod(parentId, pt.start, pEnd, t.start, end);
        }
        _checkTerritoriesWithinParent(parentId, _codesOf(pt), _codesOf(t));
    }

    /// @dev Every territory of a sublicense is one of its parent's, unless the parent is worldwide.
    function _checkTerritoriesWithinParent(uint256 parentId, bytes memory parentCodes, bytes memory codes)
        internal
        pure
    {
        uint256[3] memory parentMask = _maskOf(parentCodes);
        if (_hasBit(parentMask, _WORLDWIDE_BIT)) return;
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (!_hasBit(parentMask, _bitOf(code))) revert ExceedsParentTerritory(parentId, code);
        }
    }

    /// @dev Validates terms and returns the territory codes packed two bytes each.
    function _checkTerms(Terms calldata t, string calldata fieldLabel) internal pure returns (bytes memory codes) {
        if (t.royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(t.royaltyBps);
        if (t.end != 0 && t.end <= t.start) revert InvalidPeriod(t.start, t.end);
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

    /// @dev The right exists and has not ended; returns its office.
    function _checkRightLive(uint256 rightId) internal view returns (bytes2 office) {
        (, office) = _checkRightLiveHolder(rightId);
    }

    /// @dev The right exists and has not ended; returns its holder and office (one registry call).
    function _checkRightLiveHolder(uint256 rightId) internal view returns (address holder, bytes2 office) {
        IIPRegistry.Status status;
        (holder, status, office) = _rightState(rightId);
        if (status == IIPRegistry.Status.None) revert RightNotFound(rightId);
        if (Lifecycle.isEnded(status)) revert RightEnded(rightId, status);
    }

    /// @dev The license is active (accepted, live, its right not ended); returns its right, the right's holder and
    /// office (one registry call).
    function _checkActive(uint256 licenseId, Record storage r)
        internal
        view
        returns (uint256 rightId, address holder, bytes2 office)
    {
        rightId = _rightIdOf(licenseId);
        IIPRegistry.Status status;
        (holder, status, office) = _rightState(rightId);
        if (r.state != LicenseState.Active || !_isLive(licenseId) || Lifecycle.isEnded(status)) {
            revert LicenseNotActive(licenseId);
        }
    }

    function _offered(uint256 licenseId) internal view returns (Record storage r) {
        r = _existing(licenseId);
        if (r.state != LicenseState.Offered) revert NotOffered(licenseId, r.state);
    }

    function _existing(uint256 licenseId) internal view returns (Record storage r) {
        r = _s().licenses[licenseId];
        if (r.state == LicenseState.None) revert LicenseNotFound(licenseId);
    }

    function _storedTerms(uint256 termsId) internal view returns (TermsData storage t) {
        if (termsId == 0 || termsId > _s().termsCount) revert TermsNotFound(termsId);
        t = _s().terms[termsId];
    }

    /*//////////////////////////////////////////////////////////////
                             INTERNAL: READS
    //////////////////////////////////////////////////////////////*/

    /// @dev The registry's holder, status and office of a right, in one call.
    function _rightState(uint256 rightId)
        internal
        view
        returns (address holder, IIPRegistry.Status status, bytes2 office)
    {
        return _s().registry.holderStatusOffice(rightId);
    }

    /// @dev The office's national code of a licence event (the registry's table).
    function _national(bytes2 office, IIPRegistry.LegalEvent kind) internal view returns (bytes8) {
        return _s().registry.nationalCodeOf(office, kind);
    }

    /// @dev The licensor position of a right (parent 0) or of a license.
    function _position(uint256 rightId, uint256 parentId) internal view returns (IdBags.Bag storage) {
        return parentId == 0 ? _s().rootOpen[rightId] : _s().subOpen[parentId];
    }

    /// @dev The EIP-712 struct hash of the licensee's acceptance of `licenseId` (signature deadline `deadline`).
    function _acceptanceHash(uint256 licenseId, Record storage r, uint256 deadline) internal view returns (bytes32) {
        return keccak256(abi.encode(ACCEPT_LICENSE_TYPEHASH, licenseId, r.licensee, uint256(r.termsId), deadline));
    }

    /// @dev The right of a license: its root's anchor (at most MAX_DEPTH - 1 steps up); 0 for no license.
    function _rightIdOf(uint256 licenseId) internal view returns (uint256) {
        LicenseRegistryStorage storage $ = _s();
        Record storage r = $.licenses[licenseId];
        while (r.depth > 1) r = $.licenses[r.anchor];
        return r.depth == 0 ? 0 : $.rightIds[r.anchor];
    }

    function _parentOf(Record storage r) internal view returns (uint256) {
        return r.depth > 1 ? r.anchor : 0;
    }

    /// @dev The licensor of a license now: the holder of its right (root) or its parent's licensee.
    function _licensorOf(Record storage r, address holder) internal view returns (address) {
        return r.depth > 1 ? _s().licenses[r.anchor].licensee : holder;
    }

    /// @dev Not expired, and every ancestor accepted and not terminated or surrendered. The state of the license
    /// itself is the caller's to check. Ancestors' periods need no check: a sublicense ends no later than its
    /// parent. At most MAX_DEPTH - 1 steps.
    function _isLive(uint256 licenseId) internal view returns (bool) {
        LicenseRegistryStorage storage $ = _s();
        Record storage r = $.licenses[licenseId];
        uint64 end = $.terms[r.termsId].end;
        if (end != 0 && end < block.timestamp) return false;
        while (r.depth > 1) {
            r = $.licenses[r.anchor];
            if (r.state != LicenseState.Active) return false;
        }
        return true;
    }

    /// @dev An open entry: a pending offer before its deadline, or an accepted license, and live. It may still be or
    /// become active (whatever the right's status, which all licenses of the right share and which may come back,
    /// e.g. Lapsed -> Restored); an entry that is not open never will be again.
    function _isOpen(uint256 id) internal view returns (bool) {
        LicenseState s = _s().licenses[id].state;
        if (s == LicenseState.Offered) return block.timestamp <= _s().deadlines[id] && _isLive(id);
        return s == LicenseState.Active && _isLive(id);
    }

    /// @dev `party` holds license `id` now (accepted, its licensee, live).
    function _isHeldBy(uint256 id, address party) internal view returns (bool) {
        Record storage r = _s().licenses[id];
        return r.state == LicenseState.Active && r.licensee == party && _isLive(id);
    }

    /// @dev Whether `party` is the licensee of an open sublicense of `parentId` (at most MAX_OPEN_PER_LICENSOR steps).
    function _isOpenLicenseeUnder(uint256 parentId, address party) internal view returns (bool) {
        IdBags.Bag storage open = _s().subOpen[parentId];
        uint256 n = open.length();
        for (uint256 i; i < n; ++i) {
            uint256 id = open.at(i);
            if (_s().licenses[id].licensee == party && _isOpen(id)) return true;
        }
        return false;
    }

    /// @dev No active exclusive license directly under the position `open` touches the use unless `party` holds it,
    /// and then (with `lookThrough`) none directly under that one does either. At most MAX_OPEN_PER_LICENSOR entries,
    /// each looked through at most once.
    function _unexcluded(IdBags.Bag storage open, address party, Use memory u, bool lookThrough)
        internal
        view
        returns (bool)
    {
        LicenseRegistryStorage storage $ = _s();
        uint256 n = open.length();
        for (uint256 i; i < n; ++i) {
            uint256 id = open.at(i);
            Record storage e = $.licenses[id];
            if (e.state != LicenseState.Active || $.terms[e.termsId].kind != LicenseKind.Exclusive) continue;
            if (!_touches(_scope(e.termsId), u) || !_isLive(id)) continue;
            if (e.licensee != party) return false;
            if (lookThrough && !_unexcluded($.subOpen[id], party, u, false)) return false;
        }
        return true;
    }

    /// @dev The first active license `party` holds on the right that covers the use and that no exclusive license of
    /// another party directly under it touches (0 if none). At most MAX_HELD_PER_PARTY licenses.
    function _coveringLicense(uint256 rightId, address party, Use memory u) internal view returns (uint256) {
        LicenseRegistryStorage storage $ = _s();
        IdBags.Bag storage held = $.held[rightId][party];
        uint256 n = held.length();
        for (uint256 i; i < n; ++i) {
            uint256 id = held.at(i);
            if (!_isHeldBy(id, party) || !_covers(_scope($.licenses[id].termsId), u)) continue;
            if (_unexcluded($.subOpen[id], party, u, true)) return id;
        }
        return 0;
    }

    /// @dev The scope of interned terms, in memory.
    function _scope(uint256 termsId) internal view returns (Scope memory s) {
        TermsData storage t = _s().terms[termsId];
        s.kind = t.kind;
        s.start = t.start;
        s.end = t.end;
        s.fieldHash = t.fieldHash;
        s.codes = _codesOf(t);
    }

    /// @dev The territory codes of interned terms, packed two bytes each.
    function _codesOf(TermsData storage t) internal view returns (bytes memory codes) {
        uint256 n = t.territoryCount;
        if (n > _INLINE_CODES) return t.moreCodes;
        bytes10 first = t.firstCodes;
        codes = new bytes(2 * n);
        assembly ("memory-safe") {
            mstore(add(codes, 0x20), first)
        }
    }

    /// @dev The territory codes of interned terms as a list.
    function _territoriesOf(TermsData storage t) internal view returns (bytes2[] memory territories) {
        bytes memory codes = _codesOf(t);
        uint256 n = codes.length / 2;
        territories = new bytes2[](n);
        for (uint256 i; i < n; ++i) {
            territories[i] = _codeAt(codes, i);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 PRIVATE
    //////////////////////////////////////////////////////////////*/

    /// @dev They overlap in time (closed periods, end 0 = open), field (equal, or either is 0) and territory (a shared
    /// code, or either is "WO"). `aMask` is the territory mask of `a`.
    function _overlaps(Scope memory a, uint256[3] memory aMask, Scope memory b) private pure returns (bool) {
        if ((a.end != 0 && a.end < b.start) || (b.end != 0 && b.end < a.start)) return false;
        if (a.fieldHash != 0 && b.fieldHash != 0 && a.fieldHash != b.fieldHash) return false;
        if (_hasBit(aMask, _WORLDWIDE_BIT)) return true;
        bytes memory codes = b.codes;
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (code == _WORLDWIDE || _hasBit(aMask, _bitOf(code))) return true;
        }
        return false;
    }

    /// @dev The license covers the whole use: its period includes the moment (end 0 = open), its field is 0 or the one
    /// asked (a question for all fields needs 0), its territories include the one asked or "WO" (a question for "WO"
    /// needs "WO").
    function _covers(Scope memory l, Use memory u) private pure returns (bool) {
        if (!_inForceAt(l, u.time)) return false;
        if (l.fieldHash != 0 && l.fieldHash != u.fieldHash) return false;
        return _hasCode(l.codes, u.territory);
    }

    /// @dev The license shares some part of the use: its period includes the moment, the fields are equal or either
    /// is 0, and a territory is the one asked or either is "WO".
    function _touches(Scope memory l, Use memory u) private pure returns (bool) {
        if (!_inForceAt(l, u.time)) return false;
        if (l.fieldHash != 0 && u.fieldHash != 0 && l.fieldHash != u.fieldHash) return false;
        return u.territory == _WORLDWIDE || _hasCode(l.codes, u.territory);
    }

    /// @dev The codes include `territory` or "WO".
    function _hasCode(bytes memory codes, bytes2 territory) private pure returns (bool) {
        uint256 n = codes.length / 2;
        for (uint256 i; i < n; ++i) {
            bytes2 code = _codeAt(codes, i);
            if (code == territory || code == _WORLDWIDE) return true;
        }
        return false;
    }

    /// @dev The moment is within the closed period [start, end] (end 0 = open).
    function _inForceAt(Scope memory l, uint64 time) private pure returns (bool) {
        return time >= l.start && (l.end == 0 || time <= l.end);
    }

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
