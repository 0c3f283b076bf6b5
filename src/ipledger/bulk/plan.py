"""Planning an import round: what the chain still lacks, and the filing batches that carry it.

The chain says what is done: a right's id is deterministic, so its holder, status and filing
data (``ipledger.bulk.reader``) place each record on its path. The plan files the rights that
are not on chain and, for the others, lists the moves after their current status, wave by wave
(every right's first missing move, then its second...). A right whose status is not on its
record's path was changed since the data was written; it is left alone and reported.

A right that is on chain with other data than its record (another holder, filing date,
registration date or content hash) is a **conflict**: someone else's right under that number,
or a record that is out of date. Nothing is filed or moved for it; it is reported, and the
import fails unless conflicts are to be skipped. The same data means "done already": a re-run
of an import finds its own filings and goes on (exactly once).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ipledger.bulk import gas
from ipledger.bulk.calldata import RegistryCalls
from ipledger.bulk.export import status_event_count
from ipledger.bulk.reader import RightState, read_rights
from ipledger.bulk.records import Problem, Record, StatusEvent
from ipledger.domain import Status
from ipledger.types import checksum, format_date, hex32

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger


@dataclass
class Plan:
    """What one round sends, and what the chain already holds."""

    filings: list[Record] = field(default_factory=list)
    waves: list[list[tuple[Record, StatusEvent]]] = field(default_factory=list)
    done_units: int = 0  # actions (filings and moves) already on chain
    done_filings: int = 0
    done_moves: int = 0
    diverged: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)  # on chain with other data: left alone

    @property
    def empty(self) -> bool:
        """Nothing left to send."""
        return not self.filings and not self.waves

    @property
    def moves(self) -> int:
        """How many status moves the plan sends."""
        return sum(len(w) for w in self.waves)


def path_text(rec: Record) -> str:
    """The record's status path, for messages: ``filed → published → registered``."""
    return " → ".join(s.name.lower() for s in rec.path)


def position(ipl: IPLedger, rec: Record, status: Status) -> int | None:
    """How many of the record's events the chain already has, from its current status (None: not on the path)."""
    matches = [j for j, s in enumerate(rec.path) if s is status]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return None
    count = status_event_count(ipl, rec.right_id) - 1  # a status that recurs: count the events
    return count if 0 <= count < len(rec.path) and rec.path[count] is status else None


def conflict(rec: Record, on_chain: RightState) -> tuple[str, str] | None:
    """The fields (by their JSON names) in which the right on chain differs from its record, and how; None if none."""
    differs: list[tuple[str, str, str]] = []
    if on_chain.holder != rec.holder.lower():
        differs.append(("holder", checksum(on_chain.holder), rec.holder))
    if on_chain.filing_date != rec.filing_date:
        differs.append(("filingDate", format_date(on_chain.filing_date), format_date(rec.filing_date)))
    if on_chain.content_hash != rec.content_hash:
        differs.append(("contentHash", hex32(on_chain.content_hash), hex32(rec.content_hash)))
    if on_chain.registration_date and rec.registration_date and on_chain.registration_date != rec.registration_date:
        differs.append(("registrationDate", format_date(on_chain.registration_date),
                        format_date(rec.registration_date)))
    if not differs:
        return None
    detail = "; ".join(f"{name} {chain} on chain, {mine} in the record" for name, chain, mine in differs)
    return ", ".join(d[0] for d in differs), f"{rec.ref} is on the register with other data ({detail}); nothing " \
                                             "was filed or moved for it"


def make_plan(ipl: IPLedger, records: Sequence[Record], numbers: Mapping[int, int]) -> Plan:
    """Reads the chain state of every record and plans what is missing; ``numbers``: right id → record number."""
    states = read_rights(ipl, [r.right_id for r in records])
    plan = Plan()
    for rec in records:
        on_chain = states[rec.right_id]
        status = on_chain.status
        if status is Status.NONE:
            plan.filings.append(rec)
            pos = 0
        else:
            differs = conflict(rec, on_chain)
            if differs is not None:
                plan.conflicts.append(Problem(numbers.get(rec.right_id, 0), *differs))
                plan.done_units += rec.actions  # left alone: nothing more will be done for it
                continue
            plan.done_filings += 1
            plan.done_units += 1
            found = position(ipl, rec, status)
            if found is None:
                plan.diverged.append(Problem(numbers.get(rec.right_id, 0), "legalStatusEvents",
                                             f"{rec.ref} is {status.name.lower()} on chain, which is not on the "
                                             f"record's path ({path_text(rec)}); it was left as it is"))
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


@dataclass(frozen=True)
class Batch:
    """One ``fileBatch``: its records, their encoded filings and the holders that get their first title in it."""

    records: list[Record]
    encoded: list[bytes]
    new_holders: set[str]


def batches(filings: Sequence[Record], calls: RegistryCalls, gas_cap: int, batch_size: int,
            holders_seen: set[str]) -> Iterator[Batch]:
    """Filings in file order, at most ``batch_size`` per batch and within ``gas_cap`` by the gas model.

    ``holders_seen`` (updated) are the holders that have a title already; a holder's first
    title costs more (its balance slot is new).
    """
    records: list[Record] = []
    encoded: list[bytes] = []
    fresh: set[str] = set()
    empty = gas.empty_batch_gas()
    total = empty
    for rec in filings:
        first = rec.holder not in holders_seen
        elem = calls.encode_filing(rec)
        cost = gas.filing_gas(rec, elem, first)
        if records and (len(records) >= batch_size or total + cost > gas_cap):
            yield Batch(records, encoded, fresh)
            records, encoded, fresh, total = [], [], set(), empty
        if first:
            holders_seen.add(rec.holder)
            fresh.add(rec.holder)
        records.append(rec)
        encoded.append(elem)
        total += cost
    if records:
        yield Batch(records, encoded, fresh)
