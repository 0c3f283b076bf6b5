"""Commands that set the register up: ``compile``, ``deploy``, ``demo`` and ``node``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ipledger.cli.context import EPHEMERAL_BACKENDS, Session, chain_options, json_option
from ipledger.cli.output import emit
from ipledger.cli.params import Address
from ipledger.errors import IPLedgerError, UsageError


@click.command("compile")
@click.option("--force", is_flag=True, help="Compile even when nothing changed.")
@json_option
def compile_cmd(session: Session, force: bool) -> None:
    """Compile contracts/ into build/ (cached: a warm run makes no compiler call).

    \b
    Example:  ipledger compile
    """
    from ipledger.build.compiler import compile_project
    from ipledger.cli import render as r
    from ipledger.config import load_config

    result = compile_project(load_config(), force=force)
    sizes = {n: a.code_size for n, a in sorted(result.artifacts.items()) if a.code_size}
    data = {"cached": result.cached, "compiler": result.compiler, "contracts": sizes}

    def show() -> None:
        click.echo("up to date (cache)" if result.cached else f"compiled with {result.compiler}")
        r.console().print(r.table("Contracts", ("contract", "runtime bytes"), [(n, f"{s:,}") for n, s in sizes.items()]))

    emit(session.as_json, data, show)


class OfficeSeat(click.ParamType):
    """``CODE=ADMIN`` or ``CODE=ADMIN:recordal``: an initial office of the council and its admin."""

    name = "CODE=ADMIN[:recordal]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ipledger import types
        from ipledger.errors import InvalidInput

        code, sep, rest = str(value).partition("=")
        admin, _, flag = rest.partition(":")
        if not sep or flag not in ("", "recordal"):
            raise InvalidInput(f"an office is given as CODE=ADMIN or CODE=ADMIN:recordal, not {value!r}")
        return types.office(code), types.address(admin, f"admin of {code}"), flag == "recordal"


class Seconds(click.ParamType):
    """Seconds, or a duration such as 15m, 2h or 2d."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ipledger.domain.governance import duration

        return duration(value, "timelock delay")


@click.command()
@chain_options
@click.option("--force", is_flag=True, help="Deploy again even if a valid deployment exists.")
@click.option("--office", "offices", multiple=True, type=OfficeSeat(),
              help="An initial office of the council and its admin, CODE=ADMIN[:recordal] (repeat it). Default on "
                   "local chains: the dev council EM/RU/US.")
@click.option("--guardian", type=Address("guardian"), default=None, help="The account that may pause every register.")
@click.option("--timelock-delay", type=Seconds(), default=None,
              help="Delay between a passed vote and its execution (default 2d; 0 on local dev chains).")
@click.option("--voting-delay", type=click.IntRange(0, 2**48 - 1), default=None, help="Blocks before a vote opens.")
@click.option("--voting-period", type=click.IntRange(1, 2**32 - 1), default=None, help="Blocks a vote stays open.")
@click.option("--allow-zero-delay", is_flag=True, help="Allow --timelock-delay 0 on a chain that is not a dev chain.")
def deploy(session: Session, force: bool, offices: tuple[tuple[str, str, bool], ...], guardian: str | None,
           timelock_delay: int | None, voting_delay: int | None, voting_period: int | None,
           allow_zero_delay: bool) -> None:
    """Deploy the contract suite, hand its governance to the office council, and write deployments/<chain-id>.json.

    Afterwards the deployer holds no role: offices join, rules change and registers unpause or upgrade only by a
    council vote and the timelock delay.

    \b
    Examples:  ipledger deploy --network local                     # the dev council EM, RU, US
               ipledger deploy --network sepolia --account keystore:deployer \\
                   --office EM=0xAb…:recordal --office US=0xCd… --guardian 0xEf… --timelock-delay 2d
    """
    from ipledger.accounts import resolve_account
    from ipledger.build.compiler import compile_project
    from ipledger.chain import connect
    from ipledger.cli import render as r
    from ipledger.config import load_config
    from ipledger.deploy import deploy_suite, load_record, record_path

    network = session.network
    config = load_config()
    settings = config.network(network)
    if settings.backend in EPHEMERAL_BACKENDS:
        raise UsageError(f"network '{network}' is thrown away when the command ends; deploy to a running node "
                         f"(`ipledger node`, then --network local) or run `ipledger demo --network {network}`")
    artifacts = compile_project(config)
    with connect(network, config) as chain:
        signer = resolve_account(chain, session.account, allow_env_key=session.allow_env_key)
        existing = None
        if not force and record_path(config, chain.chain_id).is_file():
            try:
                existing = load_record(config, chain, artifacts)
            except IPLedgerError:
                existing = None
        governance = _governance(chain, offices, guardian, timelock_delay, voting_delay, voting_period,
                                 allow_zero_delay)
        dep = existing or deploy_suite(chain, signer, artifacts, config=config,
                                       confirmations=settings.confirmations, governance=governance)
    data = {"chain_id": dep.chain_id, "network": dep.network, "reused": existing is not None,
            "record": str(record_path(config, dep.chain_id)),
            "contracts": {n: c.address for n, c in dep.contracts.items()}}

    def show() -> None:
        click.echo(("already deployed (valid record) " if existing else "deployed ") + f"on chain {dep.chain_id}; "
                   f"record {data['record']}")
        r.console().print(r.table("Contracts", ("contract", "address", "block"),
                                  [(n, c.address, c.block) for n, c in dep.contracts.items()]))

    emit(session.as_json, data, show)


