"""Frozen values that SDK actions return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ipledger import domain, types
from ipledger.domain import IPType, Status, format_right_id


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
    pledge_creditor: str | None = None

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
class History:
    """Everything the register knows of a right, built from events, oldest first."""

    right_id: int
    title: tuple[TitleEntry, ...]
    status_events: tuple[Event, ...]
    anchors: tuple[Event, ...]
    events: tuple[Event, ...]
    licenses: tuple[Any, ...] = field(default=())
