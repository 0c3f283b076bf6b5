"""Bulk import and export of office data: validated first, batched, pipelined, exactly once.

    from ipledger.bulk import load_records, import_records, export_records, dumps
    records = load_records("examples/records.json")          # every problem at once, or InvalidRecords
    with IPLedger.connect("local", 1) as ipl:                  # a registrar of every office in the file
        report = import_records(ipl, records)
        Path("out.json").write_text(dumps(export_records(ipl)))

**Records** are shaped after WIPO ST.97 (the JSON form of ST.96): office (ST.3), IP type,
application number, filing date, holder, content hash, metadata URI and hash, registration
number and date, expiry date, and the legal-status events after filing (ST.27 codes). The
schema is in ``docs/bulk.md``. CSV carries one row per record with the final status and its
dates; it becomes the same records.

**Exactly once.** A right's id is ``keccak(office, type, application number)``, so the chain
itself says what is done. Each round reads the chain state of every record, plans only what
is missing (filings, and the status moves after the right's *current* status on the record's
path), and sends it. Filings go through ``fileBatch(..., skipExisting=true)``, so a filing
that lands twice is skipped by the contract; a status move is valid only from its
predecessor, so a stale duplicate reverts instead of applying twice. A crash, a Ctrl-C or a
node restart therefore loses nothing and repeats nothing: the next run (or round) starts
from what the chain holds.

**Fast.** Calldata is ABI-encoded by hand and transactions are signed locally with
coincurve (the same bytes eth-account makes, ten times faster); they are sent back to back
with our own nonces, keeping at most ``window`` of them unmined. Gas limits come from a cost
model (no estimate round trip per transaction); a batch that runs out of gas is simply
planned again with an estimate. If the account's mined nonce stops moving for
``receipt_timeout`` seconds (a dropped or stuck transaction), the round ends, the chain is
read again, and the rest is re-sent from the mined nonce with higher fees, which replaces
whatever was stuck. The first of those (the gap that holds the stuck ones back) is sent last,
and nonces the new round does not reuse are filled with no-op self-transfers, so no stale
transaction can ever run. The same happens at the start of a run for transactions an earlier
run left pending (the node's pending count, or ``--journal`` for those behind a gap).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eth_utils import keccak, to_checksum_address

from ipledger import domain, types
from ipledger.domain import EVENT_CODES, SHORT_TYPE, TRANSITIONS, IPType, Status
from ipledger.errors import ContractRevert, IPLedgerError, NetworkError, UsageError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3

    from ipledger.sdk import IPLedger

log = logging.getLogger(__name__)

FORMAT = "ipledger-bulk"
VERSION = 1
ZERO32 = b"\x00" * 32
MAX_DATE = 2**40 - 1
MAX_NUMBER_LEN = 64  # application and registration numbers (ST.13 numbers are far shorter)
MAX_URI_LEN = 2048

# ---------------------------------------------------------------- errors


class InvalidRecords(UsageError):
    """The input file has invalid records; nothing was sent. ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem], source: str = "the input") -> None:
        self.problems = tuple(problems)
        numbers = sorted({p.record for p in self.problems if p.record})
        lines = "\n".join(f"  {p}" for p in self.problems)
        what = f"{len(numbers)} invalid record{'s' if len(numbers) != 1 else ''}" if numbers else "invalid input"
        super().__init__(f"{what} in {source} ({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}); "
                         f"nothing was sent. Fix them and run again (see docs/bulk.md):\n{lines}")


class ImportRefused(IPLedgerError):
    """The chain would refuse the import as a whole (unknown office, or the account is not its registrar)."""


@dataclass(frozen=True)
class Problem:
    """One validation problem: the record number (1-based, 0 = the file), the field and why."""

    record: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"record {self.record}" if self.record else "file"
        return f"{where}, {self.field}: {self.reason}"


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class StatusEvent:
    """A legal-status move after filing.

    ``effective_date`` is 0 for renewals (the register records them at the block time);
    ``expiry_date`` is set on ``registered`` and ``renewed`` events.
    """

    status: Status
    effective_date: int = 0
    document_hash: bytes = ZERO32
    expiry_date: int = 0

    @property
    def event_code(self) -> str:
        return EVENT_CODES[self.status]


@dataclass(frozen=True)
class Record:
    """One right as an office's data describes it (validated)."""

    office: str
    ip_type: IPType
    application_number: str
    filing_date: int
    holder: str
    content_hash: bytes = ZERO32
    metadata_uri: str = ""
    metadata_hash: bytes = ZERO32
    registration_number: str = ""
    registration_date: int = 0
    expiry_date: int = 0
    events: tuple[StatusEvent, ...] = ()

    @cached_property
    def right_id(self) -> int:
        """uint256(keccak256(abi.encode(office, uint8(ipType), applicationNumber))), as ``domain.right_id``."""
        return int.from_bytes(keccak(self.office.encode("ascii").ljust(32, b"\x00") + _word(int(self.ip_type))
                                     + _word(96) + _string_tail(self.application_number.encode())), "big")

    @property
    def ref(self) -> str:
        return f"{self.office}/{SHORT_TYPE[self.ip_type]}/{self.application_number}"

    @property
    def status(self) -> Status:
        return self.events[-1].status if self.events else Status.FILED

    @property
    def path(self) -> tuple[Status, ...]:
        """The statuses the right passes through, from Filed to its final status."""
        return (Status.FILED, *(e.status for e in self.events))

    @property
    def actions(self) -> int:
        """Transactions' worth of work: the filing and each status move."""
        return 1 + len(self.events)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.office, int(self.ip_type), self.application_number)


# ---------------------------------------------------------------- dates, hashes, names

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def parse_date(value: Any) -> int:
    """Unix seconds from ``YYYY-MM-DD`` (UTC midnight), ``YYYY-MM-DDTHH:MM:SSZ`` or an integer; ValueError says why."""
    if isinstance(value, bool):
        raise ValueError("is true/false, not a date")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            seconds = int(text)
        elif _DAY_RE.match(text):
            try:
                day = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
            except ValueError:
                raise ValueError(f"'{text}' is not a calendar date") from None
            seconds = int(day.timestamp())
        elif _TIME_RE.match(text):
            try:
                moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
            except ValueError:
                raise ValueError(f"'{text}' is not a valid time") from None
            seconds = int(moment.timestamp())
        else:
            raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or unix seconds")
    else:
        raise ValueError(f"is a {type(value).__name__}, not a date")
    if not 0 < seconds <= MAX_DATE:
        raise ValueError(f"{seconds} is out of range (after 1970-01-01, at most {MAX_DATE})")
    return seconds


def format_date(seconds: int) -> str:
    """``YYYY-MM-DD`` for a UTC midnight, else ``YYYY-MM-DDTHH:MM:SSZ`` (the canonical form)."""
    moment = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    if seconds % 86400 == 0:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_hash(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"is a {type(value).__name__}; give 0x and 64 hex digits")
    text = value.strip()
    raw = text[2:] if text.lower().startswith("0x") else text
    if not re.fullmatch(r"[0-9a-fA-F]{64}", raw):
        raise ValueError(f"'{text}' is not a 32-byte hash; give 0x and 64 hex digits")
    return bytes.fromhex(raw)


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


_CHECKSUMS: dict[str, str] = {}
_ADDRESS_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")


def _valid_address(text: str) -> bool:
    """Like ``eth_utils.is_address``: 0x and 40 hex digits, all one case or with a valid EIP-55 checksum."""
    if not _ADDRESS_RE.match(text):
        return False
    digits = text[2:]
    return digits.islower() or digits.isupper() or digits.isdigit() or checksum(text) == text


def checksum(address: str) -> str:
    """``to_checksum_address`` with a cache (a file has few holders but many records; keccak is not free)."""
    key = address.lower()
    out = _CHECKSUMS.get(key)
    if out is None:
        out = _CHECKSUMS[key] = to_checksum_address(key)
    return out


# ---------------------------------------------------------------- the JSON schema

RECORD_FIELDS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder", "contentHash",
                 "metadataURI", "metadataHash", "registrationNumber", "registrationDate", "expiryDate", "legalStatus",
                 "legalStatusEvents")
EVENT_FIELDS = ("status", "eventCode", "effectiveDate", "documentHash", "expiryDate")
REQUIRED_FIELDS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder")
CSV_COLUMNS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder", "contentHash",
               "metadataURI", "metadataHash", "registrationNumber", "registrationDate", "expiryDate", "legalStatus",
               "publicationDate", "legalStatusDate", "legalStatusDocumentHash")


def _unknown(keys: Iterable[str], known: Sequence[str]) -> list[tuple[str, str]]:
    from difflib import get_close_matches

    out = []
    for key in keys:
        if key in known or key.startswith("_"):
            continue
        close = get_close_matches(key, list(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
        out.append((key, f"unknown field{hint}"))
    return out


class _Fields:
    """Reads typed fields out of one raw record, collecting problems instead of stopping at the first."""

    def __init__(self, number: int, raw: Mapping[str, Any], problems: list[Problem], prefix: str = "",
                 names: Mapping[str, str] | None = None) -> None:
        self.number = number
        self.raw = raw
        self.problems = problems
        self.prefix = prefix
        self.names = names or {}

    def name(self, key: str) -> str:
        return self.names.get(key, self.prefix + key)

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.number, self.name(key), reason))

    def present(self, key: str) -> bool:
        value = self.raw.get(key)
        return value is not None and not (isinstance(value, str) and value.strip() == "")

    def text(self, key: str, *, required: bool = False, max_len: int = MAX_NUMBER_LEN, strip: bool = True) -> str:
        if not self.present(key):
            if required:
                self.problem(key, "is missing")
            return ""
        value = self.raw[key]
        if not isinstance(value, str):
            self.problem(key, f"is a {type(value).__name__}; give a string")
            return ""
        text = value.strip() if strip else value
        if len(text.encode()) > max_len:
            self.problem(key, f"is {len(text.encode())} bytes long; at most {max_len}")
            return ""
        return text

    def date(self, key: str, *, required: bool = False) -> int:
        if not self.present(key):
            if required:
                self.problem(key, "is missing; give YYYY-MM-DD")
            return 0
        try:
            return parse_date(self.raw[key])
        except ValueError as exc:
            self.problem(key, str(exc))
            return 0

    def hash(self, key: str) -> bytes:
        if not self.present(key):
            return ZERO32
        try:
            return _parse_hash(self.raw[key])
        except ValueError as exc:
            self.problem(key, str(exc))
            return ZERO32


