"""Upgrade safety by OpenZeppelin upgrades-core over our build-info: what passes, what is refused and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ipledger.build.buildinfo import build_info_path
from ipledger.build.compiler import CompileResult
from ipledger.build.layout import UNSAFE_ON_PURPOSE, LayoutReport, parse_report, validate
from ipledger.config import Config
from ipledger.errors import CompilerError

REGISTERS = ("IPRegistry", "SecurityInterests", "PartyRegistry", "LicenseRegistry")


@pytest.fixture(scope="module")
def whole(config: Config, artifacts: CompileResult) -> LayoutReport:
    return validate(config)


def _governed(artifacts: CompileResult, name: str) -> bool:
    return any(item.get("name") == "upgradeToAndCall" for item in artifacts[name].abi)


def test_every_upgradeable_contract_of_the_build_passes(whole: LayoutReport, artifacts: CompileResult) -> None:
    assert whole.ok, "\n".join(whole.problems)
    checked = {c.name for c in whole.contracts}
    assert {"UpgradeProbe", "UpgradeProbeNext", "IPRegistryNext"} <= checked
    converted = [name for name in REGISTERS if name in artifacts.artifacts and _governed(artifacts, name)]
    assert set(converted) <= checked  # each register converted to Governed is validated, and passes
    assert not any("Broken" in name for name in checked), f"{UNSAFE_ON_PURPOSE} are left out of the whole check"


def test_ip_registry_next_passes_against_ip_registry_and_broken_is_refused(config: Config) -> None:
    report = validate(config, contract="IPRegistryNext", reference="IPRegistry")
    assert report.ok, report.text
    broken = validate(config, contract="IPRegistryBroken", reference="IPRegistry")
    assert [line.split(": ", 2)[2] for line in broken.problems] == [
        "Contract `IPRegistryBroken` has a constructor",
        "Variable `baked` is immutable and will be initialized on the implementation"]


def test_next_version_appending_to_the_namespaced_struct_passes(config: Config) -> None:
    report = validate(config, contract="UpgradeProbeNext", reference="UpgradeProbe")
    assert report.ok, report.text
    (check,) = report.contracts
    assert check.name == "UpgradeProbeNext" and check.reference == "contracts/mocks/UpgradeProbe.sol:UpgradeProbe"


def test_field_inserted_at_the_head_of_the_namespaced_struct_fails_naming_it(config: Config) -> None:
    report = validate(config, contract="UpgradeProbeBrokenHead", reference="UpgradeProbe")
    assert not report.ok
    assert report.problems == ("UpgradeProbeBrokenHead: contracts/mocks/UpgradeProbeBrokenHead.sol:12: "
                               "Inserted `inserted`",)


def test_head_insert_alone_is_a_valid_first_version(config: Config) -> None:
    # The layout error is a difference from the reference: without one, the struct itself is fine.
    assert validate(config, contract="UpgradeProbeBrokenHead").ok


@pytest.mark.parametrize(("contract", "expected"), [
    ("UpgradeProbeBrokenConstructor", ["has a constructor"]),
    ("UpgradeProbeBrokenImmutable", ["has a constructor", "Variable `baked` is immutable"]),
    ("UpgradeProbeBrokenSelfdestruct", ["Use of selfdestruct is not allowed"]),
])
def test_unsafe_implementation_is_refused(config: Config, contract: str, expected: list[str]) -> None:
    report = validate(config, contract=contract)
    assert not report.ok
    assert len(report.problems) == len(expected)
    for line, words in zip(report.problems, expected, strict=True):
        assert line.startswith(f"{contract}: contracts/mocks/{contract}.sol:") and words in line


def test_reference_from_an_archived_build_info_directory(config: Config, artifacts: CompileResult,
                                                         tmp_path: Path) -> None:
    old = tmp_path / "v1"
    old.mkdir()
    shutil.copy(build_info_path(config, artifacts.cache_key), old)
    assert validate(config, contract="UpgradeProbeNext", reference="v1:UpgradeProbe", reference_dirs=(old,)).ok
    report = validate(config, contract="UpgradeProbeBrokenHead", reference="v1:UpgradeProbe", reference_dirs=(old,))
    assert not report.ok and "Inserted `inserted`" in report.problems[0]


def test_reference_without_contract_is_refused(config: Config) -> None:
    with pytest.raises(CompilerError, match="--reference needs --contract"):
        validate(config, reference="UpgradeProbe")


def test_unknown_contract_is_one_clear_error(config: Config) -> None:
    with pytest.raises(CompilerError, match=r"could not check the build: Could not find contract NoSuchThing\.$"):
        validate(config, contract="NoSuchThing")
    with pytest.raises(CompilerError, match="Could not find contract NoSuchRef"):
        validate(config, contract="UpgradeProbeNext", reference="NoSuchRef")


SAMPLE = """\
 ✔  contracts/A.sol:A

 ✘  contracts/B.sol:B (upgrades from contracts/A.sol:A)

      contracts/B.sol:12: Inserted `x`
        > New variables should be placed after all existing inherited variables

      contracts/B.sol:20: Upgraded `y` to an incompatible type
        - Bad upgrade from uint256 to address

 ✘  contracts/C.sol:C

      Something without a location
          https://zpl.in/upgrades/error-000

FAILED (3 upgradeable contracts detected, 1 passed, 2 failed)
"""


def test_parse_report_one_line_per_problem() -> None:
    a, b, c = parse_report(SAMPLE)
    assert a.ok and a.name == "A" and a.reference is None
    assert b.reference == "contracts/A.sol:A"
    assert b.problems == ("contracts/B.sol:12: Inserted `x`", "contracts/B.sol:20: Upgraded `y` to an incompatible type")
    assert c.problems == ("Something without a location",)
    assert LayoutReport(ok=False, contracts=(a, b, c), text=SAMPLE).problems[0] == "B: contracts/B.sol:12: Inserted `x`"
