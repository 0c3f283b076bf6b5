"""A real PostgreSQL server for the tests: Debian's package, a temporary data directory, a free loopback port.

``PostgresServer()`` runs ``initdb`` and ``pg_ctl start`` (as the package's ``postgres`` user when the tests run
as root, since initdb refuses root), waits until it accepts connections, and ``close()`` stops it with
``pg_ctl stop -m immediate`` and removes the directory — also when the start failed half way. ``url`` is a
SQLAlchemy URL for the ``postgres`` superuser (trust authentication on loopback only). ``available()`` says
whether the binaries are installed (``.ci/run`` installs the ``postgresql`` package).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def available() -> bool:
    """Whether PostgreSQL's server binaries are installed here; with ``IPLEDGER_REQUIRE_SERVICES`` set (CI) always
    True, so a missing server fails its tests instead of skipping them."""
    return _bin_dir() is not None or bool(os.environ.get("IPLEDGER_REQUIRE_SERVICES"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One running server; a context manager."""

    def __init__(self, timeout: float = 60.0) -> None:
        bindir = _bin_dir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
        self._bin = bindir
        self._root = Path(tempfile.mkdtemp(prefix="ipledger-pg-"))
        self.data = self._root / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._started = False
        try:
            if self._as_postgres:
                user = pwd.getpwnam("postgres")
                os.chown(self._root, user.pw_uid, user.pw_gid)
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--no-sync", "--no-instructions")
            options = f"-p {self.port} -k {self._root} -c listen_addresses=127.0.0.1 -c fsync=off"
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self._root / "server.log"),
                      "-w", "-t", str(int(timeout)), "start")
            self._started = True
        except BaseException:
            self.close()
            raise
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self._bin / tool), *args]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self._root)
        if done.returncode != 0:
            log = self._root / "server.log"
            tail = log.read_text()[-2000:] if log.is_file() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip()[-2000:]} {tail}")

    def close(self) -> None:
        if self._started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
            self._started = False
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- fixtures (import them into a test module)

INDEX_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not available(), reason="PostgreSQL is not installed (.ci/run installs it)"))]


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PostgresServer | None]:
    """One PostgreSQL server per test module (None where it is not installed and not required)."""
    if _bin_dir() is None and not os.environ.get("IPLEDGER_REQUIRE_SERVICES"):
        yield None
        return
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=INDEX_BACKENDS)
def index_db(request: pytest.FixtureRequest, tmp_path: Path, pg_server: PostgresServer | None) -> Iterator[str]:
    """A fresh, empty index database of each kind: a SQLite file, or a new database on the test's server."""
    if request.param == "sqlite":
        yield str(tmp_path / "index.sqlite")
        return
    assert pg_server is not None
    import sqlalchemy as sa

    name = f"t_{abs(hash(request.node.nodeid)) % 10**9}"
    admin = sa.create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield pg_server.url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
