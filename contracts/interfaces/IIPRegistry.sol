// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPLedgerErrors} from "./IIPLedgerErrors.sol";

/// @title IP Ledger register of rights
/// @notice An interoperable register of intellectual-property rights shared by many offices.
/// Each right is an ERC-721 title token whose owner is the holder; title moves only by a
/// recorded assignment. Offices are named by WIPO ST.3 codes; legal-status moves follow
/// WIPO ST.27 / ST.61 / ST.87 categories.
interface IIPRegistry is IIPLedgerErrors {
    /// @notice Kinds of IP right.
    enum IPType {
        Patent,
        UtilityModel,
        TradeMark,
        IndustrialDesign,
        Copyright,
        GeographicalIndication,
        PlantVariety
    }

    /// @notice Legal status of a right. `None` means "not filed".
    enum Status {
        None,
        Filed,
        Published,
        Opposed,
        Registered,
        Renewed,
        Expired,
        Refused,
        Withdrawn,
        Revoked,
        Invalidated,
        Surrendered,
        Lapsed,
        Restored
    }

    /// @notice The legal events the register records, each with a WIPO ST.27 key event code (category letter and
    /// two digits, see `keyEventCodeOf`) and the office's national code (see `nationalCodeOf`). The first
    /// thirteen are the status moves, in the order of `Status` (from `Filed`).
    enum LegalEvent {
        Filed,
        Published,
        Opposed,
        Registered,
        Renewed,
        Expired,
        Refused,
        Withdrawn,
        Revoked,
        Invalidated,
        Surrendered,
        Lapsed,
        Restored,
        FilingDateCorrected,
        AssignmentRecorded,
        SecurityInterestRecorded,
        SecurityInterestReleased,
        LicenceRecorded,
        LicenceEnded
    }

    /// @notice WIPO ST.27 state of a right, derived from its status.
    enum St27State {
        Unknown,
        Pending,
        InForce,
        NotInForce
    }

    /// @notice Who anchored a document, judged at the time: the holder, a registrar of the right's office, or a
    /// third party. Proof of existence is open to all; readers tell the parties apart.
    enum AnchorRole {
        ThirdParty,
        Holder,
        Office
    }

    /// @notice State of an application request.
    enum RequestState {
        None,
        Pending,
        Accorded,
        Refused,
        Withdrawn
    }

    /// @notice State of a pending assignment.
    enum AssignmentState {
        None,
        Requested,
        Accepted
    }

    /// @notice On-chain record of a right: what on-chain logic reads. The first slot (holder to pledge count) is
    /// written at filing; the dates of the second by `register` and `renew`. The content hash, the block time of
    /// filing, the application number and the metadata URI and hash live in {RightFiled} (and {MetadataChanged}).
    /// @dev `assignmentSequence` counts the right's assignments (each request and each one-transaction
    /// assignment takes the next number, see {AssignTitle}); `pledgeCount` is the number of active security
    /// interests, kept by the wired {ISecurityInterests} (at most its MAX_PLEDGES_PER_RIGHT).
    struct Right {
        address holder;
        bytes2 office;
        IPType ipType;
        Status status;
        uint40 filingDate;
        uint16 assignmentSequence;
        uint8 pledgeCount;
        uint40 registrationDate;
        uint40 expiryDate;
    }

    /// @notice One legal-status move of a batch (see `changeStatusBatch`).
    struct StatusMove {
        uint256 rightId;
        Status to;
        uint40 effectiveDate;
        bytes32 documentHash;
    }

    /// @notice An applicant's request that an office accord an application number and a filing date.
    /// One slot and the content hash; `requestedAt` is the request's proof of existence.
    struct ApplicationRequest {
        address applicant;
        bytes2 office;
        IPType ipType;
        RequestState state;
        uint40 requestedAt;
        bytes32 contentHash;
    }

    /// @notice Input of one filing.
    struct Filing {
        bytes2 office;
        IPType ipType;
        address holder;
        uint40 filingDate;
        bytes32 contentHash;
        bytes32 metadataHash;
        string applicationNumber;
        string metadataURI;
    }

    /// @notice A pending change of ownership (two slots). `id` is the right's assignment sequence number the
    /// request took (requests and one-transaction assignments number from 1): a cancel, a rejection or a completed
    /// assignment ends one, and the next takes the next number, so signatures and creditor consents made for one
    /// never count for another. With no request pending (state None) `id` is the last number used.
    struct Assignment {
        address assignee;
        AssignmentState state;
        uint40 requestedAt;
        uint48 id;
        bytes32 deedHash;
    }

