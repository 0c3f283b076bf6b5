"""``ipledger search``: the reads only an index can answer (docs/index.md), without scanning the chain.

``search rights`` finds rights by holder, office, IP type, status, application number, filing-date range or
content hash; ``search hash`` lists every filing and anchor that names a document's SHA-256 (proof of existence
at a block time); ``search licences`` lists licences by licensee, right or state. Each reads the index of
``--network``'s chain (``.ipledger/index/<chain-id>.sqlite``, or ``--db`` for a SQLite file or PostgreSQL URL)
and says the block it is valid at; the chain stays the truth (``ipledger show``, ``license check``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ipledger.cli.context import Session, default_network, json_option
from ipledger.cli.params import (
    Address,
    ApplicationNumber,
    Date,
    Hash32,
    IPTypeName,
    Office,
    RightRef,
    StatusName,
    digest,
)
from ipledger.domain.licensing import LicenseState
from ipledger.errors import UsageError

PAGE = click.IntRange(1, 500)  # ipledger.index.queries.MAX_PAGE


def index_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --network, --limit, --offset, --json."""
    func = json_option(func)
    func = click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
                        help="Rows to skip (the next page).")(func)
    func = click.option("--limit", type=PAGE, default=50, show_default=True, help="Rows per page (1 to 500).")(func)
    func = click.option("--network", "-n", default=default_network, show_default="local, or $IPLEDGER_NETWORK",
                        help="The network whose index to read (its chain id names the file).")(func)
    return click.option("--db", default=None, metavar="PATH|URL",
                        help="The index: SQLite file or postgresql:// URL (default: the network's).")(func)


@contextmanager
def opened(db: str | None, network: str) -> Iterator[Any]:
    """The index store (an existing one: a search never makes an empty index)."""
    from pathlib import Path

    from ipledger.config import load_config
    from ipledger.index.local import Unusable, chain_id_of, default_location
    from ipledger.index.store import Store

    if db is None:
        config = load_config()
        settings = config.network(network)
        if settings.backend != "rpc":
            raise UsageError(f"network '{settings.name}' starts a node per command: it has no index; use --network "
                             "local with `ipledger node`, or give --db")
        try:
            path = default_location(config, chain_id_of(settings))
        except Unusable as exc:
            raise UsageError(f"cannot find the index: {exc}; give --db") from None
        if not path.is_file():
            raise UsageError(f"no index at {path}: run `ipledger index --network {network}` first, or give --db")
        db = str(path)
    elif "://" not in db and not Path(db).is_file():
        raise UsageError(f"no index at {db}: run `ipledger index --db {db}` first")
    store = Store(db)
    try:
        yield store
    finally:
        store.close()


def _valid(store: Any) -> dict[str, Any]:
    from ipledger.index import queries

    return queries.valid_at(store)


def _print(session: Session, key: str, rows: list[dict[str, Any]], valid: dict[str, Any], title: str,
           columns: tuple[str, ...], cells: Callable[[dict[str, Any]], tuple[Any, ...]]) -> None:
    from ipledger.cli import render as r

    if session.as_json:
        r.print_json({"valid_at": valid, key: rows})
        return
    con = r.console()
    con.print(r.table(title, columns, [cells(x) for x in rows]))
    con.print(f"{len(rows)} {key}; from the index at block {valid['block']} ({str(valid['hash'])[:10]}…)",
              style="dim")


@click.group("search")
def search_group() -> None:
    """Search the register's index (`ipledger index`): rights, document hashes, licences."""


