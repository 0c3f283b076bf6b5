"""Bulk import: a naive web3.py loop against ipledger's importer, on one node per backend.

    .venv/bin/python benchmarks/bulk.py                 # anvil 1,000 + 10,000, embedded and Ganache 1,000
    .venv/bin/python benchmarks/bulk.py --backends anvil --sizes 1000

For each backend one node is started (``ipledger.chain.connect``, default arguments), the suite
deployed and office EM added with account 1 as its registrar. For each N, N generated trade-mark
records (every ST.97 field the register keeps: holder, filing date, SHA-256 content hash, a
59-byte ipfs:// metadata URI and its hash; six holders) are filed twice, under different
application numbers:

(a) naive: the usual web3.py loop, one ``file`` transaction per record:
    ``build_transaction`` (gas estimate and fees from the node), sign, send, wait for the
    receipt (``poll_latency=0.01``, so web3's default 0.1 s sleep is not what is measured);
(b) ipledger: ``ipledger.bulk.import_records`` (state check, fileBatch, pipelined, locally
    signed, final check), exactly as ``ipledger import`` runs it.

Wall time includes everything but record generation. For N above ``--naive-full`` the naive
loop runs on a sample of ``--naive-sample`` records and its time is extrapolated linearly
(``naive_extrapolated: true``); on anvil that favours the naive loop, because anvil's cost
per block grows with the state and the naive loop makes one block per right.

Sizes run largest first (naive sample, then the importer), so the 10,000-right import sees a
chain holding only the 500-right naive sample. Anvil (automine) makes one block per
transaction and its time per block grows with the size of the state (about 5 ms on a fresh
chain, 130 ms at 12,000 rights, even for an empty block), so the same import on a chain that
already holds 2,500 rights takes about 2 s longer (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ipledger import bulk  # noqa: E402
from ipledger.sdk import IPLedger  # noqa: E402
from ipledger.domain import IPType  # noqa: E402

TARGET_SECONDS_10K = 10.0
TARGET_RATIO = 20.0


def records(n: int, holders: Sequence[str], prefix: str) -> list[bulk.Record]:
    """N trade marks with every field the register keeps; URIs are 59-byte CIDv1 ipfs:// links."""
    out = []
    for i in range(n):
        digest = hashlib.sha256(f"{prefix}{i}".encode()).hexdigest()
        out.append(bulk.Record(
            office="EM", ip_type=IPType.TRADE_MARK, application_number=f"{prefix}{i:08d}",
            filing_date=1_700_000_000 + 60 * i, holder=holders[i % len(holders)],
            content_hash=hashlib.sha256(f"mark {prefix}{i}".encode()).digest(),
            metadata_uri="ipfs://bafkrei" + digest[:45], metadata_hash=hashlib.sha256(digest.encode()).digest(),
        ))
    return out


def naive(ipl: IPLedger, recs: Sequence[bulk.Record]) -> float:
    """One ``file`` transaction per record: build (estimate, fees), sign, send, wait for the receipt."""
    w3 = ipl.w3
    account = ipl.account
    contract = w3.eth.contract(address=ipl.registry.address, abi=ipl.registry.abi)
    nonce = int(w3.eth.get_transaction_count(account.address))
    started = time.perf_counter()
    for r in recs:
        filing = (r.office.encode(), int(r.ip_type), r.holder, r.filing_date, r.content_hash, r.metadata_hash,
                  r.application_number, r.metadata_uri)
        tx = contract.functions.file(filing).build_transaction({"from": account.address,
                                                                 "nonce": nonce})  # type: ignore[typeddict-item]
        tx_hash = w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=0.01)
        if receipt["status"] != 1:
            raise SystemExit(f"naive loop: filing {r.ref} failed")
        nonce += 1
    return time.perf_counter() - started


