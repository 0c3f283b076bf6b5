"""Solidity sources -> standard JSON -> artifacts under ``build/``.

The compiler binary is chosen in this order, and the choice is logged:

1. ``IPLEDGER_SOLC`` (an explicit path),
2. a native solc of the pinned version: py-solc-x's ``~/.solcx/solc-vX.Y.Z`` (what
   ``solcx.install_solc`` leaves on a machine with internet) or ``solc`` on PATH,
3. the project's registered solcjs shim, ``.solcx/solc-vX.Y.Z`` (what ``make setup``
   writes; py-solc-x and brownie find it through ``SOLCX_BINARY_PATH``), or the one in
   ``SOLCX_BINARY_PATH`` when the project has none.

Artifacts are cached by a hash of the sources, the settings and the compiler version, so a
warm compile with nothing changed makes no compiler call at all. Each compile also writes one Hardhat-format
build-info file (``build/build-info/<cache key>.json``, see :mod:`ipledger.build.buildinfo`) with the AST and
the storage layouts, which OpenZeppelin upgrades-core validates; the per-contract artifacts stay small.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipledger.build.buildinfo import build_info_path, write_build_info
from ipledger.config import CompilerSettings, Config
from ipledger.errors import CompilerError

log = logging.getLogger(__name__)

SHIM_SOURCE = Path(__file__).with_name("_shim") / "solc-cli.js"
SHIM_MARKER = "# ipledger solcjs shim"
MAX_CODE_SIZE = 24_576  # EIP-170
# Bumped when the artifacts' or the build-info's shape changes, so an older cache is recompiled.
ARTIFACT_FORMAT = 2
# What each contract's output holds (the AST is per source): what upgrades-core's validate needs, and the
# artifacts' fields. Issue #13 names this selection.
OUTPUT_SELECTION = (
    "abi",
    "evm.bytecode",
    "evm.deployedBytecode",
    "evm.methodIdentifiers",
    "metadata",
    "storageLayout",
)


@dataclass(frozen=True)
class SolcBinary:
    """A compiler binary and what it is."""

    path: Path
    version: str  # full version string, e.g. 0.8.28+commit.7893614a.Emscripten.clang
    kind: str  # "native" or "solcjs"


@dataclass(frozen=True)
class Artifact:
    """One compiled contract."""

    name: str
    source: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    metadata: str
    # Where the deployed code holds immutables (set by the constructor): {ast id: [{start, length}]} in bytes.
    immutable_references: dict[str, list[dict[str, int]]] = field(default_factory=dict)

    @property
    def code_size(self) -> int:
        return len(self.deployed_bytecode) // 2

    def runtime_matches(self, code: bytes) -> bool:
        """Whether ``code`` (read from the chain) is this contract's deployed code, its immutables aside."""
        expected = bytearray(bytes.fromhex(self.deployed_bytecode))
        actual = bytearray(code)
        if len(actual) != len(expected) or not expected:
            return False
        for refs in self.immutable_references.values():
            for ref in refs:
                start, end = ref["start"], ref["start"] + ref["length"]
                actual[start:end] = expected[start:end]
        return actual == expected

    def to_json(self) -> dict[str, Any]:
        return {
            "contractName": self.name,
            "sourceName": self.source,
            "abi": self.abi,
            "bytecode": self.bytecode,
            "deployedBytecode": self.deployed_bytecode,
            "metadata": self.metadata,
            "immutableReferences": self.immutable_references,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Artifact:
        return cls(
            name=data["contractName"],
            source=data["sourceName"],
            abi=data["abi"],
            bytecode=data["bytecode"],
            deployed_bytecode=data["deployedBytecode"],
            metadata=data["metadata"],
            immutable_references=data.get("immutableReferences", {}),
        )


@dataclass(frozen=True)
class CompileResult:
    """Artifacts by contract name, and whether they came from the cache."""

    artifacts: dict[str, Artifact]
    cached: bool
    compiler: str  # the compiler's version and kind (of the run that made the cache, when cached)
    cache_key: str

    def __getitem__(self, name: str) -> Artifact:
        try:
            return self.artifacts[name]
        except KeyError:
            raise CompilerError(f"no contract named {name}; compiled: {', '.join(sorted(self.artifacts))}") from None


# ---------------------------------------------------------------- binaries


def solcx_folder(root: Path) -> Path:
    """The project-local folder py-solc-x looks in (``SOLCX_BINARY_PATH``)."""
    return root / ".solcx"


def register_shim(root: Path, version: str) -> Path:
    """Writes ``.solcx/solc-v<version>``: a native-solc command line over the npm solcjs.

    Refuses when the npm package is missing or of another version.
    """
    module = root / "node_modules" / "solc"
    node = shutil.which("node")
    if node is None:
        raise CompilerError("node is not on PATH; install Node.js (>= 18) and run `make setup` again")
    if not (module / "package.json").is_file():
        raise CompilerError(f"{module} is missing; run `npm ci` (or `make setup`) in {root}")
    npm_version = json.loads((module / "package.json").read_text())["version"]
    if npm_version != version:
        raise CompilerError(
            f"node_modules/solc is {npm_version} but brownie-config.yaml pins {version}; "
            f"pin solc {version} in package.json and run `npm ci`"
        )
    folder = solcx_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"solc-v{version}"
    if target.exists() and SHIM_MARKER not in target.read_text(errors="replace"):
        log.info("%s is a native solc; leaving it in place", target)
        return target
    script = (
        "#!/bin/sh\n"
        f"{SHIM_MARKER}: native solc command line over npm solc {version}\n"
        f'IPLEDGER_SOLCJS_MODULE="{module}" exec "{node}" "{SHIM_SOURCE}" "$@"\n'
    )
    tmp = target.with_suffix(".tmp")
    tmp.write_text(script)
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, target)
    return target


