"""The shared vocabulary's values: constants and the ONE set of parsers and validators.

Every input that crosses into the toolkit (SDK arguments, CLI options, bulk records) is
checked here, so that the SDK, the CLI and the importer accept and refuse the same things
with the same words. Each parser returns the canonical value or raises ``InvalidInput``,
which is both the toolkit's ``UsageError`` and a builtin ``ValueError``; its message names
the value, the problem and the fix.

Names and tables (IP types, statuses, ST.3 codes) live in ``ipledger.domain``; this module
turns text into them. Importing it is cheap (eth-utils and the domain tables load on first
use), so the CLI's parameter types import it while ``ipledger --help`` runs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipledger.errors import InvalidInput

ZERO32 = b"\x00" * 32
ZERO_HASH = "0x" + "00" * 32
MAX_UINT256 = 2**256 - 1
MAX_DATE = 2**40 - 1  # the contracts store dates as uint40 seconds (up to the year 36812)
MAX_NUMBER_LEN = 64  # registration numbers (ST.13 numbers are far shorter)
MAX_APPLICATION_NUMBER_LEN = 32  # the contract's bound (IPRegistry._MAX_NUMBER_LENGTH)
MAX_URI_LEN = 2048  # metadata and terms URIs, in bytes of UTF-8 (a URI names a document; it is not one)
SIGNATURE_LEN = 65  # r, s, v of an ECDSA signature

# ---------------------------------------------------------------- addresses

_ADDRESS_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")
_CHECKSUMS: dict[str, str] = {}


def checksum(addr: str) -> str:
    """The EIP-55 spelling of a 0x-hex address (cached: a file has few holders and many records).

    Computed with ``eth_utils.keccak`` by the EIP-55 rule, like ``to_checksum_address``, without
    its per-call validation (the caller has matched the address already).
    """
    key = addr.lower()
    out = _CHECKSUMS.get(key)
    if out is None:
        from eth_utils import keccak  # here, not at the top: `import ipledger.types` stays cheap for the CLI

        digits = key[2:]
        hashed = keccak(text=digits).hex()
        out = _CHECKSUMS[key] = "0x" + "".join(c.upper() if int(h, 16) >= 8 else c for c, h in zip(digits, hashed))
    return out


def is_address(text: Any) -> bool:
    """0x and 40 hex digits, in one case or with a valid EIP-55 checksum."""
    if not isinstance(text, str) or not _ADDRESS_RE.match(text):
        return False
    digits = text[2:]
    return digits == digits.lower() or digits == digits.upper() or checksum(text) == text


def address(value: Any, what: str = "address") -> str:
    """A checksummed address; mixed case must carry a valid EIP-55 checksum (a typo would name someone else)."""
    if not isinstance(value, str) or not _ADDRESS_RE.match(value):
        raise InvalidInput(f"{what} '{value}' is not an Ethereum address (0x followed by 40 hex digits)")
    if not is_address(value):
        raise InvalidInput(f"{what} '{value}' fails its EIP-55 checksum (a typo?); copy the address again")
    return checksum(value)


# ---------------------------------------------------------------- hashes, signatures, tags


def bytes32(value: bytes | str | None, what: str = "hash") -> bytes:
    """A 32-byte value from bytes or hex (with or without 0x); None is the zero hash."""
    if value is None:
        return ZERO32
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 32:
            raise InvalidInput(f"{what} must be 32 bytes, got {len(value)}")
        return bytes(value)
    if not isinstance(value, str):
        raise InvalidInput(f"{what} is a {type(value).__name__}; give 0x and 64 hex digits")
    text = value.strip()
    raw = text[2:] if text.lower().startswith("0x") else text
    try:
        out = bytes.fromhex(raw)
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not hex; give 64 hex digits, e.g. 0x{'ab' * 32}") from None
    if len(out) != 32:
        raise InvalidInput(f"{what} '{value}' is {len(out)} bytes; a SHA-256 or keccak hash is 32 bytes "
                           "(64 hex digits)")
    return out


def hex32(value: bytes) -> str:
    """0x-hex of bytes (hashes as records and tables show them)."""
    return "0x" + bytes(value).hex()


def signature(value: bytes | str, what: str = "signature", *, length: int | None = None) -> bytes:
    """A signature from bytes or 0x-hex; with ``length``, exactly that many bytes (else the contract judges)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if not text.lower().startswith("0x"):
                raise ValueError(text)
            out = bytes.fromhex(text[2:])
        except ValueError:
            raise InvalidInput(f"{what} '{value}' is not 0x followed by hex digits; copy it whole from "
                               "--sign-only") from None
    else:
        out = bytes(value)
    if length is not None and len(out) != length:
        shown = value if isinstance(value, str) else hex32(out)
        raise InvalidInput(f"{what} '{shown}' is not {length} bytes (0x followed by {2 * length} hex digits); "
                           "copy it whole from --sign-only")
    return out


