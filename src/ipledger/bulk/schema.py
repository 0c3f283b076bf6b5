"""The JSON schema of office records: parse and validate a document into ``Record`` s, every problem at once.

Values go through the toolkit's one set of parsers (``ipledger.types``: dates, hashes,
addresses, office codes, IP types, statuses, application numbers), so a record accepts and
refuses what the SDK and the CLI do, in the same words. On top of them this module checks
what only a whole record can show: the legal-status path (each move legal from its
predecessor, ``ipledger.domain.TRANSITIONS``), the dates and expiries the events imply, and
that each right appears once, and that no object gives a key twice (``json_object``: JSON
would silently keep the last value). The format is described in ``docs/bulk.md``; the CSV form
(``ipledger.bulk.csvform``) becomes the same raw records and is checked here too, and
``ipledger.bulk.files`` reads either from a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ipledger import types
from ipledger.bulk.records import FORMAT, VERSION, Problem, Record, StatusEvent
from ipledger.domain import EVENT_CODES, TRANSITIONS, IPType, Status
from ipledger.errors import UsageError

RECORD_FIELDS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder", "contentHash",
                 "metadataURI", "metadataHash", "registrationNumber", "registrationDate", "expiryDate", "legalStatus",
                 "legalStatusEvents")
EVENT_FIELDS = ("status", "eventCode", "effectiveDate", "documentHash", "expiryDate")
REQUIRED_FIELDS = ("registrationOfficeCode", "ipRightType", "applicationNumber", "filingDate", "holder")
DOCUMENT_FIELDS = ("format", "version", "recordCount", "records")


class JSONObject(dict):  # type: ignore[type-arg]
    """A JSON object that gave a key more than once; ``duplicates`` names those keys (in order)."""

    duplicates: tuple[str, ...] = ()


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The ``object_pairs_hook`` of ``json.loads``: a plain dict, or a ``JSONObject`` naming its duplicate keys.

    The problems are reported where the object is read (``duplicate_fields``), so that they
    name the record and the field like every other problem.
    """
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    obj = JSONObject(out)
    obj.duplicates = tuple(duplicates)
    return obj


def duplicate_fields(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, reason) for each key the JSON object gave more than once."""
    return [(key, "is given more than once in the same object (JSON would keep only the last); give each field "
                  "once") for key in getattr(raw, "duplicates", ())]


def reason(exc: UsageError) -> str:
    """A parser's message as the reason of a problem whose field is named already.

    The parsers of ``ipledger.types`` are called with an empty ``what``: the problem names the
    field, so the message starts with the value (``'2024-13-01' is not a calendar date``).
    """
    return str(exc).strip()


def unknown_fields(keys: Iterable[str], known: Sequence[str]) -> list[tuple[str, str]]:
    """(key, reason) for each key that is not in ``known`` (keys starting with ``_`` are internal), with a hint."""
    from difflib import get_close_matches

    out = []
    for key in keys:
        if key in known or key.startswith("_"):
            continue
        close = get_close_matches(key, list(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
        out.append((key, f"unknown field{hint}"))
    return out


class Fields:
    """Reads typed fields out of one raw record, collecting problems instead of stopping at the first.

    ``names`` renames fields in problems (the CSV form reports its own column names).
    """

    def __init__(self, number: int, raw: Mapping[str, Any], problems: list[Problem], prefix: str = "",
                 names: Mapping[str, str] | None = None) -> None:
        self.number = number
        self.raw = raw
        self.problems = problems
        self.prefix = prefix
        self.names = names or {}

    def name(self, key: str) -> str:
        """The field's name as problems show it."""
        return self.names.get(key, self.prefix + key)

    def problem(self, key: str, why: str) -> None:
        """Records a problem with field ``key``."""
        self.problems.append(Problem(self.number, self.name(key), why))

    def present(self, key: str) -> bool:
        """Whether the field has a value (not missing, null or blank)."""
        value = self.raw.get(key)
        return value is not None and not (isinstance(value, str) and value.strip() == "")

    def text(self, key: str, *, required: bool = False, max_len: int = types.MAX_NUMBER_LEN) -> str:
        """A string field, stripped; at most ``max_len`` bytes of UTF-8."""
        if not self.present(key):
            if required:
                self.problem(key, "is missing")
            return ""
        value = self.raw[key]
        if not isinstance(value, str):
            self.problem(key, f"is a {type(value).__name__}; give a string")
            return ""
        text = value.strip()
        if len(text.encode()) > max_len:
            self.problem(key, f"is {len(text.encode())} bytes long; at most {max_len}")
            return ""
        return text

    def uri(self, key: str) -> str:
        """A URI field (``types.uri``: printable, no white space, at most ``MAX_URI_LEN`` bytes), stripped; "" if absent."""
        if not self.present(key):
            return ""
        value = self.raw[key]
        if not isinstance(value, str):
            self.problem(key, f"is a {type(value).__name__}; give a URI such as ipfs://… or https://…")
            return ""
        try:
            return types.uri(value.strip(), what="")
        except UsageError as exc:
            self.problem(key, reason(exc))
            return ""

    def date(self, key: str, *, required: bool = False) -> int:
        """A date field (``types.date_text``: text only, an integer is refused) as unix seconds; 0 when absent."""
        if not self.present(key):
            if required:
                self.problem(key, "is missing; give YYYY-MM-DD")
            return 0
        try:
            return types.date_text(self.raw[key], what="")
        except UsageError as exc:
            self.problem(key, reason(exc))
            return 0

    def hash(self, key: str) -> bytes:
        """A 32-byte hash field (``types.bytes32``); the zero hash when absent."""
        if not self.present(key):
            return types.ZERO32
        value = self.raw[key]
        if not isinstance(value, str):
            self.problem(key, f"is a {type(value).__name__}; give 0x and 64 hex digits")
            return types.ZERO32
        try:
            return types.bytes32(value, what="")
        except UsageError as exc:
            self.problem(key, reason(exc))
            return types.ZERO32

    def holder(self, key: str) -> str:
        """An address field (``types.address``, EIP-55 checked on mixed case), checksummed; not the zero address."""
        if not self.present(key):
            self.problem(key, "is missing; give the holder's address (0x and 40 hex digits)")
            return ""
        try:
            holder = types.address(str(self.raw[key]).strip(), what="")
        except UsageError as exc:
            self.problem(key, reason(exc))
            return ""
        if int(holder, 16) == 0:
            self.problem(key, "is the zero address")
        return holder


