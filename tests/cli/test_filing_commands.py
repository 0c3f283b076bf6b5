"""The office-accorded filing flow, legal events and anchors on the command line (issue #12, items 1, 5 and 7).

``apply`` (the applicant asks), ``accord`` / ``refuse`` (the office), ``withdraw-request``, ``request``,
``register`` (the office files for a holder), ``correct filing-date``, ``office codes set|show``, ``show`` and
``history`` with ST.27 codes and anchor roles, and ``import`` with conflicts. Run in process on the module's
embedded world: ``Session.connect`` hands each command the client of the role that types it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from helpers import World
from ipledger import bulk, domain
from ipledger.cli import cli
from ipledger.cli.context import Session
from ipledger.sdk import IPLedger

REF = "EM/TM/018234567"
HASH = "0x" + "ab" * 32
ROOT = Path(__file__).resolve().parents[2]


def run(monkeypatch: pytest.MonkeyPatch, client: IPLedger, *args: str) -> Result:
    """``ipledger ARGS`` typed by ``client``'s account."""
    monkeypatch.setattr(Session, "connect", lambda self: client)
    return CliRunner().invoke(cli, list(args))


def ok(monkeypatch: pytest.MonkeyPatch, client: IPLedger, *args: str) -> Any:
    res = run(monkeypatch, client, *args, "--json")
    assert res.exit_code == 0, res.output + res.stderr
    return json.loads(res.stdout)


def refused(monkeypatch: pytest.MonkeyPatch, client: IPLedger, code: int, *args: str) -> str:
    res = run(monkeypatch, client, *args)
    lines = [line for line in res.stderr.strip().splitlines() if line.strip()]
    assert res.exit_code == code, res.output + res.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    return lines[0]


# ---------------------------------------------------------------- apply -> accord