def tag32(label: str) -> bytes:
    """A short label (at most 32 bytes of UTF-8) as bytes32, right-padded with zeros."""
    raw = label.encode()
    if len(raw) > 32:
        raise InvalidInput(f"tag '{label}' is longer than 32 bytes; use a short label such as deed or priority")
    return raw.ljust(32, b"\x00")


def untag(value: bytes | str) -> str:
    """The label of a bytes32 tag."""
    raw = bytes.fromhex(value[2:]) if isinstance(value, str) else value
    return raw.rstrip(b"\x00").decode(errors="replace")


# ---------------------------------------------------------------- text shown to people, URIs, input files


def escape(text: str) -> str:
    """``text`` with every character that is not printable shown as its backslash escape.

    Newlines, carriage returns, terminal escapes (``\\x1b``), bidirectional overrides (U+202E),
    zero-width and other invisible characters, unassigned code points and undecodable bytes
    become ``\\n``, ``\\x1b``, ``\\u202e``…, so that a value read from the chain or a file can
    neither forge a line of output, nor colour it, nor reorder what a reader sees.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _excerpt(text: str, limit: int = 60) -> str:
    """The start of a long value, escaped, for a message."""
    return escape(text if len(text) <= limit else text[:limit] + "…")


def uri(value: Any, what: str = "metadata URI") -> str:
    """A URI as the register keeps it (empty: none): at most ``MAX_URI_LEN`` bytes of UTF-8, printable.

    No white space, control or invisible characters (RFC 3986 has none; percent-encode them):
    a newline in a URI would print as a forged line of a table, an RTL override would reverse
    what a reader sees. The same rule for the SDK, the CLI and the importer.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} is a {type(value).__name__}; give text such as ipfs://… or https://…")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} '{_excerpt(value)}' is not valid text (undecodable bytes); give it in "
                           "UTF-8") from None
    if size > MAX_URI_LEN:
        raise InvalidInput(f"{what} '{_excerpt(value)}' is {size:,} bytes long; at most {MAX_URI_LEN} (a URI names "
                           "the document; keep the document itself off chain)")
    for i, c in enumerate(value):
        if not c.isprintable() or c.isspace():
            example = f", e.g. %{ord(c):02X}" if ord(c) < 0x80 else ""
            raise InvalidInput(f"{what} '{_excerpt(value)}' has U+{ord(c):04X} ({_char_kind(c)}) at position {i + 1}; "
                               f"a URI has no white space, control or invisible characters (percent-encode them{example})")
    return value


def _char_kind(c: str) -> str:
    """What kind of character ``c`` is, for a message (``a control character``, ``RIGHT-TO-LEFT OVERRIDE``)."""
    import unicodedata

    if unicodedata.category(c) == "Cc":
        return "a control character"
    if c.isspace():
        return "white space"
    return unicodedata.name(c, "an invisible or unassigned character")


