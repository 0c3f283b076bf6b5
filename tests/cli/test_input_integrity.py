"""Input integrity (issue #12, item 6): one rule set for the SDK, the CLI and the importer, and output that
text from the chain cannot forge.

Each test reproduces a finding of the issue: a newline in a metadata URI that printed a fake ``FAKE: line``
row in ``show``; over-long URIs that reached the node (a raw ``Web3RPCError``); ``--content /dev/null`` or a
FIFO said "does not exist"; click's three-line usage errors (``ipledger show -1``); several invalid records
printed as one line with literal ``\\n``; ``ipledger accounts list`` ignored ``$IPLEDGER_NETWORK``. Commands
run in process on the module's embedded world (``Session.connect`` hands them its client) or, where exit codes
and real argv matter, as subprocesses.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import World
from helpers import run_cli
from ipledger import types
from ipledger.bulk import Problem, parse_records
from ipledger.bulk.records import InvalidRecords
from ipledger.chain import free_port
from ipledger.cli import cli
from ipledger.cli.context import Session
from ipledger.errors import InvalidInput
from ipledger.sdk import IPLedger, LicenseTerms

FORGED = {  # what an attacker writes past the SDK, straight to the contract, and what must not come out
    "newline": "https://x.example/a\nFAKE: line",
    "carriage-return": "https://x.example/a\rFAKE: line",
    "terminal-escape": "https://x.example/\x1b[2J\x1b[31mFAKE",
    "rtl-override": "https://x.example/\u202eFAKE.exe",
    "zero-width": "https://x.example/\u200bFAKE",
    "rich-markup": "https://x.example/[/x][bold red]FAKE",
}
OFFLINE = {"IPLEDGER_NETWORK": f"http://127.0.0.1:{free_port()}"}
HOLDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"


def _record(number: str, **fields: str) -> dict[str, str]:
    """A valid filed record, with ``fields`` changed."""
    return {"registrationOfficeCode": "EM", "ipRightType": "TM", "applicationNumber": number,
            "filingDate": "2024-01-02", "holder": HOLDER, **fields}


def _cli_on(world: World, monkeypatch: pytest.MonkeyPatch, client: IPLedger, *args: str) -> Result:
    """Runs ``ipledger ARGS`` in process, its session connected to ``client`` of the module's world."""
    monkeypatch.setattr(Session, "connect", lambda self: client)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner().invoke(cli, list(args))


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), f"not one error line: {stderr!r}"
    return lines[0]


# ---------------------------------------------------------------- tables escape what the chain says


@pytest.mark.parametrize("name", sorted(FORGED))
def test_show_and_history_print_forged_chain_text_escaped(world: World, monkeypatch: pytest.MonkeyPatch,
                                                          name: str) -> None:
    rid = world.file("018000001")
    forged = FORGED[name]
    world.alice.transact(world.alice.registry.functions.updateMetadata(rid, forged, types.ZERO32), "past the SDK")
    assert world.ipl.right(rid).metadata_uri == forged, "the contract keeps what it is given"
    for command in ("show", "history"):
        res = _cli_on(world, monkeypatch, world.alice, command, "EM/TM/018000001")
        assert res.exit_code == 0, res.output
        out = res.stdout
        assert not any(line.lstrip("│┃ ").startswith("FAKE") for line in out.splitlines()), f"{command}: forged row"
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", out), \
            f"{command} printed a control or invisible character: {out!r}"
        assert "FAKE" in out
        if name == "rich-markup":
            assert "[/x][bold red]FAKE" in out, "markup in a value is shown as text, not interpreted"
        else:
            assert types.escape(forged).split("/")[-1][:8] in out, f"{command}: not shown escaped: {out!r}"


def test_escape_shows_every_invisible_character_and_keeps_the_rest() -> None:
    assert types.escape("ipfs://bafk-ü-Ω") == "ipfs://bafk-ü-Ω"
    assert types.escape("a\nb\r\tc\x1b[31m\u202ed\u200be\udcff") == "a\\nb\\r\\tc\\x1b[31m\\u202ed\\u200be\\udcff"


# ---------------------------------------------------------------- URIs: one rule for SDK, CLI and importer

