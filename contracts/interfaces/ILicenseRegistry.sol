// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIPRegistry} from "./IIPRegistry.sol";
import {IRevocableSignatures} from "./IRevocableSignatures.sol";

/// @title IP Ledger license register
/// @notice Licenses granted under the rights of {IIPRegistry}, as a tree per right (ERC-5218 style):
/// the holder of a right offers root licenses, the licensee of an active sublicensable license
/// offers sublicenses under it. Every offer has a deadline; a license is active once its licensee
/// accepts it (before the deadline), and ends by termination (licensor), surrender (licensee),
/// expiry (time), the end of its parent, or the end of the right. Ending is read lazily: nothing is
/// written when a license expires, when an offer's deadline passes, or when an ancestor or the right ends.
///
/// Licensor positions. Each right has one root position (its holder's: the parent id 0) and each
/// license is the position of its own sublicenses (the parent id is the license). A position's
/// *open* entries are its pending offers whose deadline has not passed and its licenses that may
/// still be active; exclusivity is checked among the open entries of one position (siblings), which
/// is enough: a sublicense stays within its parent's kind, territories, field and period, so two
/// licenses under different parents conflict only if two of their ancestors that are siblings do.
///
/// Scope of a question (`isLicensed`). A question names one territory (an ST.3 code, `WO` =
/// the whole world), one field (a field hash, 0 = all fields) and one moment. A license *covers*
/// it when it includes the whole of that scope: its territories include the code or `WO` (a question
/// for `WO` needs a license for `WO`), its field is 0 or the field asked (a question for all fields
/// needs a license for all fields), and its period includes the moment. A license *touches* it when
/// they share any part: the same code or either is `WO`, the same field or either is 0, and the
/// moment is within its period. An exclusive license excludes everyone else in its scope, its own
/// licensor included. So a party is licensed for a scope when it has a *source* covering it — the
/// right itself if it is the holder, or an active license it holds — and no active exclusive license
/// held by another party touches the scope, other than the licenses that source derives from (its
/// ancestors). The exclusivity rules leave such a license only directly under the source (a root
/// license for the holder, a sublicense for a license), or directly under a license of the party
/// there: that is where the register looks. Sole licenses exclude other licensees (which the
/// exclusivity rules already keep out) but not their licensor.
///
/// Bounds (so every loop has a known maximum):
/// - a license tree is at most `MAX_DEPTH` (8) licenses deep: the ancestor walk of every read
///   takes at most 8 steps;
/// - a licensor position holds at most `MAX_OPEN_PER_LICENSOR` (64) open entries: an offer beyond it
///   reverts {TooManyLicenses} naming the position, after entries that can never become active again
///   (withdrawn, terminated, surrendered, expired, past their deadline, under an ended parent) have been
///   dropped. Only the licensor of a position fills it, so no one below the holder can use up the
///   holder's capacity: a licensee's sub-offers count against its own license, never the holder's;
/// - a party holds at most `MAX_HELD_PER_PARTY` (16) active licenses on one right ({TooManyLicensesHeld}
///   on acceptance, grant or transfer; surrendering one frees room): the licenses `isLicensed` looks at;
/// - an offer's deadline is at most `MAX_OFFER_WINDOW` (365 days) ahead and never after the license's end;
/// - at most `MAX_TERRITORIES` (32) territory codes per license.
/// So `isLicensed` reads at most 16 licenses of the party, each with the 64 open entries under it, and the
/// holder's 64 root entries, each looked through once; offers and grants scan one position (64), and only when
/// the new license or an entry of the position is exclusive or sole; acceptances do not scan again (every open
/// entry was checked against every other when it was admitted, and terms never change).
///
/// Terms. A license's terms (kind, territories, field, period, royalty, flags, agreement hash) are interned once
/// ({registerTerms}, or implicitly by {offerLicenseWithTerms}) and referred to by a sequential id: the full terms,
/// the field label and the agreement URI are in the {TermsRegistered} event; storage keeps only what the rules read
/// (kind, territories, field hash, period, flags, royalty). The same terms and URI always map to the same id.
///
/// Signatures. A relayed acceptance names the exact offer (its id, licensee and terms id), so acceptances of
/// different offers can be signed and relayed in any order; a re-offer is a new offer with a new id, which no old
/// signature names. A one-transaction grant ({grantLicenseBySig}) carries the licensee's signature of the exact
/// license (right, parent, licensee, terms id) and of the licensor position's grant sequence, which each grant
/// there bumps: a grant signature is used at most once, with no nonce per signer. The licensee may revoke an
/// unused signature ({IRevocableSignatures-revokeSignature}); contract-wallet licensees sign by ERC-1271.
///
/// Time is unix seconds. A license covers the closed period [start, end]; `end` 0 means until
/// the right ends. A license whose `end` is before the current block time reads as expired.
interface ILicenseRegistry is IRevocableSignatures {
    /// @notice How exclusive a license is. A stronger kind has a smaller value.
    /// `Exclusive` excludes everyone else in its scope, its licensor (the holder, or the parent's licensee)
    /// included; `Sole` excludes every other licensee but not its licensor; `NonExclusive` excludes no one.
    enum LicenseKind {
        Exclusive,
        Sole,
        NonExclusive
    }

