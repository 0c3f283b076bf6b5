"""Input integrity of record files and exports (issue #12, item 6).

Reproduces the findings: duplicate JSON keys silently won; 100k-deep nested JSON crashed with "internal error:
RecursionError"; a file that is not a regular file was "missing"; CSV cells starting with ``= + - @`` went to
spreadsheets as formulas; an export run while an import was sending blamed "the node's event index".
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulk_helpers import make_records, office_registrar, sha
from conftest import World
from ipledger import bulk
from ipledger.bulk import InvalidRecords, StatusEvent
from ipledger.bulk import export as export_module
from ipledger.bulk.csvform import guard, unguard
from ipledger.cli import cli
from ipledger.cli.context import Session
from ipledger.domain import Status
from ipledger.errors import IPLedgerError, UsageError

HOLDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
RECORD = ('{{"registrationOfficeCode": "EM", "ipRightType": "TM", "applicationNumber": "{number}", '
          '"filingDate": "2024-01-02", "holder": "{holder}"{extra}}}')


def _problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(InvalidRecords) as exc:
        bulk.parse_records(text, "json", source="t.json")
    return [(p.record, p.field, p.reason) for p in exc.value.problems]


# ---------------------------------------------------------------- JSON: duplicate keys, nesting


def test_a_key_given_twice_is_a_problem_naming_the_record_and_the_key() -> None:
    twice = "is given more than once in the same object (JSON would keep only the last); give each field once"
    first = RECORD.format(number="1", holder=HOLDER, extra=', "legalStatusEvents": [{"status": "published", '
                          '"effectiveDate": "2024-02-01", "effectiveDate": "2024-03-01"}]')
    second = RECORD.format(number="2", holder=HOLDER, extra=f', "holder": "{HOLDER.lower()}"')
    text = f'{{"format": "ipledger-bulk", "format": "ipledger-bulk", "records": [{first}, {second}]}}'
    assert _problems(text) == [(0, "format", twice), (1, "legalStatusEvents[1].effectiveDate", twice),
                               (2, "holder", twice)]
    assert len(bulk.parse_records(f'{{"records": [{RECORD.format(number="1", holder=HOLDER, extra="")}]}}',
                                  "json")) == 1


@pytest.mark.parametrize("shape", ["[", '{"a": '])
def test_deeply_nested_json_is_one_problem_not_a_crash(shape: str) -> None:
    """Also once py_ecc (imported by the SDK's signing stack) has raised the recursion limit to 100,000, where
    Python's JSON reader would overflow the C stack and kill the interpreter instead of raising RecursionError."""
    import sys

    import py_ecc  # noqa: F401 - sets sys.setrecursionlimit(100_000) when imported

    assert sys.getrecursionlimit() >= 100_000
    closing = "]" if shape == "[" else "}"
    text = shape * 100_000 + "1" + closing * 100_000
    ((record, field, why),) = _problems(text)
    assert (record, field) == (0, "JSON") and "nests arrays and objects more than 64 deep" in why


@pytest.mark.parametrize("kind", ["dev-null", "fifo", "directory", "missing"])
def test_a_record_file_that_is_not_a_regular_file_says_what_it_is(tmp_path: Path, kind: str) -> None:
    path = {"dev-null": Path("/dev/null"), "fifo": tmp_path / "pipe", "directory": tmp_path,
            "missing": tmp_path / "gone.json"}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    words = {"dev-null": "is a character device, not a regular file", "fifo": "is a named pipe (FIFO), not a regular "
             "file", "directory": "is a directory", "missing": "does not exist"}[kind]
    with pytest.raises(UsageError, match=re.escape(words)) as exc:
        bulk.load_records(path)
    assert "\n" not in str(exc.value) and "(.json or .csv, see examples/)" in str(exc.value)


# ---------------------------------------------------------------- CSV: formula cells


def _formula_records() -> list[bulk.Record]:
    base = make_records(5, [HOLDER], prefix="F", moves=2)
    values = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+1-2", "-42", "@SUM(A1:A9)", "'=already-quoted"]
    return [replace(rec, metadata_uri=value if i % 2 == 0 else "", registration_number=value)
            for i, (rec, value) in enumerate(zip(base, values))]


def test_guard_and_unguard_are_inverse_and_only_touch_formula_cells() -> None:
    for cell in ("=1+1", "+1", "-1", "@x", "\t=1", "\r=1", "'=1", "''+1", "plain", "", "'plain", "a=b", "0x12"):
        assert unguard(guard(cell)) == cell
    assert [guard(c) for c in ("=1+1", "-1", "@x", "'=1", "plain", "'plain")] == \
        ["'=1+1", "'-1", "'@x", "''=1", "plain", "'plain"]


def test_csv_export_neutralises_formula_cells_and_the_import_reads_them_back() -> None:
    records = _formula_records()
    text = bulk.dumps_csv(records)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], "a cell a spreadsheet would run"
    assert "'=HYPERLINK(" in text and "'-42" in text and "''=already-quoted" in text
    back = bulk.parse_records(text, "csv")
    assert back == sorted(records, key=bulk.Record.sort_key)
    assert bulk.dumps_csv(back) == text, "export → import → export gives the same bytes"


