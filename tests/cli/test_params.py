"""The CLI's shared rooms in process: parameter types (cli.params), the context object (cli.context), one-line
errors (cli.output) and the explicit command list (cli.app)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from ipledger import types
from ipledger.cli import app, cli, params
from ipledger.cli.context import Session
from ipledger.cli.output import handled, one_line
from ipledger.domain import Status
from ipledger.errors import IPLedgerError, InvalidInput, NetworkError, UsageError

ADDR = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
HASH = "0x" + "ab" * 32


class Stop(Exception):
    """Raised by a stand-in for Session.connect once it has seen the session."""


def test_uint256_max_spelled_out_in_params_matches_types() -> None:
    assert params.LICENSE_ID.max == types.MAX_UINT256
    assert params.LICENSE_ID.max == types.MAX_UINT256 and params.LICENSE_ID.min == 1
    assert params.PARENT_LICENSE_ID.min == 0


@pytest.mark.parametrize("param_type,text,expected", [
    (params.RightRef(), "EM/TM/018234567", types.right_ref("EM/TM/018234567")),
    (params.RightRef(), "0x01", 1),
    (params.Address("holder"), ADDR.lower(), ADDR.lower()),  # passed on as typed; the SDK checksums it
    (params.Office(), "EM", "EM"),
    (params.Office(empty_ok=True), "", ""),
    (params.IPTypeName(), "trade_mark", "trade_mark"),
    (params.ApplicationNumber(), "018234567", "018234567"),
    (params.StatusName(), "registered", Status.REGISTERED),
    (params.Date("deadline"), "2031-05-01", types.date("2031-05-01")),
    (params.Hash32("content hash"), HASH, bytes.fromhex("ab" * 32)),
    (params.Hash32("content hash"), "", None),
    (params.Signature(), "0x" + "11" * 65, "0x" + "11" * 65),
    (params.Tag(), "priority", "priority"),
])
def test_param_type_converts_good_value(param_type: click.ParamType, text: str, expected: Any) -> None:
    assert param_type.convert(text, None, None) == expected


@pytest.mark.parametrize("param_type,text,parse", [
    (params.RightRef(), "not-an-id", lambda v: types.right_ref(v)),
    (params.Address("holder"), "0x1234", lambda v: types.address(v, "holder")),
    (params.Office(), "em", lambda v: types.office(v)),
    (params.Office(), "", lambda v: types.office(v)),
    (params.IPTypeName(), "XX", lambda v: types.ip_type(v)),
    (params.ApplicationNumber(), " 1", lambda v: types.application_number(v)),
    (params.StatusName(), "none", lambda v: types.status(v)),
    (params.Date("deadline"), "0", lambda v: types.date(v, "deadline")),
    (params.Date("filing date"), "31/12/2020", lambda v: types.date(v, "filing date")),
    (params.Date("filing date"), "20240101", lambda v: types.date(v, "filing date")),  # not unix seconds
    (params.Date("deadline"), "1893456000", lambda v: types.date(v, "deadline")),
    (params.Hash32("deed hash"), "0x12", lambda v: types.bytes32(v, "deed hash")),
    (params.Signature(), "0x" + "11" * 64, lambda v: types.signature(v, "--relay signature", length=65)),
    (params.Tag(), "x" * 33, lambda v: types.tag32(v)),
])
def test_param_type_refuses_with_the_parsers_message(param_type: click.ParamType, text: str, parse: Any) -> None:
    with pytest.raises(InvalidInput) as expected:
        parse(text)
    with pytest.raises(InvalidInput) as got:
        param_type.convert(text, None, None)
    assert str(got.value) == str(expected.value)


def test_digest_takes_the_hash_or_the_files_sha256(tmp_path: Path) -> None:
    doc = tmp_path / "deed.pdf"
    doc.write_bytes(b"deed")
    assert params.digest(None, None, "deed") is None
    assert params.digest(b"\x01" * 32, None, "deed") == b"\x01" * 32
    assert params.digest(None, str(doc), "deed") == hashlib.sha256(b"deed").digest()
    with pytest.raises(UsageError, match="give either --deed-hash or --deed, not both"):
        params.digest(b"\x01" * 32, str(doc), "deed")
    with pytest.raises(UsageError, match="deed file '.*missing.pdf' does not exist; give the path of an existing file"):
        params.digest(None, str(tmp_path / "missing.pdf"), "deed")


def test_new_file_needs_an_existing_folder(tmp_path: Path) -> None:
    kind = params.NewFile(allow_dash=True)
    assert kind.convert(str(tmp_path / "out.json"), None, None) == str(tmp_path / "out.json")
    assert kind.convert("-", None, None) == "-"
    with pytest.raises(InvalidInput, match="does not exist; create it or give another path"):
        kind.convert(str(tmp_path / "no" / "out.json"), None, None)
    with pytest.raises(click.BadParameter, match="is a directory"):
        kind.convert(str(tmp_path), None, None)


def _session_of(args: list[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str] | None = None) -> Session:
    seen: list[Session] = []

    def connect(self: Session) -> Any:
        seen.append(self)
        raise Stop()

    monkeypatch.setattr(Session, "connect", connect)
    res = CliRunner().invoke(cli, args, env=env)
    assert isinstance(res.exception, Stop), res.output
    return seen[0]


def test_chain_options_fill_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    s = _session_of(["show", "EM/TM/1", "-n", "http://127.0.0.1:1", "-a", "keystore:x", "--allow-env-key",
                     "--json"], monkeypatch)
    assert (s.network, s.account, s.allow_env_key, s.as_json) == ("http://127.0.0.1:1", "keystore:x", True, True)


def test_chain_options_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IPLEDGER_NETWORK", raising=False)
    s = _session_of(["license", "withdraw", "3"], monkeypatch)
    assert (s.network, s.account, s.allow_env_key, s.as_json) == ("local", "0", False, False)
    s = _session_of(["office", "list"], monkeypatch, env={"IPLEDGER_NETWORK": "http://127.0.0.1:2"})
    assert s.network == "http://127.0.0.1:2"


def test_session_connects_only_when_asked_and_closes(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []

    class Client:
        pass

    def connect(self: Session) -> Any:
        made.append(1)
        return Client()

    monkeypatch.setattr(Session, "connect", connect)
    session = Session()
    assert not made
    first = session.ledger()
    assert session.ledger() is first and made == [1]
    session.close()
    assert session.client is None


def test_handled_prints_one_line_and_exits_with_the_errors_code(capsys: pytest.CaptureFixture[str]) -> None:
    for error, code in ((UsageError("bad\nvalue\u200b"), 2), (NetworkError("no node"), 1), (IPLedgerError("x"), 1)):
        with pytest.raises(click.exceptions.Exit) as exit_:
            with handled():
                raise error
        assert exit_.value.exit_code == code
        err = capsys.readouterr().err
        assert err == f"error: {one_line(str(error))}\n" and len(err.splitlines()) == 1
    assert one_line("a\nb\tc\u200b") == "a\\nb\\tc\\u200b"


def test_every_command_is_registered_once_in_app() -> None:
    """The root group holds exactly the commands of app.COMMANDS (registered there, not by importing modules)."""
    assert sorted(cli.commands) == sorted(c.name for c in app.COMMANDS if c.name)
    assert len({c.name for c in app.COMMANDS}) == len(app.COMMANDS)
    assert {"import", "export", "license", "check", "office", "profile", "accounts"} <= set(cli.commands)