    /// @notice Stored state of a license. Expiry and the end of a parent or of the right are not
    /// stored: read `isLicenseActive` (or `License.active`) for the effective answer.
    enum LicenseState {
        None,
        Offered,
        Active,
        Withdrawn,
        Terminated,
        Surrendered
    }

    /// @notice Terms of a license, as offered.
    struct Terms {
        /// @dev Exclusive, sole or non-exclusive.
        LicenseKind kind;
        /// @dev WIPO ST.3 codes (two upper-case letters); "WO" means worldwide. 1 to 32 codes.
        bytes2[] territories;
        /// @dev keccak256 of the field-of-use label; zero means all fields.
        bytes32 fieldHash;
        /// @dev First second covered (0 = from the start of the right).
        uint64 start;
        /// @dev Last second covered (0 = until the right ends).
        uint64 end;
        /// @dev Royalty in basis points, at most 10000.
        uint16 royaltyBps;
        /// @dev Whether the licensee may offer sublicenses under it.
        bool sublicensable;
        /// @dev Whether the licensee may transfer it to another party.
        bool transferable;
        /// @dev Hash of the license agreement document.
        bytes32 termsHash;
    }

    /// @notice A license as read back, with its licensor and effective activity resolved now.
    struct License {
        /// @dev The licensed right.
        uint256 rightId;
        /// @dev The license it is a sublicense of (0 for a root license).
        uint256 parentId;
        /// @dev Who may terminate it now: the holder of the right (root), or the licensee of the parent.
        address licensor;
        /// @dev The current licensee.
        address licensee;
        /// @dev Exclusive, sole or non-exclusive.
        LicenseKind kind;
        /// @dev The stored state.
        LicenseState state;
        /// @dev Whether it is in force now (see `isLicenseActive`).
        bool active;
        /// @dev Its depth in the tree (1 for a root license).
        uint8 depth;
        /// @dev ST.3 territory codes.
        bytes2[] territories;
        /// @dev Field-of-use label hash (0 = all fields).
        bytes32 fieldHash;
        /// @dev First second covered.
        uint64 start;
        /// @dev Last second covered (0 = until the right ends).
        uint64 end;
        /// @dev Royalty in basis points.
        uint16 royaltyBps;
        /// @dev Whether sublicenses may be offered under it.
        bool sublicensable;
        /// @dev Whether the licensee may transfer it.
        bool transferable;
        /// @dev The interned terms (the agreement hash, field label and URI are in {TermsRegistered}).
        uint256 termsId;
        /// @dev The last second at which the offer could be (or could have been) accepted (0 for a license granted
        /// in one transaction by {grantLicenseBySig}).
        uint64 deadline;
    }

    // ------------------------------------------------------------------ errors

    /// @notice No interned terms with this id exist.
    /// @param termsId The unknown id.
    error TermsNotFound(uint256 termsId);

    /// @notice No license with this id exists.
    /// @param licenseId The unknown id.
    error LicenseNotFound(uint256 licenseId);

    /// @notice The right has ended (see `IIPRegistry.isEnded`): nothing can be offered or accepted under it.
    /// @param rightId The right.
    /// @param status Its status.
    error RightEnded(uint256 rightId, IIPRegistry.Status status);