def record_from_json(number: int, raw: Any, problems: list[Problem]) -> Record | None:
    """Validates one JSON record; appends every problem and returns None if there was any."""
    before = len(problems)
    if not isinstance(raw, Mapping):
        problems.append(Problem(number, "record", f"is a {type(raw).__name__}; each record is a JSON object"))
        return None
    names = raw.get("_names") if isinstance(raw.get("_names"), Mapping) else None
    f = _Fields(number, raw, problems, names=names)
    for key, reason in _unknown(raw.keys(), RECORD_FIELDS):
        f.problem(key, reason)

    office = f.text("registrationOfficeCode", required=True)
    if office:
        try:
            office = types.office(office)
        except UsageError as exc:
            f.problem("registrationOfficeCode", str(exc))
    kind_text = f.text("ipRightType", required=True)
    kind = IPType.PATENT
    if kind_text:
        try:
            kind = types.ip_type(kind_text)
        except UsageError as exc:
            f.problem("ipRightType", str(exc))
    app_no = f.text("applicationNumber", required=True)
    filing_date = f.date("filingDate", required=True)
    holder = ""
    if not f.present("holder"):
        f.problem("holder", "is missing; give the holder's address (0x and 40 hex digits)")
    elif not isinstance(raw["holder"], str) or not _valid_address(raw["holder"].strip()):
        f.problem("holder", f"'{raw['holder']}' is not an Ethereum address (0x and 40 hex digits)")
    else:
        holder = checksum(raw["holder"].strip())
        if int(holder, 16) == 0:
            f.problem("holder", "is the zero address")
    content_hash = f.hash("contentHash")
    metadata_uri = f.text("metadataURI", max_len=MAX_URI_LEN)
    metadata_hash = f.hash("metadataHash")
    reg_no = f.text("registrationNumber")
    reg_date = f.date("registrationDate")
    expiry = f.date("expiryDate")
    final_text = f.text("legalStatus")

    events_raw = raw.get("legalStatusEvents", [])
    if events_raw is None:
        events_raw = []
    if not isinstance(events_raw, list):
        f.problem("legalStatusEvents", f"is a {type(events_raw).__name__}; give a list of events")
        events_raw = []
    events: list[StatusEvent] = []
    current = Status.FILED
    current_expiry = 0
    registered_at = -1
    path_ok = True
    for i, ev_raw in enumerate(events_raw, start=1):
        prefix = f"legalStatusEvents[{i}]."
        if not isinstance(ev_raw, Mapping):
            problems.append(Problem(number, f"legalStatusEvents[{i}]", "is not an object"))
            path_ok = False
            continue
        ev_names = ev_raw.get("_names") if isinstance(ev_raw.get("_names"), Mapping) else None
        e = _Fields(number, ev_raw, problems, prefix=prefix, names=ev_names)
        for key, reason in _unknown(ev_raw.keys(), EVENT_FIELDS):
            e.problem(key, reason)
        status_text = e.text("status", required=True)
        if not status_text:
            path_ok = False
            continue
        try:
            status = types.status(status_text)
        except UsageError as exc:
            e.problem("status", str(exc))
            path_ok = False
            continue
        if status is Status.FILED:
            e.problem("status", "the filing is implied by the record; list only the events after it")
            path_ok = False
            continue
        if path_ok and status not in TRANSITIONS.get(current, frozenset()):
            allowed = ", ".join(sorted(s.name.lower() for s in TRANSITIONS.get(current, frozenset()))) or "nothing"
            e.problem("status", f"{current.name.lower()} → {status.name.lower()} is not a legal move "
                                f"(from {current.name.lower()}: {allowed})")
            path_ok = False
        code = e.text("eventCode")
        if code and code != EVENT_CODES[status]:
            e.problem("eventCode", f"'{code}' does not match {status.name.lower()} (its ST.27 code is "
                                   f"{EVENT_CODES[status]})")
        effective = e.date("effectiveDate")
        doc = e.hash("documentHash")
        ev_expiry = e.date("expiryDate")
        if status is Status.REGISTERED:
            registered_at = len(events)
            if not effective:
                effective = reg_date
            if reg_date and effective and effective != reg_date:
                e.problem("effectiveDate", f"{format_date(effective)} differs from registrationDate "
                                           f"{format_date(reg_date)}; registration takes effect on its date")
            if not effective:
                e.problem("effectiveDate", "is missing; give registrationDate")
            if not ev_expiry:
                later_renewals = any(isinstance(x, Mapping) and str(x.get("status", "")).strip().lower() == "renewed"
                                     for x in events_raw[i:])
                if later_renewals:
                    e.problem("expiryDate", "is missing; a registration that is renewed later needs its first "
                                            "expiry date here")
                else:
                    ev_expiry = expiry
            if not ev_expiry:
                e.problem("expiryDate", "is missing; give expiryDate on the record or on this event")
            elif effective and ev_expiry <= effective:
                e.problem("expiryDate", f"{format_date(ev_expiry)} is not after the registration date "
                                        f"{format_date(effective)}")
            current_expiry = ev_expiry
        elif status is Status.RENEWED:
            if e.present("effectiveDate"):
                e.problem("effectiveDate", "the register records a renewal at the block time; leave effectiveDate "
                                           "out (see docs/bulk.md)")
            effective = 0
            if not ev_expiry:
                e.problem("expiryDate", "is missing; a renewal sets a new expiry date")
            elif current_expiry and ev_expiry <= current_expiry:
                e.problem("expiryDate", f"{format_date(ev_expiry)} is not after the previous expiry "
                                        f"{format_date(current_expiry)}")
            current_expiry = ev_expiry or current_expiry
        else:
            if e.present("expiryDate"):
                e.problem("expiryDate", f"only registered and renewed events carry an expiry date, not "
                                        f"{status.name.lower()}")
            if not effective and not e.present("effectiveDate"):
                e.problem("effectiveDate", "is missing; give the date the event takes effect")
        events.append(StatusEvent(status=status, effective_date=effective, document_hash=doc,
                                  expiry_date=ev_expiry if status in (Status.REGISTERED, Status.RENEWED) else 0))
        current = status

    if registered_at < 0:
        for key, present in (("registrationNumber", reg_no), ("registrationDate", reg_date), ("expiryDate", expiry)):
            if present:
                f.problem(key, "is set but there is no 'registered' event in legalStatusEvents")
    else:
        if not reg_no:
            f.problem("registrationNumber", "is missing; a registered right has a registration number")
        if not reg_date:
            reg_date = events[registered_at].effective_date
        if expiry and current_expiry and expiry != current_expiry:
            f.problem("expiryDate", f"{format_date(expiry)} differs from the expiry the events set "
                                    f"({format_date(current_expiry)})")
        expiry = current_expiry
    if final_text:
        try:
            final = types.status(final_text)
            if path_ok and final is not current:
                f.problem("legalStatus", f"is {final.name.lower()} but the events end at {current.name.lower()}")
        except UsageError as exc:
            f.problem("legalStatus", str(exc))
    if len(problems) > before:
        return None
    return Record(office=office, ip_type=kind, application_number=app_no, filing_date=filing_date, holder=holder,
                  content_hash=content_hash, metadata_uri=metadata_uri, metadata_hash=metadata_hash,
                  registration_number=reg_no, registration_date=reg_date, expiry_date=expiry, events=tuple(events))


def _csv_events(number: int, row: Mapping[str, str], problems: list[Problem]) -> list[dict[str, Any]] | None:
    """The status path that leads from Filed to a CSV row's final status."""
    final_text = (row.get("legalStatus") or "").strip() or "filed"
    try:
        final = types.status(final_text)
    except UsageError as exc:
        problems.append(Problem(number, "legalStatus", str(exc)))
        return None
    pub = (row.get("publicationDate") or "").strip()
    status_date = (row.get("legalStatusDate") or "").strip()
    doc = (row.get("legalStatusDocumentHash") or "").strip()
    published = {"status": "published", "effectiveDate": pub,
                 "_names": {"effectiveDate": "publicationDate", "status": "legalStatus"}}
    registered_names = {"effectiveDate": "registrationDate", "status": "legalStatus", "expiryDate": "expiryDate",
                        "documentHash": "legalStatusDocumentHash"}
    registered: dict[str, Any] = {"status": "registered", "_names": registered_names}
    last: dict[str, Any] = {"status": final.name.lower(), "effectiveDate": status_date, "documentHash": doc,
                            "_names": {"effectiveDate": "legalStatusDate", "documentHash": "legalStatusDocumentHash",
                                       "status": "legalStatus"}}
    if final is Status.FILED:
        path: list[dict[str, Any]] = []
    elif final is Status.PUBLISHED:
        last["effectiveDate"] = status_date or pub
        if pub and status_date and pub != status_date:
            problems.append(Problem(number, "legalStatusDate", "differs from publicationDate; leave one empty"))
        path = [last]
    elif final is Status.OPPOSED:
        path = [published, last]
    elif final is Status.REGISTERED:
        reg_date = (row.get("registrationDate") or "").strip()
        if status_date and reg_date and status_date != reg_date:
            problems.append(Problem(number, "legalStatusDate", "differs from registrationDate; leave it empty"))
        registered["documentHash"] = doc
        path = [published, registered]
    elif final in (Status.REFUSED, Status.WITHDRAWN):
        path = [published, last] if pub else [last]
    elif final in (Status.EXPIRED, Status.REVOKED, Status.INVALIDATED, Status.SURRENDERED, Status.LAPSED):
        path = [published, registered, last]
    else:
        problems.append(Problem(number, "legalStatus", f"{final.name.lower()} needs the event history (each "
                                                       "renewal or restoration); use the JSON format"))
        return None
    return path