BAD_URIS = {"newline": "https://x.example/a\nFAKE: line", "rtl-override": "https://x.example/\u202egpj.exe",
            "space": "https://x.example/a b", "zero-width": "https://x.example/a\u200b",
            "too-long": "https://x.example/" + "a" * types.MAX_URI_LEN}


@pytest.mark.parametrize("name", sorted(BAD_URIS))
def test_sdk_cli_and_importer_refuse_a_bad_uri_in_the_same_words_before_sending(
        world: World, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    value = BAD_URIS[name]
    with pytest.raises(InvalidInput) as sdk:
        types.uri(value)
    words = str(sdk.value).split("' ", 1)[1]  # the reason, after the echoed value
    rid = world.file("018000002")
    block = world.ipl.w3.eth.block_number
    attempts = [
        lambda: world.registrar.file("EM", "TM", "018000003", holder=world.alice.address, metadata_uri=value),
        lambda: world.alice.update_metadata(rid, value),
        lambda: world.alice.publish_profile("did:web:alice.example", "DE", value),
        lambda: world.alice.offer_license(rid, world.bob.address, LicenseTerms(terms_uri=value)),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidInput, match=re.escape(words)):
            attempt()
    assert world.ipl.w3.eth.block_number == block, "nothing was sent"
    # the CLI: refused while parsing, before it connects
    monkeypatch.setattr(Session, "connect", lambda self: pytest.fail("connected"))
    res = CliRunner().invoke(cli, ["register", "EM", "TM", "1", "--holder", world.alice.address,
                                   "--metadata-uri", value])
    assert res.exit_code == 2 and words in _one_error_line(res.stderr)
    # the importer: the record's problem, in the same words
    with pytest.raises(InvalidRecords) as bulk:
        parse_records(json.dumps({"records": [_record("9000001", metadataURI=value)]}), "json")
    assert [p.field for p in bulk.value.problems] == ["metadataURI"] and words in bulk.value.problems[0].reason


def test_an_over_long_uri_never_reaches_the_node(world: World) -> None:
    """Was: a raw Web3RPCError from the node; the limit is checked first, and the message says what it is."""
    rid = world.file("018000004")
    with pytest.raises(InvalidInput, match=r"is 200,0\d\d bytes long; at most 2048"):
        world.alice.update_metadata(rid, "https://x.example/" + "a" * 200_000)
    assert types.uri("https://x.example/" + "a" * (types.MAX_URI_LEN - 18)) is not None  # the limit itself passes


# ---------------------------------------------------------------- files that are not regular files


def test_content_dev_null_or_a_fifo_says_what_it_is_not_does_not_exist(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    holder = HOLDER
    cases = {"/dev/null": "is a character device, not a regular file", str(fifo): "is a named pipe (FIFO), not a "
             "regular file", str(tmp_path): "is a directory", str(tmp_path / "gone"): "does not exist"}
    for path, words in cases.items():
        for args in (("register", "EM", "TM", "1", "--holder", holder, "--content", path),
                     ("anchor", "EM/TM/1", "--document", path), ("import", path, "--dry-run")):
            res = run_cli(*args, env=OFFLINE, timeout=60)  # a FIFO would block a command that opened it
            assert res.returncode == 2, (args, res.stderr)
            assert words in _one_error_line(res.stderr), (args, res.stderr)


# ---------------------------------------------------------------- click's usage errors, in our one line


@pytest.mark.parametrize("args, words", [
    (("show", "-1"), "No such option '-1'; a value that starts with '-' goes after --, e.g. `ipledger show -- -1` "
                     "(see `ipledger show --help`)"),
    (("registr", "EM"), "No such command 'registr'. Did you mean 'register'? (see `ipledger --help`)"),
    (("--colour",), "No such option '--colour' (see `ipledger --help`)"),
    (("assign", "EM/TM/1"), "Missing argument 'ASSIGNEE' (see `ipledger assign --help`)"),
    (("license", "offer", "EM/TM/1", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "--royalty-bps", "x"),
     "Invalid value for '--royalty-bps'"),
    (("export", "x.json", "--chunk", "0"), "Invalid value for '--chunk'"),
])
def test_usage_errors_are_one_line_with_exit_2(args: tuple[str, ...], words: str) -> None:
    res = run_cli(*args, env=OFFLINE, timeout=60)
    assert res.returncode == 2, res.stderr
    assert words in _one_error_line(res.stderr)
    assert "Usage:" not in res.stderr and "Try '" not in res.stderr


def test_a_group_without_its_command_still_shows_its_help() -> None:
    res = CliRunner().invoke(cli, ["license"])
    assert res.exit_code == 2 and "Usage:" in res.output and "offer" in res.output


def test_show_minus_one_after_double_dash_is_our_range_error() -> None:
    res = run_cli("show", "--", "-1", env=OFFLINE, timeout=60)
    assert res.returncode == 2 and "out of range" in _one_error_line(res.stderr)


# ---------------------------------------------------------------- several problems, several lines


def test_several_invalid_records_print_one_line_each_and_one_problem_one_line(tmp_path: Path) -> None:
    many = [_record("9000001", holder="0x123"),
            _record("9000002", filingDate="2024-13-01", metadataURI="a\nFAKE: line")]
    (tmp_path / "many.json").write_text(json.dumps({"records": many}))
    (tmp_path / "one.json").write_text(json.dumps({"records": [_record("9000001", holder="0x123")]}))
    res = run_cli("import", str(tmp_path / "many.json"), "--dry-run", env=OFFLINE, timeout=60)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert re.match(r"error: 2 invalid records in .*many\.json \(3 problems\); nothing was sent", lines[0]), lines
    assert lines[1:] == [
        "  record 1, holder: '0x123' is not an Ethereum address (0x followed by 40 hex digits)",
        "  record 2, filingDate: '2024-13-01' is not a calendar date or time",
        "  record 2, metadataURI: 'a\\nFAKE: line' has U+000A (a control character) at position 2; a URI has no "
        "white space, control or invisible characters (percent-encode them, e.g. %0A)",
    ], "one line per problem, the echoed newline escaped"
    assert "\\n  record" not in res.stderr, "no literal \\n between problems"
    res = run_cli("import", str(tmp_path / "one.json"), "--dry-run", env=OFFLINE, timeout=60)
    assert res.returncode == 2
    line = _one_error_line(res.stderr)
    assert re.match(r"error: 1 invalid record in .*one\.json; nothing was sent: record 1, holder: '0x123' is not "
                    r"an Ethereum address", line), line


def test_invalid_records_keep_every_problem_for_python_callers() -> None:
    exc = InvalidRecords([Problem(1, "holder", "is missing"), Problem(2, "filingDate", "is missing")], "f.json")
    assert exc.details == ("record 1, holder: is missing", "record 2, filingDate: is missing")
    assert str(exc).splitlines()[1:] == ["  record 1, holder: is missing", "  record 2, filingDate: is missing"]
    single = InvalidRecords([Problem(0, "JSON", "Expecting value at line 1 column 1")], "f.json")
    assert single.details == () and "\n" not in str(single)


# ---------------------------------------------------------------- accounts list and $IPLEDGER_NETWORK


def test_accounts_list_honours_ipledger_network(tmp_path: Path) -> None:
    env = {"IPLEDGER_KEYSTORE_DIR": str(tmp_path)}

    def listed(**extra: str) -> list[str]:
        res = run_cli("accounts", "list", "--json", env={**env, **extra}, timeout=60)
        assert res.returncode == 0, res.stderr
        return [row["account"] for row in json.loads(res.stdout)]

    assert listed(IPLEDGER_NETWORK="sepolia") == [], "a live network has no dev accounts"
    assert listed(IPLEDGER_NETWORK="anvil")[:2] == ["0", "1"]
    res = run_cli("accounts", "list", env={**env, "IPLEDGER_NETWORK": "mainnet-ish"}, timeout=60)
    assert res.returncode == 2 and "unknown network 'mainnet-ish'" in _one_error_line(res.stderr)
    res = run_cli("accounts", "list", "--json", "--network", "anvil", env={**env, "IPLEDGER_NETWORK": "sepolia"},
                  timeout=60)
    assert json.loads(res.stdout)[0]["account"] == "0", "--network wins over the environment"
