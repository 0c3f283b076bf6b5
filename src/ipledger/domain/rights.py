"""Rights: IP types, legal statuses, the lifecycle graph, WIPO ST.27 legal events and states, the right id.

Enum values match the Solidity enums in ``contracts/interfaces/IIPRegistry.sol``; the key
event codes match ``IPRegistry.keyEventCodeOf`` and the ST.27 state ``IPRegistry.st27StateOf``
(tests/contracts/registry/test_st27.py checks every value against the contract).
"""

from __future__ import annotations

from enum import IntEnum


class IPType(IntEnum):
    """Kinds of IP right (Solidity ``IIPRegistry.IPType``)."""

    PATENT = 0
    UTILITY_MODEL = 1
    TRADE_MARK = 2
    INDUSTRIAL_DESIGN = 3
    COPYRIGHT = 4
    GEOGRAPHICAL_INDICATION = 5
    PLANT_VARIETY = 6


IP_TYPE_ALIASES: dict[str, IPType] = {
    "PATENT": IPType.PATENT, "PT": IPType.PATENT, "P": IPType.PATENT,
    "UTILITY_MODEL": IPType.UTILITY_MODEL, "UM": IPType.UTILITY_MODEL,
    "TRADE_MARK": IPType.TRADE_MARK, "TRADEMARK": IPType.TRADE_MARK, "TM": IPType.TRADE_MARK,
    "INDUSTRIAL_DESIGN": IPType.INDUSTRIAL_DESIGN, "DESIGN": IPType.INDUSTRIAL_DESIGN, "ID": IPType.INDUSTRIAL_DESIGN,
    "COPYRIGHT": IPType.COPYRIGHT, "CR": IPType.COPYRIGHT,
    "GEOGRAPHICAL_INDICATION": IPType.GEOGRAPHICAL_INDICATION, "GI": IPType.GEOGRAPHICAL_INDICATION,
    "PLANT_VARIETY": IPType.PLANT_VARIETY, "PV": IPType.PLANT_VARIETY,
}

SHORT_TYPE: dict[IPType, str] = {
    IPType.PATENT: "PT", IPType.UTILITY_MODEL: "UM", IPType.TRADE_MARK: "TM", IPType.INDUSTRIAL_DESIGN: "ID",
    IPType.COPYRIGHT: "CR", IPType.GEOGRAPHICAL_INDICATION: "GI", IPType.PLANT_VARIETY: "PV",
}


class Status(IntEnum):
    """Legal status of a right (Solidity ``IIPRegistry.Status``)."""

    NONE = 0
    FILED = 1
    PUBLISHED = 2
    OPPOSED = 3
    REGISTERED = 4
    RENEWED = 5
    EXPIRED = 6
    REFUSED = 7
    WITHDRAWN = 8
    REVOKED = 9
    INVALIDATED = 10
    SURRENDERED = 11
    LAPSED = 12
    RESTORED = 13


ENDED = frozenset({Status.EXPIRED, Status.REFUSED, Status.WITHDRAWN, Status.REVOKED, Status.INVALIDATED,
                   Status.SURRENDERED, Status.LAPSED})
IN_FORCE = frozenset({Status.REGISTERED, Status.RENEWED, Status.RESTORED})

# The lifecycle graph enforced on chain (IPRegistry._allowedTargets).
_TERMINATIONS = {Status.EXPIRED, Status.REVOKED, Status.INVALIDATED, Status.SURRENDERED, Status.LAPSED}
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.FILED: frozenset({Status.PUBLISHED, Status.REFUSED, Status.WITHDRAWN}),
    Status.PUBLISHED: frozenset({Status.REGISTERED, Status.OPPOSED, Status.REFUSED, Status.WITHDRAWN}),
    Status.OPPOSED: frozenset({Status.REGISTERED, Status.REFUSED}),
    Status.REGISTERED: frozenset({Status.RENEWED} | _TERMINATIONS),
    Status.RENEWED: frozenset({Status.RENEWED} | _TERMINATIONS),
    Status.RESTORED: frozenset({Status.RENEWED} | _TERMINATIONS),
    Status.LAPSED: frozenset({Status.RESTORED}),
}
HOLDER_MOVES = frozenset({Status.WITHDRAWN, Status.SURRENDERED})

class LegalEvent(IntEnum):
    """The legal events the register records (Solidity ``IIPRegistry.LegalEvent``).

    The first thirteen are the status moves, in the order of ``Status`` from ``FILED``
    (``legal_event_of``); the others are the corrections, party changes and licensing events.
    """

    FILED = 0
    PUBLISHED = 1
    OPPOSED = 2
    REGISTERED = 3
    RENEWED = 4
    EXPIRED = 5
    REFUSED = 6
    WITHDRAWN = 7
    REVOKED = 8
    INVALIDATED = 9
    SURRENDERED = 10
    LAPSED = 11
    RESTORED = 12
    FILING_DATE_CORRECTED = 13
    ASSIGNMENT_RECORDED = 14
    SECURITY_INTEREST_RECORDED = 15
    SECURITY_INTEREST_RELEASED = 16
    LICENCE_RECORDED = 17
    LICENCE_ENDED = 18


