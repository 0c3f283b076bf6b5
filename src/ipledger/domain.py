"""The domain vocabulary shared by the contracts and the Python side.

Enum values match the Solidity enums in ``contracts/interfaces/IIPRegistry.sol``; the
legal-status event codes match ``IPRegistry.eventCodeOf`` (a test checks both).
"""

from __future__ import annotations

import re
from enum import IntEnum

from eth_abi import encode
from eth_utils import keccak

from .errors import UsageError

ZERO_HASH = "0x" + "00" * 32


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

# WIPO ST.3 codes: ISO 3166-1 alpha-2 countries and the codes of IP organisations.
_ISO_3166 = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
    "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM "
    "FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN "
    "MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT "
    "PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL "
    "TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
)
IP_ORGANISATIONS = {
    "AP": "African Regional Intellectual Property Organization (ARIPO)",
    "BX": "Benelux Office for Intellectual Property (BOIP)",
    "EA": "Eurasian Patent Organization (EAPO)",
    "EM": "European Union Intellectual Property Office (EUIPO)",
    "EP": "European Patent Office (EPO)",
    "GC": "Patent Office of the Cooperation Council for the Arab States of the Gulf (GCC)",
    "IB": "International Bureau of WIPO",
    "OA": "African Intellectual Property Organization (OAPI)",
    "QZ": "Community Plant Variety Office (CPVO)",
    "WO": "World Intellectual Property Organization (WIPO)",
    "XN": "Nordic Patent Institute (NPI)",
    "XU": "International Union for the Protection of New Varieties of Plants (UPOV)",
    "XV": "Visegrad Patent Institute (VPI)",
}
ST3_CODES = frozenset(_ISO_3166.split()) | frozenset(IP_ORGANISATIONS)
_OFFICE_RE = re.compile(r"^[A-Z]{2}$")


def office_code(value: str) -> str:
    """Validates an ST.3 office code (two upper-case letters that ST.3 knows)."""
    code = value.strip()
    if not _OFFICE_RE.match(code):
        raise UsageError(f"office code '{value}' is not two upper-case letters (WIPO ST.3), e.g. EM, RU, US")
    if code not in ST3_CODES:
        close = close_codes(code)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(f"office code '{code}' is not a WIPO ST.3 code.{hint}")
    return code


def close_codes(code: str, n: int = 3) -> list[str]:
    """ST.3 codes one letter away from ``code``: IP offices first, then the nearest letter."""

    def distance(candidate: str) -> tuple[bool, int]:
        diff = [abs(ord(a) - ord(b)) for a, b in zip(candidate, code) if a != b]
        return candidate not in IP_ORGANISATIONS, diff[0]

    near = [c for c in ST3_CODES if sum(a != b for a, b in zip(c, code)) == 1]
    return sorted(near, key=lambda c: (*distance(c), c))[:n]


def office_bytes(code: str) -> bytes:
    """An ST.3 code as the contracts' ``bytes2``."""
    return office_code(code).encode("ascii")


def ip_type(value: str | int | IPType) -> IPType:
    """Parses an IP type: a name (``trade_mark``), a short code (``TM``) or the enum value."""
    if isinstance(value, IPType):
        return value
    if isinstance(value, int):
        return IPType(value)
    key = value.strip().upper().replace("-", "_").replace(" ", "_")
    if key in IP_TYPE_ALIASES:
        return IP_TYPE_ALIASES[key]
    if key.isdigit() and int(key) in IPType._value2member_map_:
        return IPType(int(key))
    names = ", ".join(SHORT_TYPE[t] for t in IPType)
    raise UsageError(f"IP type '{value}' is unknown; use one of {names} or a full name such as trade_mark")


def status(value: str | int | Status) -> Status:
    """Parses a status name (``registered``) or value."""
    if isinstance(value, Status):
        return value
    if isinstance(value, int):
        return Status(value)
    key = value.strip().upper()
    if key in Status.__members__ and key != "NONE":
        return Status[key]
    names = ", ".join(s.name.lower() for s in Status if s is not Status.NONE)
    raise UsageError(f"status '{value}' is unknown; use one of {names}")


def application_number(value: str) -> str:
    """Validates an ST.13 application number: not empty, no leading or trailing white space.

    The id of a right hashes the number as written, so " 018234567" would be another right;
    the contract refuses such numbers too (``MalformedApplicationNumber``).
    """
    if not value or not value.strip():
        raise UsageError("the application number is empty; give the ST.13 number, e.g. 018234567")
    if value != value.strip() or any(ord(c) < 0x20 for c in value):
        raise UsageError(f"application number {value!r} has leading/trailing white space or control characters; "
                         "remove them")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"application number {value!r} is not valid text (undecodable bytes); "
                         "give it in UTF-8") from None
    return value


def right_id(office: str, kind: str | int | IPType, application_number_: str) -> int:
    """The on-chain id of a right: uint256(keccak256(abi.encode(office, uint8(type), applicationNumber)))."""
    number = application_number(application_number_)
    data = encode(["bytes2", "uint8", "string"], [office_bytes(office), int(ip_type(kind)), number])
    return int.from_bytes(keccak(data), "big")


def parse_right_ref(ref: str) -> int:
    """A right id from ``0x…`` hex, a decimal id, or ``OFFICE/TYPE/APPLICATION-NUMBER``."""
    text = ref.strip()
    if text.count("/") >= 2:
        office, kind, number = text.split("/", 2)
        return right_id(office, kind, number)
    try:
        value = int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise UsageError(
            f"right '{ref}' is neither a hex id (0x…) nor OFFICE/TYPE/APPLICATION-NUMBER such as EM/TM/018234567"
        ) from None
    if not 0 < value < 2**256:
        raise UsageError(f"right id '{ref}' is out of range (1 .. 2**256-1)")
    return value


def format_right_id(value: int) -> str:
    return f"0x{value:064x}"
