"""Commands that set the register up: ``compile``, ``deploy``, ``demo`` and ``node``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ipledger.cli.context import EPHEMERAL_BACKENDS, Session, chain_options, json_option
from ipledger.cli.output import emit
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


@click.command()
@chain_options
@click.option("--force", is_flag=True, help="Deploy again even if a valid deployment exists.")
def deploy(session: Session, force: bool) -> None:
    """Deploy the contract suite and write deployments/<chain-id>.json.

    \b
    Example:  ipledger deploy --network local
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
        dep = existing or deploy_suite(chain, signer, artifacts, config=config,
                                       confirmations=settings.confirmations)
    data = {"chain_id": dep.chain_id, "network": dep.network, "reused": existing is not None,
            "record": str(record_path(config, dep.chain_id)),
            "contracts": {n: c.address for n, c in dep.contracts.items()}}

    def show() -> None:
        click.echo(("already deployed (valid record) " if existing else "deployed ") + f"on chain {dep.chain_id}; "
                   f"record {data['record']}")
        r.console().print(r.table("Contracts", ("contract", "address", "block"),
                                  [(n, c.address, c.block) for n, c in dep.contracts.items()]))

    emit(session.as_json, data, show)


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
                      "licenses": result.license_tree})
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
