"""Upgrade safety: OpenZeppelin upgrades-core's ``validate`` over the compiler's build-info files.

``validate(config)`` compiles when the cache is stale, then runs
``npx --no-install @openzeppelin/upgrades-core validate build/build-info [--contract X --reference Y]``
(the pinned npm package, never a download) and turns its report into one line per problem::

    UpgradeProbeBrokenHead: contracts/mocks/UpgradeProbeBrokenHead.sol:12: Inserted `inserted`

Without ``contract`` every upgradeable contract of the build is checked for what makes an implementation
unsafe behind a proxy (a constructor, an immutable, a selfdestruct or delegatecall, a missing initializer),
except the deliberately broken test doubles (``contracts/mocks/*Broken*.sol``) and the delegatecall target of
IPRegistry (``NOT_BEHIND_A_PROXY``). With ``contract`` and ``reference`` the storage layout of ``contract``
is also compared with ``reference``'s: a field inserted, removed, retyped or reordered in a namespaced
(ERC-7201) struct or in plain storage is refused. A reference from an earlier build (the implementation a
proxy runs today) is named ``<dir>:<Contract>`` with its build-info directory in ``reference_dirs``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ipledger.build.buildinfo import build_info_dir
from ipledger.build.compiler import compile_project
from ipledger.config import Config
from ipledger.errors import CompilerError

#: Test doubles that are unsafe on purpose: left out of a whole-build check, checked when named.
UNSAFE_ON_PURPOSE = ("contracts/mocks/*Broken*.sol",)
#: Contracts that inherit the upgradeable bases but never sit behind a proxy, so "missing initializer" does not
#: apply: IPRegistryExtension is the code IPRegistry runs by delegatecall on the proxy's storage (created by each
#: implementation, refusing direct calls); its storage is IPRegistryBase's, which IPRegistry's check covers.
NOT_BEHIND_A_PROXY = ("contracts/registry/IPRegistryExtension.sol",)
TIMEOUT_SECONDS = 300

_CONTRACT = re.compile(r"^\s*(?P<mark>[✔✘])\s+(?P<fqn>\S+?:\S+)(?:\s+\(upgrades from (?P<ref>[^)]+)\))?\s*$")
_PROBLEM = re.compile(r"^\s+(?P<where>\S+\.sol:\d+):\s+(?P<what>.+?)\s*$")


@dataclass(frozen=True)
class ContractCheck:
    """One contract's verdict: its name, the reference it was compared with, its problems."""

    name: str
    source: str
    reference: str | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class LayoutReport:
    """What upgrades-core said: every contract it checked, and the report as printed."""

    ok: bool
    contracts: tuple[ContractCheck, ...]
    text: str

    @property
    def problems(self) -> tuple[str, ...]:
        """One line per problem: ``Contract: file.sol:line: what``."""
        return tuple(f"{c.name}: {p}" for c in self.contracts for p in c.problems)

    def __getitem__(self, name: str) -> ContractCheck:
        for check in self.contracts:
            if check.name == name or check.source == name:
                return check
        raise KeyError(name)


def _npx() -> str:
    npx = shutil.which("npx")
    if npx is None:
        raise CompilerError("npx is not on PATH; install Node.js (>= 18) and run `make setup`")
    return npx


def _package(root: Path) -> Path:
    package = root / "node_modules" / "@openzeppelin" / "upgrades-core" / "package.json"
    if not package.is_file():
        raise CompilerError(f"{package.parent} is missing; run `npm ci` (or `make setup`) in {root}")
    return package


def parse_report(text: str) -> tuple[ContractCheck, ...]:
    """The contracts and problems of upgrades-core's printed report.

    A problem is a ``file.sol:line: message`` line under a ``✘`` contract; the lines indented under it (the
    advice and the link) are left out, the message is kept whole.
    """
    checks: list[ContractCheck] = []

    fqn = ref = ""
    failed = False
    problems: list[str] = []
    raw: list[str] = []

    def close() -> None:
        if not fqn:
            return
        if failed and not problems:  # a problem upgrades-core printed without a location: its first line
            problems.append(raw[0] if raw else "refused by upgrades-core (see `ipledger upgrade check --verbose`)")
        checks.append(ContractCheck(name=fqn.rsplit(":", 1)[1], source=fqn, reference=ref or None,
                                    problems=tuple(problems)))

    for line in text.splitlines():
        head = _CONTRACT.match(line)
        if head:
            close()
            fqn, ref, failed = head["fqn"], head["ref"] or "", head["mark"] == "✘"
            problems, raw = [], []
        elif fqn and line.strip() and not line.strip().startswith(("FAILED", "SUCCESS")):
            raw.append(line.strip())
            problem = _PROBLEM.match(line)
            if problem:
                problems.append(f"{problem['where']}: {problem['what']}")
    close()
    return tuple(checks)


def validate(
    config: Config,
    *,
    contract: str | None = None,
    reference: str | None = None,
    reference_dirs: tuple[Path, ...] = (),
    build_dir: Path | None = None,
) -> LayoutReport:
    """Runs upgrades-core's ``validate`` over the current build (compiling first when it is stale).

    ``reference`` needs ``contract``. ``build_dir`` overrides the build-info directory (default
    ``build/build-info``, the current compile). Raises :class:`CompilerError` when the check cannot run (no
    such contract, no Node.js), never for a contract that fails: that is ``report.ok == False``.
    """
    if reference is not None and contract is None:
        raise CompilerError("--reference needs --contract: name the contract to compare with the reference")
    _package(config.root)
    if build_dir is None:
        compile_project(config)
        build_dir = build_info_dir(config)
    args = [_npx(), "--no-install", "@openzeppelin/upgrades-core", "validate", str(build_dir)]
    if contract is not None:
        args += ["--contract", contract]
        if reference is not None:
            args += ["--reference", reference]
    else:
        for pattern in UNSAFE_ON_PURPOSE + NOT_BEHIND_A_PROXY:
            args += ["--exclude", pattern]
    for folder in reference_dirs:
        args += ["--referenceBuildInfoDirs", str(folder)]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, cwd=config.root, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise CompilerError(f"upgrades-core validate took over {TIMEOUT_SECONDS} s; run it by hand: {' '.join(args)}") from None
    text = (proc.stdout + proc.stderr).strip()
    checks = parse_report(proc.stdout)
    if proc.returncode != 0 and not any(not c.ok for c in checks):
        raise CompilerError(f"upgrades-core validate could not check the build: {_reason(text)}")
    return LayoutReport(ok=proc.returncode == 0 and all(c.ok for c in checks), contracts=checks, text=text)


def _reason(text: str) -> str:
    """The one line of a failed run that says what went wrong (upgrades-core's error, not its stack)."""
    for line in text.splitlines():
        line = line.strip()
        named = re.match(r"^\w+(?: \[Error\])?:\s+(?P<msg>.+)$", line)
        if named and (line.startswith(("Error", "ValidateCommandError")) or "[Error]" in line):
            return named["msg"]
        if line.startswith("Ensure ") or "not found" in line.lower() or "could not find" in line.lower():
            return line
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "no output"
