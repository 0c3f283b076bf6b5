"""The importer: files records and applies their status moves exactly once, as fast as the node takes them.

Each round reads the chain state of every record, plans only what is missing
(``ipledger.bulk.plan``) and sends it through the sender's pipelined mode
(``ipledger.tx.Window``): filing batches first (``fileBatch(..., skipExisting=true)``, so a
filing that lands twice is skipped by the contract), then the status moves wave by wave,
nonce order keeping each right's moves in sequence. A status move is valid only from its
predecessor, so a stale duplicate reverts instead of applying twice. A crash, a Ctrl-C or a
node restart therefore loses nothing and repeats nothing: the next run (or round) starts
from what the chain holds. A record whose right is on chain with other data (another holder,
filing date, registration date or content hash) is a conflict (``ipledger.bulk.plan``):
nothing is filed or moved for it, the report lists it, and the import is not complete unless
``ImportOptions.skip_conflicts``.

Gas limits come from a cost model (``ipledger.bulk.gas``); a batch that runs out of gas is
planned again in the next round, which asks the node first and reports what the register
refuses (the decoded error) instead of retrying it for ever. A stall (the account's mined
nonce stops moving) ends the round; the next one re-sends the rest at the mined nonce with
higher fees, replacing whatever was stuck (``Window`` explains how no stale transaction can
run). Transactions an earlier run left pending are waited for or replaced the same way;
those behind a nonce gap are found in the ``--journal``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ipledger import types
from ipledger.abi import ContractCodec
from ipledger.bulk import gas
from ipledger.bulk.calldata import RegistryCalls
from ipledger.bulk.journal import Journal
from ipledger.bulk.plan import Plan, batches, make_plan
from ipledger.bulk.records import ImportRefused, Problem, Record
from ipledger.errors import ContractRevert, UsageError
from ipledger.rpc import RawReceipt
from ipledger.tx.window import FEE_BUMP, Sent, Stalled, Window

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOptions:
    """How to import: batch size (rights per fileBatch), in-flight window, stall timeout, rounds, journal."""

    batch_size: int = 500
    window: int = 64
    receipt_timeout: float = 60.0
    max_rounds: int = 6
    journal: Path | None = None
    skip_conflicts: bool = False  # a right on chain with other data is reported, and the import still succeeds


@dataclass(frozen=True)
class ImportReport:
    """What an import did. ``problems`` lists records the chain would not take (with the decoded reason);
    ``conflicts`` the records whose right is on chain with other data (holder, dates, content hash): nothing was
    filed or moved for them."""

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
    conflicts: tuple[Problem, ...] = ()
    skip_conflicts: bool = False

    @property
    def complete(self) -> bool:
        """Everything the records say is on chain (conflicting records aside, when told to skip them)."""
        return not self.problems and (self.skip_conflicts or not self.conflicts)

    @property
    def rights_per_second(self) -> float:
        """Records per second of wall time."""
        return self.records / self.seconds if self.seconds else 0.0


class ProgressSink(Protocol):
    """Where the importer reports progress (the CLI draws a rich bar on stderr)."""

    def start(self, total: int, completed: int) -> None:
        """The import begins: ``total`` actions, ``completed`` of them on chain already."""

    def update(self, completed: int) -> None:
        """``completed`` actions are now on chain."""

    def stop(self) -> None:
        """The import ended (done, refused or interrupted)."""


@dataclass(frozen=True)
class Item:
    """What one transaction carries: ``kind`` file, move or cancel, and how many actions (``units``)."""

    kind: str
    units: int
    records: tuple[Record, ...] = ()
    label: str = ""


CANCEL = Item("cancel", 0, label="cancel a stale transaction")


class Importer:
    """Files records and applies their status moves, exactly once, as fast as the node takes them."""

    def __init__(self, ipl: IPLedger, options: ImportOptions | None = None, *,
                 progress: ProgressSink | None = None,
                 on_sent: Callable[[bytes, int, str], None] | None = None) -> None:
        self.ipl = ipl
        self.options = options or ImportOptions()
        self.progress = progress
        self.on_sent = on_sent
        self.registry = bytes.fromhex(ipl.registry.address[2:])
        self.calls = RegistryCalls(ipl.registry.abi)
        self.file_topic = ContractCodec(ipl.registry.abi).event_topic("RightFiled")
        self.completed = 0
        self.filed = 0
        self.numbers: dict[int, int] = {}
        self.journal: Journal | None = None
        self._holders_seen: set[str] = set()

    # ------------------------------------------------------------ checks

    def preflight(self, records: Sequence[Record]) -> None:
        """The node is the deployment's chain, the offices exist and the account is a registrar of each (else
        nothing is sent)."""
        self.ipl.sender.checked_chain_id("import")
        problems = []
        for office in sorted({r.office for r in records}):
            exists, _, _ = self.ipl.call(self.ipl.registry.functions.officeInfo(types.office_bytes(office)), "office")
            if not exists:
                problems.append(f"office {office} is not on the register; the council admits it by a vote: "
                                f"ipledger council propose admit-office {office} ADMIN")
            elif not self.ipl.is_registrar(office, self.ipl.address):
                problems.append(f"{self.ipl.address} is not a registrar of {office}; the office's admin grants it: "
                                f"ipledger office registrar grant {office} {self.ipl.address}")
        if problems:
            raise ImportRefused("the register would refuse this import (nothing was sent):\n  " + "\n  ".join(problems))

    # ------------------------------------------------------------ running

    def run(self, records: Sequence[Record]) -> ImportReport:
        """Imports ``records`` in rounds until the chain holds them all, or nothing more lands."""
        started = time.monotonic()
        opts = self.options
        self.numbers = {r.right_id: i for i, r in enumerate(records, start=1)}
        self.preflight(records)
        journal = self.journal = Journal(opts.journal) if opts.journal else None
        total = sum(r.actions for r in records)
        window: Window[Item] = Window(self.ipl.sender, size=opts.window, stall_timeout=opts.receipt_timeout,
                                      on_sent=self._sent, on_mined=self._mined, label="import")
        rounds = stalls = 0
        last_done = -1
        problems: list[Problem] = []
        try:
            earlier_nonce = -1
            if journal is not None:
                earlier, earlier_nonce = Journal.earlier_runs(journal.path, window.signer.address, window.chain_id)
                journal.write("start", records=len(records), actions=total, account=window.signer.address,
                              chain_id=window.chain_id, registry=self.ipl.registry.address, earlier_sent=earlier)
            high_nonce = window.settle_pending(earlier_nonce)  # stuck transactions to replace up to here, or -1
            stalls += high_nonce >= 0
            first = plan = make_plan(self.ipl, records, self.numbers)
            if self.progress is not None:
                self.progress.start(total, plan.done_units)
            while not plan.empty:
                stuck = plan.done_units == last_done  # a whole round changed nothing on chain
                if rounds >= opts.max_rounds or (stuck and rounds >= 2):
                    problems = self.diagnose(plan, rounds, window)
                    break
                last_done = plan.done_units
                rounds += 1
                window.reset(window.mined_nonce(), high_nonce)
                window.refresh_fees(force=True)
                if journal is not None:
                    journal.write("round", round=rounds, nonce=window.nonce, filings=len(plan.filings),
                                  moves=plan.moves, done=plan.done_units)
                try:
                    self._execute(plan, window, careful=rounds > 1)
                    high_nonce = window.fill(high_nonce, CANCEL)
                    window.drain()
                except Stalled as stall:
                    stalls += 1
                    log.warning("import stalled: %s; re-reading the chain and re-sending the rest", stall)
                    if journal is not None:
                        journal.write("stall", reason=str(stall), nonce=window.nonce)
                    high_nonce = max(high_nonce, window.nonce - 1)
                    window.fee_factor *= FEE_BUMP
                    last_done = -1  # a stall is not a refusal: give the next round its chance
                plan = make_plan(self.ipl, records, self.numbers)
                self.completed = plan.done_units
                self._report_progress()
            problems = plan.diverged + problems
            if high_nonce >= 0:  # all done, but stalled transactions still wait behind a gap: cancel them
                window.reset(window.mined_nonce(), high_nonce)
                window.refresh_fees(force=True)
                window.fill(high_nonce, CANCEL)
                window.drain()
        except BaseException as exc:
            if journal is not None:
                journal.write("aborted", reason=f"{type(exc).__name__}: {exc}"[:300], nonce=window.nonce)
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
            moves=first.moves - plan.moves,
            already_moved=first.done_moves,
            transactions=window.sent, rounds=rounds, stalls=stalls, seconds=seconds,
            problems=tuple(sorted(problems, key=lambda p: p.record)),
            conflicts=tuple(sorted(plan.conflicts, key=lambda p: p.record)), skip_conflicts=opts.skip_conflicts,
        )
        if journal is not None:
            journal.write("done", complete=report.complete, filed=report.filed, moves=report.moves,
                          transactions=report.transactions, rounds=rounds, stalls=stalls, seconds=round(seconds, 3),
                          problems=[str(p) for p in report.problems], conflicts=[str(p) for p in report.conflicts])
            journal.close()
        return report

    def _execute(self, plan: Plan, window: Window[Item], *, careful: bool) -> None:
        """Sends the plan: filing batches first, then status moves wave by wave (nonce order keeps each right's
        moves in sequence). ``careful`` (a later round) asks the node for gas and skips what it refuses."""
        cap = gas.batch_cap(window.block_gas_limit, self.ipl.chain.settings.live)
        registry = self.ipl.registry.address
        new = {r.right_id for r in plan.filings}
        refused: set[int] = set()  # rights the node refuses to move this round (diagnosed when the rounds end)
        for batch in batches(plan.filings, self.calls, cap, self.options.batch_size, self._holders_seen):
            data = self.calls.file_batch(batch.records, encoded=batch.encoded)
            limit = min(gas.batch_gas_limit(batch.records, data, batch.new_holders), cap)
            if careful:  # a batch failed before (perhaps out of gas): ask the node
                estimate = window.estimate(registry, data)
                if isinstance(estimate, ContractRevert):
                    refused.update(r.right_id for r in batch.records)
                    continue
                limit = min(max(limit, estimate), window.block_gas_limit)
            label = f"file {batch.records[0].ref} … {batch.records[-1].ref}"
            window.send(self.registry, data, limit, Item("file", len(batch.records), tuple(batch.records), label),
                        wants_receipt=True, label=label)
        for k, wave in enumerate(plan.waves):
            for rec, ev in wave:
                if rec.right_id in refused:
                    continue
                data = self.calls.move(rec, ev)
                limit = gas.move_gas_limit(rec, ev, data)
                if careful and k == 0 and rec.right_id not in new:
                    estimate = window.estimate(registry, data)
                    if isinstance(estimate, ContractRevert):
                        refused.add(rec.right_id)
                        continue
                    limit = max(limit, estimate)
                label = f"{rec.ref} → {ev.status.name.lower()}"
                window.send(self.registry, data, limit, Item("move", 1, (rec,), label), label=label)

    def diagnose(self, plan: Plan, rounds: int, window: Window[Item], limit: int = 100) -> list[Problem]:
        """One problem per record still to do: the decoded revert of its next action, or why it did not land."""
        out: list[Problem] = []
        todo: list[tuple[Record, bytes, str]] = [(r, self.calls.file_batch([r]), "filing") for r in plan.filings]
        new = {r.right_id for r in plan.filings}
        todo += [(r, self.calls.move(r, ev), f"move to {ev.status.name.lower()}")
                 for r, ev in (plan.waves[0] if plan.waves else []) if r.right_id not in new]
        for i, (rec, data, what) in enumerate(todo):
            number = self.numbers.get(rec.right_id, 0)
            if i >= limit:
                out.append(Problem(number, "chain", f"{rec.ref}: {what} not done (not diagnosed: over {limit})"))
                continue
            err = window.estimate(self.ipl.registry.address, data)
            if isinstance(err, ContractRevert):
                out.append(Problem(number, "chain", f"{rec.ref}: {what} refused by the register: {err}"))
            else:
                out.append(Problem(number, "chain", f"{rec.ref}: {what} did not land in {rounds} round(s); the node "
                                                    "took the transactions but did not mine them; run again"))
        return out

    # ------------------------------------------------------------ the window's callbacks

    def _sent(self, sent: Sent[Item]) -> None:
        """A transaction was handed to the node: journal it, tell ``on_sent``."""
        item = sent.item
        if self.journal is not None:
            self.journal.write("sent", nonce=sent.nonce, tx="0x" + sent.tx_hash.hex(), kind=item.kind,
                               units=item.units, first=item.records[0].ref if item.records else "",
                               last=item.records[-1].ref if item.records else "")
        if self.on_sent is not None:
            self.on_sent(sent.tx_hash, sent.nonce, item.kind)

    def _mined(self, sent: Sent[Item], ok: bool, receipt: RawReceipt | None) -> None:
        """A transaction's nonce was mined: count what it filed, journal it, move the progress bar."""
        item = sent.item
        if not sent.tx_hash:  # held back, and its nonce was taken by a transaction of the stalled round
            return
        filed = receipt.count(self.file_topic) if receipt is not None else 0
        if self.journal is not None and item.kind != "move":
            self.journal.write("mined", nonce=sent.nonce, tx="0x" + sent.tx_hash.hex(), ok=ok, filed=filed)
        if item.kind == "file":
            self.filed += filed
        if ok:
            self.completed += item.units
            self._report_progress()

    def _report_progress(self) -> None:
        """Tells the progress sink how many actions are done."""
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
        ("conflicts (on chain with other data; left alone)", f"{len(report.conflicts):,}"),
        ("problems", f"{len(report.problems):,}"),
    ]