    /// @notice The caller is not the licensor of the license (the holder of the right, or the licensee of the parent).
    /// @param licenseId The license.
    /// @param caller The caller.
    error NotLicensor(uint256 licenseId, address caller);

    /// @notice The caller is not the licensee of the license.
    /// @param licenseId The license (for a sublicense offer: the parent).
    /// @param caller The caller.
    error NotLicensee(uint256 licenseId, address caller);

    /// @notice The license is not a pending offer.
    /// @param licenseId The license.
    /// @param state Its stored state.
    error NotOffered(uint256 licenseId, LicenseState state);

    /// @notice The license is not active (not accepted, ended, expired, under an ended parent, or its right ended).
    /// @param licenseId The license.
    error LicenseNotActive(uint256 licenseId);

    /// @notice The offer's deadline has passed: it can no longer be accepted (and no longer counts anywhere).
    /// @param licenseId The offer.
    /// @param deadline Its deadline.
    /// @param timestamp The current block time.
    error OfferExpired(uint256 licenseId, uint64 deadline, uint256 timestamp);

    /// @notice An offer's deadline is before now, more than `MAX_OFFER_WINDOW` ahead, or after the license's end.
    /// @param deadline The deadline given.
    /// @param timestamp The current block time.
    /// @param latest The latest deadline allowed (now + `MAX_OFFER_WINDOW`, or the license's end if earlier).
    error InvalidOfferDeadline(uint64 deadline, uint256 timestamp, uint256 latest);

    /// @notice The parent license belongs to another right.
    /// @param parentId The parent.
    /// @param parentRightId The parent's right.
    /// @param rightId The right named in the offer.
    error ParentOfOtherRight(uint256 parentId, uint256 parentRightId, uint256 rightId);

    /// @notice The parent license does not allow sublicensing.
    /// @param parentId The parent.
    error NotSublicensable(uint256 parentId);

    /// @notice A sublicense under this parent would be deeper than `maxDepth`.
    /// @param parentId The parent.
    /// @param maxDepth The maximum depth of a license tree.
    error TreeTooDeep(uint256 parentId, uint8 maxDepth);

    /// @notice The license may not be transferred.
    /// @param licenseId The license.
    error NotTransferable(uint256 licenseId);

    /// @notice The royalty is above 10000 basis points.
    /// @param royaltyBps The rejected royalty.
    error RoyaltyTooHigh(uint16 royaltyBps);

    /// @notice The number of territory codes is 0 or above the maximum.
    /// @param count The number given.
    /// @param max The maximum.
    error TerritoryCount(uint256 count, uint256 max);

    /// @notice A territory code is not two upper-case ASCII letters (WIPO ST.3).
    /// @param code The rejected code.
    error InvalidTerritory(bytes2 code);

    /// @notice The period is empty or already over (`end` must be 0, or after `start` and not before now).
    /// @param start The start.
    /// @param end The end.
    error InvalidPeriod(uint64 start, uint64 end);

    /// @notice The field-of-use label does not hash to the field hash (an empty label goes with a zero hash).
    /// @param fieldHash The field hash given.
    /// @param labelHash keccak256 of the label (zero for an empty label).
    error FieldLabelMismatch(bytes32 fieldHash, bytes32 labelHash);

    /// @notice The sublicense is more exclusive than its parent.
    /// @param parentId The parent.
    /// @param parentKind The parent's kind.
    /// @param kind The sublicense's kind.
    error ExceedsParentKind(uint256 parentId, LicenseKind parentKind, LicenseKind kind);

    /// @notice A territory of the sublicense is outside its parent's territories.
    /// @param parentId The parent.
    /// @param territory The territory not covered by the parent.
    error ExceedsParentTerritory(uint256 parentId, bytes2 territory);

    /// @notice The sublicense's field of use is wider than or different from its parent's.
    /// @param parentId The parent.
    /// @param parentFieldHash The parent's field hash.
    /// @param fieldHash The sublicense's field hash.
    error ExceedsParentField(uint256 parentId, bytes32 parentFieldHash, bytes32 fieldHash);

    /// @notice The sublicense's period is outside its parent's.
    /// @param parentId The parent.
    /// @param parentStart The parent's start.
    /// @param parentEnd The parent's end (0 = open).
    /// @param start The sublicense's start.
    /// @param end The sublicense's end (0 = open).
    error ExceedsParentPeriod(uint256 parentId, uint64 parentStart, uint64 parentEnd, uint64 start, uint64 end);