    // ------------------------------------------------------------------ errors

    /// @notice The office code was already added.
    /// @param code The office code.
    error OfficeExists(bytes2 code);

    /// @notice A right with the same (office, type, application number) was already filed.
    /// @param rightId The existing right's id.
    error RightExists(uint256 rightId);

    /// @notice The application number is empty.
    error EmptyApplicationNumber();

    /// @notice The application number is not 1 to 32 characters of the ST.13-compatible set: ASCII letters and
    /// digits, with "-", "/" and "." between them (it must start and end with a letter or digit).
    /// @param applicationNumber The rejected number.
    error MalformedApplicationNumber(string applicationNumber);

    /// @notice The application request is not pending (already accorded, refused or withdrawn, or unknown).
    /// @param requestId The request.
    /// @param state Its current state.
    error RequestNotPending(uint256 requestId, RequestState state);

    /// @notice Only the applicant may do this with the request.
    /// @param requestId The request.
    /// @param caller The caller.
    error NotApplicant(uint256 requestId, address caller);

    /// @notice A filing date lies in the future.
    /// @param filingDate The rejected date.
    /// @param timestamp The current block time.
    error FilingDateInFuture(uint40 filingDate, uint40 timestamp);

    /// @notice A filing date accorded from a request lies before the day (UTC) the request was made.
    /// @param requestId The request.
    /// @param requestDay Midnight (UTC) of the day the request was made.
    /// @param filingDate The rejected date.
    error FilingDateBeforeRequest(uint256 requestId, uint40 requestDay, uint40 filingDate);

    /// @notice A national event code is not printable ASCII, left-aligned and zero-padded.
    /// @param nationalCode The rejected code.
    error InvalidNationalCode(bytes8 nationalCode);

    /// @notice A batch contains no filings.
    error EmptyBatch();

    /// @notice The caller is neither the holder of the right nor a registrar of its office.
    /// @param rightId The right.
    /// @param caller The caller.
    error NotHolderOrRegistrar(uint256 rightId, address caller);

    /// @notice The caller may not make this status move (only withdrawal and surrender are the holder's).
    /// @param rightId The right.
    /// @param caller The caller.
    /// @param to The requested status.
    error StatusMoveNotAllowed(uint256 rightId, address caller, Status to);

    /// @notice The legal-status move is not in the lifecycle graph.
    /// @param rightId The right.
    /// @param from The current status.
    /// @param to The requested status.
    error InvalidTransition(uint256 rightId, Status from, Status to);

    /// @notice This target status carries details: use `register` or `renew`.
    /// @param to The requested status.
    error StatusNeedsDetails(Status to);

    /// @notice Dates are inconsistent (`later` must be after `earlier`).
    /// @param earlier The date that must come first.
    /// @param later The date that must come after it.
    error InvalidDates(uint40 earlier, uint40 later);

    /// @notice A bare ERC-721 transfer or approval was attempted; title moves only by recorded assignment.
    /// @param rightId The right.
    error TitleLocked(uint256 rightId);

    /// @notice The right's status does not allow an assignment.
    /// @param rightId The right.
    /// @param status Its current status.
    error NotAssignable(uint256 rightId, Status status);

    /// @notice An assignment is already pending for the right.
    /// @param rightId The right.
    /// @param assignee The pending assignee.
    error AssignmentPending(uint256 rightId, address assignee);

    /// @notice The right has no pending assignment in the required state.
    /// @param rightId The right.
    /// @param state The state it is in.
    error NoPendingAssignment(uint256 rightId, AssignmentState state);

    /// @notice The caller is not the assignee of the pending assignment.
    /// @param rightId The right.
    /// @param caller The caller.
    error NotAssignee(uint256 rightId, address caller);

    /// @notice An active pledge blocks the assignment: its creditor has not consented to this assignment at the
    /// right's current pledge version (see {ISecurityInterests}). The most senior such pledge is named.
    /// @param rightId The right.
    /// @param pledgeId The pledge.
    /// @param creditor The creditor whose consent is needed.
    error CreditorConsentRequired(uint256 rightId, uint256 pledgeId, address creditor);

    /// @notice An active pledge blocks the withdrawal or surrender of the right (it would wipe the interest out):
    /// its creditor releases it first, or the office records a court-ordered release.
    /// @param rightId The right.
    /// @param pledgeId The most senior active pledge.
    /// @param creditor Its creditor.
    error PledgeActive(uint256 rightId, uint256 pledgeId, address creditor);

