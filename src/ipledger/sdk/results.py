"""Frozen values that SDK actions return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ipledger import domain, types
from ipledger.domain import AnchorRole, IPType, LegalEvent, RequestState, St27State, Status, format_right_id


@dataclass(frozen=True)
class Event:
    """A decoded contract event."""

    name: str
    args: dict[str, Any]
    contract: str
    block: int
    log_index: int
    tx_hash: str


@dataclass(frozen=True)
class TxResult:
    """What a transaction did: its hash, the gas its receipt reports, its block and decoded events."""

    tx_hash: str
    gas_used: int
    block: int
    events: tuple[Event, ...] = ()

    def event(self, name: str) -> Event:
        """The first event called ``name`` (KeyError if none)."""
        for e in self.events:
            if e.name == name:
                return e
        raise KeyError(f"no {name} event in {self.tx_hash}; events: {[e.name for e in self.events]}")

    def all(self, name: str) -> list[Event]:
        return [e for e in self.events if e.name == name]


@dataclass(frozen=True)
class FilingResult(TxResult):
    """A filing: the transaction and the new right's id."""

    right_id: int = 0


@dataclass(frozen=True)
class RequestResult(TxResult):
    """An application request: the transaction, the request's id and its block time (its proof of existence)."""

    request_id: int = 0
    requested_at: int = 0


@dataclass(frozen=True)
class AccordResult(FilingResult):
    """An accorded request: the transaction, the new right's id and the request it came from."""

    request_id: int = 0


@dataclass(frozen=True)
class PledgeResult(TxResult):
    """A recorded security interest: the transaction, the pledge's id and its rank on the right (1 = senior)."""

    pledge_id: int = 0
    rank: int = 0


@dataclass(frozen=True)
class PledgeInfo:
    """A security interest of a right; ``rank`` is its place among the right's active ones (1 = the oldest)."""

    pledge_id: int
    right_id: int
    creditor: str
    rank: int
    recorded_at: int
    consented: bool = False  # to the right's pending assignment, at its current pledge version
    active: bool = True  # False once released (``rank`` is then 0)


@dataclass(frozen=True)
class PendingAssignment:
    """A right's pending assignment (``state`` 0 when none; ``assignment_id`` is then the last one used)."""

    right_id: int
    assignee: str
    state: int  # IIPRegistry.AssignmentState: 0 none, 1 requested, 2 accepted
    requested_at: int
    assignment_id: int
    deed_hash: bytes


@dataclass(frozen=True)
class BatchResult(TxResult):
    """A batch filing: the transaction and the ids filed by it (skipped ones are absent)."""

    right_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Filing:
    """One right to file."""

    office: str
    ip_type: IPType
    application_number: str
    holder: str | None = None
    content_hash: bytes = types.ZERO32
    metadata_uri: str = ""
    metadata_hash: bytes = types.ZERO32
    filing_date: int = 0

    @property
    def right_id(self) -> int:
        return types.right_id(self.office, self.ip_type, self.application_number)


@dataclass(frozen=True)
class RightInfo:
    """A right as the register holds it."""

    right_id: int
    office: str
    ip_type: IPType
    application_number: str
    status: Status
    holder: str
    filed_at: int
    filing_date: int
    registration_date: int
    expiry_date: int
    content_hash: str
    metadata_uri: str
    registration_number: str = ""
    pending_assignee: str | None = None
    pledge_creditor: str | None = None  # the senior creditor (``creditors[0]``)
    creditors: tuple[str, ...] = ()  # every active pledge's creditor, in rank order
    st27_state: St27State = St27State.UNKNOWN  # the contract's st27StateOf: pending, in force or not in force
    assignment_sequence: int = 0  # assignments requested or made so far (what an AssignTitle message names)
    pledge_count: int = 0  # active security interests, as the register keeps them
    token_uri: str = ""  # the title token's ERC-721 metadata URI (never empty for a filed right)

    @property
    def ref(self) -> str:
        return f"{self.office}/{domain.SHORT_TYPE[self.ip_type]}/{self.application_number}"

    @property
    def id_hex(self) -> str:
        return format_right_id(self.right_id)


@dataclass(frozen=True)
class TitleEntry:
    """One link in the chain of title."""

    holder: str
    since_block: int
    since_time: int
    how: str  # "filing" or "assignment"
    deed_hash: str = ""
    recorded_by: str = ""
    tx_hash: str = ""


@dataclass(frozen=True)
class RequestInfo:
    """An application request as the register holds it; ``right_id`` is set once the office accorded it."""

    request_id: int
    applicant: str
    office: str
    ip_type: IPType
    state: RequestState
    requested_at: int
    content_hash: str
    right_id: int = 0


@dataclass(frozen=True)
class AnchorInfo:
    """A document anchored against a right: who anchored it, in which role (judged by the contract then), when."""

    right_id: int
    document_hash: str
    tag: str
    anchored_by: str
    role: AnchorRole
    block: int
    anchored_at: int

    @property
    def third_party(self) -> bool:
        """Anchored by neither the holder nor the office (proof of existence only, no standing)."""
        return self.role is AnchorRole.THIRD_PARTY


@dataclass(frozen=True)
class LegalEventEntry:
    """A recorded legal event with its WIPO ST.27 key event code and the office's national code."""

    kind: LegalEvent
    key_event_code: str
    national_code: str
    block: int
    time: int
    event: str  # the contract event that recorded it (StatusChanged, FilingDateCorrected, AssignmentRecorded, ...)
    detail: str = ""

    @property
    def category(self) -> str:
        """The ST.27 category letter (the code's first character)."""
        return self.key_event_code[:1]


@dataclass(frozen=True)
class History:
    """Everything the register knows of a right, built from events, oldest first."""

    right_id: int
    title: tuple[TitleEntry, ...]
    status_events: tuple[Event, ...]
    anchors: tuple[AnchorInfo, ...]
    events: tuple[Event, ...]
    licenses: tuple[Any, ...] = field(default=())
    legal_events: tuple[LegalEventEntry, ...] = field(default=())