# The WIPO ST.27 categories (revision of 2024), by letter: what the standard defines. A key
# event code is a category letter and two digits; "X00" would mean "no mapped key event".
ST27_CATEGORIES: dict[str, str] = {
    "A": "application filed", "B": "application discontinued", "C": "application revived",
    "D": "search or examination", "E": "pre-grant review requested", "F": "IP right granted",
    "G": "protection beyond term", "H": "IP right ceased", "K": "IP right revived", "L": "IP right review requested",
    "M": "IP right maintained", "N": "application or right terminated", "P": "document modified",
    "Q": "document published", "R": "party data change recorded", "S": "licensing information recorded",
    "T": "administrative procedure adjusted", "U": "fee paid", "V": "appeal requested", "W": "other",
    "Y": "event information corrected or deleted",
}

# The key event code of each legal event (IPRegistry.keyEventCodeOf): the letter is the ST.27
# category; the two digits are this project's numbering within it (the public text of ST.27's
# detailed key-event list was not available to check them against).
KEY_EVENT_CODES: dict[LegalEvent, str] = {
    LegalEvent.FILED: "A10", LegalEvent.PUBLISHED: "Q10", LegalEvent.OPPOSED: "E10",
    LegalEvent.REGISTERED: "F10", LegalEvent.RENEWED: "M10", LegalEvent.EXPIRED: "H10",
    LegalEvent.REFUSED: "N10", LegalEvent.WITHDRAWN: "B10", LegalEvent.REVOKED: "N20",
    LegalEvent.INVALIDATED: "N30", LegalEvent.SURRENDERED: "H20", LegalEvent.LAPSED: "H30",
    LegalEvent.RESTORED: "K10", LegalEvent.FILING_DATE_CORRECTED: "Y10", LegalEvent.ASSIGNMENT_RECORDED: "R10",
    LegalEvent.SECURITY_INTEREST_RECORDED: "R20", LegalEvent.SECURITY_INTEREST_RELEASED: "R21",
    LegalEvent.LICENCE_RECORDED: "S10", LegalEvent.LICENCE_ENDED: "S20",
}


def legal_event_of(status: Status) -> LegalEvent:
    """The legal event of a move to ``status`` (the contract's ``LegalEvent(uint8(to) - 1)``)."""
    if status is Status.NONE:
        raise ValueError("no legal event moves a right to 'none'")
    return LegalEvent(int(status) - 1)


# The key event code recorded with a move to each status (a view of KEY_EVENT_CODES by Status).
EVENT_CODES: dict[Status, str] = {s: KEY_EVENT_CODES[legal_event_of(s)] for s in Status if s is not Status.NONE}


class St27State(IntEnum):
    """The WIPO ST.27 state of a right (Solidity ``IIPRegistry.St27State``), derived from its status."""

    UNKNOWN = 0
    PENDING = 1
    IN_FORCE = 2
    NOT_IN_FORCE = 3


PENDING = frozenset({Status.FILED, Status.PUBLISHED, Status.OPPOSED})


def st27_state(status: Status) -> St27State:
    """Pending (filed, published, opposed), in force (registered, renewed, restored), not in force (ended, lapsed
    included); unknown when not filed. The same rule as ``IPRegistry.st27StateOf``."""
    if status is Status.NONE:
        return St27State.UNKNOWN
    if status in PENDING:
        return St27State.PENDING
    if status in ENDED:
        return St27State.NOT_IN_FORCE
    return St27State.IN_FORCE


class AnchorRole(IntEnum):
    """Who anchored a document, judged by the contract at the time (Solidity ``IIPRegistry.AnchorRole``)."""

    THIRD_PARTY = 0
    HOLDER = 1
    OFFICE = 2


class RequestState(IntEnum):
    """State of an application request (Solidity ``IIPRegistry.RequestState``)."""

    NONE = 0
    PENDING = 1
    ACCORDED = 2
    REFUSED = 3
    WITHDRAWN = 4


def national_code_text(value: bytes | str) -> str:
    """A national event code (``bytes8``: ASCII, zero-padded; bytes or 0x-hex) as text."""
    raw = bytes.fromhex(value[2:] if value.startswith("0x") else value) if isinstance(value, str) else bytes(value)
    return raw.rstrip(b"\x00").decode("ascii", errors="replace")


def right_id(office: str, kind: IPType | int | str, application_number: str) -> int:
    """The on-chain id of a right: uint256(keccak256(abi.encode(office, uint8(type), applicationNumber))).

    A pure computation on canonical values (an ST.3 code, an IP type or its short code, the
    number as written); ``ipledger.types.right_id`` validates user input first.
    """
    if isinstance(kind, str):
        key = kind.strip().upper().replace("-", "_").replace(" ", "_")
        if key not in IP_TYPE_ALIASES:
            raise ValueError(f"IP type '{kind}' is unknown")
        kind = IP_TYPE_ALIASES[key]
    from eth_abi import encode  # on first use: eth-abi and eth-utils take ~0.2 s to import
    from eth_utils import keccak

    data = encode(["bytes2", "uint8", "string"], [office.encode("ascii"), int(IPType(kind)), application_number])
    return int.from_bytes(keccak(data), "big")


def format_right_id(value: int) -> str:
    """A right id as the register shows it: 0x and 64 hex digits."""
    return f"0x{value:064x}"
