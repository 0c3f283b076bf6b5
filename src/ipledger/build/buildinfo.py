"""Hardhat-format build-info files: one compiler run's full input and output, for tools that read them.

OpenZeppelin upgrades-core (``npx @openzeppelin/upgrades-core validate``) reads a directory of these files:
each holds the standard-JSON ``input`` with EVERY source inlined (the project's and the node_modules ones its
imports reached, so the file compiles again with no import callback) and the compiler ``output`` with the
AST and the storage layouts. The compiler writes one file per cache key, ``build/build-info/<id>.json``, and
keeps only the current one there (upgrades-core treats two contracts of one name as ambiguous); the
artifacts in ``build/contracts/`` stay small and never repeat what this file holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ipledger.config import Config
from ipledger.errors import CompilerError

BUILD_INFO_FORMAT = "hh-sol-build-info-1"


def build_info_dir(config: Config) -> Path:
    """Where the current compile's build-info file lives (the directory upgrades-core validates)."""
    return config.build_dir / "build-info"


def build_info_path(config: Config, build_id: str) -> Path:
    """The build-info file of one compile (``build_id`` is its cache key)."""
    return build_info_dir(config) / f"{build_id}.json"


def long_version(full: str) -> str:
    """``0.8.28+commit.7893614a.Emscripten.clang`` -> ``0.8.28+commit.7893614a`` (Hardhat's solcLongVersion)."""
    head, _, rest = full.partition("+")
    commit = rest.split(".")[:2]
    return f"{head}+{'.'.join(commit)}" if rest else head


def complete_input(config: Config, std_input: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    """The standard-JSON input with every source the compiler read (imports included) as content.

    The source unit names are the compiler's own (``node_modules/@openzeppelin/...`` after the remapping), so
    the result compiles to the same output with no import callback.
    """
    given = std_input["sources"]
    sources: dict[str, dict[str, str]] = {}
    for name in output.get("sources", {}):
        if name in given:
            sources[name] = given[name]
            continue
        path = config.root / name
        try:
            sources[name] = {"content": path.read_text()}
        except OSError:
            raise CompilerError(f"the compiler read {name} but {path} cannot be read; run `npm ci`") from None
    return {**std_input, "sources": sources}


def write_build_info(
    config: Config, build_id: str, solc_version: str, std_input: dict[str, Any], output: dict[str, Any]
) -> Path:
    """Writes ``build/build-info/<build_id>.json`` and removes the files of earlier compiles."""
    folder = build_info_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    version = long_version(solc_version)
    data = {
        "id": build_id,
        "_format": BUILD_INFO_FORMAT,
        "solcVersion": version.split("+")[0],
        "solcLongVersion": version,
        "input": complete_input(config, std_input, output),
        "output": {k: output[k] for k in ("contracts", "sources", "errors") if k in output},
    }
    target = build_info_path(config, build_id)
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")))
    os.replace(tmp, target)
    for other in folder.glob("*.json"):
        if other != target:
            other.unlink(missing_ok=True)
    return target


def read_build_info(path: Path) -> dict[str, Any]:
    """A build-info file's JSON (refuses a file that is not one)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise CompilerError(f"{path} is not a readable build-info file ({exc}); run `ipledger compile --force`") from None
    if data.get("_format") != BUILD_INFO_FORMAT or "input" not in data or "output" not in data:
        raise CompilerError(f"{path} is not a {BUILD_INFO_FORMAT} file; run `ipledger compile --force`")
    return data
