"""The package keeps its shape: one home per concern, one direction of flow (shared/DESIGN.md §3).

These checks read the source with ``ast``; they run no code of the package. Each failure names
the module and the line to look at.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT

PACKAGE = ROOT / "src" / "ipledger"
MAX_LINES = 500
# The layers of shared/DESIGN.md §3, lowest first. A module may import its own layer and those below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("ipledger.errors",),
    ("ipledger.types", "ipledger.domain"),
    ("ipledger.config",),
    ("ipledger.build",),
    ("ipledger.abi", "ipledger.rpc"),
    ("ipledger.chain", "ipledger.accounts"),
    ("ipledger.tx",),
    ("ipledger.deploy",),
    ("ipledger.index",),  # below the SDK, which reads events from it (shared/DESIGN.md §3 has it above: proposed)
    ("ipledger.sdk",),
    ("ipledger.bulk", "ipledger.serve"),
    ("ipledger.cli", "ipledger.integrations"),
)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, imported module, imported names) for every import in the file, lazy ones included."""
    tree = ast.parse(path.read_text(), str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, target, [a.name for a in node.names]


def edges(name: str) -> set[str]:
    """The package modules ``name`` imports (a ``from pkg import sub`` names the submodule)."""
    out = set()
    for _, target, names in imports(MODULES[name]):
        if not target.startswith("ipledger"):
            continue
        subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
        out.update(subs or ([target] if target in MODULES else []))
    out.discard(name)
    return out


def layer_of(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        if any(name == top or name.startswith(top + ".") for top in layer):
            return i
    return -1  # the package's own __init__ and anything not yet placed


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_stays_small(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines (limit {MAX_LINES}): split it by concern"


def test_every_module_has_a_docstring() -> None:
    missing = [n for n, p in MODULES.items() if not ast.get_docstring(ast.parse(p.read_text()))]
    assert not missing, f"modules without a docstring saying what they are for: {missing}"


def test_no_import_cycle() -> None:
    graph = {name: edges(name) for name in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_imports_flow_one_way() -> None:
    wrong = []
    for name in MODULES:
        mine = layer_of(name)
        for target in edges(name):
            theirs = layer_of(target)
            if mine >= 0 and theirs > mine:
                wrong.append(f"{name} (layer {mine}) imports {target} (layer {theirs})")
    assert not wrong, "imports against the flow config → build → chain → tx → deploy → sdk → cli:\n" + "\n".join(wrong)


def test_no_module_imports_a_private_name() -> None:
    found = []
    for name, path in MODULES.items():
        for line, target, names in imports(path):
            private = [n for n in names if n.startswith("_") and n != "__future__"]
            if target.startswith("ipledger") and private:
                found.append(f"{path.relative_to(ROOT)}:{line}: from {target} import {', '.join(private)}")
            if target.startswith("ipledger") and any(part.startswith("_") and not part.startswith("__")
                                                     for part in target.split(".")):
                found.append(f"{path.relative_to(ROOT)}:{line}: import of private module {target}")
    assert not found, "private names imported across modules:\n" + "\n".join(found)


# A function signature written by hand: name(type,...) with ABI types, in a string.
SIGNATURE = re.compile(r"""["'][A-Za-z_]\w*\((?:(?:u?int\d*|bytes\d*|address|bool|string|tuple|\()[^"']*)?\)["']""")
# EVM assembled by hand: opcode mnemonics or raw init-code prefixes in Python.
OPCODES = re.compile(r"\b(?:CALLDATACOPY|CODECOPY|RETURNDATACOPY|STATICCALL|MSTORE|JUMPDEST|PUSH\d+)\b|0x6080604052|\"6080604052")


def test_no_hand_written_signature_selector_or_bytecode() -> None:
    found = []
    for name, path in MODULES.items():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SIGNATURE.search(line) or OPCODES.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
            if re.search(r"bytes\.fromhex\([\"'][0-9a-fA-F]{8}[\"']\)", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: a 4-byte selector typed by hand: {line.strip()}")
    assert not found, "derive signatures, selectors and code from the compiled ABI (ipledger.abi):\n" + "\n".join(found)


def test_checks_see_the_whole_package() -> None:
    """The checks above would pass vacuously on an empty tree: they must see the rooms of DESIGN.md §3."""
    for room in ("ipledger.errors", "ipledger.types", "ipledger.domain", "ipledger.config", "ipledger.build",
                 "ipledger.chain", "ipledger.abi", "ipledger.tx", "ipledger.deploy", "ipledger.sdk", "ipledger.bulk",
                 "ipledger.cli", "ipledger.integrations.brownie"):
        assert room in MODULES, f"{room} is missing"
    assert all(layer_of(n) >= 0 for n in MODULES if n != "ipledger"), \
        [n for n in MODULES if layer_of(n) < 0 and n != "ipledger"]
    assert edges("ipledger.sdk.client"), "the import graph is empty: the parser is broken"


def test_test_file_names_are_unique() -> None:
    """pytest imports test files by base name (rootdir conftest, no packages): two of one name break collection."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if path.name in seen:
            clashes.append(f"{seen[path.name].relative_to(ROOT)} and {path.relative_to(ROOT)}")
        seen[path.name] = path
    assert len(seen) > 30, "the walk found too few test files"
    assert not clashes, "test files with the same name: " + "; ".join(clashes)
