"""The index's event store on SQLite and on a real PostgreSQL server: migrations, binding, spans, rewind."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.postgres import index_db, pg_server  # noqa: F401 - fixtures
from ipledger.errors import UsageError
from ipledger.index import Cursor, Store, database_url
from ipledger.index import schema

def _event(block: int, index: int, right: int | None = 1) -> dict[str, object]:
    return {"block": block, "log_index": index, "tx_hash": "0x" + "ab" * 32, "contract": "IPRegistry",
            "name": "DocumentAnchored", "right_id": None if right is None else f"0x{right:064x}", "args": {"n": index}}


def test_migrations_make_exactly_the_schema_the_queries_use(index_db: str) -> None:
    """Alembic's comparison of the migrated database with schema.py finds no difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = Store(index_db)
    try:
        assert store.revision() == Store.newest_revision()
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []
        Store(index_db).close()  # opening again migrates nothing and keeps the data
    finally:
        store.close()


def test_an_index_is_bound_to_one_chain_and_deployment(index_db: str) -> None:
    store = Store(index_db)
    try:
        store.bind(31337, {"IPRegistry": "0x" + "11" * 20}, 5)
        store.bind(31337, {"IPRegistry": "0x" + "11" * 20}, 5)  # the same: fine
        with pytest.raises(UsageError, match="of another chain .* give another --db or delete it"):
            store.bind(1, {"IPRegistry": "0x" + "11" * 20}, 5)
        with pytest.raises(UsageError, match="of another deployment"):
            store.bind(31337, {"IPRegistry": "0x" + "22" * 20}, 5)
    finally:
        store.close()


def test_a_span_is_written_whole_and_a_rewind_forgets_what_is_above_the_fork(index_db: str) -> None:
    store = Store(index_db)
    try:
        store.write_span([_event(3, 0), _event(3, 1, 2)], [{"number": 3, "hash": "0x" + "03" * 32, "timestamp": 30}],
                         Cursor(9, "0x" + "09" * 32))
        store.write_span([_event(12, 0, 2), _event(14, 5, None)],
                         [{"number": 12, "hash": "0x" + "0c" * 32, "timestamp": 120},
                          {"number": 19, "hash": "0x" + "13" * 32, "timestamp": 190}], Cursor(19, "0x" + "13" * 32))
        assert store.cursor() == Cursor(19, "0x" + "13" * 32)
        assert store.stored_blocks(18) == [(12, "0x" + "0c" * 32), (3, "0x" + "03" * 32)]
        with pytest.raises(Exception):  # the same log twice violates the key: the whole span is refused
            store.write_span([_event(20, 0), _event(12, 0)], [], Cursor(21, "0x" + "15" * 32))
        assert store.cursor() == Cursor(19, "0x" + "13" * 32), "a failed span leaves the cursor where it was"
        touched = store.rewind(Cursor(3, "0x" + "03" * 32))
        assert touched == [f"0x{2:064x}"]
        with store.engine.connect() as conn:
            left = conn.execute(schema.events.select().order_by(schema.events.c.block)).fetchall()
        assert [(r.block, r.log_index) for r in left] == [(3, 0), (3, 1)]
        assert store.cursor() == Cursor(3, "0x" + "03" * 32)
        store.rewind(None)
        assert store.cursor() is None
    finally:
        store.close()


def test_an_unreachable_database_is_one_clear_line() -> None:
    with pytest.raises(Exception) as exc:
        Store("postgresql://nobody@127.0.0.1:1/none")
    assert "cannot open the index at postgresql+psycopg://nobody@127.0.0.1:1/none" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_database_url_forms(tmp_path: Path) -> None:
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(tmp_path / "a" / "i.sqlite") == f"sqlite:///{tmp_path / 'a' / 'i.sqlite'}"
    assert (tmp_path / "a").is_dir()
