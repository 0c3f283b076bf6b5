// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IIPRegistry} from "../interfaces/IIPRegistry.sol";

/// @title TitleMetadataRenderer
/// @notice Builds the on-chain ERC-721 metadata document of a right whose office set no base URI, so a wallet
/// shows office, type, status and dates with no server: `data:application/json;base64,` and the JSON
/// `{"name", "description", "attributes": [...]}` (OpenSea metadata style; dates as unix seconds with
/// `"display_type": "date"`, registration and expiry only once set).
/// @dev Stateless: {IPRegistry}'s implementation creates one in its constructor and calls it from
/// `tokenURI`, which keeps the JSON code out of the register (EIP-170 leaves IPRegistry little room).
contract TitleMetadataRenderer {
    /// @notice The `tokenURI` of a right of the calling register: the office's base URI and the decimal id when
    /// the office set one, else the on-chain JSON document of the record.
    /// @param rightId The right (its title token id), which must exist.
    /// @return The URI.
    function tokenURI(uint256 rightId) external view returns (string memory) {
        IIPRegistry registry = IIPRegistry(msg.sender);
        IIPRegistry.Right memory r = registry.rightOf(rightId);
        string memory base = registry.baseURIOf(r.office);
        if (bytes(base).length != 0) return string.concat(base, Strings.toString(rightId));
        return render(rightId, r, registry.st27StateOf(rightId));
    }

    /// @notice The on-chain metadata document of a right.
    /// @param rightId The right (its title token id).
    /// @param r The right's record (`IIPRegistry.rightOf`).
    /// @param state Its WIPO ST.27 state.
    /// @return The `data:` URI of the JSON document.
    function render(uint256 rightId, IIPRegistry.Right memory r, IIPRegistry.St27State state)
        public
        pure
        returns (string memory)
    {
        string memory office = string(abi.encodePacked(r.office));
        string memory kind = _ipTypeName(r.ipType);
        string memory json = string.concat(
            '{"name":"',
            office,
            " ",
            kind,
            " ",
            Strings.toHexString(rightId, 32),
            '","description":"A right on the IP Ledger register (title moves only by recorded assignment).",',
            '"attributes":[',
            _trait("Office", office),
            ",",
            _trait("IP type", kind),
            ",",
            _trait("Status", _statusName(r.status)),
            ",",
            _trait("ST.27 state", _stateName(state)),
            ",",
            _date("Filing date", r.filingDate)
        );
        if (r.registrationDate != 0) json = string.concat(json, ",", _date("Registration date", r.registrationDate));
        if (r.expiryDate != 0) json = string.concat(json, ",", _date("Expiry date", r.expiryDate));
        json = string.concat(
            json,
            ",",
            _number("Assignments", r.assignmentSequence),
            ",",
            _number("Security interests", r.pledgeCount),
            "]}"
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    function _trait(string memory name, string memory value) private pure returns (string memory) {
        return string.concat('{"trait_type":"', name, '","value":"', value, '"}');
    }

    function _date(string memory name, uint256 value) private pure returns (string memory) {
        return string.concat('{"display_type":"date","trait_type":"', name, '","value":', Strings.toString(value), "}");
    }

    function _number(string memory name, uint256 value) private pure returns (string memory) {
        return string.concat('{"trait_type":"', name, '","value":', Strings.toString(value), "}");
    }

    function _ipTypeName(IIPRegistry.IPType t) private pure returns (string memory) {
        string[7] memory names = [
            "Patent",
            "Utility model",
            "Trade mark",
            "Industrial design",
            "Copyright",
            "Geographical indication",
            "Plant variety"
        ];
        return names[uint8(t)];
    }

    function _statusName(IIPRegistry.Status s) private pure returns (string memory) {
        string[14] memory names = [
            "None",
            "Filed",
            "Published",
            "Opposed",
            "Registered",
            "Renewed",
            "Expired",
            "Refused",
            "Withdrawn",
            "Revoked",
            "Invalidated",
            "Surrendered",
            "Lapsed",
            "Restored"
        ];
        return names[uint8(s)];
    }

    function _stateName(IIPRegistry.St27State s) private pure returns (string memory) {
        string[4] memory names = ["Unknown", "Pending", "In force", "Not in force"];
        return names[uint8(s)];
    }
}
