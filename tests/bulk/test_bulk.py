"""Bulk import and export (ipledger.bulk, `ipledger import` / `ipledger export`): validation with
every problem listed, exactly-once imports that survive SIGKILL and dropped transactions, and
byte-identical export → import → export round trips."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak, to_checksum_address

from conftest import REGISTRAR, World
from helpers import IPLEDGER, ROOT
from ipledger import bulk
from ipledger.bulk import ImportOptions, InvalidRecords, Record, StatusEvent
from ipledger.chain import Chain, connect, launch_node, stop_process
from ipledger.sdk import IPLedger
from ipledger.build.compiler import CompileResult
from ipledger.config import Config
from ipledger.deploy import deploy_suite, record_path
from ipledger.domain import IPType, Status, right_id

EXAMPLES = ROOT / "examples"
BULK_CLI = [str(IPLEDGER)]  # the installed entry point (cli.main registers ipledger.cli.bulk)
DAY = 86400
T0 = 1_700_006_400  # 2023-11-15, a UTC midnight


def _h(text: str) -> bytes:
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
            events.append(StatusEvent(Status.REGISTERED, reg_date, _h(f"decision {i}"), expiry))
        out.append(Record(office="EM" if i % 4 else "RU", ip_type=IPType.TRADE_MARK, application_number=f"{prefix}{i:07d}",
                          filing_date=T0 + i, holder=holders[i % len(holders)], content_hash=_h(f"mark {prefix}{i}"),
                          metadata_uri=f"ipfs://bafk{prefix.lower()}{i}" if uri else "",
                          metadata_hash=_h(f"meta {i}") if uri else bulk.ZERO32,
                          registration_number=reg_no, registration_date=reg_date, expiry_date=expiry,
                          events=tuple(events)))
    return out


def write_json(path: Path, records: list[Record]) -> Path:
    path.write_text(bulk.dumps(records))
    return path


# ---------------------------------------------------------------- fast signing and encoding


def test_eth_keys_backend_is_coincurve() -> None:
    from eth_keys import KeyAPI
    from eth_keys.backends import CoinCurveECCBackend

    assert isinstance(KeyAPI().backend, CoinCurveECCBackend)


@pytest.mark.parametrize("dynamic", [True, False], ids=["eip1559", "legacy"])
def test_fast_signer_makes_the_same_bytes_as_eth_account(dynamic: bool) -> None:
    from eth_account import Account

    acct = Account.from_key(keccak(text="bulk signer"))
    signer = bulk.FastSigner(acct, 31337)
    to = bytes.fromhex("5FbDB2315678afecb367f032d93F642f64180aa3")
    fees: dict[str, Any] = ({"maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9, "type": 2} if dynamic
                            else {"gasPrice": 2 * 10**9})
    for nonce, data in ((0, b""), (7, b"\x12\x00" * 300), (1234, keccak(b"x") * 9)):
        tx = {"to": to_checksum_address(to), "data": data, "gas": 123_456, "nonce": nonce, "chainId": 31337, "value": 0, **fees}
        expected = acct.sign_transaction(tx)
        raw, tx_hash = signer.sign(nonce=nonce, to=to, data=data, gas=123_456,
                                   max_fee=fees.get("maxFeePerGas"), tip=fees.get("maxPriorityFeePerGas"),
                                   gas_price=fees.get("gasPrice"))
        assert raw == bytes(expected.raw_transaction)
        assert tx_hash == bytes(expected.hash)


def test_hand_encoded_calldata_matches_web3(world: World) -> None:
    ipl = world.registrar
    holders = [world.alice.address, world.bob.address]
    recs = make_records(5, holders, uri=True) + [replace(make_records(1, holders)[0], application_number="ü-Ω 42",
                                                         metadata_uri="x" * 70)]
    fn = ipl.registry.functions
    assert bulk.encode_file_batch(recs) == bytes.fromhex(
        fn.fileBatch([ipl.filing_tuple(_filing(r)) for r in recs], True)._encode_transaction_data()[2:])
    assert bulk.encode_file(recs[0]) == bytes.fromhex(fn.file(ipl.filing_tuple(_filing(recs[0])))
                                                      ._encode_transaction_data()[2:])
    rec = recs[2]
    reg, pub = rec.events[1], rec.events[0]
    assert bulk.encode_move(rec, reg) == bytes.fromhex(fn.register(rec.right_id, rec.registration_number,
                                                                   reg.effective_date, reg.expiry_date,
                                                                   reg.document_hash)._encode_transaction_data()[2:])
    assert bulk.encode_move(rec, pub) == bytes.fromhex(fn.changeStatus(rec.right_id, 2, pub.effective_date, bulk.ZERO32)
                                                       ._encode_transaction_data()[2:])
    renewal = StatusEvent(Status.RENEWED, 0, _h("renewal"), T0 + 9000 * DAY)
    assert bulk.encode_move(rec, renewal) == bytes.fromhex(fn.renew(rec.right_id, renewal.expiry_date, _h("renewal"))
                                                           ._encode_transaction_data()[2:])
    for r in recs:
        assert r.right_id == right_id(r.office, r.ip_type, r.application_number)


def _filing(rec: Record) -> Any:
    from ipledger.sdk import Filing

    return Filing(office=rec.office, ip_type=rec.ip_type, application_number=rec.application_number,
                  holder=rec.holder, content_hash=rec.content_hash, metadata_uri=rec.metadata_uri,
                  metadata_hash=rec.metadata_hash, filing_date=rec.filing_date)


# ---------------------------------------------------------------- the schema


def test_examples_are_valid_and_canonical() -> None:
    text = (EXAMPLES / "records.json").read_text()
    records = bulk.load_records(EXAMPLES / "records.json")
    assert len(records) == 8
    assert bulk.dumps(records) == text, "examples/records.json is in canonical form"
    by_ref = {r.ref: r for r in records}
    design = by_ref["EM/ID/015012345-0001"]
    assert [e.status for e in design.events] == [Status.PUBLISHED, Status.REGISTERED, Status.RENEWED, Status.RENEWED]
    assert design.expiry_date == design.events[-1].expiry_date > design.events[1].expiry_date
    csv_records = bulk.load_records(EXAMPLES / "records.csv")
    assert [r.status.name.lower() for r in csv_records] == ["filed", "published", "registered", "opposed", "refused",
                                                          "surrendered"]
    surrendered = csv_records[-1]
    assert [e.status for e in surrendered.events] == [Status.PUBLISHED, Status.REGISTERED, Status.SURRENDERED]
    assert surrendered.events[1].effective_date == surrendered.registration_date


def test_invalid_file_lists_every_problem_with_record_numbers() -> None:
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(EXAMPLES / "invalid-records.json")
    problems = exc.value.problems
    assert sorted({p.record for p in problems}) == [2, 3, 4], "record 1 is valid, 2-4 are not"
    fields = {(p.record, p.field) for p in problems}
    assert {(2, "registrationOfficeCode"), (2, "filingDate"), (2, "holder"), (3, "legalStatusEvents[1].status"),
            (4, "applicationNumber")} <= fields
    assert exc.value.exit_code == 2
    assert "record 4, applicationNumber: EM/TM/018345678 is already record 1" in str(exc.value)


def _example(application_number: str) -> dict[str, Any]:
    records = json.loads((EXAMPLES / "records.json").read_text())["records"]
    return next(r for r in records if r["applicationNumber"] == application_number)


def test_docs_show_the_real_problem_messages_and_csv_columns() -> None:
    doc = (ROOT / "docs" / "bulk.md").read_text()
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(EXAMPLES / "invalid-records.json")
    for problem in exc.value.problems:
        assert f"  {problem}\n" in doc
    assert ",".join(bulk.CSV_COLUMNS) + "\n" in doc
    assert (EXAMPLES / "records.csv").read_text().splitlines()[0] == ",".join(bulk.CSV_COLUMNS)


@pytest.mark.parametrize("change, field, reason", [
    ({"filingDate": "15/01/2024"}, "filingDate", "is not a date"),
    ({"holder": "0x0000000000000000000000000000000000000000"}, "holder", "zero address"),
    ({"holder": "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bC"}, "holder", "not an Ethereum address"),
    ({"contentHash": "0x1234"}, "contentHash", "not a 32-byte hash"),
    ({"ipRightType": "trademark-ish"}, "ipRightType", "unknown"),
    ({"legalStatus": "registered"}, "legalStatus", "events end at published"),
    ({"applicationNumbr": "1"}, "applicationNumbr", "did you mean 'applicationNumber'"),
    ({"legalStatusEvents": [{"status": "published", "eventCode": "E10", "effectiveDate": "2024-02-15"}]},
     "legalStatusEvents[1].eventCode", "its ST.27 code is B10"),
    ({"legalStatusEvents": [{"status": "published"}]}, "legalStatusEvents[1].effectiveDate", "is missing"),
    ({"registrationNumber": "1"}, "registrationNumber", "no 'registered' event"),
])
def test_record_validation_names_field_and_reason(change: dict[str, Any], field: str, reason: str) -> None:
    good = _example("018345678")  # a published trade mark
    assert bulk.parse_document([good])[1] == []
    _, problems = bulk.parse_document([{**good, **change}])
    assert any(p.field == field and reason in p.reason for p in problems), problems


def test_renewal_needs_expiry_and_takes_no_date() -> None:
    raw = _example("015012345-0001")  # the renewed design
    raw["legalStatusEvents"][2]["effectiveDate"] = "2018-06-01"
    del raw["legalStatusEvents"][3]["expiryDate"]
    _, problems = bulk.parse_document([raw])
    assert {p.field for p in problems} >= {"legalStatusEvents[3].effectiveDate", "legalStatusEvents[4].expiryDate"}


def test_csv_problems_name_csv_columns(tmp_path: Path) -> None:
    lines = (EXAMPLES / "records.csv").read_text().splitlines()
    bad = lines[3].replace("2024-03-10", "")  # a registered row without its publication date
    bad_status = lines[1].replace(",filed,", ",renewed,")
    (tmp_path / "bad.csv").write_text("\n".join([lines[0], lines[2], bad, bad_status]) + "\n")
    with pytest.raises(InvalidRecords) as exc:
        bulk.load_records(tmp_path / "bad.csv")
    got = {(p.record, p.field) for p in exc.value.problems}
    assert got == {(2, "publicationDate"), (3, "legalStatus")}, exc.value.problems


def test_dates_round_trip_in_canonical_form() -> None:
    for text in ("2024-02-29", "1999-12-31T23:59:59Z", "2106-02-07T06:28:16Z"):
        assert bulk.format_date(bulk.parse_date(text)) == text
    assert bulk.format_date(bulk.parse_date(1_700_000_000)) == "2023-11-14T22:13:20Z"
    for bad in ("2024-02-30", "0", "tomorrow", True, 2**40):
        with pytest.raises(ValueError):
            bulk.parse_date(bad)


# ---------------------------------------------------------------- the embedded chain


def _office_registrar(world: World) -> IPLedger:
    """Account 1 (EM registrar) also registers for RU in these tests."""
    world.governor.grant_registrar("RU", world.registrar.address)
    return world.registrar


def _on_chain(ipl: IPLedger, records: list[Record]) -> dict[int, tuple[str, Status]]:
    return bulk.read_states(ipl, [r.right_id for r in records])


def test_import_on_embedded_files_and_moves_each_record_once(world: World) -> None:
    ipl = _office_registrar(world)
    records = make_records(200, [world.alice.address, world.bob.address, world.carol.address])
    report = bulk.import_records(ipl, records, ImportOptions(batch_size=50))
    assert report.complete and report.filed == 200 and report.moves == sum(len(r.events) for r in records)
    assert report.rounds == 1 and report.stalls == 0
    assert report.transactions == 4 + report.moves, "4 batches of at most 50, then one tx per move"
    states = _on_chain(ipl, records)
    assert all(states[r.right_id] == (r.holder.lower(), r.status) for r in records)
    assert bulk.dumps(bulk.export_records(ipl)) == bulk.dumps(records)

    again = bulk.import_records(ipl, records)
    assert (again.filed, again.moves, again.transactions, again.already_filed) == (0, 0, 0, 200)


def test_import_resumes_a_partial_state_without_repeating(world: World) -> None:
    ipl = _office_registrar(world)
    records = make_records(30, [world.alice.address], moves=2)
    # an earlier run filed the first 20 and published 10 of them
    ipl.file_batch([_filing(r) for r in records[:20]])
    for r in records[:10]:
        ipl.change_status(r.right_id, Status.PUBLISHED, effective_date=r.events[0].effective_date)
    report = bulk.import_records(ipl, records, ImportOptions(batch_size=8))
    assert (report.already_filed, report.filed, report.already_moved, report.moves) == (20, 10, 10, 50)
    logs = ipl.w3.eth.get_logs({"address": ipl.registry.address, "fromBlock": 0,
                                "topics": [keccak(text="RightFiled(uint256,bytes2,address,uint8,string,uint40,"
                                                       "bytes32,string,bytes32)")]})
    per_right = Counter(int.from_bytes(bytes(lg["topics"][1]), "big") for lg in logs)
    assert sorted(per_right.values()) == [1] * 30


def test_import_leaves_a_diverged_right_alone_and_reports_it(world: World) -> None:
    ipl = _office_registrar(world)
    records = make_records(3, [world.alice.address], moves=2)
    ipl.file_batch([_filing(records[1])])
    ipl.change_status(records[1].right_id, Status.REFUSED)  # the office refused it since the export
    report = bulk.import_records(ipl, records)
    assert not report.complete
    (problem,) = report.problems
    assert problem.record == 2 and "refused on chain" in problem.reason
    assert _on_chain(ipl, records)[records[1].right_id][1] is Status.REFUSED
    assert _on_chain(ipl, records)[records[2].right_id][1] is Status.REGISTERED


def test_import_on_a_paused_register_names_the_refusal_for_every_record(world: World) -> None:
    ipl = _office_registrar(world)
    records = bulk.load_records(EXAMPLES / "records.json")
    world.governor.pause()
    report = bulk.import_records(ipl, records)
    assert not report.complete and report.filed == 0 and report.rounds == 2
    assert [p.record for p in report.problems] == list(range(1, 9))
    assert all("filing refused by the register: EnforcedPause()" in p.reason for p in report.problems)
    batches_and_moves = 1 + sum(len(r.events) for r in records)
    assert report.transactions == batches_and_moves, "the second round asks the node first and sends nothing"


def test_import_by_a_non_registrar_is_refused_before_sending(world: World) -> None:
    records = make_records(3, [world.alice.address])
    nonce = world.stranger.w3.eth.get_transaction_count(world.stranger.address)
    with pytest.raises(bulk.ImportRefused, match="is not a registrar of EM"):
        bulk.import_records(world.stranger, records)
    assert world.stranger.w3.eth.get_transaction_count(world.stranger.address) == nonce


def test_export_import_export_is_byte_identical(world: World, config: Config) -> None:
    ipl = _office_registrar(world)
    ours = make_records(2, [world.alice.address], prefix="A", moves=1)[1]  # EM (recordal), published, Alice
    records = bulk.load_records(EXAMPLES / "records.json") + bulk.load_records(EXAMPLES / "records.csv") + [ours]
    assert bulk.import_records(ipl, records).complete
    # life goes on after the import: an assignment, new metadata, a status move dated by the block
    world.alice.request_assignment(ours.right_id, world.dave.address, _h("deed"))
    world.dave.accept_assignment(ours.right_id)
    ipl.record_assignment(ours.right_id)
    ipl.update_metadata(ours.right_id, "ipfs://bafk-new", _h("new metadata"))
    ipl.change_status(ours.right_id, Status.OPPOSED)
    exported = bulk.dumps(bulk.export_records(ipl))
    assert exported != bulk.dumps(records)
    doc = json.loads(exported)
    moved = next(r for r in doc["records"] if r["applicationNumber"] == ours.application_number)
    assert moved["holder"] == world.dave.address and moved["metadataURI"] == "ipfs://bafk-new"
    assert moved["legalStatusEvents"][-1]["effectiveDate"].endswith("Z"), "a block-time date keeps its seconds"
    assert "filedAt" not in exported and "blockNumber" not in exported

    with IPLedger.connect("embedded", 0, config=config, deploy=True) as fresh:
        fresh.add_office("EM")
        fresh.add_office("RU")
        fresh.grant_registrar("EM", fresh.chain.accounts[REGISTRAR].address)
        fresh.grant_registrar("RU", fresh.chain.accounts[REGISTRAR].address)
        registrar = fresh.as_account(REGISTRAR)
        report = bulk.import_records(registrar, bulk.parse_records(exported, "json"))
        assert report.complete
        assert bulk.dumps(bulk.export_records(registrar)) == exported
        assert bulk.dumps(bulk.export_records(registrar, "RU")) == bulk.dumps(
            [r for r in bulk.parse_records(exported, "json") if r.office == "RU"])


# ---------------------------------------------------------------- anvil


@dataclass
class Node:
    """An anvil with the suite deployed (record in deployments/), offices EM and RU, account 1 their registrar."""

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


def _start_node(config: Config, artifacts: CompileResult) -> Iterator[Node]:
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
        for office in ("EM", "RU"):
            gov.add_office(office)
            gov.grant_registrar(office, chain.accounts[REGISTRAR].address)
        yield Node(url=url, chain=chain, ipl=gov.as_account(REGISTRAR), proc=proc)
    finally:
        if chain is not None:
            chain.close()
        stop_process(proc)
        record.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def node(config: Config, artifacts: CompileResult) -> Iterator[Node]:
    yield from _start_node(config, artifacts)


@pytest.fixture
def own_node(config: Config, artifacts: CompileResult) -> Iterator[Node]:
    yield from _start_node(config, artifacts)


def _filed_counts(ipl: IPLedger) -> Counter[int]:
    topic = bulk._event_topics(ipl)["RightFiled"]
    logs = bulk.get_logs_chunked(ipl.w3, ipl.registry.address, ["0x" + topic.hex()], 0, ipl.w3.eth.block_number)
    return Counter(int.from_bytes(lg.topics[1], "big") for lg in logs)


def _assert_exactly_once(ipl: IPLedger, records: list[Record]) -> None:
    filed = _filed_counts(ipl)
    assert all(filed[r.right_id] == 1 for r in records), "every record filed exactly once"
    states = _on_chain(ipl, records)
    wrong = [r.ref for r in records if states[r.right_id] != (r.holder.lower(), r.status)]
    assert wrong == []
    topic = bulk._event_topics(ipl)["StatusChanged"]
    logs = bulk.get_logs_chunked(ipl.w3, ipl.registry.address, ["0x" + topic.hex()], 0, ipl.w3.eth.block_number)
    moves = Counter(int.from_bytes(lg.topics[1], "big") for lg in logs)
    assert all(moves[r.right_id] == 1 + len(r.events) for r in records), "each status event recorded once"


@pytest.mark.nodes
def test_cli_import_and_export_on_anvil(node: Node, tmp_path: Path) -> None:
    records = make_records(300, node.holders, prefix="C", uri=True)
    src = write_json(tmp_path / "records.json", records)
    res = node.cli("import", str(src), "--network", node.url, "--account", "1", "--batch-size", "64", "--json",
                   "--journal", str(tmp_path / "import.journal"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["complete"] and out["filed"] == 300 and out["moves"] == 300 and out["transactions"] == 5 + 300
    journal = bulk.Journal.read(tmp_path / "import.journal")
    assert [e["event"] for e in journal][:2] == ["start", "round"] and journal[-1]["event"] == "done"
    assert sum(e["event"] == "sent" for e in journal) == 305
    _assert_exactly_once(node.ipl, records)

    exported = node.cli("export", "-", "--network", node.url, "--office", "EM")
    assert exported.returncode == 0, exported.stderr
    em = [r for r in bulk.parse_records(exported.stdout, "json") if r.application_number.startswith("C")]
    assert bulk.dumps(em) == bulk.dumps([r for r in records if r.office == "EM"])

    again = node.cli("import", str(src), "--network", node.url, "--account", "1", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["transactions"] == 0


@pytest.mark.nodes
def test_cli_import_csv_example_and_text_output(node: Node) -> None:
    res = node.cli("import", str(EXAMPLES / "records.csv"), "--network", node.url, "--account", "1")
    assert res.returncode == 0, res.stderr
    assert "rights filed now" in res.stdout and "6" in res.stdout
    assert "actions" in res.stderr, "the progress bar goes to stderr"
    _assert_exactly_once(node.ipl, bulk.load_records(EXAMPLES / "records.csv"))


@pytest.mark.nodes
def test_cli_rejects_bad_records_with_exit_2_and_files_nothing(node: Node) -> None:
    before = node.chain.w3.eth.get_transaction_count(node.ipl.address)
    res = node.cli("import", str(EXAMPLES / "invalid-records.json"), "--network", node.url, "--account", "1")
    assert res.returncode == 2, res.stderr
    for n in (2, 3, 4):
        assert f"record {n}," in res.stderr
    assert "record 1," not in res.stderr and "nothing was sent" in res.stderr
    assert node.chain.w3.eth.get_transaction_count(node.ipl.address) == before
    assert not node.ipl.exists(right_id("EM", "TM", "018345678")), "not even the valid record was filed"
    dry = node.cli("import", str(EXAMPLES / "records.json"), "--dry-run", "--json")
    assert dry.returncode == 0 and json.loads(dry.stdout)["records"] == 8
    bad_dry = node.cli("import", str(EXAMPLES / "invalid-records.json"), "--dry-run")
    assert bad_dry.returncode == 2


@pytest.mark.nodes
def test_cli_help_has_examples(node: Node) -> None:
    for cmd in ("import", "export"):
        res = node.cli(cmd, "--help")
        assert res.returncode == 0 and "Example" in res.stdout


@pytest.mark.nodes
def test_state_reader_by_state_override_matches_plain_calls(node: Node) -> None:
    records = make_records(7, node.holders, prefix="R")
    assert bulk.import_records(node.ipl, records).complete
    ids = [r.right_id for r in records] + [right_id("EM", "TM", "never-filed"), 1, 2**256 - 1]
    ipl = node.ipl
    fast = bulk._reader_states(ipl.w3, ipl.address, ipl.registry.address, ids, chunk=4)
    slow = bulk.batch_calls(ipl.w3, ipl.address, ipl.registry.address,
                            [bulk.selector(bulk.HOLDER_AND_STATUS_SIG) + i.to_bytes(32, "big") for i in ids])
    assert len(fast) == len(ids) and fast == slow
    states = bulk.read_states(ipl, ids)
    assert [states[r.right_id] for r in records] == [(r.holder.lower(), r.status) for r in records]
    assert states[ids[-1]] == ("0x" + "00" * 20, Status.NONE)


@pytest.mark.nodes
def test_batch_out_of_gas_is_planned_again_with_an_estimate(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    records = make_records(40, node.holders, prefix="G", moves=1)
    monkeypatch.setattr(bulk, "FILE_EXEC_GAS", 20_000)  # a cost model that is far too low
    monkeypatch.setattr(bulk, "NEW_HOLDER_GAS", 0)
    report = bulk.import_records(node.ipl, records, ImportOptions(batch_size=20))
    assert report.complete and report.rounds == 2, report
    _assert_exactly_once(node.ipl, records)


@pytest.mark.nodes
def test_sigkill_mid_import_then_rerun_files_everything_exactly_once(own_node: Node, tmp_path: Path) -> None:
    records = make_records(500, own_node.holders, prefix="K", moves=2)
    src = write_json(tmp_path / "records.json", records)
    args = ["import", str(src), "--network", own_node.url, "--account", "1", "--batch-size", "20", "--no-progress",
            "--json", "--journal", str(tmp_path / "import.journal")]
    proc = subprocess.Popen([*BULK_CLI, *args], cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    ipl = own_node.ipl
    published = bulk._event_topics(ipl)["StatusChanged"]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            moved = bulk.get_logs_chunked(ipl.w3, ipl.registry.address, ["0x" + published.hex()], 0,
                                          ipl.w3.eth.block_number)
            if len(moved) >= 500 + 150:  # every filing and 150 publications are in: kill it mid-way
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the import ended before it could be killed; make it bigger"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close() if proc.stdout else None
        proc.stderr.close() if proc.stderr else None
    assert proc.returncode == -signal.SIGKILL
    states = _on_chain(ipl, records)
    partial = sum(states[r.right_id][1] is Status.REGISTERED for r in records)
    assert partial < len(records), "killed before the end"

    res = subprocess.run([*BULK_CLI, *args], cwd=str(ROOT), capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["complete"] and out["already_filed"] == 500 and out["filed"] == 0
    assert out["already_moved"] + out["moves"] == 1000 and out["moves"] > 0
    _assert_exactly_once(ipl, records)
    runs = [e for e in bulk.Journal.read(tmp_path / "import.journal") if e["event"] == "start"]
    assert len(runs) == 2 and runs[1]["earlier_sent"] > 0


@pytest.mark.nodes
def test_dropped_transaction_is_detected_and_the_rest_resent(own_node: Node) -> None:
    w3 = own_node.chain.w3
    records = make_records(60, own_node.holders, prefix="D", moves=2)
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    paused, stop = threading.Event(), threading.Event()
    lock = threading.Lock()

    def miner() -> None:  # a block every 50 ms, unless paused
        while not stop.is_set():
            with lock:
                if not paused.is_set():
                    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            time.sleep(0.05)

    dropped: list[str] = []
    sent: list[str] = []

    def on_sent(tx_hash: bytes, nonce: int, kind: str) -> None:
        sent.append(kind)
        if kind == "move" and sent.count("move") == 39:
            with lock:
                paused.set()  # the next move stays pending ...
        elif paused.is_set() and not dropped:
            with lock:  # ... and is dropped from the mempool, as a node under pressure would
                res = w3.provider.make_request("anvil_dropTransaction", ["0x" + tx_hash.hex()])  # type: ignore
                dropped.append(res.get("result"))
            paused.clear()

    thread = threading.Thread(target=miner, daemon=True)
    thread.start()
    try:
        report = bulk.import_records(own_node.ipl, records, ImportOptions(batch_size=25, receipt_timeout=3, window=16),
                                     on_sent=on_sent)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert dropped and dropped[0] is not None, "the transaction was dropped"
    assert report.complete and report.stalls == 1 and report.rounds == 2, report
    _assert_exactly_once(own_node.ipl, records)
    assert w3.eth.get_transaction_count(own_node.ipl.address, "pending") == w3.eth.get_transaction_count(
        own_node.ipl.address, "latest"), "nothing stale is left in the mempool"


@pytest.mark.nodes
def test_stale_transactions_of_an_earlier_run_are_replaced_and_never_run(own_node: Node, tmp_path: Path) -> None:
    w3, ipl = own_node.chain.w3, own_node.ipl
    signer = bulk.FastSigner(ipl.account, own_node.chain.chain_id)
    mined = w3.eth.get_transaction_count(ipl.address, "latest")
    # an earlier run (killed) sent nonces mined+1 .. mined+3, but the one at `mined` was dropped: they wait
    sink = bytes.fromhex("00000000000000000000000000000000000b0b0b")
    journal = tmp_path / "import.journal"
    entries = [{"event": "start", "account": ipl.address, "chain_id": signer.chain_id}]
    for nonce in range(mined + 1, mined + 4):
        raw, tx_hash = signer.sign(nonce=nonce, to=sink, data=b"", gas=21_000, value=1, max_fee=10**10, tip=10**9)
        w3.eth.send_raw_transaction(raw)
        entries.append({"event": "sent", "nonce": nonce, "tx": "0x" + tx_hash.hex()})
    journal.write_text("".join(json.dumps(e) + "\n" for e in entries))
    assert w3.eth.get_transaction_count(ipl.address, "pending") == mined, "the node shows none of them"

    records = make_records(1, own_node.holders, prefix="S", moves=0)  # one transaction, fewer than the stale ones
    report = bulk.import_records(ipl, records, ImportOptions(journal=journal, receipt_timeout=2))
    assert report.complete and report.stalls == 1 and report.transactions == 4, report
    assert w3.eth.get_transaction_count(ipl.address, "latest") == mined + 4
    assert w3.eth.get_balance(w3.to_checksum_address(sink)) == 0, "no stale transaction ran"
    _assert_exactly_once(ipl, records)
    kinds = [e.get("kind") for e in bulk.Journal.read(journal) if e["event"] == "sent"][3:]
    assert sorted(kinds) == ["cancel", "cancel", "cancel", "file"]