def test_csv_export_refuses_a_history_one_row_cannot_carry() -> None:
    (rec,) = make_records(1, [HOLDER], prefix="R", moves=2)
    renewed = replace(rec, events=(*rec.events, StatusEvent(Status.RENEWED, 0, sha("renewal"), rec.expiry_date + 1)),
                      expiry_date=rec.expiry_date + 1)
    with pytest.raises(UsageError, match=r"1 record\(s\) have a history one CSV row cannot carry: "
                                         r"RU/TM/R0000000 \(filed → published → registered → renewed\); nothing was "
                                         r"written. Export as JSON"):
        bulk.dumps_csv([rec, renewed])


def test_csv_export_of_the_register_reads_back_the_guarded_cells(world: World, monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    ipl = office_registrar(world)
    records = _formula_records()
    assert bulk.import_records(ipl, records).complete
    monkeypatch.setattr(Session, "connect", lambda self: ipl)
    out = tmp_path / "register.csv"
    res = CliRunner().invoke(cli, ["export", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text() == bulk.dumps_csv(records)
    assert bulk.load_records(out) == sorted(records, key=bulk.Record.sort_key)
    res = CliRunner().invoke(cli, ["export", "-", "--format", "csv", "--office", "RU"])
    assert res.exit_code == 0 and res.stdout == bulk.dumps_csv([r for r in records if r.office == "RU"])


# ---------------------------------------------------------------- export while the register changes


def test_an_export_during_an_import_says_the_register_changed(world: World, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    ipl = office_registrar(world)
    records = make_records(3, [HOLDER], prefix="X", moves=0)
    assert bulk.import_records(ipl, records).complete
    real = export_module.read_states
    moving = iter(records)

    def read_while_an_import_moves(client, right_ids, **kw):  # type: ignore[no-untyped-def]
        ipl.publish(next(moving).right_id)  # another process moves a status between the two reads
        return real(client, right_ids, **kw)

    monkeypatch.setattr(export_module, "read_states", read_while_an_import_moves)
    with pytest.raises(IPLedgerError) as exc:
        bulk.export_records(ipl)
    message = str(exc.value)
    assert "the register changed while it was read" in message and "Run the export again" in message
    assert "event index" not in message and "\n" not in message
    # the CLI: one line, exit 1, nothing written
    monkeypatch.setattr(Session, "connect", lambda self: ipl)
    out = tmp_path / "register.json"
    res = CliRunner().invoke(cli, ["export", str(out)])
    assert res.exit_code == 1 and not out.exists()
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith("error: ") and "the register changed while it was read" in line


def test_an_export_on_a_chain_that_stood_still_still_blames_the_event_index(world: World,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ipl = office_registrar(world)
    records = make_records(1, [HOLDER], prefix="Y", moves=0)
    assert bulk.import_records(ipl, records).complete
    monkeypatch.setattr(export_module, "read_states",
                        lambda client, ids, **kw: {rid: (HOLDER.lower(), Status.PUBLISHED) for rid in ids})
    with pytest.raises(IPLedgerError, match="the node's event index looks incomplete"):
        bulk.export_records(ipl)


def test_a_uri_in_a_record_follows_the_sdk_rule() -> None:
    bad = RECORD.format(number="1", holder=HOLDER, extra=', "metadataURI": "ipfs://a\\u202egpj.exe"')
    ((record, field, why),) = _problems(f'{{"records": [{bad}]}}')
    assert (record, field) == (1, "metadataURI") and "U+202E (RIGHT-TO-LEFT OVERRIDE)" in why
    spaced = RECORD.format(number="1", holder=HOLDER, extra=', "metadataURI": " ipfs://a "')
    assert bulk.parse_records(f'{{"records": [{spaced}]}}', "json")[0].metadata_uri == "ipfs://a", \
        "surrounding blanks of a field are formatting, as for every field of a record"



def test_a_csv_export_that_cannot_carry_a_history_writes_nothing(world: World, monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    ipl = office_registrar(world)
    (rec,) = make_records(1, [HOLDER], prefix="Z", moves=2)
    renewed = replace(rec, events=(*rec.events, StatusEvent(Status.RENEWED, 0, sha("renewal"), rec.expiry_date + 1)),
                      expiry_date=rec.expiry_date + 1)
    assert bulk.import_records(ipl, [renewed]).complete
    monkeypatch.setattr(Session, "connect", lambda self: ipl)
    out = tmp_path / "register.csv"
    res = CliRunner().invoke(cli, ["export", str(out)])
    assert res.exit_code == 2 and not list(tmp_path.iterdir()), "nothing written, no temporary file left"
    (line,) = res.stderr.strip().splitlines()
    assert "RU/TM/Z0000000 (filed → published → registered → renewed)" in line and "Export as JSON" in line
    res = CliRunner().invoke(cli, ["export", str(tmp_path / "register.json")])
    assert res.exit_code == 0 and [p.name for p in tmp_path.iterdir()] == ["register.json"]