MAX_JSON_DEPTH = 64  # the deepest nesting a JSON input of the toolkit may have (records nest 5, deployments 3)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON ``text`` nests arrays and objects more than ``limit`` deep, found without recursion.

    Python's JSON reader recurses once per level: 100,000 levels raise ``RecursionError``, or
    crash the interpreter outright once a library (py_ecc) has raised the recursion limit. So
    inputs are measured first: strings are taken out, then the innermost ``[]``/``{}`` pairs are
    removed ``limit`` times (each pass is one C-speed scan). Text that is not balanced JSON is
    left to the reader's own error.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    for _ in range(limit):
        if not brackets:
            return False
        inner = brackets.replace("[]", "").replace("{}", "")
        if inner == brackets:
            return False  # unbalanced: not JSON, which the reader says better
        brackets = inner
    return bool(brackets) and brackets.replace("[]", "").replace("{}", "") != brackets


_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def input_file(path: str | os.PathLike[str], what: str = "file") -> Path:
    """An existing, readable regular file; a directory, device, FIFO or socket is named as such.

    Hashing ``/dev/null`` would record the hash of nothing, and a FIFO would block the command;
    both are refused with what they are, not as missing files.
    """
    p = Path(path)
    shown = escape(os.fsdecode(path))
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise InvalidInput(f"{what} '{shown}' does not exist; give the path of an existing file") from None
    except OSError as exc:
        raise InvalidInput(f"{what} '{shown}' cannot be read ({exc.strerror}); give the path of a readable "
                           "file") from None
    if stat.S_ISDIR(mode):
        raise InvalidInput(f"{what} '{shown}' is a directory; give the path of a file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a file")
        raise InvalidInput(f"{what} '{shown}' is {kind}, not a regular file; give the path of a file")
    if not os.access(p, os.R_OK):
        raise InvalidInput(f"{what} '{shown}' cannot be read (permission denied); give the path of a readable file")
    return p


# ---------------------------------------------------------------- dates

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def date(value: Any, what: str = "date") -> int:
    """Unix seconds from text ``YYYY-MM-DD`` (UTC midnight) or ``YYYY-MM-DDTHH:MM:SSZ``, or from a Python int.

    Text is a calendar date or a full ISO timestamp only: a bare number such as ``20240101``
    is refused with the hint to write ``2024-01-01`` (read as unix seconds it would be
    1970-08-23). A Python ``int`` (an SDK caller's value) is unix seconds. Dates are after
    1970-01-01 and fit the contracts' uint40.
    """
    if isinstance(value, bool):
        raise InvalidInput(f"{what} is true/false, not a date; use YYYY-MM-DD")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str):
        text = value.strip()
        if _DAY_RE.match(text) or _TIME_RE.match(text):
            form = "%Y-%m-%d" if len(text) == 10 else "%Y-%m-%dT%H:%M:%SZ"
            try:
                moment = dt.datetime.strptime(text, form).replace(tzinfo=dt.timezone.utc)
            except ValueError:
                raise InvalidInput(f"{what} '{text}' is not a calendar date or time") from None
            seconds = int(moment.timestamp())
        else:
            raise InvalidInput(_not_a_date(what, value, text))
    else:
        raise InvalidInput(f"{what} is a {type(value).__name__}, not a date; use YYYY-MM-DD")
    if not 0 < seconds <= MAX_DATE:
        raise InvalidInput(f"{what} '{value}' is out of range; give a date after 1970-01-01 (at most {MAX_DATE} s)")
    return seconds


