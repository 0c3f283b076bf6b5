"""``ipledger upgrade``: the offline check (table, JSON, one line per problem, exit codes) and the chain steps'
refusals, each one clear line with no traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers import World
from helpers.incli import refused
from ipledger.cli import cli


def _check(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, ["upgrade", "check", *args])
    return res.exit_code, res.stdout, res.stderr


def test_check_whole_build_passes_with_a_table() -> None:
    code, out, err = _check()
    assert code == 0, err
    assert "Upgrade safety" in out and "UpgradeProbeNext" in out and "Broken" not in out


def test_check_head_insert_fails_with_one_line_naming_the_field() -> None:
    code, out, err = _check("--contract", "UpgradeProbeBrokenHead", "--reference", "UpgradeProbe")
    assert code == 1
    assert err.strip().splitlines() == [
        "UpgradeProbeBrokenHead: contracts/mocks/UpgradeProbeBrokenHead.sol:12: Inserted `inserted`"]


def test_check_json_lists_problems_and_exits_one() -> None:
    code, out, _ = _check("--contract", "UpgradeProbeBrokenSelfdestruct", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    (contract,) = data["contracts"]
    assert contract["name"] == "UpgradeProbeBrokenSelfdestruct"
    assert contract["problems"] == ["contracts/mocks/UpgradeProbeBrokenSelfdestruct.sol:42: "
                                    "Use of selfdestruct is not allowed"]


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--reference", "UpgradeProbe"), 2, "--reference needs --contract"),
    (("--contract", "NoSuchContract"), 1, "Could not find contract NoSuchContract"),
])
def test_check_bad_input_is_one_line(args: tuple[str, ...], code: int, words: str) -> None:
    got, _, err = _check(*args)
    lines = err.strip().splitlines()
    assert got == code and len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], err


def test_propose_needs_exactly_one_of_deploy_and_implementation(monkeypatch: pytest.MonkeyPatch,
                                                                world: World) -> None:
    line = refused(monkeypatch, world.ipl, 2, "upgrade", "IPRegistry")
    assert "give exactly one of --deploy" in line
    line = refused(monkeypatch, world.ipl, 2, "upgrade", "IPRegistry", "--deploy", "--implementation",
                   world.ipl.address)
    assert "give exactly one of --deploy" in line
    line = refused(monkeypatch, world.ipl, 2, "upgrade", "propose", "IPRegistry", "--implementation", "0x12")
    assert "is not an Ethereum address" in line


def test_propose_an_unknown_register_is_refused_with_a_suggestion(monkeypatch: pytest.MonkeyPatch,
                                                                  world: World) -> None:
    line = refused(monkeypatch, world.ipl, 2, "upgrade", "IPRegistri", "--deploy")
    assert "'IPRegistri' is not a register of the suite; Did you mean 'IPRegistry'?" in line


def test_propose_a_contract_not_behind_a_proxy_is_refused(monkeypatch: pytest.MonkeyPatch, world: World) -> None:
    # Every register is behind a proxy; the governance contracts (council, timelock, authority) are recorded
    # but not upgradeable: naming one is refused before anything is deployed, and the hint lists the registers.
    unproxied = [n for n, c in world.ipl.deployment.contracts.items() if c.implementation is None]
    assert {"OfficeCouncil", "CouncilTimelock", "RegisterAuthority"} <= set(unproxied)
    for name in unproxied:
        line = refused(monkeypatch, world.ipl, 2, "upgrade", name, "--deploy")
        assert f"'{name}' is not a register of the suite" in line
        assert "upgradeable: IPRegistry, SecurityInterests, PartyRegistry, LicenseRegistry" in line


def test_record_before_any_upgrade_is_refused(monkeypatch: pytest.MonkeyPatch, world: World) -> None:
    proxied = [n for n, c in world.ipl.deployment.contracts.items() if c.implementation is not None]
    if not proxied:
        pytest.skip("no register is behind a proxy in this checkout yet")
    line = refused(monkeypatch, world.ipl, 2, "upgrade", "record", proxied[0])
    assert "execute the proposal first" in line


def test_upgrade_help_names_every_step() -> None:
    res = CliRunner().invoke(cli, ["upgrade", "--help"])
    assert res.exit_code == 0
    for word in ("check", "propose", "record", "remember", "council execute"):
        assert word in res.stdout
