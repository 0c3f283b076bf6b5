"""The bulk commands of ``ipledger``: ``import`` and ``export`` of office data (docs/bulk.md).

Thin over ``ipledger.bulk``: parse the options, validate, call the importer or exporter,
draw a progress bar on stderr and print the outcome. Without the installed entry point:
``python -m ipledger.cli import ...``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ipledger import types
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import ProgressBar, emit, one_line, show_table
from ipledger.cli.params import NewFile, Office


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default=None,
              help="Input format (default: from the file name).")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 5000),
              help="At most this many filings per fileBatch transaction (fewer when they would not fit in a block).")
@click.option("--window", default=64, show_default=True, type=click.IntRange(1, 4096),
              help="At most this many transactions sent and not yet mined.")
@click.option("--timeout", "receipt_timeout", default=60.0, show_default=True, type=click.FloatRange(1, 3600),
              help="Seconds without a mined transaction before the chain is read again and the rest re-sent "
                   "(a dropped or stuck transaction).")
@click.option("--dry-run", is_flag=True, help="Validate the file and stop; nothing is sent and no node is needed.")
@click.option("--journal", type=NewFile(),
              help="Append a JSON-lines log of the run here: transactions sent and mined, stalls, the outcome.")
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
@click.option("--skip-conflicts", is_flag=True,
              help="A record whose right is on chain with other data (holder, dates, content hash) is listed and "
                   "left alone, and the import still succeeds (exit 0). Without it such conflicts exit 1.")
@chain_options
def import_cmd(session: Session, file: str, fmt: str | None, batch_size: int, window: int, receipt_timeout: float,
               dry_run: bool, journal: str | None, no_progress: bool, skip_conflicts: bool) -> None:
    """Import office records (JSON or CSV, docs/bulk.md) exactly once.

    Every record is validated first (all problems are listed, nothing is sent if any).
    Then the rights are filed with fileBatch and their legal-status moves applied, in
    pipelined transactions signed here. Run it again after an interruption: it reads
    what the chain already holds and sends only the rest. The account must be a
    registrar of every office in the file. A record whose right is already on chain
    with other data (holder, dates, content hash) is a conflict: it is listed, nothing
    is filed or moved for it, and the command exits 1 unless --skip-conflicts.

    \b
    Examples:  ipledger import examples/records.json --dry-run
               ipledger import examples/records.json --network local --account 1
               ipledger import office-em.csv --account keystore:office-em --journal em.journal
    """
    from ipledger.bulk import ImportOptions, import_records, load_records, summary_rows
    from ipledger.cli import render as r

    records = load_records(file, fmt=fmt)
    moves = sum(len(x.events) for x in records)
    if dry_run:
        offices = sorted({x.office for x in records})
        data = {"file": file, "valid": True, "records": len(records), "status_moves": moves, "offices": offices}
        emit(session.as_json, data, lambda: click.echo(
            f"{file}: {len(records):,} valid records ({moves:,} status moves) for {', '.join(offices)}; "
            "nothing was sent (--dry-run)"))
        return
    options = ImportOptions(batch_size=batch_size, window=window, receipt_timeout=receipt_timeout,
                            journal=Path(journal) if journal else None, skip_conflicts=skip_conflicts)
    progress = None if no_progress else ProgressBar(f"importing {types.escape(Path(file).name)}")
    report = import_records(session.ledger(), records, options, progress=progress)
    if session.as_json:
        r.print_json({"file": file, "complete": report.complete, "records": report.records, "filed": report.filed,
                      "already_filed": report.already_filed, "moves": report.moves,
                      "already_moved": report.already_moved, "transactions": report.transactions,
                      "rounds": report.rounds, "stalls": report.stalls, "seconds": round(report.seconds, 3),
                      "conflicts": [str(p) for p in report.conflicts], "skip_conflicts": skip_conflicts,
                      "problems": [str(p) for p in report.problems]})
    else:
        show_table(f"Import of {file}", ("", ""), summary_rows(report))
        for p in report.problems:
            click.echo(f"problem: {one_line(str(p))}", err=True)
        for p in report.conflicts:
            click.echo(f"{'skipped' if skip_conflicts else 'conflict'}: {one_line(str(p))}", err=True)
    if report.problems:
        click.echo(f"error: {len(report.problems)} record(s) are not as the file says (listed above); nothing was "
                   "filed twice. Fix the cause and run the same command again.", err=True)
        sys.exit(1)
    if report.conflicts and not skip_conflicts:
        click.echo(f"error: {len(report.conflicts)} record(s) conflict with rights already on the register (listed "
                   "above); nothing was filed or moved for them, the other records were imported. Check them, or "
                   "run again with --skip-conflicts to leave them as they are.", err=True)
        sys.exit(1)


@click.command("export")
@click.argument("file", type=NewFile(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default=None,
              help="Output format (default: csv for FILE.csv, else json). CSV cells that start with = + - @ are "
                   "written with a leading ' (docs/bulk.md).")
@click.option("--office", "office_code", metavar="OFFICE", type=Office(empty_ok=True),
              help="Only this office's rights (ST.3 code, e.g. EM).")
@click.option("--chunk", default=None, show_default="the network's max_log_span", type=click.IntRange(1, 10_000_000),
              help="Blocks per eth_getLogs query (smaller for nodes that limit log queries).")
@chain_options
def export_cmd(session: Session, file: str, fmt: str | None, office_code: str | None, chunk: int | None) -> None:
    """Export the register (or one office) as the import JSON (or CSV), in canonical form.

    Records come from events (RightFiled, StatusChanged, RightRegistered, ...) and the
    current holder and status; chain-specific values (blocks, transaction hashes, filing
    times) are left out, so export → import on a fresh chain → export gives the same bytes.
    FILE - writes to stdout.

    \b
    Examples:  ipledger export register.json --network local
               ipledger export em.json --office EM
               ipledger export em.csv --office EM
    """
    from ipledger.bulk import dumps, dumps_csv, export_records

    kind = fmt or ("csv" if file.lower().endswith(".csv") else "json")
    records = export_records(session.ledger(), office_code, chunk=chunk)
    text = dumps_csv(records) if kind == "csv" else dumps(records)
    if file == "-":
        sys.stdout.write(text)
        return
    _write_whole(Path(file), text)
    data = {"file": file, "records": len(records), "office": office_code or "all"}
    emit(session.as_json, data, lambda: click.echo(f"exported {len(records):,} records ({data['office']}) to {file}"))



def _write_whole(path: Path, text: str) -> None:
    """Writes ``path`` whole or not at all: a temporary file beside it, flushed, then renamed over it."""
    import os

    from ipledger.errors import UsageError

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write '{types.escape(str(path))}' ({exc.strerror}); nothing was written") from None
    finally:
        tmp.unlink(missing_ok=True)