def test_apply_then_accord_files_the_right_for_the_applicant(world: World, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    mark = tmp_path / "mark.txt"
    mark.write_text("ACME word mark")
    asked = ok(monkeypatch, world.alice, "apply", "EM", "TM", "--content", str(mark))
    assert asked["request_id"] == 1 and asked["requested_at"].endswith("UTC")
    res = run(monkeypatch, world.alice, "request", "1")
    assert res.exit_code == 0 and "pending" in res.stdout and world.alice.address in res.stdout
    accorded = ok(monkeypatch, world.registrar, "accord", "1", "018234567")
    assert accorded["right_id"] == domain.format_right_id(domain.right_id("EM", "TM", "018234567"))
    shown = ok(monkeypatch, world.stranger, "show", REF)
    assert (shown["holder"], shown["status"], shown["st27_state"]) == (world.alice.address, "filed", "pending")
    assert ok(monkeypatch, world.alice, "request", "1")["state"] == "accorded"


def test_accord_by_the_applicant_is_refused_not_registrar(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "apply", "EM", "TM")
    line = refused(monkeypatch, world.alice, 1, "accord", "1", "018234567")
    assert "NotRegistrar" in line and world.alice.address.lower() in line.lower()


def test_refuse_and_withdraw_request(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "apply", "EM", "TM")
    ok(monkeypatch, world.alice, "apply", "EM", "TM")
    assert ok(monkeypatch, world.registrar, "refuse", "1", "--reason-hash", HASH)["request_id"] == 1
    assert "NotApplicant" in refused(monkeypatch, world.bob, 1, "withdraw-request", "2")
    ok(monkeypatch, world.alice, "withdraw-request", "2")
    assert [ok(monkeypatch, world.alice, "request", n)["state"] for n in ("1", "2")] == ["refused", "withdrawn"]
    assert "RequestNotPending" in refused(monkeypatch, world.registrar, 1, "accord", "2", "1")


# ---------------------------------------------------------------- register: the office files for a holder


def test_register_by_the_office_for_a_holder(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ok(monkeypatch, world.registrar, "register", "EM", "TM", "018234567", "--holder", world.alice.address,
              "--filing-date", "2024-01-15")
    assert data["ref"] == REF
    assert world.ipl.right(domain.right_id("EM", "TM", "018234567")).filing_date == 1_705_276_800


def test_register_by_an_applicant_for_itself_is_refused_not_registrar(world: World,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    line = refused(monkeypatch, world.alice, 1, "register", "EM", "TM", "018234567", "--holder", world.alice.address)
    assert line.startswith("error: NotRegistrar(") and "EM" in line


def test_register_without_holder_is_a_usage_error(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--holder" in refused(monkeypatch, world.registrar, 2, "register", "EM", "TM", "1")


@pytest.mark.parametrize("value,hint", [("20240101", "write the date as 2024-01-01"),
                                        ("1700000000", "not unix seconds")])
def test_bare_integer_filing_date_is_refused_with_the_iso_hint(world: World, monkeypatch: pytest.MonkeyPatch,
                                                               value: str, hint: str) -> None:
    line = refused(monkeypatch, world.registrar, 2, "register", "EM", "TM", "1", "--holder", world.alice.address,
                   "--filing-date", value)
    assert hint in line


@pytest.mark.parametrize("number", ["1" * 10_000, "018234567\u200b", "\u202e765432810", "\uff10\uff11\uff18"])
def test_malformed_application_numbers_are_refused_before_connecting(world: World, monkeypatch: pytest.MonkeyPatch,
                                                                     number: str) -> None:
    line = refused(monkeypatch, world.registrar, 2, "register", "EM", "TM", number, "--holder", world.alice.address)
    assert "application number" in line and len(line) < 400
    assert "\u200b" not in line and "\u202e" not in line


# ---------------------------------------------------------------- corrections and codes


def test_correct_filing_date_is_a_recorded_y_event_in_history(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.file("018234567", filing_date=1_705_276_800)
    ok(monkeypatch, world.registrar, "correct", "filing-date", REF, "2024-01-10", "--document-hash", HASH)
    hist = ok(monkeypatch, world.stranger, "history", REF)
    corrected = [e for e in hist["legal_events"] if e["kind"] == "filing_date_corrected"]
    assert [(e["key_event_code"], e["national_code"]) for e in corrected] == [("Y10", "Y10")]
    assert "NotRegistrar" in refused(monkeypatch, world.alice, 1, "correct", "filing-date", REF, "2024-01-01")


def test_office_codes_set_and_show_and_history_columns(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.governor, "office", "codes", "set", "EM", "F10", "EM-REG")  # the office's admin
    rows = ok(monkeypatch, world.stranger, "office", "codes", "show", "EM")
    registered = next(r for r in rows if r["event"] == "registered")
    assert (registered["key_event_code"], registered["national_code"]) == ("F10", "EM-REG")
    assert len(rows) == len(domain.LegalEvent)
    world.file_registered("018234567")
    res = run(monkeypatch, world.stranger, "history", REF)
    assert res.exit_code == 0, res.stderr
    assert "Legal events (WIPO ST.27)" in res.stdout and "F IP right granted" in res.stdout
    assert "EM-REG" in res.stdout and "Q document published" in res.stdout
    table = run(monkeypatch, world.stranger, "office", "codes", "show", "EM")
    assert "EM-REG" in table.stdout and "Y event information corrected or deleted" in table.stdout
    assert "NotOfficeAdmin" in refused(monkeypatch, world.ru_registrar, 1, "office", "codes", "set", "EM", "F10", "X")
    assert "NotOfficeAdmin" in refused(monkeypatch, world.registrar, 1, "office", "codes", "set", "EM", "F10", "X")
    assert "legal event" in refused(monkeypatch, world.registrar, 2, "office", "codes", "set", "EM", "granted", "X")
    assert "national code" in refused(monkeypatch, world.registrar, 2, "office", "codes", "set", "EM", "F10", "A B")


# ---------------------------------------------------------------- anchors by role


def test_show_and_history_tell_third_party_anchors_apart(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rid = world.file_registered("018234567")
    world.alice.anchor(rid, "0x" + "01" * 32, "deed")
    world.registrar.anchor(rid, "0x" + "02" * 32, "decision")
    for i in range(40):
        world.stranger.anchor(rid, "0x" + f"{i + 16:064x}", "court-order")
    shown = ok(monkeypatch, world.bob, "show", REF)
    roles = [a["role"] for a in shown["anchors"]]
    assert roles[:2] == ["holder", "office"] and roles[2:] == ["third_party"] * 40
    res = run(monkeypatch, world.bob, "show", REF)
    assert res.exit_code == 0 and res.stdout.count("third party (no standing)") == 40
    hist = run(monkeypatch, world.bob, "history", REF)
    assert "Anchored documents" in hist.stdout and hist.stdout.count("third party (no standing)") == 40


# ---------------------------------------------------------------- import: conflicts end to end


def test_import_with_a_conflict_exits_1_and_lists_it_then_skip_conflicts_exits_0(
        world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Issue #12: "already on chain with another holder: 1, problems: 0" and exit 0 was the old answer. Now the
    conflict is listed, nothing is filed or moved for it, and the command fails unless --skip-conflicts."""
    world.governor.grant_registrar("RU", world.registrar.address)
    records = bulk.load_records(ROOT / "examples" / "records.json")
    target = records[1]
    world.registrar.file(target.office, target.ip_type, target.application_number, holder=world.stranger.address,
                         filing_date=target.filing_date, content_hash=target.content_hash)
    res = run(monkeypatch, world.registrar, "import", str(ROOT / "examples" / "records.json"), "--no-progress")
    assert res.exit_code == 1, res.output + res.stderr
    conflicts = [line for line in res.stderr.splitlines() if line.startswith("conflict: ")]
    assert len(conflicts) == 1 and f"record 2, holder: {target.ref}" in conflicts[0]
    assert res.stderr.strip().splitlines()[-1].startswith("error: 1 record(s) conflict")
    assert world.ipl.right(target.right_id).status is domain.Status.FILED, "not published or registered"
    assert world.ipl.right(records[0].right_id).holder == records[0].holder, "the other records were imported"
    again = run(monkeypatch, world.registrar, "import", str(ROOT / "examples" / "records.json"), "--no-progress",
                "--skip-conflicts", "--json")
    assert again.exit_code == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["complete"] and data["filed"] == 0 and len(data["conflicts"]) == 1
