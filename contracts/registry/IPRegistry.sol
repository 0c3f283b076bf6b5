// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC165} from "@openzeppelin/contracts/interfaces/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/interfaces/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {Governed} from "../governance/Governed.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {Lifecycle} from "../lib/Lifecycle.sol";
import {TitleMetadataRenderer} from "../periphery/TitleMetadataRenderer.sol";
import {IPRegistryBase} from "./IPRegistryBase.sol";
import {IPRegistryExtension} from "./IPRegistryExtension.sol";
import {RevocableSignaturesUpgradeable} from "./RevocableSignaturesUpgradeable.sol";

/// @title IPRegistry
/// @notice The shared register of IP rights: offices, filings, legal status, anchors, recorded assignments.
/// Each right is an ERC-721 title token kept in the right's own record (one slot at filing: holder, office,
/// type, status, filing date, assignment sequence, pledge count); everything only readers need is in events.
/// Security interests live in {SecurityInterests}, which keeps each right's pledge count here, so the register
/// asks it only about a pledged right. See {IIPRegistry} for the API.
/// @dev Behind a {RegisterProxy} (UUPS), governed by the {RegisterAuthority}: `addOffice`, `removeOffice` and
/// `setOfficeAdmin` are the council's (COUNCIL_ROLE); `setRecordalRequired`, `setSecurityInterests`, `unpause`
/// and upgrades the authority's admin (the council's timelock); `pause` the guardian's. Inside an office its
/// admin rules: registrars, national codes, base URI.
contract IPRegistry is
    IIPRegistry,
    IERC4906,
    IERC721Metadata,
    IERC721Errors,
    Governed,
    RevocableSignaturesUpgradeable,
    IPRegistryBase
{
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The most registrars one office has at once; it bounds the loop of `removeOffice`.
    uint256 public constant MAX_REGISTRARS_PER_OFFICE = 16;
    /// @notice The most items of one `fileBatch` or `changeStatusBatch`; it bounds their loops.
    uint256 public constant MAX_BATCH = 500;

    /// @notice EIP-712 type of an assignee's acceptance, bound to one assignment request by its id.
    bytes32 public constant ACCEPT_ASSIGNMENT_TYPEHASH = keccak256(
        "AcceptAssignment(uint256 rightId,uint256 assignmentId,address assignee,bytes32 deedHash,uint256 deadline)"
    );
    /// @notice EIP-712 type of a one-transaction assignment, signed by the assignee (and the holder when a
    /// registrar relays it), bound to the right's holder and assignment sequence number.
    bytes32 public constant ASSIGN_TITLE_TYPEHASH = keccak256(
        "AssignTitle(uint256 rightId,address holder,address assignee,bytes32 deedHash,uint256 sequence,uint256 deadline)"
    );

    /// @dev ERC-5192 (minimal soulbound / locked) and ERC-4906 (metadata update) interface ids.
    bytes4 private constant _ERC5192_ID = 0xb45a3c0e;
    bytes4 private constant _ERC4906_ID = 0x49064906;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    // The state is the ERC-7201 struct of {IPRegistryBase} (namespace ipledger.storage.IPRegistry).

    /// @dev The JSON renderer of `tokenURI`, created with this implementation: stateless code, the same for
    /// every proxy of it, so an immutable is safe here (an upgrade brings its own).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    TitleMetadataRenderer private immutable _RENDERER;
    /// @dev The code of the less frequent actions, run by delegatecall on this contract's storage (see
    /// {IPRegistryExtension}); created with this implementation, like the renderer.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _EXTENSION;

    /*//////////////////////////////////////////////////////////////
                        CONSTRUCTOR AND INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _RENDERER = new TitleMetadataRenderer();
        _EXTENSION = address(new IPRegistryExtension());
    }

    /// @notice Sets up the register behind its proxy (once).
    /// @param authority The {RegisterAuthority} every restricted function asks.
    function initialize(address authority) external initializer {
        if (authority.code.length == 0) revert InvalidAccount(authority);
        __Governed_init(authority);
        __RevocableSignatures_init("IP Ledger Registry", "1");
    }

    /*//////////////////////////////////////////////////////////////
                        OFFICES (COUNCIL AND ADMINS)
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function addOffice(bytes2, address, bool) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function removeOffice(bytes2) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function setOfficeAdmin(bytes2, address) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function setRecordalRequired(bytes2, bool) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function setSecurityInterests(address) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function grantRegistrar(bytes2, address) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function revokeRegistrar(bytes2, address) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function setNationalCode(bytes2, LegalEvent, bytes8) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function setBaseURI(bytes2, string calldata) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    function setPledgeCount(uint256 rightId, uint8 count) external {
        IPRegistryStorage storage $ = _s();
        if (msg.sender != address($.interests)) revert NotSecurityInterests(msg.sender);
        _existing(rightId).pledgeCount = count;
    }

    /*//////////////////////////////////////////////////////////////
                                  RIGHTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    function file(Filing calldata filing) external whenNotPaused returns (uint256 rightId) {
        rightId = _file(filing, false);
    }

    /// @inheritdoc IIPRegistry
    function fileBatch(Filing[] calldata filings, bool skipExisting) external whenNotPaused returns (uint256 filed) {
        uint256 n = filings.length;
        if (n == 0) revert EmptyBatch();
        if (n > MAX_BATCH) revert BatchTooLarge(n, MAX_BATCH);
        for (uint256 i; i < n; ++i) {
            if (_file(filings[i], skipExisting) != 0) ++filed;
        }
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function requestApplication(bytes2, IPType, bytes32, bytes32) external returns (uint256) {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function accordRequest(uint256, string calldata, uint40, string calldata, bytes32) external returns (uint256) {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function refuseRequest(uint256, bytes32) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function withdrawRequest(uint256) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function correctFilingDate(uint256, uint40, bytes32) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    function register(
        uint256 rightId,
        string calldata registrationNumber,
        uint40 registrationDate,
        uint40 expiryDate,
        bytes32 documentHash
    ) external whenNotPaused {
        Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        if (registrationDate < r.filingDate) revert InvalidDates(r.filingDate, registrationDate);
        if (expiryDate <= registrationDate) revert InvalidDates(registrationDate, expiryDate);
        r.registrationDate = registrationDate;
        r.expiryDate = expiryDate;
        _move(rightId, r, Status.Registered, registrationDate, documentHash);
        emit RightRegistered(rightId, registrationNumber, registrationDate, expiryDate);
    }

    /// @inheritdoc IIPRegistry
    function renew(uint256 rightId, uint40 expiryDate, bytes32 documentHash) external whenNotPaused {
        Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        if (expiryDate <= r.expiryDate) revert InvalidDates(r.expiryDate, expiryDate);
        r.expiryDate = expiryDate;
        _move(rightId, r, Status.Renewed, uint40(block.timestamp), documentHash);
        emit RightRenewed(rightId, expiryDate);
    }

    /// @inheritdoc IIPRegistry
    function changeStatus(uint256 rightId, Status to, uint40 effectiveDate, bytes32 documentHash)
        external
        whenNotPaused
    {
        _changeStatus(rightId, to, effectiveDate, documentHash);
    }

    /// @inheritdoc IIPRegistry
    function changeStatusBatch(StatusMove[] calldata moves) external whenNotPaused {
        uint256 n = moves.length;
        if (n == 0) revert EmptyBatch();
        if (n > MAX_BATCH) revert BatchTooLarge(n, MAX_BATCH);
        for (uint256 i; i < n; ++i) {
            StatusMove calldata m = moves[i];
            _changeStatus(m.rightId, m.to, m.effectiveDate, m.documentHash);
        }
    }

    /// @inheritdoc IIPRegistry
    function updateMetadata(uint256 rightId, string calldata metadataURI, bytes32 metadataHash)
        external
        whenNotPaused
    {
        Right storage r = _existing(rightId);
        if (r.holder != msg.sender && !_isRegistrar(r.office, msg.sender)) {
            revert NotHolderOrRegistrar(rightId, msg.sender);
        }
        emit MetadataChanged(rightId, metadataURI, metadataHash);
        emit MetadataUpdate(rightId);
    }

    /// @inheritdoc IIPRegistry
    function anchorDocument(uint256 rightId, bytes32 documentHash, bytes32 tag) external whenNotPaused {
        Right storage r = _existing(rightId);
        AnchorRole role = AnchorRole.ThirdParty;
        if (r.holder == msg.sender) role = AnchorRole.Holder;
        else if (_isRegistrar(r.office, msg.sender)) role = AnchorRole.Office;
        emit DocumentAnchored(rightId, documentHash, msg.sender, tag, role);
    }

    /*//////////////////////////////////////////////////////////////
                               ASSIGNMENTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function requestAssignment(uint256, address, bytes32) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function acceptAssignment(uint256) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function acceptAssignmentBySig(uint256, uint256, uint256, bytes calldata) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function recordAssignment(uint256) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    function assign(
        uint256 rightId,
        address assignee,
        bytes32 deedHash,
        uint256 sequence,
        uint256 deadline,
        bytes calldata assigneeSignature
    ) external whenNotPaused {
        Right storage r = _existing(rightId);
        if (r.holder != msg.sender) revert NotHolder(rightId, msg.sender);
        bytes2 office = r.office;
        if (_s().offices[office].recordalRequired) revert RecordalRequired(office);
        bytes32 structHash = _assignTitleHash(rightId, r, assignee, deedHash, sequence, deadline);
        _checkSignature(assignee, structHash, deadline, assigneeSignature);
        _transferTitle(rightId, r, assignee, deedHash, address(0), true);
    }

    /// @inheritdoc IIPRegistry
    function recordAssignmentBySig(
        uint256 rightId,
        address assignee,
        bytes32 deedHash,
        uint256 sequence,
        uint256 deadline,
        bytes calldata holderSignature,
        bytes calldata assigneeSignature
    ) external whenNotPaused {
        Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        bytes32 structHash = _assignTitleHash(rightId, r, assignee, deedHash, sequence, deadline);
        _checkSignature(r.holder, structHash, deadline, holderSignature);
        _checkSignature(assignee, structHash, deadline, assigneeSignature);
        _transferTitle(rightId, r, assignee, deedHash, msg.sender, true);
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function cancelAssignment(uint256) external {
        _delegate();
    }

    /// @inheritdoc IIPRegistry
    /// @dev Runs in {IPRegistryExtension} (delegatecall).
    function rejectAssignment(uint256) external {
        _delegate();
    }

    /*//////////////////////////////////////////////////////////////
                                  READS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    function rightIdOf(bytes2 office, IPType ipType, string calldata applicationNumber) external pure returns (uint256) {
        return _rightIdOf(office, ipType, applicationNumber);
    }

    /// @inheritdoc IIPRegistry
    function rightOf(uint256 rightId) external view returns (Right memory) {
        return _existing(rightId);
    }

    /// @inheritdoc IIPRegistry
    function exists(uint256 rightId) external view returns (bool) {
        return _s().rights[rightId].status != Status.None;
    }

    /// @inheritdoc IIPRegistry
    function holderAndStatus(uint256 rightId) external view returns (address holder, Status status) {
        Right storage r = _s().rights[rightId];
        return (r.holder, r.status);
    }

    /// @inheritdoc IIPRegistry
    function holderStatusOffice(uint256 rightId) external view returns (address holder, Status status, bytes2 office) {
        Right storage r = _s().rights[rightId];
        return (r.holder, r.status, r.office);
    }

    /// @inheritdoc IIPRegistry
    function isEnded(uint256 rightId) external view returns (bool) {
        return Lifecycle.isEnded(_s().rights[rightId].status);
    }

    /// @inheritdoc IIPRegistry
    function requestOf(uint256 requestId) external view returns (ApplicationRequest memory) {
        return _s().requests[requestId];
    }

    /// @inheritdoc IIPRegistry
    function pendingAssignment(uint256 rightId) external view returns (Assignment memory a) {
        IPRegistryStorage storage $ = _s();
        uint16 sequence = $.rights[rightId].assignmentSequence;
        a = $.assignments[rightId];
        // A request superseded by a one-transaction assignment (which took the next number) is void.
        if (a.id != sequence) a = Assignment(address(0), AssignmentState.None, 0, sequence, bytes32(0));
    }

    /// @inheritdoc IIPRegistry
    function securityInterests() external view returns (address) {
        return address(_s().interests);
    }

    /// @inheritdoc IIPRegistry
    function st27StateOf(uint256 rightId) public view returns (St27State) {
        Status s = _s().rights[rightId].status;
        // Enum membership, not a balance or time: strict equality is the point (as in Lifecycle.isEnded).
        // slither-disable-next-line incorrect-equality
        if (s == Status.None) return St27State.Unknown;
        // slither-disable-next-line incorrect-equality
        if (s == Status.Filed || s == Status.Published || s == Status.Opposed) return St27State.Pending;
        if (Lifecycle.isEnded(s)) return St27State.NotInForce;
        return St27State.InForce;
    }

    /// @inheritdoc IIPRegistry
    function officeInfo(bytes2 office) external view returns (bool exists_, bool recordalRequired, address admin) {
        Office storage o = _s().offices[office];
        return (o.exists, o.recordalRequired, o.admin);
    }

    /// @inheritdoc IIPRegistry
    function offices() external view returns (bytes2[] memory) {
        return _s().officeCodes;
    }

    /// @inheritdoc IIPRegistry
    function isRegistrar(bytes2 office, address account) external view returns (bool) {
        return _isRegistrar(office, account);
    }

    /// @inheritdoc IIPRegistry
    function registrarsOf(bytes2 office) external view returns (address[] memory) {
        return _s().registrars[office];
    }

    /// @inheritdoc IIPRegistry
    function baseURIOf(bytes2 office) external view returns (string memory) {
        return _s().baseURIs[office];
    }

    /// @inheritdoc IIPRegistry
    function keyEventCodeOf(LegalEvent kind) external pure returns (bytes3) {
        return _keyEventCode(kind);
    }

    /// @inheritdoc IIPRegistry
    function nationalCodeOf(bytes2 office, LegalEvent kind) external view returns (bytes8 code) {
        code = _s().nationalCodes[office][kind];
        if (code == bytes8(0)) code = bytes8(_keyEventCode(kind));
    }

    /*//////////////////////////////////////////////////////////////
                  ERC-721 VIEWS (TITLE TOKENS ARE LOCKED)
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC721Metadata
    function name() external pure returns (string memory) {
        return "IP Ledger Title";
    }

    /// @inheritdoc IERC721Metadata
    function symbol() external pure returns (string memory) {
        return "IPT";
    }

    /// @notice The right's metadata: the office's base URI and the decimal id when the office set one, else an
    /// on-chain `data:application/json;base64,` document of the record (never empty).
    /// @param tokenId The right.
    /// @return The URI.
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        ownerOf(tokenId);
        return _RENDERER.tokenURI(tokenId); // it reads the record, base URI and ST.27 state back from here
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _s().balances[owner];
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) public view returns (address owner) {
        owner = _s().rights[tokenId].holder;
        if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
    }

    /// @notice No one is ever approved: title moves only by recorded assignment.
    /// @param tokenId The right (must exist).
    /// @return Always the zero address.
    function getApproved(uint256 tokenId) external view returns (address) {
        ownerOf(tokenId);
        return address(0);
    }

    /// @notice No operator is ever approved.
    /// @return Always false.
    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    /// @notice ERC-5192: every title token is locked; it moves only by recorded assignment.
    /// @param tokenId The right.
    /// @return Always true for an existing right.
    function locked(uint256 tokenId) external view returns (bool) {
        ownerOf(tokenId);
        return true;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC721).interfaceId
            || interfaceId == type(IERC721Metadata).interfaceId || interfaceId == _ERC5192_ID
            || interfaceId == _ERC4906_ID;
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function transferFrom(address, address, uint256 tokenId) external pure {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function safeTransferFrom(address, address, uint256 tokenId) external pure {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function safeTransferFrom(address, address, uint256 tokenId, bytes calldata) external pure {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function approve(address, uint256 tokenId) external pure {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function setApprovalForAll(address, bool) external pure {
        revert TitleLocked(0);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Runs the call in {IPRegistryExtension} on this storage and returns or reverts with its result.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _delegate() private {
        address extension = _EXTENSION;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), extension, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    /// @dev Files one right for the office's registrar; returns 0 when `skipExisting` and it already exists.
    /// A registrar's office exists (removing an office revokes its registrars), so no office read is needed.
    function _file(Filing calldata f, bool skipExisting) internal returns (uint256 rightId) {
        _checkRegistrar(f.office);
        if (f.holder == address(0)) revert InvalidAccount(f.holder);
        rightId = _create(
            f.office,
            f.ipType,
            f.holder,
            f.applicationNumber,
            _filingDate(f.filingDate),
            f.contentHash,
            f.metadataURI,
            f.metadataHash
        );
        if (rightId == 0 && !skipExisting) revert RightExists(_rightIdOf(f.office, f.ipType, f.applicationNumber));
    }

    /// @dev One status move by a registrar of the right's office, or withdrawal/surrender by its holder.
    function _changeStatus(uint256 rightId, Status to, uint40 effectiveDate, bytes32 documentHash) internal {
        Right storage r = _existing(rightId);
        if (to == Status.Registered || to == Status.Renewed) revert StatusNeedsDetails(to);
        bool holderMove = to == Status.Withdrawn || to == Status.Surrendered;
        if (!_isRegistrar(r.office, msg.sender)) {
            if (!holderMove || r.holder != msg.sender) revert StatusMoveNotAllowed(rightId, msg.sender, to);
        }
        if (holderMove && r.pledgeCount != 0) {
            (uint256 pledgeId, address creditor) = _s().interests.firstWithoutConsent(rightId, 0);
            revert PledgeActive(rightId, pledgeId, creditor);
        }
        _move(rightId, r, to, effectiveDate == 0 ? uint40(block.timestamp) : effectiveDate, documentHash);
    }

    /// @dev Moves a right along the lifecycle graph and records the legal-status event.
    function _move(uint256 rightId, Right storage r, Status to, uint40 effectiveDate, bytes32 documentHash) internal {
        Status from = r.status;
        if (_allowedTargets(from) & (uint256(1) << uint8(to)) == 0) revert InvalidTransition(rightId, from, to);
        r.status = to;
        (bytes3 key, bytes8 national) = _codes(r.office, LegalEvent(uint8(to) - 1));
        emit StatusChanged(rightId, from, to, key, national, effectiveDate, documentHash);
    }

    /// @dev Bit set of the statuses reachable from `from`.
    function _allowedTargets(Status from) internal pure returns (uint256 mask) {
        uint256 ended = _bit(Status.Expired) | _bit(Status.Revoked) | _bit(Status.Invalidated)
            | _bit(Status.Surrendered) | _bit(Status.Lapsed);
        if (from == Status.Filed) {
            mask = _bit(Status.Published) | _bit(Status.Refused) | _bit(Status.Withdrawn);
        } else if (from == Status.Published) {
            mask = _bit(Status.Registered) | _bit(Status.Opposed) | _bit(Status.Refused) | _bit(Status.Withdrawn);
        } else if (from == Status.Opposed) {
            mask = _bit(Status.Registered) | _bit(Status.Refused);
        } else if (from == Status.Registered || from == Status.Renewed || from == Status.Restored) {
            mask = _bit(Status.Renewed) | ended;
        } else if (from == Status.Lapsed) {
            mask = _bit(Status.Restored);
        }
    }

    function _bit(Status s) private pure returns (uint256) {
        return uint256(1) << uint8(s);
    }

    /// @dev Checks a one-transaction assignment (assignable, a new holder, the current sequence number, no
    /// pledge) and returns the struct hash both parties sign.
    function _assignTitleHash(
        uint256 rightId,
        Right storage r,
        address assignee,
        bytes32 deedHash,
        uint256 sequence,
        uint256 deadline
    ) internal view returns (bytes32) {
        _checkAssignable(rightId, r.status);
        address holder = r.holder;
        if (assignee == address(0) || assignee == holder) revert InvalidAccount(assignee);
        uint16 current = r.assignmentSequence;
        if (sequence != current) revert StaleAssignment(rightId, sequence, current);
        if (r.pledgeCount != 0) {
            // Creditors consent to a pending request (two-step path); a one-transaction assignment has none.
            (uint256 pledgeId, address creditor) = _s().interests.firstWithoutConsent(rightId, 0);
            revert CreditorConsentRequired(rightId, pledgeId, creditor);
        }
        return keccak256(abi.encode(ASSIGN_TITLE_TYPEHASH, rightId, holder, assignee, deedHash, sequence, deadline));
    }

}
