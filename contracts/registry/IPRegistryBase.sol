// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC721} from "@openzeppelin/contracts/interfaces/IERC721.sol";

import {IIPLedgerErrors} from "../interfaces/IIPLedgerErrors.sol";
import {IIPRegistry} from "../interfaces/IIPRegistry.sol";
import {ISecurityInterests} from "../interfaces/ISecurityInterests.sol";
import {Lifecycle} from "../lib/Lifecycle.sol";

/// @title IPRegistryBase
/// @notice The storage and the shared internal logic of the register, inherited by {IPRegistry} and by the
/// {IPRegistryExtension} it delegates its less frequent actions to: both run on the proxy's storage, in the one
/// ERC-7201 namespace below, so they must agree on it to the byte — which is why it is written once, here.
abstract contract IPRegistryBase {
    /// @dev An office (one slot). `codeMask` has bit k set when the office set a national code for LegalEvent k,
    /// so a legal event of an office without its own codes reads no code slot.
    struct Office {
        bool exists;
        bool recordalRequired;
        uint32 codeMask;
        address admin;
    }

    /// @custom:storage-location erc7201:ipledger.storage.IPRegistry
    struct IPRegistryStorage {
        mapping(bytes2 office => Office) offices;
        bytes2[] officeCodes;
        /// @dev At most MAX_REGISTRARS_PER_OFFICE per office; `registrarIndex` is the position + 1 (0: none).
        mapping(bytes2 office => address[]) registrars;
        mapping(bytes2 office => mapping(address account => uint256)) registrarIndex;
        mapping(bytes2 office => mapping(IIPRegistry.LegalEvent kind => bytes8)) nationalCodes;
        mapping(bytes2 office => string) baseURIs;
        mapping(uint256 rightId => IIPRegistry.Right) rights;
        mapping(address holder => uint256) balances;
        mapping(uint256 rightId => IIPRegistry.Assignment) assignments;
        mapping(uint256 requestId => IIPRegistry.ApplicationRequest) requests;
        uint256 requestCount;
        ISecurityInterests interests;
    }

    // keccak256(abi.encode(uint256(keccak256("ipledger.storage.IPRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _IP_REGISTRY_STORAGE = 0x9f7eb7ae2e3d8e268b445ecaea9ad78dc6b7793bc9420cc1653760f4e6e51e00;

    /// @dev Three ASCII bytes per LegalEvent: its WIPO ST.27 key event code (category letter, two digits).
    bytes private constant _KEY_EVENT_CODES = "A10Q10E10F10M10H10N10B10N20N30H20H30K10Y10R10R20R21S10S20";
    /// @dev Longest application number (ST.13 numbers are far shorter); bounds the character check's loop.
    uint256 private constant _MAX_NUMBER_LENGTH = 32;

    /// @notice ERC-5192: emitted once per token when it is minted locked.
    /// @param tokenId The right.
    event Locked(uint256 tokenId);

    function _s() internal pure returns (IPRegistryStorage storage $) {
        assembly {
            $.slot := _IP_REGISTRY_STORAGE
        }
    }

    /// @dev The id of the right filed at `office` for `ipType` under `applicationNumber`.
    function _rightIdOf(bytes2 office, IIPRegistry.IPType ipType, string calldata applicationNumber)
        internal
        pure
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(office, uint8(ipType), applicationNumber)));
    }

    /// @dev Creates the right and its title token; returns 0 (and changes nothing) if it already exists.
    function _create(
        bytes2 office,
        IIPRegistry.IPType ipType,
        address holder,
        string calldata applicationNumber,
        uint40 filingDate,
        bytes32 contentHash,
        string calldata metadataURI,
        bytes32 metadataHash
    ) internal returns (uint256 rightId) {
        _checkApplicationNumber(applicationNumber);
        rightId = _rightIdOf(office, ipType, applicationNumber);
        IPRegistryStorage storage $ = _s();
        IIPRegistry.Right storage r = $.rights[rightId];
        if (r.status != IIPRegistry.Status.None) return 0;
        r.holder = holder;
        r.office = office;
        r.ipType = ipType;
        r.status = IIPRegistry.Status.Filed;
        r.filingDate = filingDate;
        unchecked {
            ++$.balances[holder]; // at most one per right id
        }
        emit IERC721.Transfer(address(0), holder, rightId);
        emit Locked(rightId);
        emit IIPRegistry.RightFiled(
            rightId, office, holder, ipType, applicationNumber, filingDate, contentHash, metadataURI, metadataHash
        );
        (bytes3 key, bytes8 national) = _codes(office, IIPRegistry.LegalEvent.Filed);
        emit IIPRegistry.StatusChanged(
            rightId, IIPRegistry.Status.None, IIPRegistry.Status.Filed, key, national, filingDate, contentHash
        );
    }

    /// @dev The filing date to record: 0 means now; a date in the future is refused.
    function _filingDate(uint40 filingDate) internal view returns (uint40) {
        if (filingDate == 0) return uint40(block.timestamp);
        if (filingDate > block.timestamp) {
            revert IIPRegistry.FilingDateInFuture(filingDate, uint40(block.timestamp));
        }
        return filingDate;
    }

    /// @dev Moves title (the holder in the right's slot and both balances) and records it; `bump` takes the next
    /// assignment number (a one-transaction assignment; a request took its number when made).
    function _transferTitle(
        uint256 rightId,
        IIPRegistry.Right storage r,
        address to,
        bytes32 deedHash,
        address recordedBy,
        bool bump
    ) internal {
        IPRegistryStorage storage $ = _s();
        address from = r.holder;
        r.holder = to;
        if (bump) r.assignmentSequence += 1;
        unchecked {
            --$.balances[from]; // `from` holds this right
            ++$.balances[to];
        }
        emit IERC721.Transfer(from, to, rightId);
        (bytes3 key, bytes8 national) = _codes(r.office, IIPRegistry.LegalEvent.AssignmentRecorded);
        emit IIPRegistry.AssignmentRecorded(rightId, from, to, deedHash, recordedBy, key, national);
    }

    function _existing(uint256 rightId) internal view returns (IIPRegistry.Right storage r) {
        r = _s().rights[rightId];
        if (r.status == IIPRegistry.Status.None) revert IIPLedgerErrors.RightNotFound(rightId);
    }

    function _checkAssignable(uint256 rightId, IIPRegistry.Status status) internal pure {
        if (status == IIPRegistry.Status.None || (Lifecycle.isEnded(status) && status != IIPRegistry.Status.Lapsed)) {
            revert IIPRegistry.NotAssignable(rightId, status);
        }
    }

    /// @dev 1 to 32 ASCII letters and digits, with "-", "/" and "." between them (ST.13-compatible).
    function _checkApplicationNumber(string calldata applicationNumber) internal pure {
        bytes calldata number = bytes(applicationNumber);
        uint256 n = number.length;
        if (n == 0) revert IIPRegistry.EmptyApplicationNumber();
        if (n > _MAX_NUMBER_LENGTH) revert IIPRegistry.MalformedApplicationNumber(applicationNumber);
        for (uint256 i; i < n; ++i) {
            bytes1 c = number[i];
            bool alnum = (c >= "0" && c <= "9") || (c >= "A" && c <= "Z") || (c >= "a" && c <= "z");
            bool separator = c == "-" || c == "/" || c == ".";
            if (!alnum && (!separator || i == 0 || i == n - 1)) {
                revert IIPRegistry.MalformedApplicationNumber(applicationNumber);
            }
        }
    }

    /// @dev The WIPO ST.27 key event code of a legal event.
    function _keyEventCode(IIPRegistry.LegalEvent kind) internal pure returns (bytes3) {
        uint256 i = uint256(kind) * 3;
        return bytes3(bytes.concat(_KEY_EVENT_CODES[i], _KEY_EVENT_CODES[i + 1], _KEY_EVENT_CODES[i + 2]));
    }

    /// @dev The ST.27 key event code and the office's national code of a legal event (the code slot is read only
    /// when the office set a code for the event).
    function _codes(bytes2 office, IIPRegistry.LegalEvent kind) internal view returns (bytes3 key, bytes8 national) {
        key = _keyEventCode(kind);
        national = bytes8(key);
        IPRegistryStorage storage $ = _s();
        if ($.offices[office].codeMask & (uint32(1) << uint8(kind)) != 0) national = $.nationalCodes[office][kind];
    }

    function _isRegistrar(bytes2 office, address account) internal view returns (bool) {
        return _s().registrarIndex[office][account] != 0;
    }

    function _checkRegistrar(bytes2 office) internal view {
        if (!_isRegistrar(office, msg.sender)) revert IIPLedgerErrors.NotRegistrar(office, msg.sender);
    }

    /// @dev The office, which must exist.
    function _office(bytes2 office) internal view returns (Office storage o) {
        o = _s().offices[office];
        if (!o.exists) revert IIPLedgerErrors.UnknownOffice(office);
    }
}