def record_from_json(number: int, raw: Any, problems: list[Problem]) -> Record | None:
    """Validates one JSON record; appends every problem and returns None if there was any."""
    before = len(problems)
    if not isinstance(raw, Mapping):
        problems.append(Problem(number, "record", f"is a {type(raw).__name__}; each record is a JSON object"))
        return None
    names = raw.get("_names") if isinstance(raw.get("_names"), Mapping) else None
    f = Fields(number, raw, problems, names=names)
    for key, why in unknown_fields(raw.keys(), RECORD_FIELDS) + duplicate_fields(raw):
        f.problem(key, why)

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
    app_no = f.text("applicationNumber", required=True, max_len=1 << 30)  # the length is the number rule's
    if app_no:
        try:  # the rule of the SDK, the CLI and the contract (blanks around a field are formatting: taken off)
            app_no = types.application_number(app_no)
        except UsageError as exc:
            f.problem("applicationNumber", str(exc))
    filing_date = f.date("filingDate", required=True)
    holder = f.holder("holder")
    content_hash = f.hash("contentHash")
    metadata_uri = f.uri("metadataURI")
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
    path = _EventPath(number, problems, events_raw, reg_date, expiry)
    events = path.read()
    current, current_expiry, registered_at = path.current, path.current_expiry, path.registered_at

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
            f.problem("expiryDate", f"{types.format_date(expiry)} differs from the expiry the events set "
                                    f"({types.format_date(current_expiry)})")
        expiry = current_expiry
    if final_text:
        try:
            final = types.status(final_text)
            if path.ok and final is not current:
                f.problem("legalStatus", f"is {final.name.lower()} but the events end at {current.name.lower()}")
        except UsageError as exc:
            f.problem("legalStatus", str(exc))
    if len(problems) > before:
        return None
    return Record(office=office, ip_type=kind, application_number=app_no, filing_date=filing_date, holder=holder,
                  content_hash=content_hash, metadata_uri=metadata_uri, metadata_hash=metadata_hash,
                  registration_number=reg_no, registration_date=reg_date, expiry_date=expiry, events=tuple(events))


