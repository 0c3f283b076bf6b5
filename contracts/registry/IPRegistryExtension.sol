// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

import {IIPLedgerErrors} from "../interfaces/IIPLedgerErrors.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {ISecurityInterests} from "../interfaces/ISecurityInterests.sol";
import {IPRegistryBase} from "./IPRegistryBase.sol";
import {RevocableSignaturesUpgradeable} from "./RevocableSignaturesUpgradeable.sol";

/// @title IPRegistryExtension
/// @notice The register's less frequent actions — the office API (council and office admins), application
/// requests, filing-date corrections and the two-step assignment path — which {IPRegistry} runs by
/// `delegatecall` on the proxy's storage, so the register's code stays under EIP-170 (24,576 bytes) while its
/// ABI keeps every function. Each function here is documented in {IIPRegistry}, whose events and errors it uses.
/// @dev Created by each IPRegistry implementation in its constructor and reachable only through it: called
/// directly, every function reverts {NotDelegated}. It holds no state of its own and cannot self-destruct.
/// `restricted` asks the proxy's authority about the proxy's selector, exactly as IPRegistry itself would.
/// @custom:oz-upgrades-unsafe-allow constructor state-variable-immutable
contract IPRegistryExtension is
    AccessManagedUpgradeable,
    PausableUpgradeable,
    RevocableSignaturesUpgradeable,
    IPRegistryBase
{
    /// @notice The extension was called directly instead of by the register's delegatecall.
    error NotDelegated();

    /// @notice The most registrars one office has at once (see `IPRegistry.MAX_REGISTRARS_PER_OFFICE`).
    uint256 public constant MAX_REGISTRARS_PER_OFFICE = 16;

    /// @notice EIP-712 type of an assignee's acceptance, bound to one assignment request by its id.
    bytes32 public constant ACCEPT_ASSIGNMENT_TYPEHASH = keccak256(
        "AcceptAssignment(uint256 rightId,uint256 assignmentId,address assignee,bytes32 deedHash,uint256 deadline)"
    );

    address private immutable _SELF;

    constructor() {
        _SELF = address(this);
        _disableInitializers();
    }

    modifier onlyDelegated() {
        if (address(this) == _SELF) revert NotDelegated();
        _;
    }

    /*//////////////////////////////////////////////////////////////
                        OFFICES (COUNCIL AND ADMINS)
    //////////////////////////////////////////////////////////////*/

    function addOffice(bytes2 office, address admin, bool recordalRequired)
        external
        onlyDelegated
        restricted
        whenNotPaused
    {
        for (uint256 i; i < 2; ++i) {
            bytes1 c = office[i];
            if (c < 0x41 || c > 0x5A) revert IIPLedgerErrors.InvalidOfficeCode(office);
        }
        IPRegistryStorage storage $ = _s();
        Office storage o = $.offices[office];
        if (o.exists) revert IIPRegistry.OfficeExists(office);
        if (admin == address(0)) revert IIPLedgerErrors.InvalidAccount(admin);
        o.exists = true;
        o.recordalRequired = recordalRequired;
        o.admin = admin;
        $.officeCodes.push(office);
        emit IIPRegistry.OfficeAdded(office, admin, recordalRequired);
    }

    /// @dev Allowed while paused (it only takes power away). Loops: the office's registrars (at most
    /// MAX_REGISTRARS_PER_OFFICE) and the office codes (at most 26 * 26 ST.3 codes).
    function removeOffice(bytes2 office) external onlyDelegated restricted {
        IPRegistryStorage storage $ = _s();
        Office storage o = _office(office);
        address[] storage list = $.registrars[office];
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            address account = list[i];
            delete $.registrarIndex[office][account];
            emit IIPRegistry.RegistrarRevoked(office, account, msg.sender);
        }
        delete $.registrars[office];
        // The recordal setting and the national-code mask stay: they still describe the office's rights.
        o.exists = false;
        o.admin = address(0);
        bytes2[] storage codes = $.officeCodes;
        uint256 m = codes.length;
        uint256 j;
        while (codes[j] != office) ++j;
        for (; j + 1 < m; ++j) codes[j] = codes[j + 1];
        codes.pop();
        emit IIPRegistry.OfficeRemoved(office);
    }

    /// @dev Allowed while paused (a lost or compromised admin key).
    function setOfficeAdmin(bytes2 office, address admin) external onlyDelegated restricted {
        Office storage o = _office(office);
        if (admin == address(0)) revert IIPLedgerErrors.InvalidAccount(admin);
        address previous = o.admin;
        o.admin = admin;
        emit IIPRegistry.OfficeAdminSet(office, previous, admin);
    }

    function setRecordalRequired(bytes2 office, bool recordalRequired)
        external
        onlyDelegated
        restricted
        whenNotPaused
    {
        _office(office).recordalRequired = recordalRequired;
        emit IIPRegistry.RecordalRequirementSet(office, recordalRequired);
    }

    function setSecurityInterests(address interests) external onlyDelegated restricted whenNotPaused {
        IPRegistryStorage storage $ = _s();
        if (address($.interests) != address(0)) revert IIPRegistry.SecurityInterestsSet(address($.interests));
        if (interests.code.length == 0 || address(ISecurityInterests(interests).registry()) != address(this)) {
            revert IIPLedgerErrors.InvalidAccount(interests);
        }
        $.interests = ISecurityInterests(interests);
        emit IIPRegistry.SecurityInterestsWired(interests);
    }

    function grantRegistrar(bytes2 office, address account) external onlyDelegated whenNotPaused {
        _checkOfficeAdmin(office);
        if (account == address(0)) revert IIPLedgerErrors.InvalidAccount(account);
        IPRegistryStorage storage $ = _s();
        if ($.registrarIndex[office][account] != 0) revert IIPRegistry.RegistrarExists(office, account);
        address[] storage list = $.registrars[office];
        if (list.length >= MAX_REGISTRARS_PER_OFFICE) {
            revert IIPRegistry.TooManyRegistrars(office, MAX_REGISTRARS_PER_OFFICE);
        }
        list.push(account);
        $.registrarIndex[office][account] = list.length;
        emit IIPRegistry.RegistrarGranted(office, account, msg.sender);
    }

    /// @dev Allowed while paused: it only takes power away (a compromised registrar key).
    function revokeRegistrar(bytes2 office, address account) external onlyDelegated {
        _checkOfficeAdmin(office);
        IPRegistryStorage storage $ = _s();
        uint256 index = $.registrarIndex[office][account];
        if (index == 0) revert IIPLedgerErrors.NotRegistrar(office, account);
        address[] storage list = $.registrars[office];
        address last = list[list.length - 1];
        list[index - 1] = last;
        $.registrarIndex[office][last] = index;
        list.pop();
        delete $.registrarIndex[office][account];
        emit IIPRegistry.RegistrarRevoked(office, account, msg.sender);
    }

    function setNationalCode(bytes2 office, IIPRegistry.LegalEvent kind, bytes8 nationalCode)
        external
        onlyDelegated
        whenNotPaused
    {
        _checkOfficeAdmin(office);
        bool ended = false; // printable ASCII from the left, set at the first zero byte: only zeros may follow
        for (uint256 i; i < 8; ++i) {
            bytes1 c = nationalCode[i];
            if (c == 0) ended = true;
            else if (ended || c < 0x21 || c > 0x7E) revert IIPRegistry.InvalidNationalCode(nationalCode);
        }
        IPRegistryStorage storage $ = _s();
        $.nationalCodes[office][kind] = nationalCode;
        uint32 bit = uint32(1) << uint8(kind);
        Office storage o = $.offices[office];
        o.codeMask = nationalCode == bytes8(0) ? o.codeMask & ~bit : o.codeMask | bit;
        emit IIPRegistry.NationalCodeSet(office, kind, nationalCode);
    }

    function setBaseURI(bytes2 office, string calldata uri) external onlyDelegated whenNotPaused {
        _checkOfficeAdmin(office);
        _s().baseURIs[office] = uri;
        emit IIPRegistry.BaseURISet(office, uri);
        emit IERC4906.BatchMetadataUpdate(0, type(uint256).max);
    }

    /*//////////////////////////////////////////////////////////////
                     APPLICATION REQUESTS, CORRECTIONS
    //////////////////////////////////////////////////////////////*/

    function requestApplication(bytes2 office, IIPRegistry.IPType ipType, bytes32 contentHash, bytes32 metadataHash)
        external
        onlyDelegated
        whenNotPaused
        returns (uint256 requestId)
    {
        _office(office);
        IPRegistryStorage storage $ = _s();
        requestId = ++$.requestCount;
        $.requests[requestId] = IIPRegistry.ApplicationRequest({
            applicant: msg.sender,
            office: office,
            ipType: ipType,
            state: IIPRegistry.RequestState.Pending,
            requestedAt: uint40(block.timestamp),
            contentHash: contentHash
        });
        emit IIPRegistry.ApplicationRequested(requestId, office, msg.sender, ipType, contentHash, metadataHash);
    }

    function accordRequest(
        uint256 requestId,
        string calldata applicationNumber,
        uint40 filingDate,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external onlyDelegated whenNotPaused returns (uint256 rightId) {
        IIPRegistry.ApplicationRequest storage q = _pendingRequest(requestId);
        _checkRegistrar(q.office);
        uint40 date = _filingDate(filingDate);
        uint40 requestDay = q.requestedAt - q.requestedAt % 1 days;
        if (date < requestDay) revert IIPRegistry.FilingDateBeforeRequest(requestId, requestDay, date);
        q.state = IIPRegistry.RequestState.Accorded;
        rightId = _create(q.office, q.ipType, q.applicant, applicationNumber, date, q.contentHash, metadataURI, metadataHash);
        if (rightId == 0) revert IIPRegistry.RightExists(_rightIdOf(q.office, q.ipType, applicationNumber));
        emit IIPRegistry.ApplicationAccorded(requestId, rightId, msg.sender);
    }

    function refuseRequest(uint256 requestId, bytes32 reasonHash) external onlyDelegated whenNotPaused {
        IIPRegistry.ApplicationRequest storage q = _pendingRequest(requestId);
        _checkRegistrar(q.office);
        q.state = IIPRegistry.RequestState.Refused;
        emit IIPRegistry.ApplicationRefused(requestId, msg.sender, reasonHash);
    }

    function withdrawRequest(uint256 requestId) external onlyDelegated whenNotPaused {
        IIPRegistry.ApplicationRequest storage q = _pendingRequest(requestId);
        if (q.applicant != msg.sender) revert IIPRegistry.NotApplicant(requestId, msg.sender);
        q.state = IIPRegistry.RequestState.Withdrawn;
        emit IIPRegistry.ApplicationWithdrawn(requestId);
    }

    function correctFilingDate(uint256 rightId, uint40 filingDate, bytes32 documentHash)
        external
        onlyDelegated
        whenNotPaused
    {
        IIPRegistry.Right storage r = _existing(rightId);
        bytes2 office = r.office;
        _checkRegistrar(office);
        if (filingDate == 0) revert IIPRegistry.InvalidDates(1, filingDate);
        if (filingDate > block.timestamp) revert IIPRegistry.FilingDateInFuture(filingDate, uint40(block.timestamp));
        if (r.registrationDate != 0 && filingDate > r.registrationDate) {
            revert IIPRegistry.InvalidDates(filingDate, r.registrationDate);
        }
        uint40 old = r.filingDate;
        r.filingDate = filingDate;
        (bytes3 key, bytes8 national) = _codes(office, IIPRegistry.LegalEvent.FilingDateCorrected);
        emit IIPRegistry.FilingDateCorrected(rightId, old, filingDate, documentHash, msg.sender, key, national);
    }

    /*//////////////////////////////////////////////////////////////
                      TWO-STEP ASSIGNMENTS
    //////////////////////////////////////////////////////////////*/

    function requestAssignment(uint256 rightId, address assignee, bytes32 deedHash)
        external
        onlyDelegated
        whenNotPaused
    {
        IIPRegistry.Right storage r = _existing(rightId);
        address holder = r.holder;
        if (holder != msg.sender) revert IIPLedgerErrors.NotHolder(rightId, msg.sender);
        _checkAssignable(rightId, r.status);
        if (assignee == address(0) || assignee == holder) revert IIPLedgerErrors.InvalidAccount(assignee);
        IPRegistryStorage storage $ = _s();
        IIPRegistry.Assignment storage a = $.assignments[rightId];
        uint16 sequence = r.assignmentSequence;
        if (a.state != IIPRegistry.AssignmentState.None && a.id == sequence) {
            revert IIPRegistry.AssignmentPending(rightId, a.assignee);
        }
        uint16 id = sequence + 1;
        r.assignmentSequence = id;
        $.assignments[rightId] = IIPRegistry.Assignment({
            assignee: assignee,
            state: IIPRegistry.AssignmentState.Requested,
            requestedAt: uint40(block.timestamp),
            id: id,
            deedHash: deedHash
        });
        emit IIPRegistry.AssignmentRequested(rightId, holder, assignee, deedHash, id);
    }

    function acceptAssignment(uint256 rightId) external onlyDelegated whenNotPaused {
        IIPRegistry.Assignment storage a = _pending(rightId, IIPRegistry.AssignmentState.Requested);
        if (a.assignee != msg.sender) revert IIPRegistry.NotAssignee(rightId, msg.sender);
        _accept(rightId, a, false);
    }

    function acceptAssignmentBySig(uint256 rightId, uint256 assignmentId, uint256 deadline, bytes calldata signature)
        external
        onlyDelegated
        whenNotPaused
    {
        IIPRegistry.Assignment storage a = _pending(rightId, IIPRegistry.AssignmentState.Requested);
        if (assignmentId != a.id) revert IIPRegistry.StaleAssignment(rightId, assignmentId, a.id);
        address assignee = a.assignee;
        bytes32 structHash =
            keccak256(abi.encode(ACCEPT_ASSIGNMENT_TYPEHASH, rightId, assignmentId, assignee, a.deedHash, deadline));
        _checkSignature(assignee, structHash, deadline, signature);
        _accept(rightId, a, true);
    }

    function recordAssignment(uint256 rightId) external onlyDelegated whenNotPaused {
        IIPRegistry.Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        IIPRegistry.Assignment storage a = _pending(rightId, IIPRegistry.AssignmentState.Accepted);
        _checkAssignable(rightId, r.status);
        _effect(rightId, r, a, msg.sender);
    }

    function cancelAssignment(uint256 rightId) external onlyDelegated whenNotPaused {
        IIPRegistry.Right storage r = _existing(rightId);
        if (r.holder != msg.sender) revert IIPLedgerErrors.NotHolder(rightId, msg.sender);
        emit IIPRegistry.AssignmentCancelled(rightId, _close(rightId, r));
    }

    function rejectAssignment(uint256 rightId) external onlyDelegated whenNotPaused {
        IIPRegistry.Right storage r = _existing(rightId);
        _checkRegistrar(r.office);
        emit IIPRegistry.AssignmentRejected(rightId, _close(rightId, r), msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _accept(uint256 rightId, IIPRegistry.Assignment storage a, bool bySignature) internal {
        IIPRegistry.Right storage r = _s().rights[rightId];
        _checkAssignable(rightId, r.status);
        a.state = IIPRegistry.AssignmentState.Accepted;
        emit IIPRegistry.AssignmentAccepted(rightId, a.assignee, bySignature);
        if (!_s().offices[r.office].recordalRequired) _effect(rightId, r, a, address(0));
    }

    /// @dev Completes a two-step assignment: checks every creditor's consent, closes the request, moves title.
    function _effect(uint256 rightId, IIPRegistry.Right storage r, IIPRegistry.Assignment storage a, address recordedBy)
        internal
    {
        if (r.pledgeCount != 0) {
            (uint256 pledgeId, address creditor) = _s().interests.firstWithoutConsent(rightId, a.id);
            if (creditor != address(0)) revert IIPRegistry.CreditorConsentRequired(rightId, pledgeId, creditor);
        }
        bytes32 deedHash = a.deedHash;
        address to = _close(rightId, r);
        _transferTitle(rightId, r, to, deedHash, recordedBy, false);
    }

    /// @dev Ends the pending request; returns its assignee.
    function _close(uint256 rightId, IIPRegistry.Right storage r) internal returns (address assignee) {
        IIPRegistry.Assignment storage a = _s().assignments[rightId];
        if (a.state == IIPRegistry.AssignmentState.None || a.id != r.assignmentSequence) {
            revert IIPRegistry.NoPendingAssignment(rightId, IIPRegistry.AssignmentState.None);
        }
        assignee = a.assignee;
        delete _s().assignments[rightId];
    }

    /// @dev The right's pending request in the `required` state (one superseded by a one-transaction assignment,
    /// which took the next number, counts as none).
    function _pending(uint256 rightId, IIPRegistry.AssignmentState required)
        internal
        view
        returns (IIPRegistry.Assignment storage a)
    {
        IPRegistryStorage storage $ = _s();
        a = $.assignments[rightId];
        IIPRegistry.AssignmentState state =
            a.id == $.rights[rightId].assignmentSequence ? a.state : IIPRegistry.AssignmentState.None;
        if (state != required) revert IIPRegistry.NoPendingAssignment(rightId, state);
    }

    function _pendingRequest(uint256 requestId) internal view returns (IIPRegistry.ApplicationRequest storage q) {
        q = _s().requests[requestId];
        if (q.state != IIPRegistry.RequestState.Pending) revert IIPRegistry.RequestNotPending(requestId, q.state);
    }

    function _checkOfficeAdmin(bytes2 office) internal view {
        if (_s().offices[office].admin != msg.sender) revert IIPRegistry.NotOfficeAdmin(office, msg.sender);
    }
}
