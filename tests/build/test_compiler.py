"""The compiler: the solcjs shim as a native solc, the cache, the choice of binary."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import solcx

from ipledger.build.compiler import compile_project, find_solc, solcx_folder, standard_input, _sources
from ipledger.config import Config, load_config
from ipledger.errors import CompilerError


def _shim(config: Config) -> Path:
    return solcx_folder(config.root) / f"solc-v{config.compiler.version}"


def test_shim_version_matches_native_format(config: Config) -> None:
    out = subprocess.run([str(_shim(config)), "--version"], capture_output=True, text=True, check=True).stdout
    assert "Version: 0.8.28+commit.7893614a" in out
    assert str(solcx.wrapper.get_solc_version(_shim(config), with_commit_hash=True)).startswith("0.8.28+commit.7893614a")


def test_solcx_finds_shim_through_solcx_binary_path(config: Config) -> None:
    assert os.environ.get("SOLCX_BINARY_PATH") == str(solcx_folder(config.root))
    assert "0.8.28" in [str(v) for v in solcx.get_installed_solc_versions()]


def test_shim_standard_json_output_over_64k_is_complete(config: Config) -> None:
    std = standard_input(config, _sources(config))
    std["settings"]["outputSelection"] = {"*": {"*": ["*"], "": ["ast"]}}
    proc = subprocess.run([str(_shim(config)), "--standard-json", "--base-path", str(config.root)],
                          input=json.dumps(std), capture_output=True, text=True, check=True)
    assert len(proc.stdout) > 65_536 * 4
    out = json.loads(proc.stdout)  # would fail on output cut at the pipe buffer or a notice before the JSON
    assert "IPRegistry" in out["contracts"]["contracts/registry/IPRegistry.sol"]


def test_shim_combined_json_from_stdin_via_solcx(config: Config) -> None:
    src = "pragma solidity ^0.8.0; contract A { function f() external pure returns (uint256) { return 7; } }"
    out = solcx.compile_source(src, output_values=["abi", "bin"], solc_binary=_shim(config))
    (name, contract), = out.items()
    assert name.endswith(":A")
    assert contract["abi"][0]["name"] == "f"
    assert len(contract["bin"]) > 100


def test_shim_import_paths_resolve_openzeppelin_via_allow_paths(config: Config, tmp_path: Path) -> None:
    src = tmp_path / "T.sol"
    src.write_text('pragma solidity ^0.8.0; import "@openzeppelin/contracts/utils/Strings.sol";\n'
                   "contract T { function s() external pure returns (string memory) { return Strings.toString(1); } }")
    out = solcx.compile_files([src], output_values=["abi"], solc_binary=_shim(config),
                              import_remappings={"@openzeppelin/": "node_modules/@openzeppelin/"},
                              allow_paths=[str(config.root)], base_path=str(config.root))
    assert any(k.endswith(":T") for k in out)


def _project_copy(config: Config, tmp_path: Path) -> Config:
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copytree(config.root / "contracts", root / "contracts")
    shutil.copy(config.root / "brownie-config.yaml", root / "brownie-config.yaml")
    (root / "node_modules").symlink_to(config.root / "node_modules")
    return load_config(root)


def _counting_solc(tmp_path: Path, real: Path) -> tuple[Path, Path]:
    log = tmp_path / "calls.log"
    wrapper = tmp_path / "solc-counting"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


def _compile_calls(log: Path) -> int:
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text().splitlines() if "--standard-json" in line)


def test_warm_compile_makes_no_solc_call(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = _project_copy(config, tmp_path)
    wrapper, log = _counting_solc(tmp_path, _shim(config))
    monkeypatch.setenv("IPLEDGER_SOLC", str(wrapper))

    cold = compile_project(proj)
    assert not cold.cached and _compile_calls(log) == 1
    assert (proj.build_dir / "contracts" / "IPRegistry.json").is_file()

    warm = compile_project(proj)
    assert warm.cached and _compile_calls(log) == 1, "a warm compile must not call solc"
    assert warm.artifacts["IPRegistry"].bytecode == cold.artifacts["IPRegistry"].bytecode

    target = proj.contracts_dir / "registry" / "PartyRegistry.sol"
    target.write_text(target.read_text() + "\n// changed\n")
    changed = compile_project(proj)
    assert not changed.cached and _compile_calls(log) == 2
    assert changed.cache_key != warm.cache_key


def test_compile_error_names_file_and_line(config: Config, tmp_path: Path) -> None:
    proj = _project_copy(config, tmp_path)
    (proj.contracts_dir / "Broken.sol").write_text("pragma solidity ^0.8.0;\ncontract Broken { uint256 x = ; }\n")
    with pytest.raises(CompilerError) as exc:
        compile_project(proj)
    assert "contracts/Broken.sol:2" in str(exc.value)
    assert "ParserError" in str(exc.value)


def test_native_solc_preferred_when_present(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    native = home / ".solcx" / "solc-v0.8.28"
    native.parent.mkdir(parents=True)
    # Stands in for a downloaded native solc: answers --version as one, delegates compiling.
    native.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then\n'
                      'echo "solc, the solidity compiler commandline interface"\n'
                      'echo "Version: 0.8.28+commit.7893614a.Linux.g++"\nexit 0\nfi\n'
                      f'exec "{_shim(config)}" "$@"\n')
    native.chmod(0o755)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("IPLEDGER_SOLC", raising=False)
    with caplog.at_level("INFO", logger="ipledger.build.compiler"):
        chosen = find_solc(config)
    assert chosen.kind == "native" and chosen.path == native
    assert "native solc" in caplog.text


def test_solcjs_shim_chosen_without_native(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.delenv("IPLEDGER_SOLC", raising=False)
    chosen = find_solc(config)
    assert chosen.kind == "solcjs" and chosen.path == _shim(config)


def test_explicit_solc_of_wrong_version_is_refused(config: Config, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "solc"
    fake.write_text('#!/bin/sh\necho "Version: 0.8.19+commit.7dd6d404.Linux.g++"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("IPLEDGER_SOLC", str(fake))
    with pytest.raises(CompilerError, match="not an executable solc 0.8.28"):
        find_solc(config)


def test_contracts_fit_eip170(artifacts) -> None:  # type: ignore[no-untyped-def]
    for name in ("IPRegistry", "PartyRegistry"):
        assert 0 < artifacts[name].code_size <= 24_576