@search_group.command("rights")
@click.option("--holder", type=Address("holder"), help="Rights this account holds.")
@click.option("--office", type=Office(), help="ST.3 office code, e.g. EM.")
@click.option("--type", "ip_type", type=IPTypeName(), help="IP type: TM, PT, DS, ...")
@click.option("--status", type=StatusName(), help="Legal status: filed, registered, lapsed, ...")
@click.option("--number", type=ApplicationNumber(), help="Application number as filed.")
@click.option("--filed-from", type=Date("--filed-from"), help="Filing date on or after (YYYY-MM-DD).")
@click.option("--filed-to", type=Date("--filed-to"), help="Filing date on or before (YYYY-MM-DD).")
@click.option("--content-hash", type=Hash32("content hash"), help="The filing's content hash (0x + 64 hex).")
@index_options
def rights_cmd(session: Session, db: str | None, network: str, limit: int, offset: int, holder: str | None,
               office: str | None, ip_type: str | None, status: Any, number: str | None, filed_from: int | None,
               filed_to: int | None, content_hash: bytes | None) -> None:
    """Rights matching every filter given, newest filing first.

    \b
    Examples:  ipledger search rights --holder 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
               ipledger search rights --office EM --status registered --filed-from 2024-01-01
    """
    from ipledger import types
    from ipledger.cli import render as r
    from ipledger.index import queries

    if filed_from is not None and filed_to is not None and filed_from > filed_to:
        raise UsageError("--filed-from is after --filed-to; swap them")
    filters = queries.Filters(
        holder=types.checksum(holder) if holder else None, office=office or None,
        ip_type=int(types.ip_type(ip_type)) if ip_type else None, status=int(status) if status is not None else None,
        number=number, filed_from=filed_from, filed_to=filed_to,
        content_hash=None if content_hash is None else "0x" + content_hash.hex())
    with opened(db, network) as store:
        rows, valid = queries.search(store, filters, limit=limit, offset=offset), _valid(store)
    _print(session, "rights", rows, valid, "Rights", ("right", "holder", "status", "filed"),
           lambda x: (x["ref"], x["holder"], x["status_name"].lower(), r.day(x["filing_date"])))


@search_group.command("hash")
@click.option("--document", type=click.Path(dir_okay=False), help="A file: its SHA-256 is looked up.")
@click.option("--hash", "hash_", type=Hash32("document hash"), help="The hash (0x + 64 hex digits).")
@index_options
def hash_cmd(session: Session, db: str | None, network: str, limit: int, offset: int, document: str | None,
             hash_: bytes | None) -> None:
    """Every filing, anchor or deed that names a document's hash, with its block time (proof of existence).

    \b
    Example:  ipledger search hash --document priority.pdf
    """
    from ipledger.cli import render as r
    from ipledger.index import queries

    value = digest(hash_, document, "document")
    if value is None:
        raise UsageError("give --document FILE or --hash 0x…")
    with opened(db, network) as store:
        rows, valid = queries.by_hash(store, "0x" + value.hex())[offset:offset + limit], _valid(store)
    _print(session, "hits", rows, valid, f"0x{value.hex()}", ("time (UTC)", "event", "field", "right", "tx"),
           lambda x: (r.when(int(x["timestamp"] or 0)), x["name"], x["field"], x["right_id"] or "-", x["tx_hash"]))


@search_group.command("licences")
@click.option("--licensee", type=Address("licensee"), help="Licences this account holds (as licensee).")
@click.option("--right", "right", type=RightRef(), help="Licences of this right (0x id or OFFICE/TYPE/NUMBER).")
@click.option("--state", type=click.Choice([s.name.lower() for s in LicenseState if s.value]),
              help="The stored state.")
@index_options
def licences_cmd(session: Session, db: str | None, network: str, limit: int, offset: int, licensee: str | None,
                 right: int | None, state: str | None) -> None:
    """Licences by licensee, right or state, oldest first (whether each is in force now: `standing`).

    \b
    Example:  ipledger search licences --licensee 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --state active
    """
    from ipledger import types
    from ipledger.index import queries

    with opened(db, network) as store:
        answer = queries.licences(store, licensee=types.checksum(licensee) if licensee else None,
                                  right_id=None if right is None else f"0x{right:064x}",
                                  state=None if state is None else int(LicenseState[state.upper()]),
                                  limit=limit, offset=offset)
    _print(session, "licences", answer["licences"], answer["valid_at"], "Licences",
           ("licence", "right", "licensee", "kind", "standing"),
           lambda x: (x["licence_id"], x["right_ref"] or x["right_id"], x["licensee"], x["kind_name"].lower(),
                      x["standing"]))