class _EventPath:
    """Reads a record's ``legalStatusEvents``: each event's fields, and the path they make from Filed."""

    def __init__(self, number: int, problems: list[Problem], events_raw: list[Any], reg_date: int,
                 expiry: int) -> None:
        self.number = number
        self.problems = problems
        self.events_raw = events_raw
        self.reg_date = reg_date
        self.expiry = expiry
        self.current = Status.FILED
        self.current_expiry = 0
        self.registered_at = -1
        self.ok = True  # the path is legal so far (later moves are judged only then)

    def read(self) -> list[StatusEvent]:
        """The record's events, every problem recorded."""
        events: list[StatusEvent] = []
        for i, ev_raw in enumerate(self.events_raw, start=1):
            event = self._event(i, ev_raw, len(events))
            if event is not None:
                events.append(event)
                self.current = event.status
        return events

    def _event(self, i: int, ev_raw: Any, index: int) -> StatusEvent | None:
        """Event ``i`` (1-based; ``index`` among the valid ones so far), or None if it cannot be read."""
        prefix = f"legalStatusEvents[{i}]."
        if not isinstance(ev_raw, Mapping):
            self.problems.append(Problem(self.number, f"legalStatusEvents[{i}]", "is not an object"))
            self.ok = False
            return None
        ev_names = ev_raw.get("_names") if isinstance(ev_raw.get("_names"), Mapping) else None
        e = Fields(self.number, ev_raw, self.problems, prefix=prefix, names=ev_names)
        for key, why in unknown_fields(ev_raw.keys(), EVENT_FIELDS) + duplicate_fields(ev_raw):
            e.problem(key, why)
        status_text = e.text("status", required=True)
        if not status_text:
            self.ok = False
            return None
        try:
            status = types.status(status_text)
        except UsageError as exc:
            e.problem("status", str(exc))
            self.ok = False
            return None
        if status is Status.FILED:
            e.problem("status", "the filing is implied by the record; list only the events after it")
            self.ok = False
            return None
        current = self.current
        if self.ok and status not in TRANSITIONS.get(current, frozenset()):
            allowed = ", ".join(sorted(s.name.lower() for s in TRANSITIONS.get(current, frozenset()))) or "nothing"
            e.problem("status", f"{current.name.lower()} → {status.name.lower()} is not a legal move "
                                f"(from {current.name.lower()}: {allowed})")
            self.ok = False
        code = e.text("eventCode")
        if code and code != EVENT_CODES[status]:
            e.problem("eventCode", f"'{code}' does not match {status.name.lower()} (its ST.27 code is "
                                   f"{EVENT_CODES[status]})")
        effective = e.date("effectiveDate")
        doc = e.hash("documentHash")
        ev_expiry = e.date("expiryDate")
        if status is Status.REGISTERED:
            effective, ev_expiry = self._registered(e, i, index, effective, ev_expiry)
        elif status is Status.RENEWED:
            if e.present("effectiveDate"):
                e.problem("effectiveDate", "the register records a renewal at the block time; leave effectiveDate "
                                           "out (see docs/bulk.md)")
            effective = 0
            if not ev_expiry:
                e.problem("expiryDate", "is missing; a renewal sets a new expiry date")
            elif self.current_expiry and ev_expiry <= self.current_expiry:
                e.problem("expiryDate", f"{types.format_date(ev_expiry)} is not after the previous expiry "
                                        f"{types.format_date(self.current_expiry)}")
            self.current_expiry = ev_expiry or self.current_expiry
        else:
            if e.present("expiryDate"):
                e.problem("expiryDate", f"only registered and renewed events carry an expiry date, not "
                                        f"{status.name.lower()}")
            if not effective and not e.present("effectiveDate"):
                e.problem("effectiveDate", "is missing; give the date the event takes effect")
        return StatusEvent(status=status, effective_date=effective, document_hash=doc,
                           expiry_date=ev_expiry if status in (Status.REGISTERED, Status.RENEWED) else 0)

    def _registered(self, e: Fields, i: int, index: int, effective: int, ev_expiry: int) -> tuple[int, int]:
        """A ``registered`` event: its date is the registration date, its expiry the first one."""
        self.registered_at = index
        reg_date = self.reg_date
        if not effective:
            effective = reg_date
        if reg_date and effective and effective != reg_date:
            e.problem("effectiveDate", f"{types.format_date(effective)} differs from registrationDate "
                                       f"{types.format_date(reg_date)}; registration takes effect on its date")
        if not effective:
            e.problem("effectiveDate", "is missing; give registrationDate")
        if not ev_expiry:
            later_renewals = any(isinstance(x, Mapping) and str(x.get("status", "")).strip().lower() == "renewed"
                                 for x in self.events_raw[i:])
            if later_renewals:
                e.problem("expiryDate", "is missing; a registration that is renewed later needs its first "
                                        "expiry date here")
            else:
                ev_expiry = self.expiry
        if not ev_expiry:
            e.problem("expiryDate", "is missing; give expiryDate on the record or on this event")
        elif effective and ev_expiry <= effective:
            e.problem("expiryDate", f"{types.format_date(ev_expiry)} is not after the registration date "
                                    f"{types.format_date(effective)}")
        self.current_expiry = ev_expiry
        return effective, ev_expiry


def parse_document(data: Any) -> tuple[list[Record], list[Problem]]:
    """Records from a parsed JSON document (``{"records": [...]}`` or a bare list)."""
    problems: list[Problem] = []
    if isinstance(data, Mapping):
        for key, why in unknown_fields(data.keys(), DOCUMENT_FIELDS) + duplicate_fields(data):
            problems.append(Problem(0, key, why))
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
    return finish(numbered, problems)


def finish(numbered: list[tuple[int, Record]], problems: list[Problem]) -> tuple[list[Record], list[Problem]]:
    """Adds a problem for each right that appears twice; problems come out in record order."""
    seen: dict[int, int] = {}
    for number, rec in numbered:
        first = seen.setdefault(rec.right_id, number)
        if first != number:
            problems.append(Problem(number, "applicationNumber", f"{rec.ref} is already record {first}; each right "
                                                                 "appears once"))
    problems.sort(key=lambda p: p.record)
    return [rec for _, rec in numbered], problems
