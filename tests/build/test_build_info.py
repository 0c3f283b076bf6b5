"""The build-info file: Hardhat's format, every source inlined, small artifacts beside it, part of the cache."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ipledger.build.buildinfo import BUILD_INFO_FORMAT, build_info_dir, build_info_path, long_version, read_build_info
from ipledger.build.compiler import OUTPUT_SELECTION, CompileResult, compile_project, solcx_folder
from ipledger.config import Config, load_config
from ipledger.errors import CompilerError


@pytest.fixture(scope="module")
def build_info(config: Config, artifacts: CompileResult) -> dict:  # type: ignore[type-arg]
    return read_build_info(build_info_path(config, artifacts.cache_key))


def test_build_info_is_hardhat_format_named_by_cache_key(config: Config, artifacts: CompileResult,
                                                         build_info: dict) -> None:  # type: ignore[type-arg]
    assert set(build_info) == {"id", "_format", "solcVersion", "solcLongVersion", "input", "output"}
    assert build_info["_format"] == BUILD_INFO_FORMAT == "hh-sol-build-info-1"
    assert build_info["id"] == artifacts.cache_key
    assert build_info["solcVersion"] == config.compiler.version == "0.8.28"
    assert build_info["solcLongVersion"] == "0.8.28+commit.7893614a"
    assert [p.name for p in build_info_dir(config).glob("*.json")] == [f"{artifacts.cache_key}.json"]


def test_build_info_input_holds_every_source_the_compiler_read(config: Config, build_info: dict) -> None:  # type: ignore[type-arg]
    inputs, outputs = build_info["input"]["sources"], build_info["output"]["sources"]
    assert set(inputs) == set(outputs)
    imported = [name for name in inputs if name.startswith("node_modules/@openzeppelin/contracts-upgradeable/")]
    assert "node_modules/@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol" in imported
    for name in ("contracts/registry/IPRegistry.sol", imported[0]):
        assert inputs[name]["content"] == (config.root / name).read_text()


def test_build_info_output_has_ast_storage_layout_and_selection(build_info: dict) -> None:  # type: ignore[type-arg]
    selection = build_info["input"]["settings"]["outputSelection"]["*"]
    assert selection == {"*": list(OUTPUT_SELECTION), "": ["ast"]}
    assert set(OUTPUT_SELECTION) == {"abi", "evm.bytecode", "evm.deployedBytecode", "evm.methodIdentifiers",
                                     "metadata", "storageLayout"}
    probe = build_info["output"]["contracts"]["contracts/mocks/UpgradeProbe.sol"]["UpgradeProbe"]
    assert "storageLayout" in probe and "bump()" in probe["evm"]["methodIdentifiers"]
    assert build_info["output"]["sources"]["contracts/mocks/UpgradeProbe.sol"]["ast"]["nodeType"] == "SourceUnit"


def test_artifacts_stay_small(config: Config, artifacts: CompileResult) -> None:
    data = json.loads((config.build_dir / "contracts" / "IPRegistry.json").read_text())
    assert set(data) == {"contractName", "sourceName", "abi", "bytecode", "deployedBytecode", "metadata",
                         "immutableReferences"}
    assert data["bytecode"] == artifacts["IPRegistry"].bytecode


def _small_project(config: Config, root: Path) -> Config:
    """A project of two files (Governed and UpgradeProbe) that still imports OpenZeppelin upgradeable."""
    for rel in ("contracts/governance/Governed.sol", "contracts/mocks/UpgradeProbe.sol"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config.root / rel, root / rel)
    shutil.copy(config.root / "brownie-config.yaml", root / "brownie-config.yaml")
    (root / "node_modules").symlink_to(config.root / "node_modules")
    (root / ".solcx").symlink_to(solcx_folder(config.root))
    return load_config(root)


@pytest.fixture(scope="module")
def small(config: Config, tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, CompileResult]:
    proj = _small_project(config, tmp_path_factory.mktemp("small") / "proj")
    return proj, compile_project(proj)


def test_build_info_input_compiles_alone_to_the_same_code(config: Config, small: tuple[Config, CompileResult],
                                                          tmp_path: Path) -> None:
    proj, result = small
    info = read_build_info(build_info_path(proj, result.cache_key))
    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()  # no import root: every source must come from the input itself
    shim = solcx_folder(config.root) / f"solc-v{config.compiler.version}"
    proc = subprocess.run([str(shim), "--standard-json"], input=json.dumps(info["input"]), capture_output=True,
                          text=True, check=True, cwd=elsewhere)
    out = json.loads(proc.stdout)
    assert not [e for e in out.get("errors", []) if e["severity"] == "error"]
    again = out["contracts"]["contracts/mocks/UpgradeProbe.sol"]["UpgradeProbe"]["evm"]["bytecode"]["object"]
    assert again == result["UpgradeProbe"].bytecode


def test_new_compile_replaces_the_build_info_and_a_missing_one_makes_the_cache_stale(
        small: tuple[Config, CompileResult]) -> None:
    proj, first = small
    assert compile_project(proj).cached
    probe = proj.contracts_dir / "mocks" / "UpgradeProbe.sol"
    probe.write_text(probe.read_text() + "\n// changed\n")
    second = compile_project(proj)
    assert not second.cached and second.cache_key != first.cache_key
    assert [p.name for p in build_info_dir(proj).glob("*.json")] == [f"{second.cache_key}.json"]
    build_info_path(proj, second.cache_key).unlink()
    third = compile_project(proj)
    assert not third.cached and build_info_path(proj, third.cache_key).is_file()


def test_read_build_info_refuses_other_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"_format": "something-else", "input": {}, "output": {}}))
    with pytest.raises(CompilerError, match="is not a hh-sol-build-info-1 file"):
        read_build_info(path)
    path.write_text("{not json")
    with pytest.raises(CompilerError, match="not a readable build-info file"):
        read_build_info(path)


@pytest.mark.parametrize(("full", "expected"), [
    ("0.8.28+commit.7893614a.Emscripten.clang", "0.8.28+commit.7893614a"),
    ("0.8.28+commit.7893614a.Linux.g++", "0.8.28+commit.7893614a"),
    ("0.8.28", "0.8.28"),
])
def test_long_version_is_hardhats(full: str, expected: str) -> None:
    assert long_version(full) == expected
