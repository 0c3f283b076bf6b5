"""The ``ipledger`` command line: thin commands over the SDK.

Every command takes ``--network``, ``--account`` and ``--json``; errors print one line on
stderr and exit 2 (bad input) or 1 (refused by the chain, or the chain unreachable).
Heavy modules are imported inside the commands so that ``ipledger --help`` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ipledger.errors import IPLedgerError, UsageError

DEFAULT_NETWORK_ENV = "IPLEDGER_NETWORK"
MAX_DATE = 2**40 - 1  # the contracts store dates as uint40 seconds (up to the year 36812)
MAX_UINT256 = 2**256 - 1


# ---------------------------------------------------------------- shared options


def _network_default() -> str:
    return os.environ.get(DEFAULT_NETWORK_ENV, "local")


def chain_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--network, --account, --allow-env-key, --json."""
    func = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)
    func = click.option("--allow-env-key", is_flag=True,
                        help="Allow --account env: sign with the raw key in IPLEDGER_PRIVATE_KEY.")(func)
    func = click.option("--account", "-a", default="0", show_default=True,
                        help="Signer: dev account index or address, keystore:NAME, or env (with --allow-env-key).")(func)
    func = click.option("--network", "-n", default=_network_default, show_default="local, or $IPLEDGER_NETWORK",
                        help="Network from brownie-config.yaml (local, anvil, ganache, sepolia, ...) or an RPC URL.")(func)
    return func


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)


def _client(network: str, account: str, allow_env_key: bool) -> Any:
    """An SDK connection to a deployed register."""
    from ipledger.accounts import resolve_account
    from ipledger.chain import connect
    from ipledger.sdk import IPLedger
    from ipledger.config import load_config

    config = load_config()
    settings = config.network(network)
    if settings.backend in ("embedded", "anvil", "ganache"):
        raise UsageError(
            f"network '{network}' starts empty for each command; run `ipledger node` in another terminal and use "
            "--network local, or try everything at once with `ipledger demo`"
        )
    chain = connect(network, config)
    try:
        if settings.live and account == "env" and not allow_env_key:
            raise UsageError("live networks need an encrypted keystore (--account keystore:NAME) or --allow-env-key")
        signer = resolve_account(chain, account, allow_env_key=allow_env_key)
        return IPLedger.connect(chain=chain, account=signer, config=config)
    except BaseException:
        chain.close()
        raise


def _emit(as_json: bool, value: Any, render: Callable[[], None]) -> None:
    from ipledger.cli import render as r

    if as_json:
        r.print_json(value)
    else:
        render()


def _tx_out(as_json: bool, what: str, res: Any, extra: dict[str, Any] | None = None) -> None:
    from ipledger.cli import render as r

    data = {"action": what, "tx_hash": res.tx_hash, "gas_used": res.gas_used, "block": res.block,
            "events": [{"name": e.name, "args": e.args} for e in res.events], **(extra or {})}
    if as_json:
        r.print_json(data)
        return
    line = f"{what}: block {res.block}, gas {res.gas_used:,}, tx {res.tx_hash}"
    for k, v in (extra or {}).items():
        line += f"\n  {k}: {r.plain(v)}"
    click.echo(line)


def _right_arg(value: str) -> int:
    from ipledger.types import right_ref as parse_right_ref

    return parse_right_ref(value)


def _date(value: str | None, what: str) -> int | None:
    """A date as YYYY-MM-DD (UTC midnight) or unix seconds."""
    if value is None:
        return None
    import datetime as dt

    text = value.strip()
    if text.isascii() and text.isdigit():  # str.isdigit() alone also accepts '²', which int() refuses
        seconds = int(text)
    else:
        try:
            d = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            raise UsageError(f"{what} '{value}' is not a date; use YYYY-MM-DD (e.g. 2031-05-01) or unix seconds") from None
        seconds = int(d.timestamp())
    if not 0 <= seconds <= MAX_DATE:
        raise UsageError(f"{what} '{value}' is out of range; give a date from 1970-01-01 on (at most {MAX_DATE} s)")
    return seconds


def _signature_arg(value: str | None) -> str | None:
    """Checks an EIP-712 signature given as 0x + 130 hex digits (65 bytes) before anything connects."""
    if value is not None:
        from ipledger.types import signature as signature_bytes

        if len(signature_bytes(value, "--relay signature")) != 65:
            raise UsageError(f"--relay signature '{value}' is not 65 bytes (0x followed by 130 hex digits); "
                             "copy it whole from --sign-only")
    return value


def _hash_arg(value: str | None, file: str | None, what: str) -> bytes | None:
    """A hash given directly (0x…) or computed as SHA-256 of a file."""
    from ipledger.types import bytes32 as to_bytes32

    if value and file:
        raise UsageError(f"give either --{what}-hash or --{what}, not both")
    if file:
        import hashlib

        path = Path(file)
        if not path.is_file():
            raise UsageError(f"file '{file}' does not exist; give the path of an existing {what} file")
        return hashlib.sha256(path.read_bytes()).digest()
    return to_bytes32(value, f"{what} hash") if value else None


def _accept_or_sign(as_json: bool, sign_only: bool, relay_sig: str | None, deadline: int, what: str,
                    sign: Callable[[int], bytes], relay: Callable[[int, str], Any], accept: Callable[[], Any],
                    ids: dict[str, Any]) -> None:
    """The three ways to accept: sign off line and print the signature, relay one, or accept directly."""
    if sign_only:
        data = {**ids, "deadline": deadline, "signature": "0x" + sign(deadline).hex()}
        _emit(as_json, data, lambda: click.echo(f"signature {data['signature']}\ndeadline {deadline}"))
    elif relay_sig:
        _tx_out(as_json, f"{what} acceptance relayed", relay(deadline, relay_sig))
    else:
        _tx_out(as_json, f"{what} accepted", accept())


