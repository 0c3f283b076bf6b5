"""What a command prints: its result (a table or ``--json``), a transaction's outcome, and errors on one line.

Every toolkit error (``ipledger.errors.IPLedgerError``), whether a parameter type refused a
value while click parsed the command line or the SDK refused an action, leaves the CLI the
same way: ``error: <message>`` on one line of stderr and the error's exit code (2 for bad
input, 1 for a refusal by the chain or an unreachable node). The root group applies
``handled`` once for every command (``ipledger.cli.app``), and ``usage_in_one_line`` turns
click's own usage errors (an unknown option or command, a missing argument, a value out of a
click range) into the same one line with exit 2, instead of click's three (usage, hint, error).

An error about many things at once (a file with several invalid records) carries them in a
``details`` attribute (a sequence of strings): the ``error:`` line then sums them up and each
follows on its own line, indented by two spaces. One problem is one line, as always. Every
line is escaped (``ipledger.types.escape``): a value echoed in a message cannot add a line.

Light on purpose: ``rich`` and the tables of ``ipledger.cli.render`` load only when a
command prints one, so that ``ipledger --help`` starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ipledger.errors import IPLedgerError
from ipledger.types import escape


def one_line(text: str) -> str:
    """The message on one line: newlines, control and invisible characters of echoed values are escaped."""
    return escape(text)


def error_lines(exc: BaseException) -> list[str]:
    """What ``handled`` prints for ``exc``: the ``error:`` line, then one indented line per detail (if any)."""
    details = [str(d) for d in getattr(exc, "details", None) or ()]
    summary = getattr(exc, "summary", None) if details else None
    return [f"error: {one_line(str(summary or exc))}", *(f"  {one_line(d)}" for d in details)]


@contextmanager
def handled() -> Iterator[None]:
    """A toolkit error raised inside the block: ``error: <message>`` on one line of stderr, exit with its code.

    An error with ``details`` (and a ``summary``) prints the summary, then each detail on its own line.
    """
    try:
        yield
    except IPLedgerError as exc:
        for line in error_lines(exc):
            click.echo(line, err=True)
        raise click.exceptions.Exit(exc.exit_code) from exc


def usage_line(exc: click.UsageError) -> str:
    """Click's usage error as our one line: the problem, and where the help is."""
    path = exc.ctx.command_path if exc.ctx is not None else "ipledger"
    message = exc.format_message().rstrip(".")
    hint = ""
    if message.startswith("No such option") and message.split("'")[1:2] and _negative(message.split("'")[1]):
        hint = f"; a value that starts with '-' goes after --, e.g. `{path} -- -1`"
    return f"error: {one_line(message)}{hint} (see `{path} --help`)"


def _negative(word: str) -> bool:
    """Whether an 'option' click did not know is a negative number (``-1``, ``-0.5``)."""
    return word.startswith("-") and word[1:].replace(".", "", 1).isdigit()


@contextmanager
def usage_in_one_line() -> Iterator[None]:
    """Click's usage errors raised inside the block: one ``error:`` line on stderr (``usage_line``) and exit 2.

    A group called without a command still prints its help (click's ``NoArgsIsHelpError``).
    """
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise
    except click.UsageError as exc:
        click.echo(usage_line(exc), err=True)
        raise click.exceptions.Exit(exc.exit_code) from exc


def emit(as_json: bool, value: Any, render: Callable[[], None]) -> None:
    """Prints ``value`` as JSON with ``--json``, else calls ``render`` to draw it for people."""
    if as_json:
        from ipledger.cli.render import print_json

        print_json(value)
    else:
        render()


def tx_out(as_json: bool, what: str, res: Any, extra: dict[str, Any] | None = None) -> None:
    """Prints a mined transaction: one line (block, gas, hash) and ``extra`` fields, or all of it as JSON."""
    from ipledger.cli.render import plain, print_json

    data = {"action": what, "tx_hash": res.tx_hash, "gas_used": res.gas_used, "block": res.block,
            "events": [{"name": e.name, "args": e.args} for e in res.events], **(extra or {})}
    if as_json:
        print_json(data)
        return
    line = f"{what}: block {res.block}, gas {res.gas_used:,}, tx {res.tx_hash}"
    for k, v in (extra or {}).items():
        line += f"\n  {k}: {escape(str(plain(v)))}"
    click.echo(line)


def show_table(title: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Draws one titled table on stdout."""
    from ipledger.cli.render import console, table

    console().print(table(title, columns, rows))


class ProgressBar:
    """A rich progress bar on stderr: done/total ``unit``, rate, elapsed time and ETA (import, index)."""

    def __init__(self, label: str, unit: str = "actions") -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f}/s" if speed else "–/s", style="progress.data.speed")

        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
            RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False, refresh_per_second=8, speed_estimate_period=10,
        )
        self._label = label
        self._task: Any = None

    def start(self, total: int, completed: int) -> None:
        from rich.markup import escape

        self._progress.start()
        self._task = self._progress.add_task(escape(self._label), total=total, completed=completed)

    def update(self, completed: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=completed)

    def stop(self) -> None:
        self._progress.stop()