def _version_of(path: Path) -> str | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return None


def _candidate(path: Path, version: str) -> SolcBinary | None:
    if not path.is_file() or not os.access(path, os.X_OK):
        return None
    full = _version_of(path)
    if not full or not full.startswith(version + "+"):
        return None
    kind = "solcjs" if "emscripten" in full.lower() else "native"
    return SolcBinary(path=path, version=full, kind=kind)


def find_solc(config: Config) -> SolcBinary:
    """Chooses the compiler binary (see the module docstring) and logs the choice."""
    version = config.compiler.version
    explicit = os.environ.get("IPLEDGER_SOLC")
    if explicit:
        found = _candidate(Path(explicit), version)
        if found is None:
            raise CompilerError(f"IPLEDGER_SOLC={explicit} is not an executable solc {version}; fix or unset it")
        log.info("compiler: %s (%s, from IPLEDGER_SOLC)", found.path, found.version)
        return found
    natives = [Path.home() / ".solcx" / f"solc-v{version}"]
    on_path = shutil.which("solc")
    if on_path:
        natives.append(Path(on_path))
    natives.append(solcx_folder(config.root) / f"solc-v{version}")
    for path in natives:
        found = _candidate(path, version)
        if found is not None and found.kind == "native":
            log.info("compiler: native solc %s at %s", found.version, found.path)
            return found
    shim = solcx_folder(config.root) / f"solc-v{version}"
    found = _candidate(shim, version)
    env_folder = os.environ.get("SOLCX_BINARY_PATH")
    if found is None and env_folder:
        found = _candidate(Path(env_folder) / f"solc-v{version}", version)
    if found is None:
        raise CompilerError(
            f"no solc {version}: run `make setup` (registers the npm solcjs as {shim}) "
            f"or install a native solc with `python -m solcx.install v{version}`"
        )
    log.info("compiler: solcjs %s through the shim at %s", found.version, found.path)
    return found


# ---------------------------------------------------------------- compiling


def _sources(config: Config) -> dict[str, str]:
    files = sorted(config.contracts_dir.rglob("*.sol"))
    if not files:
        raise CompilerError(f"no .sol files under {config.contracts_dir}")
    return {p.relative_to(config.root).as_posix(): p.read_text() for p in files}


def standard_input(config: Config, sources: dict[str, str]) -> dict[str, Any]:
    """The standard-JSON input for the project's sources."""
    s: CompilerSettings = config.compiler
    return {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            "evmVersion": s.evm_version,
            "optimizer": {"enabled": s.optimizer_enabled, "runs": s.optimizer_runs},
            "remappings": list(s.remappings),
            "outputSelection": {"*": {"*": list(OUTPUT_SELECTION), "": ["ast"]}},
        },
    }


def _library_versions(root: Path) -> dict[str, str]:
    versions = {}
    for pkg in ("@openzeppelin/contracts", "@openzeppelin/contracts-upgradeable"):
        manifest = root / "node_modules" / pkg / "package.json"
        versions[pkg] = json.loads(manifest.read_text())["version"] if manifest.is_file() else "missing"
    return versions