def date_text(value: Any, what: str = "date") -> int:
    """``date`` for values from a file: text only (an integer is refused with the same hint as a bare number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise InvalidInput(_not_a_date(what, value, str(value)))
    return date(value, what)


def _not_a_date(what: str, value: Any, text: str) -> str:
    """The refusal of a value that is no date; a bare number is told how to write it (20240101: 2024-01-01)."""
    name = f"{what} " if what else ""
    if text.isascii() and text.lstrip("-").isdigit():
        if len(text) == 8:
            try:
                day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
                return f"{name}'{value}' is a bare number; write the date as {day.isoformat()} (YYYY-MM-DD)"
            except ValueError:
                pass
        return (f"{name}'{value}' is a bare number; give a date as YYYY-MM-DD (e.g. 2031-05-01) or "
                "YYYY-MM-DDTHH:MM:SSZ, not unix seconds")
    return f"{name}'{value}' is not a date; use YYYY-MM-DD (e.g. 2031-05-01) or YYYY-MM-DDTHH:MM:SSZ"


def format_date(seconds: int) -> str:
    """``YYYY-MM-DD`` for a UTC midnight, else ``YYYY-MM-DDTHH:MM:SSZ`` (the canonical form)."""
    moment = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    if seconds % 86400 == 0:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- offices, types, statuses, numbers, ids

_OFFICE_RE = re.compile(r"^[A-Z]{2}$")


def office(value: str, what: str = "office code") -> str:
    """An ST.3 office code (two upper-case letters that ST.3 knows), with close matches on a typo."""
    from ipledger.domain.offices import ST3_CODES, close_codes

    if not isinstance(value, str):
        raise InvalidInput(f"{what} is a {type(value).__name__}; give two upper-case letters (WIPO ST.3)")
    code = value.strip()
    if not _OFFICE_RE.match(code):
        raise InvalidInput(f"{what} '{value}' is not two upper-case letters (WIPO ST.3), e.g. EM, RU, US")
    if code not in ST3_CODES:
        close = close_codes(code)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise InvalidInput(f"{what} '{code}' is not a WIPO ST.3 code.{hint}")
    return code


def office_bytes(code: str) -> bytes:
    """An ST.3 code as the contracts' ``bytes2``."""
    return office(code).encode("ascii")


def ip_type(value: Any) -> Any:
    """An ``IPType`` from a name (``trade_mark``), a short code (``TM``) or the enum value."""
    from ipledger.domain.rights import IP_TYPE_ALIASES, SHORT_TYPE, IPType

    if isinstance(value, IPType):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value in IPType._value2member_map_:
            return IPType(value)
    elif isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        if key in IP_TYPE_ALIASES:
            return IP_TYPE_ALIASES[key]
        if key.isdigit() and int(key) in IPType._value2member_map_:
            return IPType(int(key))
    names = ", ".join(SHORT_TYPE[t] for t in IPType)
    raise InvalidInput(f"IP type '{value}' is unknown; use one of {names} or a full name such as trade_mark")


def status(value: Any) -> Any:
    """A ``Status`` from its name (``registered``) or value."""
    from ipledger.domain.rights import Status

    if isinstance(value, Status):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value in Status._value2member_map_:
            return Status(value)
    elif isinstance(value, str):
        key = value.strip().upper()
        if key in Status.__members__ and key != "NONE":
            return Status[key]
    names = ", ".join(s.name.lower() for s in Status if s is not Status.NONE)
    raise InvalidInput(f"status '{value}' is unknown; use one of {names}")


_NUMBER_RE = re.compile(r"[A-Za-z0-9]+(?:[-/.]+[A-Za-z0-9]+)*")  # used with fullmatch: no trailing newline


def application_number(value: Any) -> str:
    """An ST.13-compatible application number: 1 to 32 ASCII letters and digits, with ``-``, ``/`` and ``.``
    only between them (``018234567``, ``EP-0001``, ``2023/101234``).

    The same rule as the contract (``IPRegistry._checkApplicationNumber``, ``MalformedApplicationNumber``):
    the id of a right hashes the number as written, so look-alikes (a trailing zero-width space,
    an RTL override, full-width digits, surrounding blanks) would be other rights.
    """
    if not isinstance(value, str) or not value or not value.strip():
        raise InvalidInput("the application number is empty; give the ST.13 number, e.g. 018234567")
    if len(value) > MAX_APPLICATION_NUMBER_LEN:
        raise InvalidInput(f"application number {_shown(value)} is {len(value):,} characters; an ST.13 number has at "
                           f"most {MAX_APPLICATION_NUMBER_LEN} (letters and digits, '-', '/' or '.' between them)")
    if not _NUMBER_RE.fullmatch(value):
        raise InvalidInput(f"application number {_shown(value)} is not ST.13 ASCII: use letters A-Z, a-z and digits "
                           "0-9, with '-', '/' or '.' only between them (e.g. 018234567, EP-0001, 2023/101234)")
    return value


