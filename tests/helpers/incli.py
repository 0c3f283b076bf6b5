"""The CLI in process as one role of the world types it: ``Session.connect`` hands the command that role's client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ipledger.cli import cli
from ipledger.cli.context import Session
from ipledger.sdk import IPLedger


def run(monkeypatch: pytest.MonkeyPatch, client: IPLedger, *args: str) -> Result:
    """``ipledger ARGS`` typed by ``client``'s account."""
    monkeypatch.setattr(Session, "connect", lambda self: client)
    return CliRunner().invoke(cli, list(args))


def ok(monkeypatch: pytest.MonkeyPatch, client: IPLedger, *args: str) -> dict[str, Any]:
    """The ``--json`` answer of a command that must succeed."""
    res = run(monkeypatch, client, *args, "--json")
    assert res.exit_code == 0, res.output + res.stderr
    data: dict[str, Any] = json.loads(res.stdout)
    return data


def refused(monkeypatch: pytest.MonkeyPatch, client: IPLedger, code: int, *args: str) -> str:
    """The one ``error:`` line of a refused command, which exits ``code``."""
    res = run(monkeypatch, client, *args)
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == code, res.output + res.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    return lines[0]