def importer(ipl: IPLedger, recs: list[bulk.Record]) -> tuple[float, bulk.ImportReport]:
    started = time.perf_counter()
    report = bulk.import_records(ipl, recs)
    seconds = time.perf_counter() - started
    if not report.complete or report.filed != len(recs):
        raise SystemExit(f"importer: incomplete run {report}")
    return seconds, report


def run_backend(backend: str, sizes: Sequence[int], naive_full: int, naive_sample: int) -> list[dict[str, Any]]:
    rows = []
    with IPLedger.connect(backend, 0, deploy=True) as gov:
        gov.add_office("EM")
        gov.grant_registrar("EM", gov.chain.accounts[1].address)
        registrar = gov.as_account(1)
        holders = [a.address for a in gov.chain.accounts[2:8]]
        for n in sorted(sizes, reverse=True):  # largest first: see the module docstring
            sample = n if n <= naive_full else naive_sample
            naive_recs = records(sample, holders, f"N{n}-")
            print(f"{backend}: N={n:,}: naive loop on {sample:,} records ...", file=sys.stderr, flush=True)
            naive_s = naive(registrar, naive_recs) * (n / sample)
            registrar.reset_nonces()
            print(f"{backend}: N={n:,}: importer ...", file=sys.stderr, flush=True)
            ours, report = importer(registrar, records(n, holders, f"I{n}-"))
            row = {"backend": backend, "n": n, "naive_seconds": round(naive_s, 2), "naive_sample": sample,
                   "naive_extrapolated": sample != n, "ipledger_seconds": round(ours, 2),
                   "ipledger_rights_per_s": round(n / ours, 1), "ratio": round(naive_s / ours, 1),
                   "transactions": report.transactions, "naive_rights_per_s": round(n / naive_s, 1)}
            rows.append(row)
            print(f"{backend}: N={n:,}: naive {naive_s:.1f} s, ipledger {ours:.2f} s ({row['ratio']}x)",
                  file=sys.stderr, flush=True)
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Bulk import: naive web3.py loop vs ipledger import (wall time, one node per backend)")
    for col in ("backend", "N", "naive s", "naive rights/s", "ipledger s", "ipledger rights/s", "ratio (a/b)",
                "txs", "targets"):
        table.add_column(col, justify="left" if col in ("backend", "targets") else "right")
    for r in rows:
        checks = []
        if r["backend"] == "anvil" and r["n"] == 10_000:
            checks.append(f"≤ {TARGET_SECONDS_10K:.0f} s: {'yes' if r['ipledger_seconds'] <= TARGET_SECONDS_10K else 'NO'}")
        if r["backend"] == "anvil":
            checks.append(f"≥ {TARGET_RATIO:.0f}x: {'yes' if r['ratio'] >= TARGET_RATIO else 'NO'}")
        naive_s = f"{r['naive_seconds']:,.1f}" + (f" (from {r['naive_sample']:,})" if r["naive_extrapolated"] else "")
        table.add_row(r["backend"], f"{r['n']:,}", naive_s, f"{r['naive_rights_per_s']:,.1f}",
                      f"{r['ipledger_seconds']:,.2f}", f"{r['ipledger_rights_per_s']:,.0f}", f"{r['ratio']:,.1f}",
                      str(r["transactions"]), ", ".join(checks))
    Console(width=160).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["anvil", "embedded", "ganache"])
    parser.add_argument("--sizes", nargs="+", type=int, default=None,
                        help="record counts (default: 1000 10000 on anvil, 1000 elsewhere)")
    parser.add_argument("--naive-full", type=int, default=1000, help="largest N the naive loop runs in full")
    parser.add_argument("--naive-sample", type=int, default=500, help="naive sample size above --naive-full")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bulk.json")
    args = parser.parse_args(argv)
    if args.naive_sample < 500:
        parser.error("--naive-sample must be at least 500")
    rows: list[dict[str, Any]] = []
    for backend in args.backends:
        sizes = args.sizes or ([1000, 10_000] if backend == "anvil" else [1000])
        rows += run_backend(backend, sizes, args.naive_full, args.naive_sample)
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
