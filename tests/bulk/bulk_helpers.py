"""Shared pieces of the bulk tests: generated records, anvil nodes with the suite deployed, the exactly-once check.

(tests/conftest.py stays the only conftest.py of the suite, so the node fixtures are made in the test module
from ``start_node``.)
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import REGISTRAR, World
from helpers import IPLEDGER, ROOT, RU_ADMIN
from ipledger import bulk
from ipledger.abi import ContractCodec
from ipledger.build.compiler import CompileResult
from ipledger.bulk import Record, StatusEvent
from ipledger.chain import Chain, connect, launch_node, stop_process
from ipledger.config import Config
from ipledger.deploy import deploy_suite, record_path
from ipledger.domain import IPType, Status
from ipledger.rpc import get_logs
from ipledger.sdk import IPLedger
from ipledger.types import ZERO32

EXAMPLES = ROOT / "examples"
BULK_CLI = [str(IPLEDGER)]  # the installed entry point (cli.main registers ipledger.cli.bulk)
DAY = 86400
T0 = 1_700_006_400  # 2023-11-15, a UTC midnight


def sha(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def make_records(n: int, holders: list[str], *, prefix: str = "B", moves: int | None = None,
                 uri: bool = False) -> list[Record]:
    """``n`` trade marks; record i gets i % 3 status moves (published, then registered) unless ``moves`` says."""
    out = []
    for i in range(n):
        k = i % 3 if moves is None else moves
        events: list[StatusEvent] = []
        reg_no, reg_date, expiry = "", 0, 0
        if k >= 1:
            events.append(StatusEvent(Status.PUBLISHED, T0 + 30 * DAY))
        if k >= 2:
            reg_no, reg_date, expiry = f"R{prefix}{i}", T0 + 200 * DAY, T0 + 3850 * DAY
            events.append(StatusEvent(Status.REGISTERED, reg_date, sha(f"decision {i}"), expiry))
        out.append(Record(office="EM" if i % 4 else "RU", ip_type=IPType.TRADE_MARK, application_number=f"{prefix}{i:07d}",
                          filing_date=T0 + i, holder=holders[i % len(holders)], content_hash=sha(f"mark {prefix}{i}"),
                          metadata_uri=f"ipfs://bafk{prefix.lower()}{i}" if uri else "",
                          metadata_hash=sha(f"meta {i}") if uri else ZERO32,
                          registration_number=reg_no, registration_date=reg_date, expiry_date=expiry,
                          events=tuple(events)))
    return out


def write_json(path: Path, records: list[Record]) -> Path:
    path.write_text(bulk.dumps(records))
    return path


def filing_of(rec: Record) -> Any:
    """The SDK's ``Filing`` for a record (to file it the SDK's way, or encode it the web3 way)."""
    from ipledger.sdk import Filing

    return Filing(office=rec.office, ip_type=rec.ip_type, application_number=rec.application_number,
                  holder=rec.holder, content_hash=rec.content_hash, metadata_uri=rec.metadata_uri,
                  metadata_hash=rec.metadata_hash, filing_date=rec.filing_date)


def office_registrar(world: World) -> IPLedger:
    """Account 1 (EM registrar) also registers for RU in these tests (RU's admin names it)."""
    world.ru_admin.grant_registrar("RU", world.registrar.address)
    return world.registrar


def on_chain(ipl: IPLedger, records: list[Record]) -> dict[int, tuple[str, Status]]:
    return bulk.read_states(ipl, [r.right_id for r in records])


def event_counts(ipl: IPLedger, event: str) -> Counter[int]:
    """How many ``event`` logs each right has (by its indexed right id)."""
    topic = ContractCodec(ipl.registry.abi).event_topic(event)
    logs = get_logs(ipl.w3, ipl.registry.address, [topic], 0, ipl.w3.eth.block_number)
    return Counter(int.from_bytes(lg.topics[1], "big") for lg in logs)


def assert_exactly_once(ipl: IPLedger, records: list[Record]) -> None:
    filed = event_counts(ipl, "RightFiled")
    assert all(filed[r.right_id] == 1 for r in records), "every record filed exactly once"
    states = on_chain(ipl, records)
    wrong = [r.ref for r in records if states[r.right_id] != (r.holder.lower(), r.status)]
    assert wrong == []
    moves = event_counts(ipl, "StatusChanged")
    assert all(moves[r.right_id] == 1 + len(r.events) for r in records), "each status event recorded once"


# ---------------------------------------------------------------- anvil


@dataclass
class Node:
    """An anvil with the suite deployed (record in deployments/), the dev council's offices (EM, RU, US), account 1
    the registrar of EM and RU."""

    url: str
    chain: Chain
    ipl: IPLedger  # account 1
    proc: subprocess.Popen[bytes]

    @property
    def holders(self) -> list[str]:
        return [a.address for a in self.chain.accounts[2:6]]

    def cli(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*BULK_CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=str(ROOT),
                              env={**os.environ, "COLUMNS": "160"})


def start_node(config: Config, artifacts: CompileResult) -> Iterator[Node]:
    chain_id = random.randint(900_000, 999_999)
    while record_path(config, chain_id).exists():
        chain_id = random.randint(900_000, 999_999)
    proc, url = launch_node(config, "anvil", chain_id)
    record = record_path(config, chain_id)
    chain = None
    try:
        chain = connect(url, config)
        governor = chain.accounts[0]
        deploy_suite(chain, governor, artifacts, config=config, persist=True)
        gov = IPLedger.connect(chain=chain, account=0, config=config)
        # the deployment seeded the dev council's EM (its admin account 0) and RU (RU_ADMIN); each admin names
        # account 1 its registrar
        for office, admin in (("EM", 0), ("RU", RU_ADMIN)):
            gov.as_account(admin).grant_registrar(office, chain.accounts[REGISTRAR].address)
        yield Node(url=url, chain=chain, ipl=gov.as_account(REGISTRAR), proc=proc)
    finally:
        if chain is not None:
            chain.close()
        stop_process(proc)
        record.unlink(missing_ok=True)
