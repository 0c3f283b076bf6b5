"""The register index and the explorer, measured (issue #14): indexing, API latency, size, memory, CLI reads.

    .venv/bin/python benchmarks/index.py                                    # the issue's figures (35-45 min)
    .venv/bin/python benchmarks/index.py --chain-read-seconds 300           # chain reads stopped at 300 s
    .venv/bin/python benchmarks/index.py --rights 500 --events 1500 --index-rights 2000 --duration 2   # smoke

One run, on one anvil started by ``ipledger.chain.connect`` (automine, its default arguments), the suite
deployed (the record in a temporary deployments folder), account 1 EM's registrar:

1. ``--rights`` trade marks imported by ``ipledger.bulk.import_records`` and ``--events`` status moves sent by
   ``changeStatusBatch`` (500 a call) in waves along the lifecycle: every right published, then opposed, then
   refused. A fresh index is synced over that deployment (``ipledger.index.ledger.open_for`` + ``update``, the
   code of ``ipledger index``; the time includes opening and migrating the database) on SQLite and on a real
   PostgreSQL server (tests/helpers/postgres.py: Debian's server, fsync off, loopback). The same answers are
   read straight from the chain: the SDK's ``right()`` + ``history()`` of every right, in a shuffled order
   (``--chain-read-seconds`` stops it early: the rights read are then reported as their own N and no ratio is
   given, never extrapolated), and, for reference,
   ``ipledger export`` of the whole register (events and state in bulk).
2. More rights imported on the same chain up to ``--index-rights`` (the time is reported), a fresh index of it
   built on each database (time, SQLite file size, ``pg_database_size``), then ``ipledger serve`` started as the
   CLI starts it, on a free loopback port, over each database, and driven by wrk (``--duration`` seconds per
   figure, after a 1-second warm-up that is not counted) with benchmarks/wrk/paths.lua: each request asks the
   next of thousands of paths, so the load spreads over many rights. Figures: a right's page (``/right/REF``),
   its JSON (``/api/rights/REF``), search by holder (``/api/rights?holder=``) for holders of about 50 rights
   and for the five large holders (one right in ten each). Percentiles come exactly from wrk's latency histogram
   (a Lua ``done()`` hook). The server's peak memory is its VmHWM after all of its load.
3. ``ipledger show REF`` and ``ipledger history REF`` as whole processes against that deployment (``--network``
   its URL), with a fresh index at the project's default place, ``--cli-runs`` times each: best and median.
   The CLI runs in a temporary project folder (links to this one), so no index or record of this run lands in
   the working tree. Whatever the commands do at the time of the run is measured.

Each row records the 1-minute load average when it started: other processes share the 2-core machine, so
compare rows of one run. Every process started here is stopped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from web3.types import RPCEndpoint

from ipledger import bulk
from ipledger.domain import IPType, Status
from ipledger.sdk import IPLedger

IPLEDGER = ROOT / ".venv" / "bin" / "ipledger"
LUA = ROOT / "benchmarks" / "wrk" / "paths.lua"
WAVES = (Status.PUBLISHED, Status.OPPOSED, Status.REFUSED)  # moves by changeStatusBatch alone, each legal
MAX_BATCH = 500  # IPRegistry.MAX_BATCH
BIG_HOLDERS = 5  # every other right goes to one of these: one right in ten each
GOAL_SYNC_S = 20.0
GOAL_PAGE_P50_MS, GOAL_PAGE_P95_MS, GOAL_SEARCH_P50_MS = 10.0, 30.0, 25.0
GOAL_CLI_S = 0.3
PATHS_PER_FIGURE = 5_000


def load() -> float:
    return round(os.getloadavg()[0], 2)


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class Rows:
    """The figures of the run, one dict each, in the shape of results/index.json."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, figure: str, value: float | None, unit: str, *, backend: str | None = None, n: int | None = None,
            goal: str | None = None, met: bool | None = None, load_at: float | None = None,
            **extra: Any) -> dict[str, Any]:
        row = {"figure": figure, "value": value, "unit": unit, "goal": goal, "met": met, "backend": backend,
               "n": n, "load": load() if load_at is None else load_at, **extra}
        self.rows.append(row)
        shown = "—" if value is None else f"{value:,}"
        say(f"  {figure} [{backend or '-'}]: {shown} {unit}" + (f" (goal {goal}: {'met' if met else 'NOT met'})"
                                                                  if goal else ""))
        return row