    /// @notice The license overlaps another open entry of the same licensor position (a sibling: a live license
    /// or a pending offer before its deadline) in territory, field and time, and one of the two is exclusive or sole.
    /// @param licenseId The license being offered or accepted.
    /// @param conflictingId The license it conflicts with.
    error LicenseConflict(uint256 licenseId, uint256 conflictingId);

    /// @notice The licensor position already has the maximum number of open entries (pending offers and
    /// licenses that may still be active).
    /// @param rightId The right.
    /// @param parentId The position: 0 for the holder's root licenses, else the parent license.
    /// @param max The maximum (`MAX_OPEN_PER_LICENSOR`).
    error TooManyLicenses(uint256 rightId, uint256 parentId, uint256 max);

    /// @notice The party already holds the maximum number of active licenses on the right.
    /// @param rightId The right.
    /// @param party The party.
    /// @param max The maximum (`MAX_HELD_PER_PARTY`).
    error TooManyLicensesHeld(uint256 rightId, address party, uint256 max);

    // ------------------------------------------------------------------ events

    /// @notice Terms were interned under a new id.
    /// @param termsId The new id (sequential from 1).
    /// @param contentHash keccak256(abi.encode(terms, termsURI)): the key {termsIdOf} looks up.
    /// @param terms The full terms (kind, territories, field hash, period, royalty, flags, agreement hash).
    /// @param fieldLabel The field-of-use label whose keccak256 is `terms.fieldHash` (empty for all fields).
    /// @param termsURI URI of the license agreement document.
    event TermsRegistered(
        uint256 indexed termsId, bytes32 indexed contentHash, Terms terms, string fieldLabel, string termsURI
    );

    /// @notice A licensor offered a license (or a sublicense under `parentId`).
    /// @param rightId The right.
    /// @param licenseId The new license's id.
    /// @param licensee The party it is offered to.
    /// @param parentId The parent license (0 for a root license).
    /// @param licensor The party who offered it (the holder, or the parent's licensee).
    /// @param termsId The interned terms (see {TermsRegistered}).
    /// @param deadline The last second at which the licensee may accept.
    event LicenseOffered(
        uint256 indexed rightId,
        uint256 indexed licenseId,
        address indexed licensee,
        uint256 parentId,
        address licensor,
        uint256 termsId,
        uint64 deadline
    );