def parse_csv(text: str) -> tuple[list[Record], list[Problem]]:
    """Records from CSV with a header row (columns: ``CSV_COLUMNS``); record n is data row n."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if not header:
        return [], [Problem(0, "header", "the CSV file is empty; the first row names the columns")]
    for key, reason in _unknown(header, CSV_COLUMNS):
        problems.append(Problem(0, f"column {key}", reason))
    for col in REQUIRED_FIELDS:
        if col not in header:
            problems.append(Problem(0, f"column {col}", "is missing from the header"))
    if problems:
        return [], problems
    numbered: list[tuple[int, Record]] = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            problems.append(Problem(number, "row", f"has {len(header) + len(row[None])} cells but the header has "
                                                   f"{len(header)} (line {reader.line_num})"))
            continue
        raw: dict[str, Any] = {k: v for k, v in row.items() if k in RECORD_FIELDS and (v or "").strip()}
        events = _csv_events(number, row, problems)
        if events is None:
            continue
        raw["legalStatusEvents"] = events
        raw.pop("legalStatus", None)
        rec = record_from_json(number, raw, problems)
        if rec is not None:
            numbered.append((number, rec))
    return _finish(numbered, problems)


def parse_document(data: Any) -> tuple[list[Record], list[Problem]]:
    """Records from a parsed JSON document (``{"records": [...]}`` or a bare list)."""
    problems: list[Problem] = []
    if isinstance(data, Mapping):
        for key, reason in _unknown(data.keys(), ("format", "version", "recordCount", "records")):
            problems.append(Problem(0, key, reason))
        if data.get("format", FORMAT) != FORMAT:
            problems.append(Problem(0, "format", f"is '{data.get('format')}', expected '{FORMAT}'"))
        if data.get("version", VERSION) != VERSION:
            problems.append(Problem(0, "version", f"is {data.get('version')!r}; this ipledger reads version {VERSION}"))
        items = data.get("records")
        if not isinstance(items, list):
            problems.append(Problem(0, "records", "is missing or not a list"))
            return [], problems
        if "recordCount" in data and data["recordCount"] != len(items):
            problems.append(Problem(0, "recordCount", f"is {data['recordCount']!r} but there are {len(items)} records"))
    elif isinstance(data, list):
        items = data
    else:
        return [], [Problem(0, "document", "is neither a JSON object with 'records' nor a list of records")]
    numbered = []
    for number, raw in enumerate(items, start=1):
        rec = record_from_json(number, raw, problems)
        if rec is not None:
            numbered.append((number, rec))
    return _finish(numbered, problems)


def _finish(numbered: list[tuple[int, Record]], problems: list[Problem]) -> tuple[list[Record], list[Problem]]:
    """Adds a problem for each right that appears twice; problems come out in record order."""
    seen: dict[int, int] = {}
    for number, rec in numbered:
        first = seen.setdefault(rec.right_id, number)
        if first != number:
            problems.append(Problem(number, "applicationNumber", f"{rec.ref} is already record {first}; each right "
                                                                 "appears once"))
    problems.sort(key=lambda p: p.record)
    return [rec for _, rec in numbered], problems


def load_records(path: str | Path, *, fmt: str | None = None) -> list[Record]:
    """Reads and validates a JSON or CSV file (by extension, or ``fmt``); raises InvalidRecords with every problem."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"file '{path}' does not exist; give a .json or .csv file of records (see examples/)")
    kind = (fmt or p.suffix.lstrip(".")).lower()
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_records(text, kind, source=str(path))


def parse_records(text: str, kind: str, *, source: str = "the input") -> list[Record]:
    """Validates the text of a ``json`` or ``csv`` file; raises InvalidRecords with every problem."""
    if kind == "csv":
        records, problems = parse_csv(text)
    elif kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidRecords([Problem(0, "JSON", f"{exc.msg} at line {exc.lineno} column {exc.colno}")],
                                 source) from None
        records, problems = parse_document(data)
    else:
        raise UsageError(f"cannot tell the format of {source}; name it .json or .csv")
    if problems:
        raise InvalidRecords(problems, source)
    return records


# ---------------------------------------------------------------- canonical JSON


def record_to_json(rec: Record) -> dict[str, Any]:
    """The canonical JSON form of a record: fixed key order, empty fields left out."""
    out: dict[str, Any] = {
        "registrationOfficeCode": rec.office,
        "ipRightType": SHORT_TYPE[rec.ip_type],
        "applicationNumber": rec.application_number,
        "filingDate": format_date(rec.filing_date),
        "holder": checksum(rec.holder),
    }
    if rec.content_hash != ZERO32:
        out["contentHash"] = _hex(rec.content_hash)
    if rec.metadata_uri:
        out["metadataURI"] = rec.metadata_uri
    if rec.metadata_hash != ZERO32:
        out["metadataHash"] = _hex(rec.metadata_hash)
    if rec.registration_number:
        out["registrationNumber"] = rec.registration_number
    if rec.registration_date:
        out["registrationDate"] = format_date(rec.registration_date)
    if rec.expiry_date:
        out["expiryDate"] = format_date(rec.expiry_date)
    out["legalStatus"] = rec.status.name.lower()
    events = []
    for e in rec.events:
        ev: dict[str, Any] = {"status": e.status.name.lower(), "eventCode": e.event_code}
        if e.effective_date:
            ev["effectiveDate"] = format_date(e.effective_date)
        if e.document_hash != ZERO32:
            ev["documentHash"] = _hex(e.document_hash)
        if e.expiry_date:
            ev["expiryDate"] = format_date(e.expiry_date)
        events.append(ev)
    out["legalStatusEvents"] = events
    return out