# ------------------------------------------------------------------ the register

def holder_addresses(small: int) -> tuple[list[str], list[str]]:
    """Five large holders and ``small`` others, addresses derived from their names (nobody's keys)."""
    from eth_utils import to_checksum_address

    def address(name: str) -> str:
        return to_checksum_address(hashlib.sha256(name.encode()).digest()[:20])

    return [address(f"big holder {i}") for i in range(BIG_HOLDERS)], [address(f"holder {i}") for i in range(small)]


def records(start: int, n: int, big: Sequence[str], small: Sequence[str]) -> list[bulk.Record]:
    """Trade marks ``start`` .. ``start + n - 1`` with every field the register keeps (bulk.py's generator):
    even ones to the large holders in turn, odd ones to the small holders in turn."""
    out = []
    for i in range(start, start + n):
        digest = hashlib.sha256(f"X{i}".encode()).hexdigest()
        holder = big[(i // 2) % len(big)] if i % 2 == 0 else small[(i // 2) % len(small)]
        out.append(bulk.Record(
            office="EM", ip_type=IPType.TRADE_MARK, application_number=f"X{i:09d}",
            filing_date=1_700_000_000 + 60 * i, holder=holder,
            content_hash=hashlib.sha256(f"mark X{i}".encode()).digest(),
            metadata_uri="ipfs://bafkrei" + digest[:45], metadata_hash=hashlib.sha256(digest.encode()).digest(),
        ))
    return out


def import_all(registrar: IPLedger, recs: list[bulk.Record]) -> float:
    started = time.perf_counter()
    report = bulk.import_records(registrar, recs)
    seconds = time.perf_counter() - started
    if not report.complete or report.filed != len(recs):
        raise SystemExit(f"importer: incomplete run {report}")
    return seconds


def status_moves(ids: Sequence[int], events: int) -> list[list[tuple[int, Status]]]:
    """``events`` moves in waves (all rights published, then opposed, then refused), cut in batches of 500."""
    if events > len(WAVES) * len(ids):
        raise SystemExit(f"--events {events}: at most {len(WAVES)} moves a right by changeStatusBatch alone "
                         f"({len(WAVES) * len(ids)} for {len(ids)} rights)")
    moves = [(rid, WAVES[k // len(ids)]) for k, rid in enumerate(list(ids) * len(WAVES))][:events]
    return [moves[i:i + MAX_BATCH] for i in range(0, len(moves), MAX_BATCH)]


def apply_moves(registrar: IPLedger, batches: list[list[tuple[int, Status]]]) -> float:
    started = time.perf_counter()
    for batch in batches:
        result = registrar.change_status_batch(batch)
        if not getattr(result, "ok", True):
            raise SystemExit(f"changeStatusBatch failed: {result}")
    return time.perf_counter() - started


# ------------------------------------------------------------------ databases

class Databases:
    """Fresh index databases: SQLite files in ``folder``, PostgreSQL databases on one server (started lazily)."""

    def __init__(self, folder: Path, stack: ExitStack, backends: Sequence[str]) -> None:
        self.folder, self.stack, self.backends = folder, stack, backends
        self.pg: Any = None

    def fresh(self, backend: str, name: str) -> str:
        if backend == "sqlite":
            return str(self.folder / f"{name}.sqlite")
        import sqlalchemy as sa

        if self.pg is None:
            from helpers.postgres import PostgresServer

            say("starting PostgreSQL ...")
            self.pg = self.stack.enter_context(PostgresServer())
        admin = sa.create_engine(self.pg.url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                conn.execute(sa.text(f"CREATE DATABASE {name}"))
        finally:
            admin.dispose()
        return self.pg.url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/" + name

    @staticmethod
    def size(backend: str, target: str) -> int:
        if backend == "sqlite":
            return sum(p.stat().st_size for p in Path(target).parent.glob(Path(target).name + "*"))
        import sqlalchemy as sa

        from ipledger.index.store import database_url

        engine = sa.create_engine(database_url(target))
        try:
            with engine.connect() as conn:
                return int(conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one())
        finally:
            engine.dispose()


def sync_fresh(ipl: IPLedger, target: str) -> tuple[float, int]:
    """Seconds to open (migrate, bind) a fresh index and sync it to the head; the events it wrote."""
    from ipledger.index.ledger import open_for, update

    started = time.perf_counter()
    store = open_for(ipl, target)
    try:
        result = update(ipl, store, confirmations=0)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    if result.to_block != ipl.w3.eth.block_number:
        raise SystemExit(f"the index stopped at block {result.to_block}, the head is {ipl.w3.eth.block_number}")
    return seconds, result.events


def chain_reads(ipl: IPLedger, ids: Sequence[int], budget: float | None) -> tuple[float, int]:
    """The SDK's right() and history() of each right, straight from the chain (never from an index), in a shuffled
    order so that a run stopped by ``budget`` seconds has read rights from all over the register: (seconds, how
    many rights were read)."""
    order = list(ids)
    random.Random(14).shuffle(order)
    was = ipl.read_index
    ipl.read_index = False  # the SDK reads a right's events from a local index when one serves
    try:
        started = time.perf_counter()
        done = 0
        for rid in order:
            ipl.right(rid)
            ipl.history(rid)
            done += 1
            if budget is not None and time.perf_counter() - started >= budget:
                break
        return time.perf_counter() - started, done
    finally:
        ipl.read_index = was


# ------------------------------------------------------------------ the server and the load

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


@contextmanager
def serving(target: str, env: dict[str, str], cwd: Path, log: Path) -> Iterator[tuple[str, int]]:
    """``ipledger serve --db TARGET --port P`` until the block ends: (base URL, pid)."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([str(IPLEDGER), "serve", "--db", target, "--port", str(port)], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"ipledger serve ended ({proc.returncode}): {log.read_text()[-1500:]}")
            try:
                with urllib.request.urlopen(base + "/api/rights?limit=1", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"ipledger serve did not answer within 60 s: {log.read_text()[-1500:]}")
            time.sleep(0.1)
        yield base, proc.pid
    finally:
        stop(proc)


def peak_rss_mib(pid: int) -> float:
    found = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
    if found is None:
        raise SystemExit(f"no VmHWM in /proc/{pid}/status")
    return round(int(found.group(1)) / 1024, 1)


def wrk(base: str, paths: Path, seconds: int, connections: int) -> dict[str, Any]:
    """One wrk run over the paths in ``paths``: exact p50/p95/p99 (ms), requests/s; non-2xx answers fail."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", str(LUA),
           base, "--", str(paths)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    found = re.search(r"^IPLEDGER-WRK (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stdout[-800:]} {done.stderr[-800:]}")
    stats = {k: float(v) for k, v in (kv.split("=") for kv in found.group(1).split())}
    errors = sum(int(stats[k]) for k in ("status_errors", "connect", "read", "write", "timeout"))
    if errors:
        raise SystemExit(f"wrk: {errors} failed requests on {paths.name}: {done.stdout[-800:]}")
    return {"p50_ms": round(stats["p50"] / 1000, 2), "p95_ms": round(stats["p95"] / 1000, 2),
            "p99_ms": round(stats["p99"] / 1000, 2), "requests": int(stats["requests"]),
            "rps": round(stats["requests"] / (stats["duration_us"] / 1e6), 1)}


# ------------------------------------------------------------------ the CLI

def project_copy(folder: Path) -> Path:
    """A project folder of links to this one's entries (contracts, build cache, node_modules, config) with its own
    ``.ipledger/`` and ``deployments/``: what the CLI writes there stays out of the working tree."""
    project = folder / "project"
    project.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".ipledger", "deployments", ".git"):
            (project / entry.name).symlink_to(entry)
    return project


def cli_times(args: Sequence[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[float, float]:
    """Best and median wall time of ``ipledger ARGS`` as a whole process, ``runs`` times."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([str(IPLEDGER), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                              check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"ipledger {' '.join(args)} failed ({done.returncode}): {done.stderr[-800:]}")
    return round(min(times), 3), round(statistics.median(times), 3)


# ------------------------------------------------------------------ the run

def step_sync(rows: Rows, ipl: IPLedger, dbs: Databases, ids: list[int], args: argparse.Namespace) -> None:
    """Step 1: a fresh index of the register of ``--rights`` and ``--events``, and the same from the chain."""
    n = len(ids)
    synced: dict[str, float] = {}
    for backend in dbs.backends:
        before = load()
        seconds, events = sync_fresh(ipl, dbs.fresh(backend, f"sync{n}"))
        synced[backend] = seconds
        rows.add("index a fresh register (open + sync)", round(seconds, 2), "s", backend=backend, n=n,
                 goal=f"≤ {GOAL_SYNC_S:g} s", met=seconds <= GOAL_SYNC_S, load_at=before, events=events,
                 status_events=args.events)
    before = load()
    seconds, read = chain_reads(ipl, ids, args.chain_read_seconds)
    rows.add("the same answers from the chain: SDK right() + history() of each right"
             + ("" if read == n else f" (stopped after {args.chain_read_seconds:g} s: {read:,} of {n:,} rights)"),
             round(seconds, 2), "s", backend="anvil", n=read, load_at=before, status_events=args.events,
             all_rights=read == n)
    for backend, sync_s in synced.items():
        rows.add("chain reads / index sync (same rights)", round(seconds / sync_s, 1) if read == n else None,
                 "x", backend=backend, n=read,
                 note=None if read == n else f"the chain was read for {read:,} of {n:,} rights: no ratio")
    before = load()
    started = time.perf_counter()
    exported = bulk.export_records(ipl)
    seconds = time.perf_counter() - started
    if len(exported) != n:
        raise SystemExit(f"export: {len(exported)} records, expected {n}")
    rows.add("for reference: ipledger export of the register (bulk events + state)", round(seconds, 2), "s",
             backend="anvil", n=n, load_at=before)


def step_serve(rows: Rows, ipl: IPLedger, dbs: Databases, recs: list[bulk.Record], project: Path,
               env: dict[str, str], work: Path, args: argparse.Namespace) -> str:
    """Step 2: a fresh index of every right on each database, its size, the server under wrk; returns the SQLite
    index's path."""
    n = len(recs)
    big, small = holder_addresses(args.holders)
    rng = random.Random(14)
    refs = [r.ref for r in rng.sample(recs, min(PATHS_PER_FIGURE, n))]
    held = Counter(r.holder for r in recs)
    figures = {
        "a right's page: /right/REF (HTML)": [f"/right/{ref}" for ref in refs],
        "a right's JSON: /api/rights/REF": [f"/api/rights/{ref}" for ref in refs],
        f"search by holder of ~{round(statistics.mean(held[h] for h in small)):,} rights: /api/rights?holder=":
            [f"/api/rights?holder={h}" for h in rng.sample(small, len(small))],
        f"search by holder of ~{round(statistics.mean(held[h] for h in big)):,} rights: /api/rights?holder=":
            [f"/api/rights?holder={h}" for h in big],
    }
    files = {}
    for k, (label, lines) in enumerate(figures.items()):
        files[label] = work / f"paths{k}.txt"
        files[label].write_text("\n".join(lines) + "\n")
    sqlite_target = ""
    for backend in dbs.backends:
        target = dbs.fresh(backend, f"serve{n}")
        before = load()
        seconds, events = sync_fresh(ipl, target)
        rows.add(f"index {n:,} rights (open + sync)", round(seconds, 2), "s", backend=backend, n=n, load_at=before,
                 events=events)
        rows.add(f"index size at {n:,} rights", round(dbs.size(backend, target) / 2**20, 1), "MiB", backend=backend,
                 n=n, how="file size" if backend == "sqlite" else "pg_database_size")
        if backend == "sqlite":
            sqlite_target = target
        with serving(target, env, project, work / f"serve-{backend}.log") as (base, pid):
            for label, paths in files.items():
                wrk(base, paths, 1, max(args.connections))  # warm-up, not counted
                for conns in args.connections:
                    before = load()
                    got = wrk(base, paths, args.duration, conns)
                    page = label.startswith("a right's")
                    p50_goal = GOAL_PAGE_P50_MS if page else GOAL_SEARCH_P50_MS
                    rows.add(f"{label} p50", got["p50_ms"], "ms", backend=backend, n=n, goal=f"≤ {p50_goal:g} ms",
                             met=got["p50_ms"] <= p50_goal, load_at=before, connections=conns, **got)
                    rows.add(f"{label} p95", got["p95_ms"], "ms", backend=backend, n=n,
                             goal=f"≤ {GOAL_PAGE_P95_MS:g} ms" if page else None,
                             met=got["p95_ms"] <= GOAL_PAGE_P95_MS if page else None, load_at=before,
                             connections=conns, **got)
            rows.add("server peak memory (VmHWM) after all its load", peak_rss_mib(pid), "MiB", backend=backend, n=n)
    return sqlite_target


def step_cli(rows: Rows, ipl: IPLedger, recs: list[bulk.Record], index: str, project: Path, env: dict[str, str],
             moved: int, args: argparse.Namespace) -> None:
    """Step 3: ``ipledger show`` and ``history`` as whole processes, with a fresh index at the default place."""
    from ipledger.config import load_config
    from ipledger.index.ledger import default_location

    where = default_location(load_config(project), ipl.deployment.chain_id)
    where.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(index, where)  # the store was closed: its WAL is checkpointed into the file
    ref = recs[min(moved, len(recs)) // 2].ref  # a right with its filing and status moves
    url = str(ipl.chain.url)
    for command in ("show", "history"):
        before = load()
        best, median = cli_times([command, ref, "--network", url], env, project, args.cli_runs)
        rows.add(f"ipledger {command} REF (whole process) best", best, "s", backend="cli", n=len(recs),
                 goal=f"≤ {GOAL_CLI_S:g} s", met=best <= GOAL_CLI_S, load_at=before, runs=args.cli_runs)
        rows.add(f"ipledger {command} REF (whole process) median", median, "s", backend="cli", n=len(recs),
                 goal=f"≤ {GOAL_CLI_S:g} s", met=median <= GOAL_CLI_S, load_at=before, runs=args.cli_runs)


def run(args: argparse.Namespace, rows: Rows) -> None:
    work = Path(tempfile.mkdtemp(prefix="ipledger-bench-index-"))
    try:
        with ExitStack() as stack:
            project = project_copy(work)
            deployments = work / "deployments"
            os.environ["IPLEDGER_DEPLOYMENTS_DIR"] = str(deployments)  # the record of this run's deployment
            env = {**os.environ, "IPLEDGER_PROJECT": str(project), "COLUMNS": "160"}
            dbs = Databases(work, stack, args.backends)
            say("starting anvil and deploying ...")
            gov = stack.enter_context(IPLedger.connect("anvil", 0, deploy=True, persist=True))
            gov.grant_registrar("EM", gov.chain.accounts[1].address)
            registrar = gov.as_account(1)
            # automine with full 30M-gas blocks raises the base fee 12.5% a block: the 10,000 ETH of a dev account
            # pays for about 20,000 filings, so the registrar is given a balance that outlasts --index-rights
            gov.w3.provider.make_request(RPCEndpoint("anvil_setBalance"), [registrar.account.address, hex(2**200)])
            big, small = holder_addresses(args.holders)
            recs = records(0, args.rights, big, small)
            say(f"importing {args.rights:,} rights ...")
            before = load()
            rows.add("import rights on a fresh chain (ipledger import)", round(import_all(registrar, recs), 2), "s",
                     backend="anvil", n=args.rights, load_at=before)
            batches = status_moves([r.right_id for r in recs], args.events)
            say(f"applying {args.events:,} status moves in {len(batches)} changeStatusBatch calls ...")
            before = load()
            rows.add("status moves by changeStatusBatch (500 a call)", round(apply_moves(registrar, batches), 2), "s",
                     backend="anvil", n=args.events, load_at=before, transactions=len(batches))
            say("step 1: fresh indexes and the chain reads ...")
            step_sync(rows, registrar, dbs, [r.right_id for r in recs], args)
            if args.index_rights > args.rights:
                more = records(args.rights, args.index_rights - args.rights, big, small)
                say(f"importing {len(more):,} more rights (the chain then holds {args.index_rights:,}) ...")
                before = load()
                rows.add(f"import rights onto the chain holding {args.rights:,} (ipledger import)",
                         round(import_all(registrar, more), 2), "s", backend="anvil", n=len(more), load_at=before)
                recs += more
            say(f"step 2: indexes of {len(recs):,} rights and the server under load ...")
            sqlite_index = step_serve(rows, registrar, dbs, recs, project, env, work, args)
            if sqlite_index:
                say("step 3: ipledger show / history as whole processes ...")
                step_cli(rows, registrar, recs, sqlite_index, project, env, args.rights, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Index and explorer (anvil; every figure at its full N)")
    for col in ("figure", "backend", "N", "value", "c", "req/s", "goal", "met", "load"):
        table.add_column(col, justify="left" if col in ("figure", "backend", "goal") else "right")
    for r in rows:
        value = "—" if r["value"] is None else f"{r['value']:,}"
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        table.add_row(r["figure"], r["backend"] or "", f"{r['n']:,}" if r["n"] is not None else "",
                      f"{value} {r['unit']}", str(r.get("connections", "")),
                      f"{r['rps']:,.0f}" if "rps" in r else "", r["goal"] or "", met, f"{r['load']:.1f}")
    Console(width=170).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rights", type=int, default=10_000, help="rights of the register indexed in step 1")
    parser.add_argument("--events", type=int, default=30_000, help="status moves on them (≤ 3 a right)")
    parser.add_argument("--chain-read-seconds", type=float, default=None,
                        help="stop reading rights from the chain after this long (default: read all; the ratio "
                             "needs all)")
    parser.add_argument("--index-rights", type=int, default=100_000, help="rights of the index the server serves")
    parser.add_argument("--holders", type=int, default=1_000, help="small holders (half the rights; 5 hold the rest)")
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per figure")
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4], help="wrk connections (one thread)")
    parser.add_argument("--cli-runs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "index.json")
    args = parser.parse_args(argv)
    if min(args.rights, args.index_rights, args.holders, args.cli_runs) < 1 or args.events < 0:
        parser.error("counts must be positive")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    rows = Rows()
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        run(args, rows)
    except BaseException:
        if rows.rows:  # what was measured before the failure, apart from the results of a whole run
            partial = out.with_suffix(".partial.json")
            partial.write_text(json.dumps(rows.rows, indent=2) + "\n")
            print(f"the run failed; its {len(rows.rows)} figures so far are in {partial}", file=sys.stderr)
        raise
    print_table(rows.rows)
    out.write_text(json.dumps(rows.rows, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