def cache_key(config: Config, std_input: dict[str, Any]) -> str:
    """Hash of sources, settings, library versions and the pinned compiler version."""
    blob = json.dumps(
        {"input": std_input, "libs": _library_versions(config.root), "solc": config.compiler.version,
         "format": ARTIFACT_FORMAT},
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _artifact_dir(config: Config) -> Path:
    return config.build_dir / "contracts"


def _read_cache(config: Config, key: str) -> tuple[dict[str, Artifact], str] | None:
    """The cached artifacts and the compiler that made them, if the cache matches ``key``."""
    index = config.build_dir / "ipledger-cache.json"
    try:
        data = json.loads(index.read_text())
    except (OSError, ValueError):
        return None
    if data.get("key") != key or not build_info_path(config, key).is_file():
        return None
    artifacts = {}
    for name in data.get("contracts", []):
        try:
            artifacts[name] = Artifact.from_json(json.loads((_artifact_dir(config) / f"{name}.json").read_text()))
        except (OSError, ValueError, KeyError):
            return None
    return artifacts, str(data.get("compiler", "unknown"))


def _write_cache(config: Config, key: str, artifacts: dict[str, Artifact], compiler: str) -> None:
    out = _artifact_dir(config)
    out.mkdir(parents=True, exist_ok=True)
    for name, art in artifacts.items():
        _atomic_write(out / f"{name}.json", json.dumps(art.to_json(), indent=1))
    _atomic_write(
        config.build_dir / "ipledger-cache.json",
        json.dumps({"key": key, "compiler": compiler, "contracts": sorted(artifacts)}, indent=1),
    )


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _run_solc(binary: SolcBinary, config: Config, std_input: dict[str, Any]) -> dict[str, Any]:
    import solcx
    from solcx.exceptions import SolcError

    try:
        output: dict[str, Any] = solcx.compile_standard(
            std_input,
            solc_binary=binary.path,
            base_path=str(config.root),
            allow_paths=[str(config.root)],
        )
    except SolcError as exc:
        raise CompilerError(_format_solc_errors(exc)) from None
    return output


def _format_solc_errors(exc: Any) -> str:
    out = getattr(exc, "stdout_data", "") or ""
    try:
        errors = json.loads(out).get("errors", [])
        text = "\n".join(e.get("formattedMessage", e.get("message", "")) for e in errors if e["severity"] == "error")
    except (ValueError, AttributeError, TypeError):
        text = str(exc)
    return f"the contracts do not compile; fix the errors below and run `ipledger compile` again\n{text}".rstrip()


def compile_project(config: Config, *, force: bool = False) -> CompileResult:
    """Compiles ``contracts/`` (or loads the cache when nothing changed)."""
    sources = _sources(config)
    std_input = standard_input(config, sources)
    key = cache_key(config, std_input)
    if not force:
        cached = _read_cache(config, key)
        if cached is not None:
            log.info("compile: up to date (cache %s)", key[:12])
            return CompileResult(artifacts=cached[0], cached=True, compiler=cached[1], cache_key=key)
    binary = find_solc(config)
    output = _run_solc(binary, config, std_input)
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    if errors:
        text = "\n".join(e.get("formattedMessage", e["message"]) for e in errors)
        raise CompilerError(f"the contracts do not compile; fix the errors below\n{text}")
    artifacts: dict[str, Artifact] = {}
    for source, contracts in output.get("contracts", {}).items():
        if source not in sources:
            continue  # libraries (OpenZeppelin) are compiled but not written
        for name, c in contracts.items():
            artifacts[name] = Artifact(
                name=name,
                source=source,
                abi=c["abi"],
                bytecode=c["evm"]["bytecode"]["object"],
                deployed_bytecode=c["evm"]["deployedBytecode"]["object"],
                metadata=c["metadata"],
                immutable_references=c["evm"]["deployedBytecode"].get("immutableReferences", {}),
            )
    for art in artifacts.values():
        if art.code_size > MAX_CODE_SIZE:
            raise CompilerError(
                f"{art.name} is {art.code_size} bytes of runtime code, over the EIP-170 limit of {MAX_CODE_SIZE}; "
                "split the contract or lower optimizer runs"
            )
    label = f"{binary.version} ({binary.kind})"
    write_build_info(config, key, binary.version, std_input, output)
    _write_cache(config, key, artifacts, label)
    return CompileResult(artifacts=artifacts, cached=False, compiler=label, cache_key=key)


def load_artifacts(config: Config) -> CompileResult:
    """Compiled artifacts, compiling first when the cache is stale."""
    return compile_project(config)


def main() -> None:  # pragma: no cover - `python -m ipledger.build.compiler`
    from ipledger.config import load_config

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    result = compile_project(load_config(), force="--force" in sys.argv)
    for name, art in sorted(result.artifacts.items()):
        print(f"{name:28} {art.code_size:>6} bytes")


if __name__ == "__main__":  # pragma: no cover
    main()
