"""The index's database: open (SQLite file or PostgreSQL URL), migrate, bind to one deployment, write spans.

Everything one span of blocks brings (its events, the hashes of its blocks, the new cursor) is written in ONE
transaction, so a process killed at any point leaves the index at the end of the last whole span: a restart
resumes from the cursor and writes nothing twice (events are keyed by block and log index). ``rewind(n)``
undoes every block above ``n`` (a reorganisation), also in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipledger.errors import IPLedgerError, UsageError
from ipledger.index import projections, schema

MIGRATIONS = Path(__file__).with_name("migrations")


class IndexError_(IPLedgerError):  # noqa: N801 - IndexError is a builtin
    """The index cannot be used as asked (another chain's index, an unreachable database …)."""


@dataclass(frozen=True)
class Cursor:
    """The last block the index processed."""

    number: int
    hash: str


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL from ``target``: a ``postgresql://`` (or any ``dialect://``) URL as given, else a path to a
    SQLite file (its folder is made). ``postgresql://`` means psycopg 3 (the driver installed with ipledger)."""
    text = str(target)
    if text.startswith("postgresql://"):
        return "postgresql+psycopg://" + text[len("postgresql://"):]
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class Store:
    """One index database."""

    def __init__(self, target: str | Path) -> None:
        from sqlalchemy import create_engine, event

        self.url = database_url(target)
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            @event.listens_for(self.engine, "connect")
            def _pragmas(conn: Any, _record: Any) -> None:  # WAL: readers never wait for the writer
                cur = conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.close()
        try:
            self.migrate()
        except Exception as exc:  # noqa: BLE001 - a driver error: name the database, not the stack
            self.engine.dispose()
            raise IndexError_(f"cannot open the index at {self.engine.url.render_as_string(hide_password=True)}: "
                              f"{str(exc).splitlines()[0]}") from None

    # ------------------------------------------------------------ schema

    def migrate(self) -> None:
        """Brings the schema to the newest migration (Alembic, in process)."""
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @staticmethod
    def newest_revision() -> str:
        """The newest migration (what ``migrate`` brings a schema to)."""
        from alembic.config import Config as AlembicConfig
        from alembic.script import ScriptDirectory

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return str(ScriptDirectory.from_config(cfg).get_current_head())

    def revision(self) -> str | None:
        """The schema's current migration."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # ------------------------------------------------------------ meta and binding

    def meta(self) -> dict[str, str]:
        from sqlalchemy import select

        with self.engine.connect() as conn:
            return {k: v for k, v in conn.execute(select(schema.meta.c.key, schema.meta.c.value))}

    def bind(self, chain_id: int, contracts: Mapping[str, str], first_block: int) -> None:
        """Makes this the index of one deployment, or checks that it is: another chain's or deployment's index is
        refused (one line naming both and the fix)."""
        want = {"chain_id": str(chain_id), "contracts": json.dumps(dict(sorted(contracts.items()))),
                "first_block": str(first_block)}
        have = self.meta()
        if "chain_id" in have:
            for key in ("chain_id", "contracts"):
                if have[key] != want[key]:
                    raise UsageError(f"the index at {self.engine.url.render_as_string(hide_password=True)} is of "
                                     f"another {'chain' if key == 'chain_id' else 'deployment'} ({key} "
                                     f"{have[key][:80]}, not {want[key][:80]}); give another --db or delete it")
            return
        with self.engine.begin() as conn:
            conn.execute(schema.meta.insert(), [{"key": k, "value": v} for k, v in want.items()])

    def cursor(self) -> Cursor | None:
        have = self.meta()
        if "cursor_block" not in have:
            return None
        return Cursor(int(have["cursor_block"]), have["cursor_hash"])

    # ------------------------------------------------------------ writing

    def write_span(self, events: Sequence[Mapping[str, Any]], blocks: Iterable[Mapping[str, Any]],
                   cursor: Cursor) -> None:
        """One span's events and block hashes and the new cursor, in one transaction."""
        with self.engine.begin() as conn:
            rows = list(blocks)
            if rows:
                numbers = [r["number"] for r in rows]
                conn.execute(schema.blocks.delete().where(schema.blocks.c.number.in_(numbers)))
                conn.execute(schema.blocks.insert(), rows)
            if events:
                conn.execute(schema.events.insert(), list(events))
                projections.apply_span(conn, events, {r["number"]: r["timestamp"] for r in rows})
            self._set_cursor(conn, cursor)

    def _set_cursor(self, conn: Any, cursor: Cursor | None) -> None:
        conn.execute(schema.meta.delete().where(schema.meta.c.key.in_(("cursor_block", "cursor_hash"))))
        if cursor is not None:
            conn.execute(schema.meta.insert(), [{"key": "cursor_block", "value": str(cursor.number)},
                                                {"key": "cursor_hash", "value": cursor.hash}])

    def stored_blocks(self, below: int, limit: int = 64) -> list[tuple[int, str]]:
        """The newest stored (number, hash) pairs at or below ``below``, newest first: where a fork is looked for."""
        from sqlalchemy import select

        b = schema.blocks
        with self.engine.connect() as conn:
            return [(int(n), str(h)) for n, h in conn.execute(
                select(b.c.number, b.c.hash).where(b.c.number <= below).order_by(b.c.number.desc()).limit(limit))]

    def rewind(self, to: Cursor | None) -> list[str]:
        """Forgets every block above ``to`` (None: everything) and folds the rights it touched again from what is
        left; returns the right ids whose events were dropped."""
        from sqlalchemy import select

        above = -1 if to is None else to.number
        e, b = schema.events, schema.blocks
        with self.engine.begin() as conn:
            touched = [r for (r,) in conn.execute(select(e.c.right_id).where(e.c.block > above).distinct())
                       if r is not None]
            conn.execute(e.delete().where(e.c.block > above))
            conn.execute(schema.hashes.delete().where(schema.hashes.c.block > above))
            projections.refold(conn, touched)
            conn.execute(b.delete().where(b.c.number > above))
            self._set_cursor(conn, to)
        return touched

    def close(self) -> None:
        self.engine.dispose()
