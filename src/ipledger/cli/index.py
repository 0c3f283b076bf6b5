"""``ipledger index``: build and follow the register index of a deployment (docs/index.md).

Thin over ``ipledger.index``: open the database (``--db``: a SQLite path or a ``postgresql://`` URL; default
``.ipledger/index/<chain-id>.sqlite``), sync in bounded spans with a progress bar on stderr, print where the
index now stands; ``--follow`` keeps syncing every ``--interval`` seconds until interrupted.
"""

from __future__ import annotations

import time
from typing import Any

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import ProgressBar, emit


def _summary(store: Any, result: Any) -> dict[str, Any]:
    cursor = store.cursor()
    return {"db": store.engine.url.render_as_string(hide_password=True),
            "block": cursor.number if cursor else None, "block_hash": cursor.hash if cursor else None,
            "from_block": result.from_block, "events": result.events, "spans": result.spans,
            "rewound_to": result.rewound_to}


@click.command("index")
@click.option("--db", default=None, metavar="PATH|URL",
              help="SQLite file or postgresql://user@host/db (default: .ipledger/index/<chain-id>.sqlite).")
@click.option("--confirmations", type=click.IntRange(min=0), default=None,
              help="Blocks to stay behind the head (default: the network's `confirmations`).")
@click.option("--span", type=click.IntRange(min=1), default=None,
              help="Blocks per eth_getLogs request (default: the network's `max_log_span`).")
@click.option("--follow", is_flag=True, help="Keep the index current until interrupted (Ctrl-C).")
@click.option("--interval", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Seconds between two syncs with --follow.")
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
@chain_options
def index_cmd(session: Session, db: str | None, confirmations: int | None, span: int | None, follow: bool,
              interval: float, no_progress: bool) -> None:
    """Build (or bring up to date) the index of the deployment on --network, and with --follow keep it current.

    The index is a cache of the chain's events: killed at any point, a re-run resumes from the last whole span;
    a reorganisation deeper than --confirmations is noticed and undone.

    \b
    Examples:  ipledger index                  # .ipledger/index/<chain-id>.sqlite, up to date
               ipledger index --follow --db postgresql://ipl@db.example/ipledger
    """
    from ipledger.index.ledger import open_for, update
    from ipledger.index.store import Store

    given = Store(db) if db is not None else None  # a database that cannot be opened fails before the chain
    try:
        store = open_for(session.ledger(), given)
    except BaseException:
        if given is not None:
            given.close()
        raise
    ipl = session.ledger()
    try:
        while True:
            bar = None if no_progress else ProgressBar("indexing", unit="blocks")
            started = False

            def progress(done: int, total: int, bar: ProgressBar | None = bar) -> None:
                nonlocal started
                if bar is None:
                    return
                if not started:
                    bar.start(total, 0)
                    started = True
                bar.update(done)

            try:
                result = update(ipl, store, confirmations=confirmations, span=span, progress=progress)
            finally:
                if bar is not None and started:
                    bar.stop()
            summary = _summary(store, result)
            emit(session.as_json, summary, lambda: click.echo(
                f"index at block {summary['block']}: {result.events} new event(s) in {result.spans} span(s)"
                + (f"; a reorganisation was undone back to block {result.rewound_to}"
                   if result.rewound_to is not None else "")))
            if not follow:
                return
            time.sleep(interval)
    finally:
        store.close()