def _shown(value: str, limit: int = 40) -> str:
    """The value as Python spells it (control and invisible characters escaped), cut to ``limit`` characters."""
    text = ascii(value[:limit])
    return text + ("…" if len(value) > limit else "")


def right_id(office_: str, kind: Any, number: str) -> int:
    """The id of the right (office, IP type, application number), each validated first."""
    return RightKey(office=office(office_), ip_type=int(ip_type(kind)), number=application_number(number)).id


@dataclass(frozen=True)
class RightKey:
    """A right as the user named it: by its id, or by office, IP type and application number (each validated);
    ``id`` is computed on first use (hashing needs eth-abi, a slow import a read from the index does without)."""

    office: str = ""
    ip_type: int = 0
    number: str = ""
    given_id: int | None = None

    @property
    def id(self) -> int:
        from ipledger.domain.rights import right_id as compute

        return self.given_id if self.given_id is not None else compute(str(self.office), self.ip_type, self.number)


def right_key(ref: str) -> RightKey:
    """A ``RightKey`` from ``0x…`` hex, a decimal id, or ``OFFICE/TYPE/APPLICATION-NUMBER``."""
    text = ref.strip()
    if text.count("/") >= 2:
        office_, kind, number = text.split("/", 2)
        return RightKey(office=office(office_), ip_type=int(ip_type(kind)), number=application_number(number))
    try:
        value = int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise InvalidInput(
            f"right '{ref}' is neither a hex id (0x…) nor OFFICE/TYPE/APPLICATION-NUMBER such as EM/TM/018234567"
        ) from None
    if not 0 < value <= MAX_UINT256:
        raise InvalidInput(f"right id '{ref}' is out of range (1 .. 2**256-1)")
    return RightKey(given_id=value)


def right_ref(ref: str) -> int:
    """A right id from ``0x…`` hex, a decimal id, or ``OFFICE/TYPE/APPLICATION-NUMBER``."""
    return right_key(ref).id


def legal_event(value: Any) -> Any:
    """A ``LegalEvent`` from its name (``registered``, ``filing-date-corrected``), its key event code (``F10``) or
    its value."""
    from ipledger.domain.rights import KEY_EVENT_CODES, LegalEvent

    if isinstance(value, LegalEvent):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value in LegalEvent._value2member_map_:
            return LegalEvent(value)
    elif isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        if key in LegalEvent.__members__:
            return LegalEvent[key]
        by_code = {code: kind for kind, code in KEY_EVENT_CODES.items()}
        if key in by_code:
            return by_code[key]
    names = ", ".join(k.name.lower().replace("_", "-") for k in LegalEvent)
    raise InvalidInput(f"legal event '{value}' is unknown; use a key event code such as F10 or one of {names}")


def national_code(value: Any) -> bytes:
    """An office's national event code: 1 to 8 printable ASCII characters, no blanks; as the contract's ``bytes8``
    (left-aligned, zero-padded). An empty value is zero: back to the default (the ST.27 key event code)."""
    if not isinstance(value, str):
        raise InvalidInput(f"national code is a {type(value).__name__}; give 1 to 8 ASCII characters, e.g. 0140")
    if value == "":
        return b"\x00" * 8
    if len(value) > 8 or not all(0x21 <= ord(c) <= 0x7E for c in value):
        raise InvalidInput(f"national code {ascii(value)} is not 1 to 8 printable ASCII characters without blanks; "
                           "give e.g. 0140 or REG-1")
    return value.encode("ascii").ljust(8, b"\x00")


def license_kind(value: Any) -> Any:
    """A ``LicenseKind`` from its name (``exclusive``, ``sole``, ``non-exclusive``) or value."""
    from ipledger.domain.licensing import LicenseKind

    if isinstance(value, LicenseKind):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value in LicenseKind._value2member_map_:
            return LicenseKind(value)
    elif isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        key = {"NONEXCLUSIVE": "NON_EXCLUSIVE", "NE": "NON_EXCLUSIVE"}.get(key, key)
        if key in LicenseKind.__members__:
            return LicenseKind[key]
    raise InvalidInput(f"license kind '{value}' is unknown; use exclusive, sole or non_exclusive")
