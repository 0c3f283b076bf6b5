"""What a command prints: its result (a table or ``--json``), a transaction's outcome, and errors on one line.

Every toolkit error (``ipledger.errors.IPLedgerError``), whether a parameter type refused a
value while click parsed the command line or the SDK refused an action, leaves the CLI the
same way: ``error: <message>`` on one line of stderr and the error's exit code (2 for bad
input, 1 for a refusal by the chain or an unreachable node). The root group applies
``handled`` once for every command (``ipledger.cli.app``).

Light on purpose: ``rich`` and the tables of ``ipledger.cli.render`` load only when a
command prints one, so that ``ipledger --help`` starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ipledger.errors import IPLedgerError


def one_line(text: str) -> str:
    """The message on one line: newlines, control and invisible characters of echoed values are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@contextmanager
def handled() -> Iterator[None]:
    """A toolkit error raised inside the block: ``error: <message>`` on one line of stderr, exit with its code."""
    try:
        yield
    except IPLedgerError as exc:
        click.echo(f"error: {one_line(str(exc))}", err=True)
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
        line += f"\n  {k}: {plain(v)}"
    click.echo(line)


def show_table(title: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Draws one titled table on stdout."""
    from ipledger.cli.render import console, table

    console().print(table(title, columns, rows))
