"""Rights: IP types, legal statuses, the lifecycle graph, ST.27 event codes and the right id.

Enum values match the Solidity enums in ``contracts/interfaces/IIPRegistry.sol``; the
legal-status event codes match ``IPRegistry.eventCodeOf`` (a test checks both).
"""

from __future__ import annotations

from enum import IntEnum

from eth_abi import encode
from eth_utils import keccak


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

# Standard legal-status event codes recorded with each move: the WIPO ST.27 category letter
# (A filing, B publication, D pre-grant opposition, E grant/registration, F post-grant
# invalidation, G maintenance/renewal, H application termination, M right termination,
# N restoration) and a number; ST.61 (trade marks) and ST.87 (designs) events map to the same
# categories. The README lists the mapping.
EVENT_CODES: dict[Status, str] = {
    Status.FILED: "A10", Status.PUBLISHED: "B10", Status.OPPOSED: "D10", Status.REGISTERED: "E10",
    Status.RENEWED: "G10", Status.EXPIRED: "M10", Status.REFUSED: "H20", Status.WITHDRAWN: "H10",
    Status.REVOKED: "M20", Status.INVALIDATED: "F20", Status.SURRENDERED: "M30", Status.LAPSED: "M40",
    Status.RESTORED: "N10",
}


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
    data = encode(["bytes2", "uint8", "string"], [office.encode("ascii"), int(IPType(kind)), application_number])
    return int.from_bytes(keccak(data), "big")


def format_right_id(value: int) -> str:
    """A right id as the register shows it: 0x and 64 hex digits."""
    return f"0x{value:064x}"