def handled(func: Callable[..., Any]) -> Callable[..., Any]:
    """Runs a command; toolkit errors become one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IPLedgerError as exc:
            click.echo(f"error: {_one_line(str(exc))}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _one_line(text: str) -> str:
    """The message on one line: newlines, control and invisible characters of echoed values are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# ---------------------------------------------------------------- the group


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ipledger")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (compiler choice, node start) on stderr.")
def cli(verbose: bool) -> None:
    """IP Ledger: a shared blockchain register of IP rights.

    \b
    Try it:      ipledger demo
    Local node:  ipledger node            (another terminal)
                 ipledger deploy && ipledger office add EM --recordal
                 ipledger register EM TM 018234567 --content mark.png
                 ipledger history EM/TM/018234567
    """
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


# ---------------------------------------------------------------- build and deploy


@cli.command("compile")
@click.option("--force", is_flag=True, help="Compile even when nothing changed.")
@json_option
@handled
def compile_cmd(force: bool, as_json: bool) -> None:
    """Compile contracts/ into build/ (cached: a warm run makes no compiler call).

    \b
    Example:  ipledger compile
    """
    from ipledger.cli import render as r
    from ipledger.build.compiler import compile_project
    from ipledger.config import load_config

    result = compile_project(load_config(), force=force)
    sizes = {n: a.code_size for n, a in sorted(result.artifacts.items()) if a.code_size}
    data = {"cached": result.cached, "compiler": result.compiler, "contracts": sizes}

    def show() -> None:
        click.echo("up to date (cache)" if result.cached else f"compiled with {result.compiler}")
        r.console().print(r.table("Contracts", ("contract", "runtime bytes"), [(n, f"{s:,}") for n, s in sizes.items()]))

    _emit(as_json, data, show)


@cli.command()
@chain_options
@click.option("--force", is_flag=True, help="Deploy again even if a valid deployment exists.")
@handled
def deploy(network: str, account: str, allow_env_key: bool, as_json: bool, force: bool) -> None:
    """Deploy the contract suite and write deployments/<chain-id>.json.

    \b
    Example:  ipledger deploy --network local
    """
    from ipledger.cli import render as r
    from ipledger.accounts import resolve_account
    from ipledger.chain import connect
    from ipledger.build.compiler import compile_project
    from ipledger.config import load_config
    from ipledger.deploy import deploy_suite, load_record, record_path

    config = load_config()
    settings = config.network(network)
    if settings.backend in ("embedded", "anvil", "ganache"):
        raise UsageError(f"network '{network}' is thrown away when the command ends; deploy to a running node "
                         "(`ipledger node`, then --network local) or run `ipledger demo --network {network}`")
    artifacts = compile_project(config)
    with connect(network, config) as chain:
        signer = resolve_account(chain, account, allow_env_key=allow_env_key)
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

    _emit(as_json, data, show)


@cli.command()
@click.option("--network", "-n", default="embedded", show_default=True,
              help="Where to run it: embedded (in process), anvil or ganache (launched and stopped).")
@json_option
@handled
def demo(network: str, as_json: bool) -> None:
    """Deploy on a fresh chain, register a trade mark, assign it, and print its chain of title.

    \b
    Examples:  ipledger demo
               ipledger demo --network anvil
    """
    from ipledger.cli import render as r
    from ipledger.sdk.demo import run_demo

    result = run_demo(network)
    if as_json:
        r.print_json({"network": result.network, "chain_id": result.chain_id, "contracts": result.contracts,
                      "right": result.right, "title": result.history.title, "gas": result.gas,
                      "status_events": [e.args for e in result.history.status_events],
                      "licenses": result.license_tree})
        return
    con = r.console()
    con.print(f"IP Ledger demo on [bold]{result.network}[/] (chain id {result.chain_id})")
    con.print(r.table("Deployed", ("contract", "address"), list(result.contracts.items())))
    con.print(r.right_table(result.right, result.names))
    con.print(r.title_table(result.history, result.names))
    con.print(r.status_table(result.history))
    if result.license_tree:
        from ipledger.cli.render import license_tree_table

        con.print(license_tree_table(result.license_tree, result.names))
    con.print(r.table("Gas used (from receipts)", ("action", "gas"), [(k, f"{v:,}") for k, v in result.gas.items()]))


@cli.command()
@click.option("--backend", type=click.Choice(["anvil", "ganache"]), default="anvil", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8545, show_default=True, type=click.IntRange(1, 65535))
@click.option("--state", "state_file", default=".ipledger/node-state.json", show_default=True,
              help="File that keeps the chain between restarts (anvil --state; a folder for ganache).")
@click.option("--chain-id", default=31337, show_default=True, type=int)
@handled
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

    def stop(signum: int, _frame: Any) -> None:
        proc.send_signal(signal.SIGINT)  # the node saves its state on SIGINT

    signal.signal(signal.SIGTERM, stop)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    sys.exit(0 if code in (0, -signal.SIGINT, 130) else code)


def main() -> None:
    """Console-script entry point."""
    from ipledger.cli import bulk as cli_bulk
    from ipledger.cli import commands as cli_commands
    from ipledger.cli import license as cli_license  # noqa: F401 - register the commands

    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        if os.environ.get("IPLEDGER_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} (set IPLEDGER_DEBUG=1 for the traceback "
                   "and please report it)", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
