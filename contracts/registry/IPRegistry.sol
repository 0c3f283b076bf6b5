// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {ISecurityInterests} from "../interfaces/ISecurityInterests.sol";
import {RevocableSignatures} from "./RevocableSignatures.sol";

/// @title IPRegistry
/// @notice The shared register of IP rights: offices, filings, legal status, anchors,
/// recorded assignments. Security interests live in {SecurityInterests}, which it asks before an assignment takes
/// effect and before a holder withdraws or surrenders. See {IIPRegistry} for the API.
contract IPRegistry is IIPRegistry, ERC721, AccessControl, Pausable, RevocableSignatures {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Adds offices and grants their registrar roles.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");
    /// @notice May pause and unpause every state change.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice EIP-712 type of an assignee's acceptance, bound to one assignment request by its id.
    bytes32 public constant ACCEPT_ASSIGNMENT_TYPEHASH = keccak256(
        "AcceptAssignment(uint256 rightId,uint256 assignmentId,address assignee,bytes32 deedHash,uint256 deadline)"
    );

    /// @dev Three ASCII bytes per LegalEvent: its WIPO ST.27 key event code (category letter, two digits).
    bytes private constant _KEY_EVENT_CODES = "A10Q10E10F10M10H10N10B10N20N30H20H30K10Y10R10R20R21S10S20";
    /// @dev Longest application number (ST.13 numbers are far shorter); bounds the character check's loop.
    uint256 private constant _MAX_NUMBER_LENGTH = 32;

    /// @dev ERC-5192 (minimal soulbound / locked) and ERC-4906 (metadata update) interface ids.
    bytes4 private constant _ERC5192_ID = 0xb45a3c0e;
    bytes4 private constant _ERC4906_ID = 0x49064906;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    struct OfficeConfig {
        bool exists;
        bool recordalRequired;
    }

    mapping(bytes2 office => OfficeConfig) private _offices;
    bytes2[] private _officeCodes;

    mapping(uint256 rightId => Right) private _rights;
    mapping(uint256 rightId => string) private _metadataURIs;
    mapping(uint256 rightId => Assignment) private _assignments;
    ISecurityInterests private _interests;
    mapping(uint256 requestId => ApplicationRequest) private _requests;
    uint256 private _requestCount;
    mapping(bytes2 office => mapping(LegalEvent kind => bytes8)) private _nationalCodes;

    /// @notice ERC-5192: emitted once per token when it is minted locked.
    /// @param tokenId The right.
    event Locked(uint256 tokenId);

    /// @notice ERC-4906: the token's metadata changed.
    /// @param _tokenId The right.
    event MetadataUpdate(uint256 _tokenId);

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param governor The first governor, admin and pauser.
    constructor(address governor) ERC721("IP Ledger Title", "IPT") EIP712("IP Ledger Registry", "1") {
        if (governor == address(0)) revert InvalidAccount(governor);
        _grantRole(DEFAULT_ADMIN_ROLE, governor);
        _grantRole(GOVERNOR_ROLE, governor);
        _grantRole(PAUSER_ROLE, governor);
    }

    /*//////////////////////////////////////////////////////////////
                                 OFFICES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    function addOffice(bytes2 office, bool recordalRequired) external onlyRole(GOVERNOR_ROLE) whenNotPaused {
        _checkOfficeCode(office);
        if (_offices[office].exists) revert OfficeExists(office);
        _offices[office] = OfficeConfig({exists: true, recordalRequired: recordalRequired});
        _officeCodes.push(office);
        _setRoleAdmin(registrarRole(office), GOVERNOR_ROLE);
        emit OfficeAdded(office, recordalRequired);
    }

    /// @inheritdoc IIPRegistry
    function setRecordalRequired(bytes2 office, bool recordalRequired) external onlyRole(GOVERNOR_ROLE) whenNotPaused {
        _checkOfficeExists(office);
        _offices[office].recordalRequired = recordalRequired;
        emit RecordalRequirementSet(office, recordalRequired);
    }

    /// @inheritdoc IIPRegistry
    function grantRegistrar(bytes2 office, address account) external onlyRole(GOVERNOR_ROLE) whenNotPaused {
        _checkOfficeExists(office);
        if (account == address(0)) revert InvalidAccount(account);
        _grantRole(registrarRole(office), account);
    }

    /// @inheritdoc IIPRegistry
    function setSecurityInterests(address interests) external onlyRole(GOVERNOR_ROLE) whenNotPaused {
        if (address(_interests) != address(0)) revert SecurityInterestsSet(address(_interests));
        if (interests.code.length == 0 || address(ISecurityInterests(interests).registry()) != address(this)) {
            revert InvalidAccount(interests);
        }
        _interests = ISecurityInterests(interests);
        emit SecurityInterestsWired(interests);
    }

    /// @inheritdoc IIPRegistry
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IIPRegistry
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
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
        for (uint256 i; i < n; ++i) {
            if (_file(filings[i], skipExisting) != 0) ++filed;
        }
    }

    /// @inheritdoc IIPRegistry
    function requestApplication(bytes2 office, IPType ipType, bytes32 contentHash, bytes32 metadataHash)
        external
        whenNotPaused
        returns (uint256 requestId)
    {
        _checkOfficeExists(office);
        requestId = ++_requestCount;
        _requests[requestId] = ApplicationRequest({
            applicant: msg.sender,
            office: office,
            ipType: ipType,
            state: RequestState.Pending,
            requestedAt: uint40(block.timestamp),
            contentHash: contentHash
        });
        emit ApplicationRequested(requestId, office, msg.sender, ipType, contentHash, metadataHash);
    }

    /// @inheritdoc IIPRegistry
    function accordRequest(
        uint256 requestId,
        string calldata applicationNumber,
        uint40 filingDate,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external whenNotPaused returns (uint256 rightId) {
        ApplicationRequest storage q = _pendingRequest(requestId);
        _checkRegistrar(q.office);
        uint40 date = _filingDate(filingDate);
        uint40 requestDay = q.requestedAt - q.requestedAt % 1 days;
        if (date < requestDay) revert FilingDateBeforeRequest(requestId, requestDay, date);
        q.state = RequestState.Accorded;
        rightId = _create(q.office, q.ipType, q.applicant, applicationNumber, date, q.contentHash, metadataURI, metadataHash);
        if (rightId == 0) revert RightExists(rightIdOf(q.office, q.ipType, applicationNumber));
        emit ApplicationAccorded(requestId, rightId, msg.sender);
    }

    /// @inheritdoc IIPRegistry
    function refuseRequest(uint256 requestId, bytes32 reasonHash) external whenNotPaused {
        ApplicationRequest storage q = _pendingRequest(requestId);
        _checkRegistrar(q.office);
        q.state = RequestState.Refused;
        emit ApplicationRefused(requestId, msg.sender, reasonHash);
    }

    /// @inheritdoc IIPRegistry
    function withdrawRequest(uint256 requestId) external whenNotPaused {
        ApplicationRequest storage q = _pendingRequest(requestId);
        if (q.applicant != msg.sender) revert NotApplicant(requestId, msg.sender);
        q.state = RequestState.Withdrawn;
        emit ApplicationWithdrawn(requestId);
    }

    /// @inheritdoc IIPRegistry
    function correctFilingDate(uint256 rightId, uint40 filingDate, bytes32 documentHash) external whenNotPaused {
        Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        if (filingDate == 0) revert InvalidDates(1, filingDate);
        if (filingDate > block.timestamp) revert FilingDateInFuture(filingDate, uint40(block.timestamp));
        if (r.registrationDate != 0 && filingDate > r.registrationDate) {
            revert InvalidDates(filingDate, r.registrationDate);
        }
        uint40 old = r.filingDate;
        r.filingDate = filingDate;
        (bytes3 key, bytes8 national) = _codes(r.office, LegalEvent.FilingDateCorrected);
        emit FilingDateCorrected(rightId, old, filingDate, documentHash, msg.sender, key, national);
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
        Right storage r = _existing(rightId);
        if (to == Status.Registered || to == Status.Renewed) revert StatusNeedsDetails(to);
        bool holderMove = to == Status.Withdrawn || to == Status.Surrendered;
        if (!hasRole(registrarRole(r.office), msg.sender)) {
            if (!holderMove || _ownerOf(rightId) != msg.sender) revert StatusMoveNotAllowed(rightId, msg.sender, to);
        }
        if (holderMove) {
            (uint256 pledgeId, address creditor) = _blockingPledge(rightId, 0);
            if (creditor != address(0)) revert PledgeActive(rightId, pledgeId, creditor);
        }
        _move(rightId, r, to, effectiveDate == 0 ? uint40(block.timestamp) : effectiveDate, documentHash);
    }

    /// @inheritdoc IIPRegistry
    function updateMetadata(uint256 rightId, string calldata metadataURI, bytes32 metadataHash)
        external
        whenNotPaused
    {
        Right storage r = _existing(rightId);
        _checkHolderOrRegistrar(rightId, r.office);
        _metadataURIs[rightId] = metadataURI;
        emit MetadataChanged(rightId, metadataURI, metadataHash);
        emit MetadataUpdate(rightId);
    }

    /// @inheritdoc IIPRegistry
    function anchorDocument(uint256 rightId, bytes32 documentHash, bytes32 tag) external whenNotPaused {
        Right storage r = _existing(rightId);
        AnchorRole role = AnchorRole.ThirdParty;
        if (_ownerOf(rightId) == msg.sender) role = AnchorRole.Holder;
        else if (hasRole(registrarRole(r.office), msg.sender)) role = AnchorRole.Office;
        emit DocumentAnchored(rightId, documentHash, msg.sender, tag, role);
    }

    /// @inheritdoc IIPRegistry
    function setNationalCode(bytes2 office, LegalEvent kind, bytes8 nationalCode) external whenNotPaused {
        _checkOfficeExists(office);
        _checkRegistrar(office);
        _checkNationalCode(nationalCode);
        _nationalCodes[office][kind] = nationalCode;
        emit NationalCodeSet(office, kind, nationalCode);
    }

    /*//////////////////////////////////////////////////////////////
                               ASSIGNMENTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    function requestAssignment(uint256 rightId, address assignee, bytes32 deedHash) external whenNotPaused {
        Right storage r = _existing(rightId);
        address holder = _ownerOf(rightId);
        if (holder != msg.sender) revert NotHolder(rightId, msg.sender);
        _checkAssignable(rightId, r.status);
        if (assignee == address(0) || assignee == holder) revert InvalidAccount(assignee);
        Assignment storage a = _assignments[rightId];
        if (a.state != AssignmentState.None) revert AssignmentPending(rightId, a.assignee);
        uint48 id = a.id + 1;
        _assignments[rightId] = Assignment({
            assignee: assignee,
            state: AssignmentState.Requested,
            requestedAt: uint40(block.timestamp),
            id: id,
            deedHash: deedHash
        });
        emit AssignmentRequested(rightId, holder, assignee, deedHash, id);
    }

    /// @inheritdoc IIPRegistry
    function acceptAssignment(uint256 rightId) external whenNotPaused {
        Assignment storage a = _pending(rightId, AssignmentState.Requested);
        if (a.assignee != msg.sender) revert NotAssignee(rightId, msg.sender);
        _accept(rightId, a, false);
    }

    /// @inheritdoc IIPRegistry
    function acceptAssignmentBySig(uint256 rightId, uint256 assignmentId, uint256 deadline, bytes calldata signature)
        external
        whenNotPaused
    {
        Assignment storage a = _pending(rightId, AssignmentState.Requested);
        if (assignmentId != a.id) revert StaleAssignment(rightId, assignmentId, a.id);
        address assignee = a.assignee;
        bytes32 structHash =
            keccak256(abi.encode(ACCEPT_ASSIGNMENT_TYPEHASH, rightId, assignmentId, assignee, a.deedHash, deadline));
        _checkSignature(assignee, structHash, deadline, signature);
        _accept(rightId, a, true);
    }

    /// @inheritdoc IIPRegistry
    function recordAssignment(uint256 rightId) external whenNotPaused {
        Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        Assignment storage a = _pending(rightId, AssignmentState.Accepted);
        _checkAssignable(rightId, r.status);
        _effect(rightId, a, msg.sender);
    }

    /// @inheritdoc IIPRegistry
    function cancelAssignment(uint256 rightId) external whenNotPaused {
        _existing(rightId);
        if (_ownerOf(rightId) != msg.sender) revert NotHolder(rightId, msg.sender);
        emit AssignmentCancelled(rightId, _close(rightId));
    }

    /// @inheritdoc IIPRegistry
    function rejectAssignment(uint256 rightId) external whenNotPaused {
        Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        emit AssignmentRejected(rightId, _close(rightId), msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                  READS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IIPRegistry
    function rightIdOf(bytes2 office, IPType ipType, string calldata applicationNumber) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(office, uint8(ipType), applicationNumber)));
    }

    /// @inheritdoc IIPRegistry
    function rightOf(uint256 rightId) external view returns (Right memory) {
        return _existing(rightId);
    }

    /// @inheritdoc IIPRegistry
    function exists(uint256 rightId) external view returns (bool) {
        return _rights[rightId].status != Status.None;
    }

    /// @inheritdoc IIPRegistry
    function holderAndStatus(uint256 rightId) external view returns (address holder, Status status) {
        return (_ownerOf(rightId), _rights[rightId].status);
    }

    /// @inheritdoc IIPRegistry
    function holderStatusOffice(uint256 rightId) external view returns (address holder, Status status, bytes2 office) {
        Right storage r = _rights[rightId];
        return (_ownerOf(rightId), r.status, r.office);
    }

    /// @inheritdoc IIPRegistry
    function isEnded(uint256 rightId) external view returns (bool) {
        return _isEnded(_rights[rightId].status);
    }

    /// @inheritdoc IIPRegistry
    function requestOf(uint256 requestId) external view returns (ApplicationRequest memory) {
        return _requests[requestId];
    }

    /// @inheritdoc IIPRegistry
    function pendingAssignment(uint256 rightId) external view returns (Assignment memory) {
        return _assignments[rightId];
    }

    /// @inheritdoc IIPRegistry
    function securityInterests() external view returns (address) {
        return address(_interests);
    }

    /// @inheritdoc IIPRegistry
    function st27StateOf(uint256 rightId) external view returns (St27State) {
        Status s = _rights[rightId].status;
        // Enum membership, not a balance or time: strict equality is the point (as in `_isEnded`).
        // slither-disable-next-line incorrect-equality
        if (s == Status.None) return St27State.Unknown;
        // slither-disable-next-line incorrect-equality
        if (s == Status.Filed || s == Status.Published || s == Status.Opposed) return St27State.Pending;
        if (_isEnded(s)) return St27State.NotInForce;
        return St27State.InForce;
    }

    /// @inheritdoc IIPRegistry
    function officeInfo(bytes2 office) external view returns (bool exists_, bool recordalRequired) {
        OfficeConfig memory o = _offices[office];
        return (o.exists, o.recordalRequired);
    }

    /// @inheritdoc IIPRegistry
    function offices() external view returns (bytes2[] memory) {
        return _officeCodes;
    }

    /// @inheritdoc IIPRegistry
    function registrarRole(bytes2 office) public pure returns (bytes32) {
        return keccak256(abi.encode("REGISTRAR", office));
    }

    /// @inheritdoc IIPRegistry
    function isRegistrar(bytes2 office, address account) external view returns (bool) {
        return hasRole(registrarRole(office), account);
    }

    /// @inheritdoc IIPRegistry
    function keyEventCodeOf(LegalEvent kind) public pure returns (bytes3) {
        uint256 i = uint256(kind) * 3;
        return bytes3(bytes.concat(_KEY_EVENT_CODES[i], _KEY_EVENT_CODES[i + 1], _KEY_EVENT_CODES[i + 2]));
    }

    /// @inheritdoc IIPRegistry
    function nationalCodeOf(bytes2 office, LegalEvent kind) public view returns (bytes8 code) {
        code = _nationalCodes[office][kind];
        if (code == bytes8(0)) code = bytes8(keyEventCodeOf(kind));
    }

    /// @notice ERC-5192: every title token is locked; it moves only by recorded assignment.
    /// @param tokenId The right.
    /// @return Always true for an existing right.
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// @notice The metadata URI of the right.
    /// @param tokenId The right.
    /// @return The URI given at filing or by the latest `updateMetadata`.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _metadataURIs[tokenId];
    }

    /// @inheritdoc ERC721
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return interfaceId == _ERC5192_ID || interfaceId == _ERC4906_ID || super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                     ERC-721 TRANSFERS ARE LOCKED
    //////////////////////////////////////////////////////////////*/

    /// @notice Always reverts: title moves only by recorded assignment.
    function transferFrom(address, address, uint256 tokenId) public pure override {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function safeTransferFrom(address, address, uint256 tokenId, bytes memory) public pure override {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function approve(address, uint256 tokenId) public pure override {
        revert TitleLocked(tokenId);
    }

    /// @notice Always reverts: title moves only by recorded assignment.
    function setApprovalForAll(address, bool) public pure override {
        revert TitleLocked(0);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Files one right for the office's registrar; returns 0 when `skipExisting` and it already exists.
    function _file(Filing calldata f, bool skipExisting) internal returns (uint256 rightId) {
        _checkOfficeExists(f.office);
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
        if (rightId == 0 && !skipExisting) revert RightExists(rightIdOf(f.office, f.ipType, f.applicationNumber));
    }

    /// @dev Creates the right and its title token; returns 0 (and changes nothing) if it already exists.
    function _create(
        bytes2 office,
        IPType ipType,
        address holder,
        string calldata applicationNumber,
        uint40 filingDate,
        bytes32 contentHash,
        string calldata metadataURI,
        bytes32 metadataHash
    ) internal returns (uint256 rightId) {
        _checkApplicationNumber(applicationNumber);
        rightId = rightIdOf(office, ipType, applicationNumber);
        Right storage r = _rights[rightId];
        if (r.status != Status.None) return 0;
        r.office = office;
        r.ipType = ipType;
        r.status = Status.Filed;
        r.filedAt = uint40(block.timestamp);
        r.filingDate = filingDate;
        r.contentHash = contentHash;
        if (bytes(metadataURI).length != 0) _metadataURIs[rightId] = metadataURI;
        _mint(holder, rightId);
        emit Locked(rightId);
        emit RightFiled(
            rightId, office, holder, ipType, applicationNumber, filingDate, contentHash, metadataURI, metadataHash
        );
        (bytes3 key, bytes8 national) = _codes(office, LegalEvent.Filed);
        emit StatusChanged(rightId, Status.None, Status.Filed, key, national, filingDate, contentHash);
    }

    /// @dev The filing date to record: 0 means now; a date in the future is refused.
    function _filingDate(uint40 filingDate) internal view returns (uint40) {
        if (filingDate == 0) return uint40(block.timestamp);
        if (filingDate > block.timestamp) revert FilingDateInFuture(filingDate, uint40(block.timestamp));
        return filingDate;
    }

    function _pendingRequest(uint256 requestId) internal view returns (ApplicationRequest storage q) {
        q = _requests[requestId];
        if (q.state != RequestState.Pending) revert RequestNotPending(requestId, q.state);
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

    function _isEnded(Status s) internal pure returns (bool) {
        // Enum membership, not a balance or time: strict equality is the point.
        // slither-disable-next-line incorrect-equality
        return s == Status.Expired || s == Status.Refused || s == Status.Withdrawn || s == Status.Revoked
            || s == Status.Invalidated || s == Status.Surrendered || s == Status.Lapsed;
    }

    function _accept(uint256 rightId, Assignment storage a, bool bySignature) internal {
        Right storage r = _rights[rightId];
        _checkAssignable(rightId, r.status);
        a.state = AssignmentState.Accepted;
        emit AssignmentAccepted(rightId, a.assignee, bySignature);
        if (!_offices[r.office].recordalRequired) _effect(rightId, a, address(0));
    }

    /// @dev Moves title to the assignee. Checks every creditor's consent, closes the assignment, then transfers.
    function _effect(uint256 rightId, Assignment storage a, address recordedBy) internal {
        (uint256 pledgeId, address creditor) = _blockingPledge(rightId, a.id);
        if (creditor != address(0)) revert CreditorConsentRequired(rightId, pledgeId, creditor);
        address from = _ownerOf(rightId);
        bytes32 deedHash = a.deedHash;
        address to = _close(rightId);
        _transfer(from, to, rightId);
        (bytes3 key, bytes8 national) = _codes(_rights[rightId].office, LegalEvent.AssignmentRecorded);
        emit AssignmentRecorded(rightId, from, to, deedHash, recordedBy, key, national);
    }

    /// @dev Ends the pending assignment (the id stays: the next request takes the next one); returns its assignee.
    function _close(uint256 rightId) internal returns (address assignee) {
        Assignment storage a = _assignments[rightId];
        if (a.state == AssignmentState.None) revert NoPendingAssignment(rightId, AssignmentState.None);
        assignee = a.assignee;
        uint48 id = a.id;
        delete _assignments[rightId];
        _assignments[rightId].id = id;
    }

    /// @dev The most senior pledge whose creditor has not consented to `assignmentId` (0: any active pledge).
    function _blockingPledge(uint256 rightId, uint256 assignmentId)
        internal
        view
        returns (uint256 pledgeId, address creditor)
    {
        if (address(_interests) != address(0)) (pledgeId, creditor) = _interests.firstWithoutConsent(rightId, assignmentId);
    }

    function _existing(uint256 rightId) internal view returns (Right storage r) {
        r = _rights[rightId];
        if (r.status == Status.None) revert RightNotFound(rightId);
    }

    function _pending(uint256 rightId, AssignmentState required) internal view returns (Assignment storage a) {
        a = _assignments[rightId];
        if (a.state != required) revert NoPendingAssignment(rightId, a.state);
    }

    function _checkAssignable(uint256 rightId, Status status) internal pure {
        if (status == Status.None || (_isEnded(status) && status != Status.Lapsed)) {
            revert NotAssignable(rightId, status);
        }
    }

    /// @dev 1 to 32 ASCII letters and digits, with "-", "/" and "." between them (ST.13-compatible).
    function _checkApplicationNumber(string calldata applicationNumber) internal pure {
        bytes calldata number = bytes(applicationNumber);
        uint256 n = number.length;
        if (n == 0) revert EmptyApplicationNumber();
        if (n > _MAX_NUMBER_LENGTH) revert MalformedApplicationNumber(applicationNumber);
        for (uint256 i; i < n; ++i) {
            bytes1 c = number[i];
            bool alnum = (c >= "0" && c <= "9") || (c >= "A" && c <= "Z") || (c >= "a" && c <= "z");
            bool separator = c == "-" || c == "/" || c == ".";
            if (!alnum && (!separator || i == 0 || i == n - 1)) revert MalformedApplicationNumber(applicationNumber);
        }
    }

    /// @dev Printable ASCII from the left, zero bytes after: what a national code may hold.
    function _checkNationalCode(bytes8 code) internal pure {
        bool ended = false; // set at the first zero byte: only zeros may follow
        for (uint256 i; i < 8; ++i) {
            bytes1 c = code[i];
            if (c == 0) ended = true;
            else if (ended || c < 0x21 || c > 0x7E) revert InvalidNationalCode(code);
        }
    }

    /// @dev The ST.27 key event code and the office's national code of a legal event.
    function _codes(bytes2 office, LegalEvent kind) internal view returns (bytes3 key, bytes8 national) {
        key = keyEventCodeOf(kind);
        national = _nationalCodes[office][kind];
        if (national == bytes8(0)) national = bytes8(key);
    }

    function _checkRegistrar(bytes2 office) internal view {
        if (!hasRole(registrarRole(office), msg.sender)) revert NotRegistrar(office, msg.sender);
    }

    function _checkHolderOrRegistrar(uint256 rightId, bytes2 office) internal view {
        if (_ownerOf(rightId) != msg.sender && !hasRole(registrarRole(office), msg.sender)) {
            revert NotHolderOrRegistrar(rightId, msg.sender);
        }
    }

    function _checkOfficeExists(bytes2 office) internal view {
        if (!_offices[office].exists) revert UnknownOffice(office);
    }

    function _checkOfficeCode(bytes2 office) internal pure {
        for (uint256 i; i < 2; ++i) {
            bytes1 c = office[i];
            if (c < 0x41 || c > 0x5A) revert InvalidOfficeCode(office);
        }
    }
}