    /// @notice The licensor granted a license in one transaction with the licensee's signature; it is active.
    /// @param rightId The right.
    /// @param licenseId The new license's id.
    /// @param licensee The licensee (who signed).
    /// @param parentId The parent license (0 for a root license).
    /// @param licensor The party who granted it (the holder, or the parent's licensee).
    /// @param termsId The interned terms (see {TermsRegistered}).
    /// @param keyEventCode The WIPO ST.27 key event code (category S: licensing information recorded, S10).
    /// @param nationalCode The right's office's own code for the event (`IIPRegistry.nationalCodeOf`).
    event LicenseGranted(
        uint256 indexed rightId,
        uint256 indexed licenseId,
        address indexed licensee,
        uint256 parentId,
        address licensor,
        uint256 termsId,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice The licensee accepted the offer; the license is active.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param licensee The licensee.
    /// @param bySignature True when accepted by a relayed EIP-712 (or ERC-1271) signature.
    /// @param keyEventCode The WIPO ST.27 key event code (category S: licensing information recorded, S10).
    /// @param nationalCode The right's office's own code for the event (`IIPRegistry.nationalCodeOf`).
    event LicenseAccepted(
        uint256 indexed rightId,
        uint256 indexed licenseId,
        address indexed licensee,
        bool bySignature,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice The licensor withdrew a pending offer.
    /// @param rightId The right.
    /// @param licenseId The offer.
    /// @param licensor The licensor who withdrew it.
    event OfferWithdrawn(uint256 indexed rightId, uint256 indexed licenseId, address indexed licensor);

    /// @notice The licensor terminated a license; its sublicenses end with it.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param licensor The licensor who terminated it.
    /// @param licensee The licensee at termination.
    /// @param keyEventCode The WIPO ST.27 key event code (category S: licence ended, S20).
    /// @param nationalCode The right's office's own code for the event.
    event LicenseTerminated(
        uint256 indexed rightId,
        uint256 indexed licenseId,
        address indexed licensor,
        address licensee,
        bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice The licensee surrendered a license; its sublicenses end with it.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param licensee The licensee who surrendered it.
    /// @param keyEventCode The WIPO ST.27 key event code (category S: licence ended, S20).
    /// @param nationalCode The right's office's own code for the event.
    event LicenseSurrendered(
        uint256 indexed rightId, uint256 indexed licenseId, address indexed licensee, bytes3 keyEventCode,
        bytes8 nationalCode
    );

    /// @notice The licensee transferred a transferable license; its sublicenses stay, the new licensee their licensor.
    /// @param rightId The right.
    /// @param licenseId The license.
    /// @param to The new licensee.
    /// @param from The previous licensee.
    event LicenseTransferred(uint256 indexed rightId, uint256 indexed licenseId, address indexed to, address from);

    // ------------------------------------------------------------------ lifecycle

    /// @notice Interns `terms` with their agreement URI and returns their id: the existing id when the same terms
    /// and URI were registered before (nothing is written then), else a new one. Open to anyone.
    ///
    /// Requirements: the register is not paused; royalty at most 10000 ({RoyaltyTooHigh}); `end` 0 or after
    /// `start` ({InvalidPeriod}); 1 to `MAX_TERRITORIES` ST.3 codes ({TerritoryCount}, {InvalidTerritory});
    /// keccak256(fieldLabel) is `terms.fieldHash`, or both empty ({FieldLabelMismatch}).
    ///
    /// Emits a {TermsRegistered} event for new terms.
    /// @param terms The terms.
    /// @param fieldLabel The field-of-use label (empty for all fields).
    /// @param termsURI URI of the license agreement document (at most a locator: `terms.termsHash` fixes the text).
    /// @return termsId The terms' id.
    function registerTerms(Terms calldata terms, string calldata fieldLabel, string calldata termsURI)
        external
        returns (uint256 termsId);

    /// @notice Offers a license under `rightId` to `licensee` on the interned terms `termsId`, open for acceptance
    /// until `deadline`. The caller is the current holder of the right (`parentId` 0), or the licensee of the active
    /// sublicensable license `parentId` (a sublicense, which must stay within its parent's kind, territories, field
    /// and period).
    ///
    /// Requirements: the register is not paused; the right exists and has not ended; the terms exist
    /// ({TermsNotFound}) and have not ended ({InvalidPeriod}); the licensee is neither zero nor the caller;
    /// `deadline` from now to at most `MAX_OFFER_WINDOW` ahead and not after the terms' end
    /// ({InvalidOfferDeadline}); no open entry of the same licensor position overlaps it while one of the two is
    /// exclusive or sole ({LicenseConflict}); the position has room ({TooManyLicenses}).
    ///
    /// Emits a {LicenseOffered} event.
    /// @param rightId The right (must exist and not be ended).
    /// @param parentId The parent license, or 0 for a root license.
    /// @param licensee The party offered the license (not zero, not the caller).
    /// @param termsId The interned terms.
    /// @param deadline The last second at which the licensee may accept (unix seconds).
    /// @return licenseId The new license's id (sequential from 1).
    function offerLicense(uint256 rightId, uint256 parentId, address licensee, uint256 termsId, uint64 deadline)
        external
        returns (uint256 licenseId);

    /// @notice {registerTerms} then {offerLicense} in one transaction (terms interned on first use).
    /// Emits {TermsRegistered} (new terms only) and {LicenseOffered}.
    /// @param rightId The right.
    /// @param parentId The parent license, or 0 for a root license.
    /// @param licensee The party offered the license.
    /// @param terms The terms.
    /// @param deadline The last second at which the licensee may accept.
    /// @param fieldLabel The field-of-use label (empty for all fields).
    /// @param termsURI URI of the license agreement document.
    /// @return licenseId The new license's id.
    function offerLicenseWithTerms(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        Terms calldata terms,
        uint64 deadline,
        string calldata fieldLabel,
        string calldata termsURI
    ) external returns (uint256 licenseId);

    /// @notice The licensor (the holder, or the licensee of the sublicensable parent) grants an active license in one
    /// transaction, carrying the licensee's EIP-712 consent
    /// `GrantLicense(uint256 rightId,uint256 parentId,address licensee,uint256 termsId,uint256 sequence,uint256 deadline)`
    /// where `sequence` is {grantSequenceOf}(rightId, parentId): each grant under the position bumps it, so the
    /// signature is spent by its grant (and one signed for another right, parent, licensee or terms never matches).
    ///
    /// Requirements: as {offerLicense} (without the offer deadline), the licensee has room ({TooManyLicensesHeld}),
    /// and the signature is the licensee's ({InvalidSignature}), before its deadline ({SignatureExpired}) and not
    /// revoked ({RevokedSignature}).
    ///
    /// Emits a {LicenseGranted} event.
    /// @param rightId The right.
    /// @param parentId The parent license, or 0 for a root license.
    /// @param licensee The licensee (who signed).
    /// @param termsId The interned terms.
    /// @param deadline The signature's deadline (unix seconds).
    /// @param signature The licensee's signature (65 bytes for an EOA; anything its ERC-1271 wallet accepts).
    /// @return licenseId The new license's id.
    function grantLicenseBySig(
        uint256 rightId,
        uint256 parentId,
        address licensee,
        uint256 termsId,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 licenseId);

    /// @notice The licensee accepts a pending offer before its deadline ({OfferExpired}); the right, the parent
    /// and exclusivity are checked again, and the licensee must have room ({TooManyLicensesHeld}).
    /// Emits a {LicenseAccepted} event.
    /// @param licenseId The offer.
    function acceptLicense(uint256 licenseId) external;

    /// @notice Anyone relays the licensee's EIP-712 acceptance
    /// `AcceptLicense(uint256 licenseId,address licensee,uint256 termsId,uint256 deadline)`, which names the
    /// exact offer (its id, licensee and interned terms). The licensee is an externally owned account
    /// (ECDSA) or a contract wallet (ERC-1271). No nonce: acceptances of different offers are relayed in any
    /// order, and the offer's state stops a replay.
    ///
    /// Requirements: as {acceptLicense}, and the signature is the licensee's ({InvalidSignature}), before its
    /// deadline ({SignatureExpired}) and not revoked by the licensee ({RevokedSignature}).
    /// Emits a {LicenseAccepted} event.
    /// @param licenseId The offer.
    /// @param deadline The signature's deadline (unix seconds).
    /// @param signature The licensee's signature (65 bytes for an EOA; anything its ERC-1271 wallet accepts).
    function acceptLicenseBySig(uint256 licenseId, uint256 deadline, bytes calldata signature) external;

    /// @notice The licensor withdraws a pending offer.
    /// @param licenseId The offer.
    function withdrawOffer(uint256 licenseId) external;

    /// @notice The licensor terminates an active license; its whole subtree ends with it.
    /// @param licenseId The license.
    function terminateLicense(uint256 licenseId) external;

    /// @notice The licensee surrenders an active license; its whole subtree ends with it.
    /// @param licenseId The license.
    function surrenderLicense(uint256 licenseId) external;

    /// @notice The licensee transfers an active transferable license to `to`; its sublicenses stay, `to` their
    /// licensor. `to` must have room ({TooManyLicensesHeld}).
    /// @param licenseId The license.
    /// @param to The new licensee (not zero, not the current licensee, not the licensor, and not the licensee
    /// of an open sublicense of it: no one is its own licensor).
    function transferLicense(uint256 licenseId, address to) external;

    // ------------------------------------------------------------------ reads

    /// @notice Whether `party` may use the right in the whole of the scope (`territory`, `fieldHash`, `time`), as
    /// the register stands now (see the scope rules above). Yes when the party holds an active license that
    /// covers the scope — its territories include `territory` (or `WO`; a question for `WO` needs `WO`), its
    /// field is 0 or `fieldHash` (a question for all fields, 0, needs a license for all fields), its period
    /// includes `time` — and no active exclusive license of another party directly under it touches the
    /// scope; or when the party is the current holder of a right that has not ended (`time` not after its
    /// expiry date) and no active exclusive license of another party touches the scope (an exclusive license
    /// excludes its licensor too; a sole one does not). Ended licenses cover nothing, even for earlier times:
    /// history is in the events. Reads at most `MAX_HELD_PER_PARTY` licenses and the open entries under them.
    /// @param rightId The right.
    /// @param party The party asking.
    /// @param territory An ST.3 code (`WO` asks about the whole world).
    /// @param fieldHash keccak256 of the field-of-use label (0 asks about all fields).
    /// @param time The moment of use (unix seconds).
    /// @return licensed True if the whole scope is covered.
    /// @return licenseId The covering license (0 for the holder, or when not covered).
    function isLicensed(uint256 rightId, address party, bytes2 territory, bytes32 fieldHash, uint64 time)
        external
        view
        returns (bool licensed, uint256 licenseId);

    /// @notice Whether the license is in force now: accepted, not terminated or surrendered, not expired,
    /// every ancestor likewise, and the right not ended (a walk of at most `MAX_DEPTH` steps).
    /// A license whose period has not started yet is active (it is granted) but covers no use before its start.
    /// @param licenseId The license.
    /// @return True if active.
    function isLicenseActive(uint256 licenseId) external view returns (bool);

    /// @notice A license with its licensor and activity resolved now (reverts if unknown).
    /// @param licenseId The license.
    /// @return The license.
    function licenseOf(uint256 licenseId) external view returns (License memory);

    /// @notice The open entries of a licensor position that may still be or become active (pending offers
    /// before their deadline, and licenses not ended), at most `MAX_OPEN_PER_LICENSOR`. The full history of a
    /// right's licenses is in the {LicenseOffered} events (indexed by right and licensee).
    /// @param rightId The right.
    /// @param parentId The position: 0 for the holder's root licenses, else the parent license.
    /// @return The license ids (in no particular order).
    function openLicensesOf(uint256 rightId, uint256 parentId) external view returns (uint256[] memory);

    /// @notice The active licenses `party` holds on a right, at most `MAX_HELD_PER_PARTY`.
    /// @param rightId The right.
    /// @param party The party.
    /// @return The license ids (in no particular order).
    function licensesHeldBy(uint256 rightId, address party) external view returns (uint256[] memory);

    /// @notice The EIP-712 digest the licensee signs to accept `licenseId` with signature deadline `deadline`
    /// (what a contract wallet approves, and what {IRevocableSignatures-revokeSignature} takes).
    /// @param licenseId The offer (reverts {LicenseNotFound} if unknown).
    /// @param deadline The signature's deadline.
    /// @return The digest.
    function acceptanceDigest(uint256 licenseId, uint256 deadline) external view returns (bytes32);

    /// @notice The grant sequence of a licensor position, bound into every {grantLicenseBySig} consent.
    /// @param rightId The right.
    /// @param parentId The position: 0 for the holder's root licenses, else the parent license.
    /// @return The number of licenses granted by signature under the position so far.
    function grantSequenceOf(uint256 rightId, uint256 parentId) external view returns (uint256);

    /// @notice The id of interned terms by their content hash, keccak256(abi.encode(terms, termsURI)) (0 if not
    /// registered): how a client finds whether terms are interned without sending them.
    /// @param contentHash The content hash (also the second topic of {TermsRegistered}).
    /// @return The terms id, or 0.
    function termsIdOf(bytes32 contentHash) external view returns (uint256);

    /// @notice How many terms were ever interned (the last terms id).
    /// @return The count.
    function termsCount() external view returns (uint256);

    /// @notice ERC-5218: the parent of a license (reverts {LicenseNotFound} if unknown).
    /// @param licenseId The license.
    /// @return The parent's id (0 for a root license).
    function getParentLicenseId(uint256 licenseId) external view returns (uint256);

    /// @notice ERC-5218: who may terminate the license now — the current holder of the right for a root
    /// license, the current licensee of the parent for a sublicense (neither is stored, so assignments
    /// and transfers carry the licensor position).
    /// @param licenseId The license.
    /// @return The licensor.
    function getLicenseRevoker(uint256 licenseId) external view returns (address);

    /// @notice How many licenses were ever offered (the last id).
    /// @return The count.
    function licenseCount() external view returns (uint256);

    /// @notice The register of rights this register licenses under.
    /// @return The registry.
    function registry() external view returns (IIPRegistry);
}