    /// @notice The signed acceptance names an assignment request that is not the right's pending one (it was
    /// cancelled, rejected or completed and another requested since).
    /// @param rightId The right.
    /// @param assignmentId The request named.
    /// @param pendingId The right's pending request.
    error StaleAssignment(uint256 rightId, uint256 assignmentId, uint256 pendingId);

    /// @notice The security-interest register is already wired; it is set once.
    /// @param current Its address.
    error SecurityInterestsSet(address current);

    /// @notice The caller is not the admin of the office that must act.
    /// @param office The office.
    /// @param caller The caller.
    error NotOfficeAdmin(bytes2 office, address caller);

    /// @notice The office already has `MAX_REGISTRARS_PER_OFFICE` registrars.
    /// @param office The office.
    /// @param max The bound.
    error TooManyRegistrars(bytes2 office, uint256 max);

    /// @notice The account is already a registrar of the office.
    /// @param office The office.
    /// @param account The account.
    error RegistrarExists(bytes2 office, address account);

    /// @notice Only the wired security-interest register may keep a right's pledge count.
    /// @param caller The caller.
    error NotSecurityInterests(address caller);

    /// @notice The office requires recordal of assignments by its registrar: use `recordAssignmentBySig` or the
    /// two-step path.
    /// @param office The office.
    error RecordalRequired(bytes2 office);

    /// @notice A batch holds more items than one call takes.
    /// @param size The batch's size.
    /// @param max The bound (`MAX_BATCH`).
    error BatchTooLarge(uint256 size, uint256 max);

    // ------------------------------------------------------------------ events

    /// @notice An office joined the register (by the council's vote).
    /// @param office The office's ST.3 code.
    /// @param admin The office's admin account (grants its registrars, sets its codes and base URI).
    /// @param recordalRequired Whether its assignments need recordal by its registrar.
    event OfficeAdded(bytes2 indexed office, address indexed admin, bool recordalRequired);

    /// @notice An office left the register (by the council's vote); its registrars were revoked with it. Its
    /// rights stay on the register.
    /// @param office The office.
    event OfficeRemoved(bytes2 indexed office);

    /// @notice An office's admin account changed (by the council: a handover or a lost key).
    /// @param office The office.
    /// @param previousAdmin The admin before.
    /// @param newAdmin The admin now.
    event OfficeAdminSet(bytes2 indexed office, address indexed previousAdmin, address indexed newAdmin);

    /// @notice The office's admin made `account` a registrar of the office.
    /// @param office The office.
    /// @param account The new registrar.
    /// @param by The office admin.
    event RegistrarGranted(bytes2 indexed office, address indexed account, address by);

    /// @notice `account` is no longer a registrar of the office (revoked by its admin, or the office removed).
    /// @param office The office.
    /// @param account The former registrar.
    /// @param by The office admin (or the council's account when the office was removed).
    event RegistrarRevoked(bytes2 indexed office, address indexed account, address by);

    /// @notice The office set the base URI of its rights' metadata (`tokenURI` = base URI + decimal id; empty:
    /// the on-chain JSON document).
    /// @param office The office.
    /// @param uri The base URI.
    event BaseURISet(bytes2 indexed office, string uri);

    /// @notice An office changed whether assignments need recordal.
    /// @param office The office.
    /// @param recordalRequired The new setting.
    event RecordalRequirementSet(bytes2 indexed office, bool recordalRequired);

    /// @notice A right was filed.
    /// @param rightId The right's id (see `rightIdOf`).
    /// @param office The office of filing.
    /// @param holder The applicant and first holder.
    /// @param ipType The kind of right.
    /// @param applicationNumber The ST.13 application number.
    /// @param filingDate The filing date (unix seconds).
    /// @param contentHash SHA-256 of the specification or representation.
    /// @param metadataURI URI of the ST.96/ST.97-style metadata document.
    /// @param metadataHash Hash of that document.
    event RightFiled(
        uint256 indexed rightId,
        bytes2 indexed office,
        address indexed holder,
        IPType ipType,
        string applicationNumber,
        uint40 filingDate,
        bytes32 contentHash,
        string metadataURI,
        bytes32 metadataHash
    );

    /// @notice An applicant asked an office for an application number and a filing date.
    /// @param requestId The request's id.
    /// @param office The office asked.
    /// @param applicant The applicant, holder of the right once accorded.
    /// @param ipType The kind of right.
    /// @param contentHash SHA-256 of the specification or representation.
    /// @param metadataHash Hash of the application's metadata document.
    event ApplicationRequested(
        uint256 indexed requestId,
        bytes2 indexed office,
        address indexed applicant,
        IPType ipType,
        bytes32 contentHash,
        bytes32 metadataHash
    );

