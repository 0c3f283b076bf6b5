"""The ipledger command line, run as a user runs it: a subprocess, real exit codes and output."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from helpers import processes_with_env, run_cli


def test_help_lists_commands_and_does_not_import_web3() -> None:
    res = run_cli("--help")
    assert res.returncode == 0
    for cmd in ("demo", "compile", "deploy", "node", "register", "assign", "history"):
        assert cmd in res.stdout
    probe = subprocess.run([sys.executable, "-c", "import sys, ipledger.cli; "
                            "print('web3' in sys.modules, 'eth_tester' in sys.modules)"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.split() == ["False", "False"], "heavy modules must load lazily"


def test_help_of_every_command_loads_no_heavy_module_and_is_fast() -> None:
    """Every command module is loaded and every --help drawn; web3, eth-tester and eth-utils stay unloaded."""
    script = (
        "import sys, time\n"
        "import click\n"
        "from click.testing import CliRunner\n"
        "from ipledger.cli import cli\n"
        "def paths(group, prefix=()):\n"
        "    for name, command in group.commands.items():\n"
        "        yield (*prefix, name)\n"
        "        if isinstance(command, click.Group):\n"
        "            yield from paths(command, (*prefix, name))\n"
        "for path in [(), *paths(cli)]:\n"
        "    res = CliRunner().invoke(cli, [*path, '--help'])\n"
        "    assert res.exit_code == 0, (path, res.output)\n"
        "print(sorted(m for m in ('web3', 'eth_tester', 'eth_utils', 'eth_abi', 'rich') if m in sys.modules))\n"
    )
    probe = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "[]", f"heavy modules loaded by --help: {probe.stdout}"
    best = min(_seconds(["--help"]) for _ in range(3))
    assert best < 0.5, f"ipledger --help took {best:.2f} s (limit 0.5 s)"


def _seconds(args: list[str]) -> float:
    import time

    start = time.perf_counter()
    res = run_cli(*args)
    assert res.returncode == 0, res.stderr
    return time.perf_counter() - start


def test_every_command_help_shows_an_example() -> None:
    for cmd in (["compile"], ["deploy"], ["demo"], ["node"], ["register"], ["status"], ["assign"], ["accept"],
                ["office", "registrar", "grant"], ["pledge"], ["history"], ["show"]):
        res = run_cli(*cmd, "--help")
        assert res.returncode == 0, res.stderr
        assert "Example" in res.stdout, f"{cmd} help has no example"


def test_help_of_every_leaf_command_shows_an_example() -> None:
    """In process, over the root group's own tree: a new command without an example in its help fails here."""
    import click
    from click.testing import CliRunner

    from ipledger.cli import cli

    def leaves(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for name, command in sorted(group.commands.items()):
            out += leaves(command, (*prefix, name)) if isinstance(command, click.Group) else [(*prefix, name)]
        return out

    found = leaves(cli)
    assert len(found) >= 35, found
    for path in found:
        res = CliRunner().invoke(cli, [*path, "--help"])
        assert res.exit_code == 0, res.output
        assert "Example" in res.output, f"`ipledger {' '.join(path)} --help` shows no example"


def test_demo_prints_chain_of_title() -> None:
    res = run_cli("demo")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Chain of title" in out and "Legal events (WIPO ST.27)" in out
    assert "EM/TM/018234567" in out and "Application request" in out
    title = out[out.index("Chain of title"):out.index("Legal events (WIPO ST.27)")]
    assert title.index("Alice") < title.index("Bob"), "title runs from the applicant to the assignee"
    assert "registered" in out and "F10" in out and "R10" in out


def test_demo_json_has_title_and_gas_from_receipts() -> None:
    import json

    res = run_cli("demo", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [t["how"] for t in data["title"]] == ["filing", "assignment"]
    assert data["right"]["status"] == "registered"
    assert data["gas"]["request application"] > 21_000 and data["gas"]["accord (office files)"] > 21_000


@pytest.mark.nodes
@pytest.mark.parametrize("network", ["anvil", "ganache"])
def test_demo_on_node_leaves_no_process(network: str) -> None:
    marker = uuid.uuid4().hex
    res = run_cli("demo", "--network", network, env={"IPLEDGER_TEST_MARK": marker})
    assert res.returncode == 0, res.stderr
    assert "Chain of title" in res.stdout and "License tree" in res.stdout
    assert f"on {network}" in res.stdout
    assert processes_with_env(marker) == set(), "the node the demo launched must be stopped"


def test_compile_twice_second_is_cached() -> None:
    run_cli("compile")
    res = run_cli("compile", "--json")
    assert res.returncode == 0
    import json

    data = json.loads(res.stdout)
    assert data["cached"] is True and data["contracts"]["IPRegistry"] > 0


@pytest.mark.parametrize("args,needle", [
    (["register", "em", "TM", "1"], "office code 'em' is not two upper-case letters"),
    (["register", "ZZ", "TM", "1"], "not a WIPO ST.3 code"),
    (["register", "EM", "XX", "1"], "IP type 'XX' is unknown"),
    (["register", "EM", "TM", "1", "--holder", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "--content",
      "/no/such/file"], "does not exist"),
    (["register", "EM", "TM", "1", "--content-hash", "0x1234"], "is 2 bytes"),
    (["register", "EM", "TM", "1", "--filing-date", "31/12/2020"], "is not a date"),
    (["assign", "EM/TM/1", "0x123"], "is not an Ethereum address"),
    (["show", "not-an-id"], "is neither a hex id"),
    (["status", "EM/TM/1", "flying"], "status 'flying' is unknown"),
    (["demo", "--network", "anvli"], "Did you mean 'anvil'"),
    (["show", "EM/TM/1", "--network", "embedded"], "starts empty for each command"),
])
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str) -> None:
    res = run_cli(*args)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_no_node_running_exits_1_with_fix() -> None:
    from ipledger.chain import free_port

    res = run_cli("show", "EM/TM/1", "--network", f"http://127.0.0.1:{free_port()}")
    assert res.returncode == 1
    assert "no node answers" in res.stderr and "ipledger node" in res.stderr
    assert "Traceback" not in res.stderr
