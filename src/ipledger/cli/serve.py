"""``ipledger serve``: the explorer and its JSON API over an index (docs/index.md).

The server reads only the index (``--db``, or the single index under ``.ipledger/index/``); it never loads a key
nor connects to a chain. It binds to 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import click

from ipledger.errors import UsageError


def _only_index(folder: Path) -> Path:
    found = sorted(folder.glob("*.sqlite")) if folder.is_dir() else []
    if len(found) != 1:
        known = ", ".join(p.name for p in found) or "none"
        raise UsageError(f"give the index with --db (indexes under {folder}: {known}); build one with "
                         "`ipledger index --network NAME`")
    return found[0]


@click.command("serve")
@click.option("--db", default=None, metavar="PATH|URL", help="The index: SQLite file or postgresql:// URL.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--tx-url", default=None, metavar="URL",
              help="Link transactions to a block explorer, e.g. https://sepolia.etherscan.io/tx/{}")
def serve_cmd(db: str | None, host: str, port: int, tx_url: str | None) -> None:
    """Serve the explorer (search, rights, holders, offices, document verification) and its JSON API.

    \b
    Examples:  ipledger serve                  # the single index under .ipledger/index/, on 127.0.0.1:8000
               ipledger serve --db postgresql://ipl@db.example/ipledger --host 0.0.0.0 --port 8080
    """
    from ipledger.config import load_config
    from ipledger.index.local import index_folder
    from ipledger.index.store import Store
    from ipledger.serve import run

    if tx_url is not None and "{}" not in tx_url:
        raise UsageError(f"--tx-url {tx_url!r} has no {{}} for the transaction hash; e.g. "
                         "https://sepolia.etherscan.io/tx/{}")
    target = db if db is not None else str(_only_index(index_folder(load_config())))
    store = Store(target)
    try:
        click.echo(f"serving the index at {store.engine.url.render_as_string(hide_password=True)} on "
                   f"http://{host}:{port} (Ctrl-C stops)", err=True)
        run(store, host=host, port=port, tx_url=tx_url)
    finally:
        store.close()