    /// @notice The office accorded a request an application number and a filing date: the right was filed.
    /// @param requestId The request.
    /// @param rightId The right filed for it (its `RightFiled` event is in the same transaction).
    /// @param registrar The registrar who accorded it.
    event ApplicationAccorded(uint256 indexed requestId, uint256 indexed rightId, address registrar);

    /// @notice The office refused a request; no number was accorded.
    /// @param requestId The request.
    /// @param registrar The registrar who refused it.
    /// @param reasonHash Hash of the office's decision.
    event ApplicationRefused(uint256 indexed requestId, address registrar, bytes32 reasonHash);

    /// @notice The applicant withdrew a pending request.
    /// @param requestId The request.
    event ApplicationWithdrawn(uint256 indexed requestId);

    /// @notice The office corrected a right's filing date (the correction is a recorded event, never a silent edit).
    /// @param rightId The right.
    /// @param oldDate The filing date before.
    /// @param newDate The filing date after.
    /// @param documentHash Hash of the office's decision.
    /// @param registrar The registrar who recorded it.
    /// @param keyEventCode The ST.27 key event code (category Y: event information corrected).
    /// @param nationalCode The office's own code for the event.
    event FilingDateCorrected(
        uint256 indexed rightId,
        uint40 oldDate,
        uint40 newDate,
        bytes32 documentHash,
        address registrar,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice A legal-status event was recorded.
    /// @param rightId The right.
    /// @param from The previous status.
    /// @param to The new status.
    /// @param keyEventCode The WIPO ST.27 key event code (category letter and two digits, see `keyEventCodeOf`).
    /// @param nationalCode The office's own code for the event (see `nationalCodeOf`).
    /// @param effectiveDate The date the event takes effect (unix seconds).
    /// @param documentHash Hash of the supporting document (zero if none).
    event StatusChanged(
        uint256 indexed rightId,
        Status from,
        Status to,
        bytes3 keyEventCode,
        bytes8 nationalCode,
        uint40 effectiveDate,
        bytes32 documentHash
    );

    /// @notice An office set its national code for a legal event.
    /// @param office The office.
    /// @param kind The legal event.
    /// @param nationalCode The code (zero: back to the default, the ST.27 key event code).
    event NationalCodeSet(bytes2 indexed office, LegalEvent indexed kind, bytes8 nationalCode);

    /// @notice Registration details were set (status moved to Registered).
    /// @param rightId The right.
    /// @param registrationNumber The registration number.
    /// @param registrationDate The registration date.
    /// @param expiryDate The expiry date.
    event RightRegistered(uint256 indexed rightId, string registrationNumber, uint40 registrationDate, uint40 expiryDate);

    /// @notice The right was renewed.
    /// @param rightId The right.
    /// @param expiryDate The new expiry date.
    event RightRenewed(uint256 indexed rightId, uint40 expiryDate);

    /// @notice The right's metadata document changed.
    /// @param rightId The right.
    /// @param metadataURI The new URI.
    /// @param metadataHash The new hash.
    event MetadataChanged(uint256 indexed rightId, string metadataURI, bytes32 metadataHash);

    /// @notice A document hash was anchored against a right: its proof of existence is this event's block time.
    /// Anchors live in events only (indexed by right, document hash and anchoring account); nothing is stored.
    /// @param rightId The right.
    /// @param documentHash The document's hash.
    /// @param anchoredBy The account that anchored it.
    /// @param tag A short label of the document's role (e.g. "deed", "priority", "evidence").
    /// @param role Whether `anchoredBy` was the holder, a registrar of the right's office, or a third party.
    event DocumentAnchored(
        uint256 indexed rightId, bytes32 indexed documentHash, address indexed anchoredBy, bytes32 tag, AnchorRole role
    );

    /// @notice The holder asked to assign the right.
    /// @param rightId The right.
    /// @param holder The current holder.
    /// @param assignee The proposed new holder.
    /// @param deedHash Hash of the deed of assignment.
    /// @param assignmentId The request's id (per right, from 1), which signatures and consents name.
    event AssignmentRequested(
        uint256 indexed rightId, address indexed holder, address indexed assignee, bytes32 deedHash, uint256 assignmentId
    );

    /// @notice The assignee accepted the assignment.
    /// @param rightId The right.
    /// @param assignee The assignee.
    /// @param bySignature True when accepted by a relayed EIP-712 signature.
    event AssignmentAccepted(uint256 indexed rightId, address indexed assignee, bool bySignature);

    /// @notice Title moved: the assignment took effect (recorded by the office, or at acceptance).
    /// @param rightId The right.
    /// @param from The previous holder.
    /// @param to The new holder.
    /// @param deedHash Hash of the deed of assignment.
    /// @param recordedBy The registrar who recorded it, or the zero address when no recordal was required.
    /// @param keyEventCode The ST.27 key event code (category R: party data change recorded).
    /// @param nationalCode The office's own code for the event.
    event AssignmentRecorded(
        uint256 indexed rightId,
        address indexed from,
        address indexed to,
        bytes32 deedHash,
        address recordedBy,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice The holder cancelled a pending assignment.
    /// @param rightId The right.
    /// @param assignee The assignee.
    event AssignmentCancelled(uint256 indexed rightId, address indexed assignee);

    /// @notice The office rejected a pending assignment.
    /// @param rightId The right.
    /// @param assignee The assignee.
    /// @param registrar The registrar who rejected it.
    event AssignmentRejected(uint256 indexed rightId, address indexed assignee, address registrar);

    /// @notice The security-interest register was wired (once).
    /// @param interests The {ISecurityInterests} contract.
    event SecurityInterestsWired(address indexed interests);

    // ------------------------------------------------------------------ offices

    /// @notice Admits an office (restricted: the council, by vote). Emits {OfficeAdded}.
    /// @param office ST.3 code, two upper-case letters.
    /// @param admin The office's admin account (non-zero; an EOA or a contract wallet).
    /// @param recordalRequired Whether assignments need recordal by the office's registrar.
    function addOffice(bytes2 office, address admin, bool recordalRequired) external;

    /// @notice Removes an office (restricted: the council, by vote): its registrars stop at once (each revoked,
    /// {RegistrarRevoked}), its admin too; its rights stay. Emits {OfficeRemoved}.
    /// @param office The office.
    function removeOffice(bytes2 office) external;

    /// @notice Replaces an office's admin (restricted: the council, on a seat handover or a lost key).
    /// Emits {OfficeAdminSet}.
    /// @param office The office.
    /// @param admin The new admin (non-zero).
    function setOfficeAdmin(bytes2 office, address admin) external;

    /// @notice Sets whether an office's assignments need recordal (restricted: the council's timelock).
    /// @param office The office.
    /// @param recordalRequired The new setting.
    function setRecordalRequired(bytes2 office, bool recordalRequired) external;

    /// @notice Grants an office's registrar role (the office's admin only; at most `MAX_REGISTRARS_PER_OFFICE`).
    /// Emits {RegistrarGranted}.
    /// @param office The office.
    /// @param account The new registrar.
    function grantRegistrar(bytes2 office, address account) external;

    /// @notice Revokes an office's registrar (the office's admin only). Emits {RegistrarRevoked}.
    /// @param office The office.
    /// @param account The registrar.
    function revokeRegistrar(bytes2 office, address account) external;

    /// @notice Sets the base URI of the office's rights' metadata (the office's admin only; empty: the on-chain
    /// JSON document). Emits {BaseURISet} and ERC-4906 `BatchMetadataUpdate` over every id.
    /// @param office The office.
    /// @param uri The base URI (the decimal right id is appended).
    function setBaseURI(bytes2 office, string calldata uri) external;

    /// @notice Wires the security-interest register ({ISecurityInterests}) that the register asks before an
    /// assignment of a pledged right takes effect and before its withdrawal or surrender (restricted: the
    /// deployment, then the council; once; its `registry()` must be this register). Emits {SecurityInterestsWired}.
    /// @param interests The SecurityInterests contract.
    function setSecurityInterests(address interests) external;

    /// @notice Sets a right's count of active security interests (the wired security-interest register only, in
    /// the transaction that records or releases one, whose event reports it).
    /// @param rightId The right.
    /// @param count The number of active pledges on it.
    function setPledgeCount(uint256 rightId, uint8 count) external;

    // ------------------------------------------------------------------ rights

    /// @notice Files one right for its holder. Only the office accords application numbers and filing dates:
    /// the caller is a registrar of `filing.office`. Applicants use `requestApplication`.
    /// Requirements: the office exists; the number is well formed and new; the filing date is not in the future
    /// (0 means now).
    /// Emits {RightFiled} and {StatusChanged}.
    /// @param filing The filing.
    /// @return rightId The new right's id.
    function file(Filing calldata filing) external returns (uint256 rightId);

    /// @notice Files many rights in one transaction (office registrar only; see `file`).
    /// @param filings The filings.
    /// @param skipExisting If true, a filing whose right already exists is skipped instead of reverting.
    /// @return filed How many rights were filed.
    function fileBatch(Filing[] calldata filings, bool skipExisting) external returns (uint256 filed);

    /// @notice An applicant asks `office` to accord an application number and a filing date. Anyone may ask;
    /// the block time is the request's proof of existence. A request never occupies an office number.
    /// Emits {ApplicationRequested}.
    /// @param office The office asked (must exist).
    /// @param ipType The kind of right.
    /// @param contentHash SHA-256 of the specification or representation.
    /// @param metadataHash Hash of the application's metadata document.
    /// @return requestId The request's id (sequential from 1).
    function requestApplication(bytes2 office, IPType ipType, bytes32 contentHash, bytes32 metadataHash)
        external
        returns (uint256 requestId);

    /// @notice The office accords a pending request an application number and a filing date: the right is filed
    /// with the applicant as holder and the request's content hash.
    /// Requirements: a registrar of the request's office; the filing date is not in the future and not before
    /// the day (UTC) of the request (0 means now).
    /// Emits {RightFiled}, {StatusChanged} and {ApplicationAccorded}.
    /// @param requestId The request.
    /// @param applicationNumber The ST.13 application number the office accords.
    /// @param filingDate The filing date the office accords (unix seconds; 0 = now).
    /// @param metadataURI URI of the metadata document (may be empty).
    /// @param metadataHash Hash of that document.
    /// @return rightId The new right's id.
    function accordRequest(
        uint256 requestId,
        string calldata applicationNumber,
        uint40 filingDate,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external returns (uint256 rightId);

    /// @notice The office refuses a pending request (a registrar of its office). Emits {ApplicationRefused}.
    /// @param requestId The request.
    /// @param reasonHash Hash of the office's decision.
    function refuseRequest(uint256 requestId, bytes32 reasonHash) external;

    /// @notice The applicant withdraws a pending request. Emits {ApplicationWithdrawn}.
    /// @param requestId The request.
    function withdrawRequest(uint256 requestId) external;

    /// @notice The office corrects a right's filing date (a registrar of its office). The new date is not in the
    /// future and not after the registration date. Emits {FilingDateCorrected}.
    /// @param rightId The right.
    /// @param filingDate The corrected filing date.
    /// @param documentHash Hash of the office's decision.
    function correctFilingDate(uint256 rightId, uint40 filingDate, bytes32 documentHash) external;

    /// @notice Moves a right to Registered and sets its registration details (office registrar only).
    /// @param rightId The right.
    /// @param registrationNumber The registration number.
    /// @param registrationDate The registration date.
    /// @param expiryDate The expiry date (after the registration date).
    /// @param documentHash Hash of the decision (zero if none).
    function register(
        uint256 rightId,
        string calldata registrationNumber,
        uint40 registrationDate,
        uint40 expiryDate,
        bytes32 documentHash
    ) external;

    /// @notice Renews a registered right to a later expiry date (office registrar only).
    /// @param rightId The right.
    /// @param expiryDate The new expiry date (after the current one).
    /// @param documentHash Hash of the renewal document (zero if none).
    function renew(uint256 rightId, uint40 expiryDate, bytes32 documentHash) external;

    /// @notice Records many legal-status moves in one transaction (at most `MAX_BATCH`), each as `changeStatus`
    /// would: the whole batch reverts on the first move refused.
    /// @param moves The moves, in order.
    function changeStatusBatch(StatusMove[] calldata moves) external;

    /// @notice Records any other legal-status move. Withdrawal and surrender may also come from the holder;
    /// while a pledge is active they need its release first (they would wipe out the security interest):
    /// reverts {PledgeActive}.
    /// @param rightId The right.
    /// @param to The new status.
    /// @param effectiveDate The date it takes effect (0 = now).
    /// @param documentHash Hash of the supporting document (zero if none).
    function changeStatus(uint256 rightId, Status to, uint40 effectiveDate, bytes32 documentHash) external;

    /// @notice Replaces the right's metadata document (holder or office registrar).
    /// @param rightId The right.
    /// @param metadataURI The new URI.
    /// @param metadataHash The new hash.
    function updateMetadata(uint256 rightId, string calldata metadataURI, bytes32 metadataHash) external;

    /// @notice Anchors a document hash against a right; the block time is the proof of existence.
    /// @param rightId The right.
    /// @param documentHash The document's hash.
    /// @param tag A short label of its role.
    function anchorDocument(uint256 rightId, bytes32 documentHash, bytes32 tag) external;

    // ------------------------------------------------------------------ assignments

    /// @notice The holder asks to assign the right to `assignee`. The request takes the right's next assignment id.
    /// Emits {AssignmentRequested}.
    /// @param rightId The right.
    /// @param assignee The proposed new holder.
    /// @param deedHash Hash of the deed of assignment.
    function requestAssignment(uint256 rightId, address assignee, bytes32 deedHash) external;

    /// @notice The assignee accepts the pending assignment.
    /// @param rightId The right.
    function acceptAssignment(uint256 rightId) external;

    /// @notice Anyone relays the assignee's signed acceptance: `AcceptAssignment(uint256 rightId,uint256 assignmentId,
    /// address assignee,bytes32 deedHash,uint256 deadline)` under this contract's EIP-712 domain, by the assignee's
    /// key or its ERC-1271 wallet. Acceptances of different requests are independent (no ordered nonce): they can
    /// be relayed in any order. Reverts {StaleAssignment} for another request's id, {SignatureExpired},
    /// {RevokedSignature} or {InvalidSignature}.
    /// @param rightId The right.
    /// @param assignmentId The assignment request signed for (see `pendingAssignment`).
    /// @param deadline The signature's deadline.
    /// @param signature The assignee's signature.
    function acceptAssignmentBySig(uint256 rightId, uint256 assignmentId, uint256 deadline, bytes calldata signature)
        external;

    /// @notice The holder assigns the right in one transaction, carrying the assignee's EIP-712 acceptance
    /// `AssignTitle(uint256 rightId,address holder,address assignee,bytes32 deedHash,uint256 sequence,uint256 deadline)`
    /// (its key or its ERC-1271 wallet), for offices that do not require recordal. `sequence` is the right's
    /// assignment sequence number (`rightOf(id).assignmentSequence`) at signing: the assignment bumps it, so the
    /// signature cannot be relayed again, nor after a request, nor for another holder. A pledged right takes the
    /// two-step path (its creditors consent to the pending request): reverts {CreditorConsentRequired}.
    /// Emits {AssignmentRecorded} and `Transfer`.
    /// @param rightId The right.
    /// @param assignee The new holder.
    /// @param deedHash Hash of the deed of assignment.
    /// @param sequence The assignment sequence number signed for.
    /// @param deadline The signature's deadline.
    /// @param assigneeSignature The assignee's signature.
    function assign(
        uint256 rightId,
        address assignee,
        bytes32 deedHash,
        uint256 sequence,
        uint256 deadline,
        bytes calldata assigneeSignature
    ) external;

    /// @notice The office's registrar records an assignment in one transaction, carrying the holder's and the
    /// assignee's signatures of the same {assign} message (`AssignTitle`). Same rules as `assign`; any office.
    /// Emits {AssignmentRecorded} (naming the registrar) and `Transfer`.
    /// @param rightId The right.
    /// @param assignee The new holder.
    /// @param deedHash Hash of the deed of assignment.
    /// @param sequence The assignment sequence number signed for.
    /// @param deadline The signatures' deadline.
    /// @param holderSignature The holder's signature.
    /// @param assigneeSignature The assignee's signature.
    function recordAssignmentBySig(
        uint256 rightId,
        address assignee,
        bytes32 deedHash,
        uint256 sequence,
        uint256 deadline,
        bytes calldata holderSignature,
        bytes calldata assigneeSignature
    ) external;

    /// @notice The office registrar records an accepted assignment; title moves. Every active pledge's creditor must
    /// have consented to this assignment (else {CreditorConsentRequired}); the pledges follow the right.
    /// @param rightId The right.
    function recordAssignment(uint256 rightId) external;

    /// @notice The holder cancels a pending assignment before it takes effect.
    /// @param rightId The right.
    function cancelAssignment(uint256 rightId) external;

    /// @notice The office registrar rejects a pending assignment.
    /// @param rightId The right.
    function rejectAssignment(uint256 rightId) external;

    // ------------------------------------------------------------------ reads

    /// @notice The id of the right filed at `office` for `ipType` under `applicationNumber`.
    /// @param office The office.
    /// @param ipType The kind of right.
    /// @param applicationNumber The ST.13 application number.
    /// @return The right id: uint256(keccak256(abi.encode(office, uint8(ipType), applicationNumber))).
    function rightIdOf(bytes2 office, IPType ipType, string calldata applicationNumber) external pure returns (uint256);

    /// @notice The on-chain record of a right (reverts if unknown).
    /// @param rightId The right.
    /// @return The record.
    function rightOf(uint256 rightId) external view returns (Right memory);

    /// @notice Whether a right exists.
    /// @param rightId The right.
    /// @return True if filed.
    function exists(uint256 rightId) external view returns (bool);

    /// @notice Current holder and status in one call (zero and None if unknown).
    /// @param rightId The right.
    /// @return holder The holder.
    /// @return status The status.
    function holderAndStatus(uint256 rightId) external view returns (address holder, Status status);

    /// @notice What another register contract needs of a right in one call (one cold read behind the proxy):
    /// its holder (zero if none), status (None if it does not exist) and office.
    /// @param rightId The right.
    /// @return holder The holder.
    /// @return status The status.
    /// @return office The office's ST.3 code.
    function holderStatusOffice(uint256 rightId) external view returns (address holder, Status status, bytes2 office);

    /// @notice Whether the right has ended (Expired, Refused, Withdrawn, Revoked, Invalidated, Surrendered, Lapsed).
    /// @param rightId The right.
    /// @return True if ended.
    function isEnded(uint256 rightId) external view returns (bool);

    /// @notice The pending assignment of a right.
    /// @param rightId The right.
    /// @return The assignment (state None if there is none).
    function pendingAssignment(uint256 rightId) external view returns (Assignment memory);

    /// @notice The security-interest register ({ISecurityInterests}), zero until wired.
    /// @return The SecurityInterests contract.
    function securityInterests() external view returns (address);

    /// @notice The WIPO ST.27 state of a right: pending (filed, published, opposed), in force (registered,
    /// renewed, restored) or not in force (every ended status, a lapse included); Unknown if not filed.
    /// @param rightId The right.
    /// @return The state.
    function st27StateOf(uint256 rightId) external view returns (St27State);

    /// @notice Whether an office exists, whether it requires recordal, and its admin.
    /// @param office The office.
    /// @return exists_ True if admitted (and not removed).
    /// @return recordalRequired Its recordal setting.
    /// @return admin Its admin account (zero if none).
    function officeInfo(bytes2 office) external view returns (bool exists_, bool recordalRequired, address admin);

    /// @notice Every office code, in the order added.
    /// @return The codes.
    function offices() external view returns (bytes2[] memory);

    /// @notice Whether `account` is a registrar of `office`.
    /// @param office The office.
    /// @param account The account.
    /// @return True if it holds the role.
    function isRegistrar(bytes2 office, address account) external view returns (bool);

    /// @notice The office's registrars (at most `MAX_REGISTRARS_PER_OFFICE`).
    /// @param office The office.
    /// @return The registrars, in no particular order.
    function registrarsOf(bytes2 office) external view returns (address[] memory);

    /// @notice The office's metadata base URI (empty: the on-chain JSON document).
    /// @param office The office.
    /// @return The base URI.
    function baseURIOf(bytes2 office) external view returns (string memory);

    /// @notice An application request.
    /// @param requestId The request.
    /// @return The request (state `None` if unknown).
    function requestOf(uint256 requestId) external view returns (ApplicationRequest memory);

    /// @notice The WIPO ST.27 key event code of a legal event: its category letter (A filed, B application
    /// discontinued, E pre-grant review requested, F granted, H ceased, K revived, M maintained, N terminated,
    /// Q published, R party data change, S licensing, Y correction) and two digits of this project's numbering.
    /// @param kind The legal event.
    /// @return The code, e.g. "F10".
    function keyEventCodeOf(LegalEvent kind) external pure returns (bytes3);

    /// @notice The office's own code for a legal event: the code it set, or by default the ST.27 key event code.
    /// @param office The office.
    /// @param kind The legal event.
    /// @return The national code (ASCII, zero-padded).
    function nationalCodeOf(bytes2 office, LegalEvent kind) external view returns (bytes8);

    /// @notice Sets the office's national code for a legal event (the office's admin; zero restores the default).
    /// Emits {NationalCodeSet}.
    /// @param office The office.
    /// @param kind The legal event.
    /// @param nationalCode The code: printable ASCII, left-aligned, zero-padded.
    function setNationalCode(bytes2 office, LegalEvent kind, bytes8 nationalCode) external;
}
