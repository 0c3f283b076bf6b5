"""The values of bulk work: a right as an office's data describes it, its status events, and what can go wrong.

``Record`` and ``StatusEvent`` are validated values (``ipledger.bulk.schema`` makes them from
JSON or CSV); ``Problem`` is one thing wrong with the input or with what the chain did;
``InvalidRecords`` carries every problem of a file (nothing is sent then) and
``ImportRefused`` says why the chain would refuse an import as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ipledger.domain import EVENT_CODES, SHORT_TYPE, IPType, Status, right_id
from ipledger.errors import IPLedgerError, UsageError
from ipledger.types import ZERO32

FORMAT = "ipledger-bulk"
VERSION = 1


@dataclass(frozen=True)
class Problem:
    """One validation problem: the record number (1-based, 0 = the file), the field and why."""

    record: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"record {self.record}" if self.record else "file"
        return f"{where}, {self.field}: {self.reason}"


class InvalidRecords(UsageError):
    """The input file has invalid records; nothing was sent. ``problems`` lists every one.

    ``summary`` is one line; ``details`` has one line per problem when there are several (the
    CLI prints the summary, then each problem on its own line); ``str()`` is all of it. With
    one problem, the summary names it and ``details`` is empty.
    """

    def __init__(self, problems: Sequence[Problem], source: str = "the input") -> None:
        self.problems = tuple(problems)
        numbers = sorted({p.record for p in self.problems if p.record})
        what = f"{len(numbers)} invalid record{'s' if len(numbers) != 1 else ''}" if numbers else "invalid input"
        if len(self.problems) == 1:
            self.summary = f"{what} in {source}; nothing was sent: {self.problems[0]} (see docs/bulk.md)"
            self.details: tuple[str, ...] = ()
        else:
            self.summary = (f"{what} in {source} ({len(self.problems)} problems); nothing was sent. Fix them and "
                            "run again (see docs/bulk.md):")
            self.details = tuple(str(p) for p in self.problems)
        super().__init__("\n  ".join((self.summary, *self.details)))


class ImportRefused(IPLedgerError):
    """The chain would refuse the import as a whole (unknown office, or the account is not its registrar)."""


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
        """The ST.27 code the register records with this move."""
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
        """The right's on-chain id (``ipledger.domain.right_id``)."""
        return right_id(self.office, self.ip_type, self.application_number)

    @property
    def ref(self) -> str:
        """``OFFICE/TYPE/APPLICATION-NUMBER``, as messages name a right."""
        return f"{self.office}/{SHORT_TYPE[self.ip_type]}/{self.application_number}"

    @property
    def status(self) -> Status:
        """The final status: that of the last event, else Filed."""
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
        """The canonical order: office, IP type, application number."""
        return (self.office, int(self.ip_type), self.application_number)