def _governance(chain: Any, offices: tuple[tuple[str, str, bool], ...], guardian: str | None,
                timelock_delay: int | None, voting_delay: int | None, voting_period: int | None,
                allow_zero_delay: bool) -> Any:
    """The council options of ``deploy``: the dev council on a local chain without --office, else what was given."""
    import dataclasses

    from ipledger.deploy import GovernanceOptions, dev_governance

    if offices:
        base = GovernanceOptions(offices={c: (a, r) for c, a, r in offices}, guardian=guardian)
    elif chain.is_local and len(chain.accounts) >= 13:
        base = dev_governance(chain.accounts)
        # a local chain (loopback node or launched): the dev council, no delay unless one is given
        base = dataclasses.replace(base, guardian=guardian or base.guardian, allow_zero_delay=True)
    else:
        raise UsageError(f"a deployment on {chain.name} needs its council: give the initial offices with "
                         "--office CODE=ADMIN[:recordal] (repeat it) and a --guardian")
    chosen = dataclasses.replace(
        base, allow_zero_delay=allow_zero_delay or base.allow_zero_delay,
        timelock_delay=base.timelock_delay if timelock_delay is None else timelock_delay,
        voting_delay=base.voting_delay if voting_delay is None else voting_delay,
        voting_period=base.voting_period if voting_period is None else voting_period)
    return chosen.checked(chain.chain_id)


@click.command()
@click.option("--network", "-n", default="embedded", show_default=True,
              help="Where to run it: embedded (in process), anvil or ganache (launched and stopped).")
@json_option
def demo(session: Session, network: str) -> None:
    """Deploy on a fresh chain; an applicant requests a trade mark, the office accords and registers it; assign
    it, and print its chain of title and legal events.

    \b
    Examples:  ipledger demo
               ipledger demo --network anvil
    """
    from ipledger.cli import render as r
    from ipledger.sdk.demo import run_demo

    result = run_demo(network)
    if session.as_json:
        r.print_json({"network": result.network, "chain_id": result.chain_id, "contracts": result.contracts,
                      "right": result.right, "title": result.history.title, "gas": result.gas,
                      "status_events": [e.args for e in result.history.status_events],
                      "legal_events": result.history.legal_events, "request": result.request,
                      "licenses": result.license_tree, "council": result.council})
        return
    con = r.console()
    con.print(f"IP Ledger demo on [bold]{result.network}[/] (chain id {result.chain_id})")
    con.print(r.table("Deployed", ("contract", "address"), list(result.contracts.items())))
    if result.request is not None:
        con.print(r.request_table(result.request, result.names))
    con.print(r.right_table(result.right, result.names))
    con.print(r.title_table(result.history, result.names))
    con.print(r.status_table(result.history))
    if result.license_tree:
        con.print(r.license_tree_table(result.license_tree, result.names))
    if result.council:
        con.print(r.table("Council (3 offices, 2 of 3 pass)", ("proposal", "description", "state", "for", "actions"),
                          [(p["id"], p["description"], p["state"], p["votes"]["for"], "; ".join(p["actions"]))
                           for p in result.council]))
    con.print(r.table("Gas used (from receipts)", ("action", "gas"), [(k, f"{v:,}") for k, v in result.gas.items()]))


@click.command()
@click.option("--backend", type=click.Choice(["anvil", "ganache"]), default="anvil", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8545, show_default=True, type=click.IntRange(1, 65535))
@click.option("--state", "state_file", default=".ipledger/node-state.json", show_default=True,
              help="File that keeps the chain between restarts (anvil --state; a folder for ganache).")
@click.option("--chain-id", default=31337, show_default=True, type=int)
def node(backend: str, host: str, port: int, state_file: str, chain_id: int) -> None:
    """Run a local node in the foreground, keeping its state in a file (Ctrl-C stops it).

    \b
    Example:  ipledger node                  # anvil on 127.0.0.1:8545, state in .ipledger/
              ipledger node --backend ganache --port 8546
    """
    import signal
    import socket
    import subprocess

    from ipledger.chain import node_command
    from ipledger.config import load_config

    config = load_config()
    with socket.socket() as s:
        if s.connect_ex((host, port)) == 0:
            raise UsageError(f"port {port} on {host} is in use (a node already running?); stop it or use --port")
    state = Path(state_file)
    if not state.is_absolute():
        state = config.root / state
    state.parent.mkdir(parents=True, exist_ok=True)
    if backend == "ganache":
        state.mkdir(parents=True, exist_ok=True)
    # anvil also dumps its state every few seconds, so a crash loses at most that much
    extra = ("--state-interval", "2") if backend == "anvil" else ()
    cmd = node_command(config, backend, port, chain_id, host=host, state_file=state, extra_args=extra)
    click.echo(f"{backend} on http://{host}:{port} (chain id {chain_id}), state in {state}; Ctrl-C to stop", err=True)
    proc = subprocess.Popen(cmd)

    def stop(signum: int, frame: Any) -> None:
        proc.send_signal(signal.SIGINT)  # the node saves its state on SIGINT

    signal.signal(signal.SIGTERM, stop)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    sys.exit(0 if code in (0, -signal.SIGINT, 130) else code)