def dumps(records: Iterable[Record]) -> str:
    """The canonical document: records sorted by (office, IP type, application number), 2-space JSON, one newline."""
    ordered = sorted(records, key=Record.sort_key)
    doc = {"format": FORMAT, "version": VERSION, "recordCount": len(ordered),
           "records": [record_to_json(r) for r in ordered]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- ABI encoding by hand

FILE_BATCH_SIG = "fileBatch((bytes2,uint8,address,uint40,bytes32,bytes32,string,string)[],bool)"
FILE_SIG = "file((bytes2,uint8,address,uint40,bytes32,bytes32,string,string))"
CHANGE_STATUS_SIG = "changeStatus(uint256,uint8,uint40,bytes32)"
REGISTER_SIG = "register(uint256,string,uint40,uint40,bytes32)"
RENEW_SIG = "renew(uint256,uint40,bytes32)"
HOLDER_AND_STATUS_SIG = "holderAndStatus(uint256)"


def selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _string_tail(raw: bytes) -> bytes:
    return _word(len(raw)) + raw + b"\x00" * (-len(raw) % 32)


def encode_filing(rec: Record) -> bytes:
    """One ``Filing`` tuple, ABI-encoded (a dynamic tuple: head of 8 words, then the two strings)."""
    app = _string_tail(rec.application_number.encode())
    uri = _string_tail(rec.metadata_uri.encode())
    head = b"".join((
        rec.office.encode("ascii").ljust(32, b"\x00"),
        _word(int(rec.ip_type)),
        bytes.fromhex(rec.holder[2:]).rjust(32, b"\x00"),
        _word(rec.filing_date),
        rec.content_hash,
        rec.metadata_hash,
        _word(256),
        _word(256 + len(app)),
    ))
    return head + app + uri


def encode_file_batch(records: Sequence[Record], skip_existing: bool = True, *,
                      encoded: Sequence[bytes] | None = None) -> bytes:
    """Calldata of ``fileBatch(filings, skipExisting)`` (``encoded``: the filings already encoded)."""
    elems = list(encoded) if encoded is not None else [encode_filing(r) for r in records]
    offsets = []
    pos = 32 * len(elems)
    for e in elems:
        offsets.append(_word(pos))
        pos += len(e)
    return b"".join((selector(FILE_BATCH_SIG), _word(64), _word(1 if skip_existing else 0), _word(len(elems)),
                     *offsets, *elems))


def encode_file(rec: Record) -> bytes:
    """Calldata of ``file(filing)``."""
    return selector(FILE_SIG) + _word(32) + encode_filing(rec)


def encode_move(rec: Record, ev: StatusEvent) -> bytes:
    """Calldata of the registry call that records ``ev`` (``register``, ``renew`` or ``changeStatus``)."""
    rid = _word(rec.right_id)
    if ev.status is Status.REGISTERED:
        return b"".join((selector(REGISTER_SIG), rid, _word(160), _word(ev.effective_date), _word(ev.expiry_date),
                         ev.document_hash, _string_tail(rec.registration_number.encode())))
    if ev.status is Status.RENEWED:
        return selector(RENEW_SIG) + rid + _word(ev.expiry_date) + ev.document_hash
    return selector(CHANGE_STATUS_SIG) + rid + _word(int(ev.status)) + _word(ev.effective_date) + ev.document_hash


def calldata_gas(data: bytes) -> int:
    """Intrinsic calldata cost: 16 gas per non-zero byte, 4 per zero byte."""
    zeros = data.count(0)
    return 4 * zeros + 16 * (len(data) - zeros)


# ---------------------------------------------------------------- the gas model
# Upper bounds of what the contract does (measured on anvil; benchmarks/gas.py keeps the
# numbers honest). The limit is only a cap, unused gas is not paid; a batch that runs out
# anyway fails alone and is planned again in the next round with the node's estimate.

FILE_EXEC_GAS = 86_500         # one filing after the first for its holder: 3 new slots (2 for the Right, the owner),
#                                the holder's balance update, cold reads, 4 logs, calldata copies
NEW_HOLDER_GAS = 22_500        # the first filing for a holder: its ERC-721 balance slot is new (and its account cold)
SLOT_GAS = 22_500              # each storage slot of a metadata URI (1 if shorter than 32 bytes, else 1 + words)
BATCH_OVERHEAD_GAS = 30_000
MOVE_EXEC_GAS = 45_000         # changeStatus: cold reads, one slot update, the StatusChanged log
REGISTER_EXEC_GAS = 60_000     # register: the same plus dates and the RightRegistered log
TX_GAS_CAP = 2**24             # EIP-7825 (Osaka) per-transaction cap, honoured on live networks
GAS_MARGIN = 1.05


def filing_exec_gas(rec: Record, new_holder: bool = False) -> int:
    uri = len(rec.metadata_uri.encode())
    slots = 0 if uri == 0 else 1 if uri < 32 else 1 + math.ceil(uri / 32)
    strings = len(rec.application_number.encode()) + uri
    return FILE_EXEC_GAS + NEW_HOLDER_GAS * new_holder + SLOT_GAS * slots + 24 * strings


def batch_gas_limit(records: Sequence[Record], data: bytes, new_holders: Iterable[str] = ()) -> int:
    """A gas limit for ``fileBatch(records)`` with calldata ``data``; ``new_holders`` get their first title."""
    fresh = set(new_holders)
    body = BATCH_OVERHEAD_GAS
    for r in records:
        first = r.holder in fresh
        fresh.discard(r.holder)
        body += filing_exec_gas(r, first)
    return int((21_000 + calldata_gas(data) + body) * GAS_MARGIN)


def move_gas_limit(rec: Record, ev: StatusEvent, data: bytes) -> int:
    execution = REGISTER_EXEC_GAS + 16 * len(rec.registration_number.encode()) \
        if ev.status is Status.REGISTERED else MOVE_EXEC_GAS
    return int((21_000 + calldata_gas(data) + execution) * GAS_MARGIN)


# ---------------------------------------------------------------- local signing


class FastSigner:
    """Signs EIP-1559 (or legacy EIP-155) transactions with coincurve directly.

    It makes the same bytes as ``eth_account`` (RFC 6979 signatures are deterministic; a
    test checks it) at a tenth of the cost, which matters when thousands of status moves
    are signed. The key never leaves the process.
    """

    def __init__(self, account: LocalAccount, chain_id: int) -> None:
        import coincurve

        self.address: str = str(account.address)
        self.checksum = account.address
        self.chain_id = chain_id
        self._key = coincurve.PrivateKey(bytes(account.key))

    def sign(self, *, nonce: int, to: bytes, data: bytes, gas: int, value: int = 0, max_fee: int | None = None,
             tip: int | None = None, gas_price: int | None = None) -> tuple[bytes, bytes]:
        """The raw signed transaction and its hash."""
        import rlp

        if max_fee is not None:
            fields: list[Any] = [self.chain_id, nonce, tip or 0, max_fee, gas, to, value, data, []]
            digest = keccak(b"\x02" + rlp.encode(fields))
            sig = self._key.sign_recoverable(digest, hasher=None)
            raw = b"\x02" + rlp.encode(fields + [sig[64], int.from_bytes(sig[:32], "big"),
                                                 int.from_bytes(sig[32:64], "big")])
        else:
            base = [nonce, gas_price or 0, gas, to, value, data]
            digest = keccak(rlp.encode(base + [self.chain_id, 0, 0]))
            sig = self._key.sign_recoverable(digest, hasher=None)
            v = sig[64] + 35 + 2 * self.chain_id
            raw = rlp.encode(base + [v, int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big")])
        return raw, keccak(raw)


# ---------------------------------------------------------------- reading chain state


def _is_http(w3: Web3) -> bool:
    from web3 import HTTPProvider

    return isinstance(w3.provider, HTTPProvider)


def batch_calls(w3: Web3, sender: str, to: str | None, calldatas: Sequence[bytes], *, chunk: int = 1000,
                gas: int | None = None) -> list[bytes]:
    """``eth_call`` results for many calldatas (``to`` None: creation code): JSON-RPC batches over HTTP."""
    out: list[bytes] = []

    def call_of(d: bytes) -> dict[str, Any]:
        call: dict[str, Any] = {"from": sender, "data": d}
        if to is not None:
            call["to"] = to
        if gas is not None:
            call["gas"] = gas
        return call

    if _is_http(w3):
        provider: Any = w3.provider
        for start in range(0, len(calldatas), chunk):
            part = calldatas[start:start + chunk]
            reqs = [("eth_call", [{k: (hex(v) if isinstance(v, int) else _hex(v) if isinstance(v, bytes) else v)
                                   for k, v in call_of(d).items()}, "latest"]) for d in part]
            resps = _retry(lambda: provider.make_batch_request(reqs), "reading the register")
            if not isinstance(resps, list) or len(resps) != len(part):
                raise NetworkError(f"the node answered a batch of {len(part)} calls with {resps!r:.200}")
            for r in resps:
                if "error" in r:
                    raise IPLedgerError(f"the node refused a read of the register: {r['error']}")
                out.append(bytes.fromhex(str(r["result"])[2:]))
        return out
    for d in calldatas:
        call: Any = call_of(d)
        out.append(bytes(_retry(lambda: w3.eth.call(call), "reading the register")))
    return out


def _assemble(program: list[Any]) -> bytes:
    """A tiny EVM assembler: ints are opcodes, ("push", n, value) pushes, strings are labels (JUMPDEST)."""
    def size(op: Any) -> int:
        return 2 + (op[1] - 1) if isinstance(op, tuple) else 1 if isinstance(op, int) else 1
    labels, pc = {}, 0
    for op in program:
        if isinstance(op, str):
            labels[op] = pc
        pc += size(op)
    out = bytearray()
    for op in program:
        if isinstance(op, str):
            out.append(0x5B)
        elif isinstance(op, tuple):
            _, n, value = op
            value = labels[value] if isinstance(value, str) else value
            out.append(0x5F + n)
            out += value.to_bytes(n, "big")
        else:
            out.append(op)
    return bytes(out)


# A read-only helper that is never deployed: its creation code runs inside ``eth_call`` (no
# ``to``), which every node supports. The registry address and the right ids follow the code;
# it returns holderAndStatus(id) for each (64 bytes apiece): one node call per few hundred
# rights instead of one per right.
_ADD, _SUB, _LT, _ISZERO, _SHL, _CODESIZE, _CODECOPY, _POP, _MLOAD, _MSTORE = 0x01, 0x03, 0x10, 0x15, 0x1B, 0x38, \
    0x39, 0x50, 0x51, 0x52
_JUMP, _JUMPI, _GAS, _DUP1, _DUP2, _DUP4, _SWAP1, _RETURN, _STATICCALL, _REVERT = 0x56, 0x57, 0x5A, 0x80, 0x81, 0x83, \
    0x90, 0xF3, 0xFA, 0xFD


def _reader_program(code_len: int) -> list[Any]:
    args = 256  # memory: [0, 36) the call, [256, 256 + L) the arguments, then the answers
    return [
        ("push", 2, code_len), _CODESIZE, _SUB,                                  # L = codesize - code_len
        _DUP1, ("push", 2, code_len), ("push", 2, args), _CODECOPY,              # mem[256:256+L] = arguments
        ("push", 4, int.from_bytes(selector(HOLDER_AND_STATUS_SIG), "big")), ("push", 1, 224), _SHL,
        ("push", 1, 0), _MSTORE,                                                 # mem[0:4] = selector
        ("push", 2, args + 32),                                                  # p: the first id  [L, p]
        "loop", _DUP2, ("push", 2, args), _ADD, _DUP2, _LT, _ISZERO, ("push", 1, "end"), _JUMPI,
        _DUP1, _MLOAD, ("push", 1, 4), _MSTORE,                                  # mem[4:36] = id
        ("push", 1, 64), _DUP2, ("push", 1, 1), _SHL, _DUP4, _ADD,               # retSize 64, out = 2p + L - 320
        ("push", 2, 2 * (args + 32) - args), _SWAP1, _SUB,
        ("push", 1, 36), ("push", 1, 0), ("push", 2, args), _MLOAD, _GAS, _STATICCALL,
        _ISZERO, ("push", 1, "fail"), _JUMPI,
        ("push", 1, 32), _ADD, ("push", 1, "loop"), _JUMP,
        "end", _POP, ("push", 1, 32), _DUP2, _SUB, ("push", 1, 1), _SHL,         # size = 2(L - 32)
        _SWAP1, ("push", 2, args), _ADD, _RETURN,                                # from 256 + L
        "fail", ("push", 1, 0), _DUP1, _REVERT,
    ]


def _reader_code() -> bytes:
    size = len(_assemble(_reader_program(0)))
    return _assemble(_reader_program(size))


READER_CODE = _reader_code()
READER_CHUNK = 350  # answers are returned as "code": at most 24,576 bytes (EIP-170), 64 per right
_NO_READER: set[int] = set()  # id(w3) of nodes where the reader failed


def _reader_states(w3: Web3, sender: str, registry: str, right_ids: Sequence[int],
                   chunk: int = READER_CHUNK) -> list[bytes]:
    """holderAndStatus of many rights in few calls (by the reader's creation code); [] if the node refuses."""
    if id(w3) in _NO_READER or not right_ids:
        return []
    head = READER_CODE + bytes.fromhex(registry[2:]).rjust(32, b"\x00")
    datas = [head + b"".join(_word(r) for r in right_ids[start:start + chunk])
             for start in range(0, len(right_ids), chunk)]
    try:
        answers = batch_calls(w3, sender, None, datas, chunk=20, gas=50_000_000)
    except NetworkError:
        raise
    except Exception as exc:  # noqa: BLE001 - any refusal: fall back to one call per right
        log.info("the deployless reader failed (%s); reading right by right", exc)
        _NO_READER.add(id(w3))
        return []
    out = [raw[k:k + 64] for raw in answers for k in range(0, len(raw), 64)]
    if len(out) != len(right_ids):
        _NO_READER.add(id(w3))
        return []
    return out


def read_states(ipl: IPLedger, right_ids: Sequence[int]) -> dict[int, tuple[str, Status]]:
    """Holder (lower-case hex) and status of each right (zero address and Status.NONE when not filed)."""
    results = _reader_states(ipl.w3, ipl.address, ipl.registry.address, right_ids)
    if not results:
        sel = selector(HOLDER_AND_STATUS_SIG)
        results = batch_calls(ipl.w3, ipl.address, ipl.registry.address, [sel + _word(r) for r in right_ids])
    statuses = list(Status)
    return {rid: ("0x" + res[12:32].hex(), statuses[res[63]]) for rid, res in zip(right_ids, results)}


def _retry(fn: Callable[[], Any], what: str, attempts: int = 5) -> Any:
    """Calls ``fn``, retrying transport failures with backoff (a node that restarts comes back)."""
    from ipledger.tx.sender import _is_transport

    delay = 0.2
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - only transport failures are retried
            if not _is_transport(exc) or attempt == attempts - 1:
                if _is_transport(exc):
                    raise NetworkError(f"{what}: the node did not answer ({type(exc).__name__}); check that it is "
                                       "running, then run the same command again: it resumes") from None
                raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    raise AssertionError("unreachable")


# Raw JSON-RPC for the bulky answers: web3's result formatters cost about half a millisecond
# per log, which for a receipt of a 200-right batch (800 logs) is slower than the node.


def _int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def _bytes(value: Any) -> bytes:
    return bytes.fromhex(value[2:]) if isinstance(value, str) else bytes(value)


def _raw_request(w3: Web3, method: str, params: list[Any]) -> Any:
    response = w3.provider.make_request(method, params)  # type: ignore[arg-type]
    if response.get("error"):
        error = response["error"]
        raise IPLedgerError(f"{method} failed: {error.get('message', error) if isinstance(error, dict) else error}")
    return response.get("result")


def raw_receipt(w3: Web3, tx_hash: bytes) -> tuple[int, list[bytes]] | None:
    """A receipt's status and the first topic of each log (None while unknown or pending)."""
    result = _raw_request(w3, "eth_getTransactionReceipt", [_hex(tx_hash)])
    if not result:
        return None
    return _int(result["status"]), [_bytes(lg["topics"][0]) for lg in result["logs"] if lg["topics"]]


@dataclass(frozen=True)
class RawLog:
    """A log as the bulk reader needs it."""

    block: int
    index: int
    topics: tuple[bytes, ...]
    data: bytes


def raw_logs(w3: Web3, address: str, topics: list[Any], from_block: int, to_block: int) -> list[RawLog]:
    """``eth_getLogs`` without web3's formatters over HTTP (the in-process chain needs them)."""
    query = {"address": address, "fromBlock": hex(from_block), "toBlock": hex(to_block), "topics": topics}
    if not _is_http(w3):
        logs = w3.eth.get_logs({**query, "fromBlock": from_block, "toBlock": to_block})  # type: ignore[typeddict-item]
        return [RawLog(block=int(lg["blockNumber"]), index=int(lg["logIndex"]),
                       topics=tuple(bytes(t) for t in lg["topics"]), data=bytes(lg["data"])) for lg in logs]
    result = _raw_request(w3, "eth_getLogs", [query])
    out = []
    for lg in result or []:
        out.append(RawLog(block=_int(lg.get("blockNumber", lg.get("block_number"))),
                          index=_int(lg.get("logIndex", lg.get("log_index"))),
                          topics=tuple(_bytes(t) for t in lg["topics"]), data=_bytes(lg["data"])))
    return out


# ---------------------------------------------------------------- events


def _event_topics(ipl: IPLedger) -> dict[str, bytes]:
    from ipledger.abi import canonical_type

    out = {}
    for item in ipl.registry.abi:
        if item.get("type") == "event":
            sig = f"{item['name']}({','.join(canonical_type(i) for i in item['inputs'])})"
            out[item["name"]] = keccak(text=sig)
    return out


def get_logs_chunked(w3: Web3, address: str, topics: list[Any], from_block: int, to_block: int, *,
                     chunk: int = 10_000) -> list[RawLog]:
    """``eth_getLogs`` over a block range in chunks; a chunk the node refuses as too large is halved."""
    out: list[RawLog] = []
    start = from_block
    size = chunk
    while start <= to_block:
        end = min(start + size - 1, to_block)
        try:
            logs = _retry(lambda: raw_logs(w3, address, topics, start, end), "reading events")
        except NetworkError:
            raise
        except Exception as exc:  # noqa: BLE001 - "too many results" and friends: smaller chunks
            if size == 1:
                raise IPLedgerError(f"reading events of block {start} failed: {exc}") from None
            size = max(1, size // 2)
            continue
        out.extend(logs)
        start = end + 1
    return out


def status_event_count(ipl: IPLedger, right_id: int) -> int:
    """How many StatusChanged events the right has (its filing included)."""
    topics = _event_topics(ipl)
    logs = get_logs_chunked(ipl.w3, ipl.registry.address, [_hex(topics["StatusChanged"]), _hex(_word(right_id))],
                            ipl.deployment.first_block, int(ipl.w3.eth.block_number))
    return len(logs)


def _w(data: bytes, i: int) -> bytes:
    """The i-th 32-byte word of ABI-encoded event data."""
    return data[32 * i:32 * i + 32]


def _u(data: bytes, i: int) -> int:
    return int.from_bytes(data[32 * i:32 * i + 32], "big")


def _s(data: bytes, i: int) -> str:
    """The string whose offset is in word i."""
    start = _u(data, i)
    length = int.from_bytes(data[start:start + 32], "big")
    return data[start + 32:start + 32 + length].decode("utf-8", errors="replace")


def export_records(ipl: IPLedger, office: str | None = None, *, chunk: int = 10_000) -> list[Record]:
    """Every right on the register (or one office's) as records, from events and current state.

    Chain-specific values (block numbers, transaction hashes, ``filedAt``) are left out, and
    so is a renewal's date (the register records it at the block time), so that an export,
    imported on a fresh chain and exported again, gives the same bytes.
    """
    w3 = ipl.w3
    office = types.office(office) if office else None
    topics = _event_topics(ipl)
    names = {topics[n]: n for n in ("RightFiled", "StatusChanged", "RightRegistered", "RightRenewed",
                                    "MetadataChanged")}
    latest = int(_retry(lambda: w3.eth.block_number, "reading the block number"))
    logs = get_logs_chunked(w3, ipl.registry.address, [[_hex(t) for t in names]], ipl.deployment.first_block,
                            latest, chunk=chunk)
    logs.sort(key=lambda lg: (lg.block, lg.index))
    filed: dict[int, dict[str, Any]] = {}
    order: list[int] = []
    for lg in logs:
        name = names.get(lg.topics[0])
        rid = int.from_bytes(lg.topics[1], "big")
        data = lg.data
        if name == "RightFiled":
            code = lg.topics[2][:2].decode()
            if office and code != office:
                continue
            kind, app_no, filing_date, content, uri, meta = (
                _u(data, 0), _s(data, 1), _u(data, 2), _w(data, 3), _s(data, 4), _w(data, 5))
            filed[rid] = {"office": code, "ip_type": IPType(kind), "application_number": app_no,
                          "filing_date": int(filing_date), "content_hash": bytes(content), "metadata_uri": uri,
                          "metadata_hash": bytes(meta), "registration_number": "", "registration_date": 0,
                          "expiry_date": 0, "events": []}
            order.append(rid)
            continue
        rec = filed.get(rid)
        if rec is None:
            continue
        if name == "StatusChanged":
            to, effective, doc = _u(data, 1), _u(data, 3), _w(data, 4)
            status = Status(to)
            if status is Status.FILED:
                continue
            rec["events"].append({"status": status, "effective_date": int(effective), "document_hash": bytes(doc),
                                  "expiry_date": 0})
        elif name == "RightRegistered":
            number, reg_date, expiry = _s(data, 0), _u(data, 1), _u(data, 2)
            rec["registration_number"], rec["registration_date"], rec["expiry_date"] = number, int(reg_date), int(expiry)
            if rec["events"] and rec["events"][-1]["status"] is Status.REGISTERED:
                rec["events"][-1]["expiry_date"] = int(expiry)
        elif name == "RightRenewed":
            expiry = _u(data, 0)
            rec["expiry_date"] = int(expiry)
            if rec["events"] and rec["events"][-1]["status"] is Status.RENEWED:
                rec["events"][-1]["expiry_date"] = int(expiry)
                rec["events"][-1]["effective_date"] = 0
        elif name == "MetadataChanged":
            uri, meta = _s(data, 0), _w(data, 1)
            rec["metadata_uri"], rec["metadata_hash"] = uri, bytes(meta)
    states = read_states(ipl, order)
    out: list[Record] = []
    for rid in order:
        fields = filed[rid]
        holder, status = states[rid]
        events = tuple(StatusEvent(**e) for e in fields.pop("events"))
        record = Record(holder=checksum(holder), events=events, **fields)
        if record.status is not status:
            raise IPLedgerError(f"{record.ref}: its events end at {record.status.name.lower()} but the register says "
                                f"{status.name.lower()}; the node's event index looks incomplete (try another node)")
        out.append(record)
    return sorted(out, key=Record.sort_key)


# ---------------------------------------------------------------- the journal


class Journal:
    """An append-only JSON-lines log of an import: runs, transactions sent and mined, stalls, the outcome.

    The chain, not the journal, decides what is done; the journal is the audit trail (which
    transaction carried which records) and tells a re-run what an earlier run left in flight.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()

    def write(self, event: str, **fields: Any) -> None:
        self._fh.write(json.dumps({"t": round(time.time(), 3), "event": event, **fields}, sort_keys=True) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            import os

            os.fsync(self._fh.fileno())
            self._fh.close()

    @staticmethod
    def read(path: str | Path) -> list[dict[str, Any]]:
        p = Path(path)
        if not p.is_file():
            return []
        out = []
        for line in p.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a crash
        return out


# ---------------------------------------------------------------- progress


class ProgressSink(Protocol):
    """Where the importer reports progress (the CLI draws a rich bar on stderr)."""

    def start(self, total: int, completed: int) -> None: ...

    def update(self, completed: int) -> None: ...

    def stop(self) -> None: ...


# ---------------------------------------------------------------- the pipeline


class _Stall(Exception):
    """The account's mined nonce stopped moving: a transaction was dropped, replaced, or is stuck."""


@dataclass
class _Item:
    kind: str  # "file", "move" or "cancel"
    units: int
    records: tuple[Record, ...] = ()
    label: str = ""


@dataclass
class _Sent:
    nonce: int
    tx_hash: bytes  # empty while held back
    item: _Item
    gas: int
    call: tuple[bytes, bytes, int] | None = None  # (to, data, gas) of a held-back transaction


class _Pipeline:
    """Sends signed transactions back to back from one account, at most ``window`` of them unmined."""

    def __init__(self, w3: Web3, signer: FastSigner, *, window: int, receipt_timeout: float, fee_factor: float,
                 file_topic: bytes, on_sent: Callable[[bytes, int, str], None] | None,
                 on_done: Callable[[_Item, bool, int], None], journal: Journal | None) -> None:
        self.w3 = w3
        self.signer = signer
        self.window = max(1, window)
        self.receipt_timeout = receipt_timeout
        self.fee_factor = fee_factor
        self.file_topic = file_topic
        self.on_sent = on_sent
        self.on_done = on_done
        self.journal = journal
        self.inflight: deque[_Sent] = deque()
        self.hold_until = -1
        self._held: _Sent | None = None
        self.nonce = 0
        self.mined = 0
        self.sent = 0
        self._base: int | None = None
        self._price: int | None = None
        self._inflight_gas = 0
        self._fees_at = 0.0
        self._tip: int | None = None
        self._progress_at = time.monotonic()
        self._polled_at = 0.0
        self.block_gas_limit = 30_000_000

    # ---------------------------------------------------------------- nonces and fees

    def mined_nonce(self) -> int:
        return int(_retry(lambda: self.w3.eth.get_transaction_count(self.signer.checksum, "latest"),
                          "reading the account nonce"))

    def pending_nonce(self) -> int:
        return int(_retry(lambda: self.w3.eth.get_transaction_count(self.signer.checksum, "pending"),
                          "reading the account nonce"))

    def refresh_fees(self, force: bool = False) -> None:
        """Reads the base fee (or gas price) and block gas limit of the latest block, at most 4 times a second."""
        now = time.monotonic()
        if not force and now - self._fees_at < 0.25:
            return
        block = _retry(lambda: self.w3.eth.get_block("latest"), "reading the latest block")
        self.block_gas_limit = int(block["gasLimit"])
        base = block.get("baseFeePerGas")
        if base is None:
            self._base = None
            self._price = int(_retry(lambda: self.w3.eth.gas_price, "reading the gas price"))
        else:
            self._base = int(base)
            if self._tip is None:
                try:
                    self._tip = int(self.w3.eth.max_priority_fee)
                except Exception:  # noqa: BLE001 - nodes without eth_maxPriorityFeePerGas
                    self._tip = 10**9
        self._fees_at = now

    def fees(self, gas: int) -> tuple[int | None, int | None, int | None]:
        """(max fee, tip, legacy gas price) for a transaction that waits behind our unmined ones.

        Full blocks raise the base fee by up to 12.5% each; our own transactions ahead of this
        one fill ``ahead`` blocks, so the cap allows for them, and twice that for everyone else.
        Only base fee + tip is paid; the cap just has to be covered by the balance.
        """
        if self._base is None:
            return None, None, int((self._price or 10**9) * 1.2 * self.fee_factor)
        ahead = min(40, math.ceil((self._inflight_gas + gas) / max(1, self.block_gas_limit)))
        tip = int((self._tip or 10**9) * self.fee_factor)
        return int(2 * self._base * 1.125**ahead * self.fee_factor) + tip, tip, None

    # ---------------------------------------------------------------- sending

    def send(self, to: bytes, data: bytes, gas: int, item: _Item) -> None:
        """Signs and sends at the next nonce (waiting while ``window`` transactions are unmined)."""
        while len(self.inflight) >= self.window:
            if self._held is not None:
                self.release()
                continue
            self.poll(wait=True)
        if self.sent % 32 == 0 or time.monotonic() - self._polled_at > 0.25:
            self.poll(wait=False)
        self.refresh_fees()
        nonce = self.nonce
        self.nonce += 1
        if self._held is None and nonce <= self.hold_until:
            # The first nonce after a stall is the gap that keeps the stuck transactions from running:
            # replace them all first, then close the gap, so that none of them can run.
            self._held = _Sent(nonce, b"", item, gas, (to, data, gas))
            self.inflight.append(self._held)
            self._inflight_gas += gas
            return
        sent = _Sent(nonce, self._submit(nonce, to, data, gas, item), item, gas)
        self.inflight.append(sent)
        self._inflight_gas += gas
        self._sent(sent)
        if self._held is not None and self.nonce > self.hold_until:
            self.release()

    def release(self) -> None:
        """Sends the held-back first transaction of a round that replaced stuck ones."""
        held, self._held, self.hold_until = self._held, None, -1
        if held is not None and held.call is not None and held.nonce >= self.mined:
            held.tx_hash = self._submit(held.nonce, *held.call, held.item)
            self._sent(held)

    def _sent(self, sent: _Sent) -> None:
        self.sent += 1
        item = sent.item
        if self.journal is not None:
            self.journal.write("sent", nonce=sent.nonce, tx=_hex(sent.tx_hash), kind=item.kind, units=item.units,
                               first=item.records[0].ref if item.records else "",
                               last=item.records[-1].ref if item.records else "")
        if self.on_sent is not None:
            self.on_sent(sent.tx_hash, sent.nonce, item.kind)

    def _submit(self, nonce: int, to: bytes, data: bytes, gas: int, item: _Item) -> bytes:
        """Signs and sends one transaction; returns its hash. Fees go up when the node wants a replacement."""
        for _attempt in range(4):
            max_fee, tip, price = self.fees(gas)
            raw, tx_hash = self.signer.sign(nonce=nonce, to=to, data=data, gas=gas, max_fee=max_fee, tip=tip,
                                            gas_price=price)
            error = self._send_raw(raw)
            if error is None or "already known" in error or "already imported" in error:
                return tx_hash
            low = error.lower()
            if "underpriced" in low or "fee per gas less than" in low or "fee too low" in low:
                self.fee_factor *= 1.5  # replacing something stuck at this nonce, or the base fee jumped
                self.refresh_fees(force=True)
                continue
            if "nonce too low" in low or "nonce too high" in low or "invalid transaction nonce" in low:
                raise _Stall(f"nonce {nonce} refused by the node ({error})")
            if "insufficient funds" in low:
                raise IPLedgerError(f"{self.signer.address} cannot pay for gas ({error}); fund it and run again "
                                    "(it resumes)")
            raise IPLedgerError(f"the node refused a transaction ({item.label or item.kind}): {error}")
        raise _Stall(f"nonce {nonce}: the replacement is still underpriced after fee bumps")

    def _send_raw(self, raw: bytes) -> str | None:
        """Sends; returns None on success or the node's error message."""
        from ipledger.tx.sender import _is_transport

        delay = 0.2
        for attempt in range(5):
            try:
                self.w3.eth.send_raw_transaction(raw)
                return None
            except Exception as exc:  # noqa: BLE001 - classified by message
                if _is_transport(exc) and attempt < 4:
                    time.sleep(delay)
                    delay *= 2
                    continue
                if _is_transport(exc):
                    raise NetworkError("sending a transaction: the node did not answer; check that it is running, "
                                       "then run the same command again: it resumes") from None
                msg = getattr(exc, "message", None) or (exc.args[0] if exc.args else str(exc))
                if isinstance(msg, dict):
                    msg = msg.get("message", str(msg))
                return str(msg)
        return "unreachable"

    # ---------------------------------------------------------------- confirming

    def poll(self, *, wait: bool) -> None:
        """Confirms what has been mined; with ``wait``, until at least one more is, or the stall timeout."""
        while True:
            self._polled_at = time.monotonic()
            mined = self.mined_nonce()
            progressed = mined > self.mined
            self.mined = max(self.mined, mined)
            while self.inflight and self.inflight[0].nonce < mined:
                self._confirm(self.inflight.popleft())
            if progressed or not self.inflight:
                self._progress_at = time.monotonic()
            if time.monotonic() - self._progress_at > self.receipt_timeout:
                head = self.inflight[0]
                raise _Stall(f"transaction {_hex(head.tx_hash)} (nonce {head.nonce}) was not mined within "
                             f"{self.receipt_timeout:.0f} s")
            if not wait or progressed or not self.inflight:
                return
            time.sleep(0.002 if time.monotonic() - self._progress_at < 0.05 else 0.02)

    def _confirm(self, sent: _Sent) -> None:
        item = sent.item
        self._inflight_gas -= sent.gas
        filed = 0
        ok = True
        if not sent.tx_hash:  # held back, and a stuck transaction of the stalled round took its nonce after all
            if self._held is sent:
                self._held = None
            self.on_done(item, False, 0)
            return
        if item.kind == "file":
            receipt = _retry(lambda: raw_receipt(self.w3, sent.tx_hash), "reading a receipt")
            if receipt is None:
                ok = False  # the nonce was used by another transaction (ours, replaced; or another tool's)
            else:
                ok = receipt[0] == 1
                filed = receipt[1].count(self.file_topic)
        if self.journal is not None and item.kind != "move":
            self.journal.write("mined", nonce=sent.nonce, tx=_hex(sent.tx_hash), ok=ok, filed=filed)
        self.on_done(item, ok, filed)

    def drain(self) -> None:
        self.release()
        while self.inflight:
            self.poll(wait=True)

    def reset(self, nonce: int, hold_until: int) -> None:
        """Starts a round at ``nonce`` (the mined count); nonces up to ``hold_until`` hold stuck transactions."""
        self.inflight.clear()
        self._inflight_gas = 0
        self._held = None
        self.nonce = self.mined = nonce
        self.hold_until = hold_until if hold_until >= nonce else -1
        self._progress_at = time.monotonic()


# ---------------------------------------------------------------- the importer


@dataclass(frozen=True)
class ImportOptions:
    """How to import: batch size (rights per fileBatch), in-flight window, stall timeout, rounds, journal."""

    batch_size: int = 500
    window: int = 64
    receipt_timeout: float = 60.0
    max_rounds: int = 6
    journal: Path | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import did. ``problems`` lists records the chain would not take (with the decoded reason)."""

    records: int
    filed: int
    already_filed: int
    moves: int
    already_moved: int
    transactions: int
    rounds: int
    stalls: int
    seconds: float
    problems: tuple[Problem, ...] = ()
    holder_differs: int = 0

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def rights_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


@dataclass
class _Plan:
    filings: list[Record] = field(default_factory=list)
    waves: list[list[tuple[Record, StatusEvent]]] = field(default_factory=list)
    done_units: int = 0
    done_filings: int = 0
    done_moves: int = 0
    holder_differs: int = 0
    diverged: list[Problem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.filings and not self.waves


class Importer:
    """Files records and applies their status moves, exactly once, as fast as the node takes them."""

    def __init__(self, ipl: IPLedger, options: ImportOptions | None = None, *,
                 progress: ProgressSink | None = None,
                 on_sent: Callable[[bytes, int, str], None] | None = None) -> None:
        self.ipl = ipl
        self.options = options or ImportOptions()
        self.progress = progress
        self.on_sent = on_sent
        self.w3 = ipl.w3
        self.registry = bytes.fromhex(ipl.registry.address[2:])
        self.topics = _event_topics(ipl)
        self.completed = 0
        self.filed = 0
        self.numbers: dict[int, int] = {}
        self._holders_seen: set[str] = set()

    # ------------------------------------------------------------ checks

    def preflight(self, records: Sequence[Record]) -> None:
        """The node is the deployment's chain, the offices exist and the account is a registrar of each (else
        nothing is sent)."""
        chain_id = self.ipl.chain.chain_id
        if chain_id != self.ipl.deployment.chain_id:
            raise NetworkError(f"the node reports chain id {chain_id} but the deployment is on chain "
                               f"{self.ipl.deployment.chain_id}; nothing was sent: connect to the right node")
        problems = []
        for office in sorted({r.office for r in records}):
            exists, _ = self.ipl.call(self.ipl.registry.functions.officeInfo(types.office_bytes(office)), "office")
            if not exists:
                problems.append(f"office {office} is not on the register; the governor adds it: "
                                f"ipledger office add {office}")
            elif not self.ipl.is_registrar(office, self.ipl.address):
                problems.append(f"{self.ipl.address} is not a registrar of {office}; the governor grants it: "
                                f"ipledger office grant {office} {self.ipl.address}")
        if problems:
            raise ImportRefused("the register would refuse this import (nothing was sent):\n  " + "\n  ".join(problems))

    # ------------------------------------------------------------ planning

    def plan(self, records: Sequence[Record]) -> _Plan:
        """What is still missing on chain: filings, and each right's status moves after its current status."""
        states = read_states(self.ipl, [r.right_id for r in records])
        plan = _Plan()
        for rec in records:
            holder, status = states[rec.right_id]
            if status is Status.NONE:
                plan.filings.append(rec)
                pos = 0
            else:
                plan.done_filings += 1
                plan.done_units += 1
                if holder != rec.holder.lower():
                    plan.holder_differs += 1
                found = self._position(rec, status)
                if found is None:
                    plan.diverged.append(Problem(self.numbers.get(rec.right_id, 0), "legalStatusEvents",
                                                 f"{rec.ref} is {status.name.lower()} on chain, which is not on the "
                                                 f"record's path ({self._path_text(rec)}); it was left as it is"))
                    plan.done_units += len(rec.events)
                    continue
                pos = found
                plan.done_moves += pos
                plan.done_units += pos
            for k, ev in enumerate(rec.events[pos:]):
                while len(plan.waves) <= k:
                    plan.waves.append([])
                plan.waves[k].append((rec, ev))
        return plan

    @staticmethod
    def _path_text(rec: Record) -> str:
        return " → ".join(s.name.lower() for s in rec.path)

    def _position(self, rec: Record, status: Status) -> int | None:
        """How many of the record's events the chain already has, from its current status."""
        matches = [j for j, s in enumerate(rec.path) if s is status]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            return None
        count = status_event_count(self.ipl, rec.right_id) - 1  # a status that recurs: count the events
        return count if 0 <= count < len(rec.path) and rec.path[count] is status else None

    def batches(self, filings: Sequence[Record], gas_cap: int) -> Iterator[tuple[list[Record], list[bytes], set[str]]]:
        """Filings in file order, at most ``batch_size`` per batch and within the gas cap: each batch with its
        encoded filings and the holders that get their first title in it."""
        batch: list[Record] = []
        encoded: list[bytes] = []
        fresh: set[str] = set()
        empty = int((21_000 + BATCH_OVERHEAD_GAS + 16 * 128) * GAS_MARGIN)
        gas = empty
        for rec in filings:
            first = rec.holder not in self._holders_seen
            elem = encode_filing(rec)
            cost = int((filing_exec_gas(rec, first) + calldata_gas(elem) + 16 * 32) * GAS_MARGIN)
            if batch and (len(batch) >= self.options.batch_size or gas + cost > gas_cap):
                yield batch, encoded, fresh
                batch, encoded, fresh, gas = [], [], set(), empty
            if first:
                self._holders_seen.add(rec.holder)
                fresh.add(rec.holder)
            batch.append(rec)
            encoded.append(elem)
            gas += cost
        if batch:
            yield batch, encoded, fresh

    # ------------------------------------------------------------ running

    def run(self, records: Sequence[Record]) -> ImportReport:
        started = time.monotonic()
        opts = self.options
        self.numbers = {r.right_id: i for i, r in enumerate(records, start=1)}
        self.preflight(records)
        journal = Journal(opts.journal) if opts.journal else None
        signer = FastSigner(self.ipl.account, self.ipl.deployment.chain_id)
        total = sum(r.actions for r in records)
        pipe = _Pipeline(self.w3, signer, window=opts.window, receipt_timeout=opts.receipt_timeout, fee_factor=1.0,
                         file_topic=self.topics["RightFiled"], on_sent=self.on_sent, on_done=self._done,
                         journal=journal)
        rounds = stalls = 0
        last_done = -1
        problems: list[Problem] = []
        try:
            earlier_nonce = -1
            if journal is not None:
                earlier, earlier_nonce = self._earlier_runs(journal.path, signer)
                journal.write("start", records=len(records), actions=total, account=signer.address,
                              chain_id=signer.chain_id, registry=self.ipl.registry.address, earlier_sent=earlier)
            high_nonce = self._settle_pending(pipe, earlier_nonce)  # stuck transactions to replace up to here, or -1
            stalls += high_nonce >= 0
            first = plan = self.plan(records)
            if self.progress is not None:
                self.progress.start(total, plan.done_units)
            while not plan.empty:
                stuck = plan.done_units == last_done  # a whole round changed nothing on chain
                if rounds >= opts.max_rounds or (stuck and rounds >= 2):
                    problems = self.diagnose(plan, rounds)
                    break
                last_done = plan.done_units
                rounds += 1
                pipe.reset(pipe.mined_nonce(), high_nonce)
                pipe.refresh_fees(force=True)
                if journal is not None:
                    journal.write("round", round=rounds, nonce=pipe.nonce, filings=len(plan.filings),
                                  moves=sum(len(w) for w in plan.waves), done=plan.done_units)
                try:
                    self._execute(plan, pipe, careful=rounds > 1)
                    high_nonce = self._fill(pipe, high_nonce)
                    pipe.drain()
                except _Stall as stall:
                    stalls += 1
                    log.warning("import stalled: %s; re-reading the chain and re-sending the rest", stall)
                    if journal is not None:
                        journal.write("stall", reason=str(stall), nonce=pipe.nonce)
                    high_nonce = max(high_nonce, pipe.nonce - 1)
                    pipe.fee_factor *= 1.5
                    last_done = -1  # a stall is not a refusal: give the next round its chance
                plan = self.plan(records)
                self.completed = plan.done_units
                self._report_progress()
            problems = plan.diverged + problems
            if high_nonce >= 0:  # all done, but stalled transactions still wait behind a gap: cancel them
                pipe.reset(pipe.mined_nonce(), high_nonce)
                pipe.refresh_fees(force=True)
                self._fill(pipe, high_nonce)
                pipe.drain()
        except BaseException as exc:
            if journal is not None:
                journal.write("aborted", reason=f"{type(exc).__name__}: {exc}"[:300], nonce=pipe.nonce)
                journal.close()
            raise
        finally:
            if self.progress is not None:
                self.progress.stop()
            self.ipl.reset_nonces()
        seconds = time.monotonic() - started
        report = ImportReport(
            records=len(records),
            filed=len(first.filings) - len(plan.filings),
            already_filed=first.done_filings,
            moves=sum(len(w) for w in first.waves) - sum(len(w) for w in plan.waves),
            already_moved=first.done_moves,
            transactions=pipe.sent, rounds=rounds, stalls=stalls, seconds=seconds,
            problems=tuple(sorted(problems, key=lambda p: p.record)), holder_differs=first.holder_differs,
        )
        if journal is not None:
            journal.write("done", complete=report.complete, filed=report.filed, moves=report.moves,
                          transactions=report.transactions, rounds=rounds, stalls=stalls, seconds=round(seconds, 3),
                          problems=[str(p) for p in report.problems])
            journal.close()
        return report

    @staticmethod
    def _earlier_runs(path: Path, signer: FastSigner) -> tuple[int, int]:
        """How many transactions earlier runs in the journal sent, and the highest nonce of this account's."""
        count, high, ours = 0, -1, False
        for entry in Journal.read(path):
            if entry.get("event") == "start":
                ours = entry.get("account") == signer.address and entry.get("chain_id") == signer.chain_id
            elif entry.get("event") == "sent":
                count += 1
                if ours:
                    high = max(high, int(entry.get("nonce", -1)))
        return count, high

    def _settle_pending(self, pipe: _Pipeline, earlier_nonce: int = -1) -> int:
        """Waits for transactions an earlier run left in the mempool; returns the highest stuck nonce, or -1.

        The node's pending count shows an earlier run's transactions only up to the first gap (a
        dropped one); those behind it are found in the journal (``earlier_nonce``).
        """
        pending, mined = pipe.pending_nonce(), pipe.mined_nonce()
        high = max(pending - 1, earlier_nonce)
        if high < mined:
            return -1
        if pending > mined:
            log.info("%d transaction(s) of an earlier run are pending; waiting for them", pending - mined)
            deadline = time.monotonic() + pipe.receipt_timeout
            while time.monotonic() < deadline:
                time.sleep(0.1)
                mined = pipe.mined_nonce()
                if mined > high:
                    return -1
        pipe.fee_factor *= 1.5  # they are stuck (or wait behind a gap): this run replaces them
        return high

    def _fill(self, pipe: _Pipeline, high_nonce: int) -> int:
        """After a stall: no-op self-transfers over the stalled nonces this round did not reuse.

        A stale transaction at such a nonce could otherwise still be mined later and apply an
        old status move after newer ones (harmless for filings, which are skipped).
        """
        if high_nonce < 0:
            return -1
        me = bytes.fromhex(pipe.signer.address[2:])
        while pipe.nonce <= high_nonce:
            pipe.send(me, b"", 21_000, _Item("cancel", 0, label="cancel a stale transaction"))
        return -1

    def _execute(self, plan: _Plan, pipe: _Pipeline, *, careful: bool) -> None:
        """Sends the plan: filing batches first, then status moves wave by wave (nonce order keeps each right's
        moves in sequence). ``careful`` (a later round) asks the node for gas and skips what it refuses."""
        cap = int(pipe.block_gas_limit * 0.95)
        if self.ipl.chain.settings.live:
            cap = min(cap, TX_GAS_CAP)
        new = {r.right_id for r in plan.filings}
        refused: set[int] = set()  # rights the node refuses to move this round (diagnosed when the rounds end)
        for batch, encoded, fresh in self.batches(plan.filings, cap):
            data = encode_file_batch(batch, encoded=encoded)
            gas = min(batch_gas_limit(batch, data, fresh), cap)
            if careful:  # a batch failed before (perhaps out of gas): ask the node
                estimate = self._estimate(data)
                if isinstance(estimate, ContractRevert):
                    refused.update(r.right_id for r in batch)
                    continue
                gas = min(max(gas, int(estimate * 1.2)), pipe.block_gas_limit)
            pipe.send(self.registry, data, gas, _Item("file", len(batch), tuple(batch),
                                                      f"file {batch[0].ref} … {batch[-1].ref}"))
        for k, wave in enumerate(plan.waves):
            for rec, ev in wave:
                if rec.right_id in refused:
                    continue
                data = encode_move(rec, ev)
                gas = move_gas_limit(rec, ev, data)
                if careful and k == 0 and rec.right_id not in new:
                    estimate = self._estimate(data)
                    if isinstance(estimate, ContractRevert):
                        refused.add(rec.right_id)
                        continue
                    gas = max(gas, int(estimate * 1.2))
                pipe.send(self.registry, data, gas, _Item("move", 1, (rec,), f"{rec.ref} → {ev.status.name.lower()}"))

    def _estimate(self, data: bytes) -> int | ContractRevert:
        from ipledger.abi import revert_data
        from ipledger.tx.sender import _is_transport

        try:
            return int(self.w3.eth.estimate_gas({"from": self.ipl.address, "to": self.ipl.registry.address,
                                                 "data": data}))  # type: ignore[typeddict-item]
        except Exception as exc:  # noqa: BLE001 - a revert is an answer here
            raw = revert_data(exc)
            if raw is not None:
                return self.ipl.decoder.decode(raw)
            if _is_transport(exc):
                raise
            return ContractRevert(str(exc)[:300])

    def diagnose(self, plan: _Plan, rounds: int, limit: int = 100) -> list[Problem]:
        """One problem per record still to do: the decoded revert of its next action, or why it did not land."""
        out: list[Problem] = []
        todo: list[tuple[Record, bytes, str]] = [(r, encode_file_batch([r]), "filing") for r in plan.filings]
        new = {r.right_id for r in plan.filings}
        todo += [(r, encode_move(r, ev), f"move to {ev.status.name.lower()}")
                 for r, ev in (plan.waves[0] if plan.waves else []) if r.right_id not in new]
        for i, (rec, data, what) in enumerate(todo):
            number = self.numbers.get(rec.right_id, 0)
            if i >= limit:
                out.append(Problem(number, "chain", f"{rec.ref}: {what} not done (not diagnosed: over {limit})"))
                continue
            err = self._estimate(data)
            if isinstance(err, ContractRevert):
                out.append(Problem(number, "chain", f"{rec.ref}: {what} refused by the register: {err}"))
            else:
                out.append(Problem(number, "chain", f"{rec.ref}: {what} did not land in {rounds} round(s); the node "
                                                    "took the transactions but did not mine them; run again"))
        return out

    def _done(self, item: _Item, ok: bool, filed: int) -> None:
        if item.kind == "file":
            self.filed += filed
        if ok:
            self.completed += item.units
            self._report_progress()

    def _report_progress(self) -> None:
        if self.progress is not None:
            self.progress.update(self.completed)


def import_records(ipl: IPLedger, records: Sequence[Record], options: ImportOptions | None = None, *,
                   progress: ProgressSink | None = None,
                   on_sent: Callable[[bytes, int, str], None] | None = None) -> ImportReport:
    """Files ``records`` and applies their status moves exactly once; see the module docstring.

    ``ipl`` acts as a registrar of every office in the records. ``on_sent(tx_hash, nonce, kind)``
    is called after each transaction is handed to the node (kind: file, move or cancel).
    """
    if not records:
        raise UsageError("there are no records to import")
    return Importer(ipl, options, progress=progress, on_sent=on_sent).run(records)


def summary_rows(report: ImportReport) -> list[tuple[str, str]]:
    """The report as (what, value) rows for a table."""
    return [
        ("records", f"{report.records:,}"),
        ("rights filed now", f"{report.filed:,}"),
        ("rights already on chain", f"{report.already_filed:,}"),
        ("status moves applied now", f"{report.moves:,}"),
        ("status moves already on chain", f"{report.already_moved:,}"),
        ("transactions sent", f"{report.transactions:,}"),
        ("rounds / stalls recovered", f"{report.rounds} / {report.stalls}"),
        ("time", f"{report.seconds:.2f} s ({report.rights_per_second:,.0f} rights/s)"),
        ("already on chain with another holder", f"{report.holder_differs:,}"),
        ("problems", f"{len(report.problems):,}"),
    ]


__all__ = ["Record", "StatusEvent", "Problem", "InvalidRecords", "ImportRefused", "ImportOptions", "ImportReport",
           "Importer", "load_records", "parse_records", "parse_document", "parse_csv", "dumps", "record_to_json",
           "export_records", "import_records", "read_states", "encode_file_batch", "encode_file", "encode_move",
           "FastSigner", "Journal", "format_date", "parse_date"]
