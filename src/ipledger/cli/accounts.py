"""The ``ipledger accounts`` group: encrypted keystore accounts (create, import a key, list)."""

from __future__ import annotations

import sys

import click

from ipledger.cli.context import Session, default_network, json_option
from ipledger.cli.output import emit, show_table
from ipledger.errors import UsageError


@click.group()
def accounts() -> None:
    """Encrypted keystore accounts (~/.ipledger/keystores or $IPLEDGER_KEYSTORE_DIR)."""


@accounts.command("new")
@click.argument("name")
@json_option
def accounts_new(session: Session, name: str) -> None:
    """Create a new account in an encrypted keystore (password from a prompt or $IPLEDGER_KEYSTORE_PASSWORD).

    \b
    Example:  ipledger accounts new office-em
              ipledger register EM TM 1 --network sepolia --account keystore:office-em
    """
    from ipledger.accounts import create_keystore

    addr = create_keystore(name)
    emit(session.as_json, {"name": name, "address": addr}, lambda: click.echo(f"created keystore '{name}': {addr}"))


@accounts.command("import")
@click.argument("name")
@click.option("--from-env", is_flag=True, help="Read the key from $IPLEDGER_PRIVATE_KEY instead of a prompt.")
@json_option
def accounts_import(session: Session, name: str, from_env: bool) -> None:
    """Import a private key into an encrypted keystore (the key is never shown or logged).

    \b
    Example:  ipledger accounts import office-em          # prompts for the key, then a password
    """
    import getpass
    import os

    from ipledger.accounts import KEY_ENV, create_keystore

    if from_env:
        key = os.environ.get(KEY_ENV, "")
        if not key:
            raise UsageError(f"{KEY_ENV} is not set")
    else:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to prompt for the key: use --from-env with $IPLEDGER_PRIVATE_KEY")
        key = getpass.getpass("private key (hidden): ")
    addr = create_keystore(name, private_key=key)
    emit(session.as_json, {"name": name, "address": addr},
         lambda: click.echo(f"imported into keystore '{name}': {addr}"))


@accounts.command("list")
@click.option("--network", "-n", default=default_network, show_default="local, or $IPLEDGER_NETWORK",
              help="Also list the dev accounts of this network when it is local (none for a live network).")
@json_option
def accounts_list(session: Session, network: str) -> None:
    """List keystore accounts and, for a local network, its dev accounts (--account 0, 1, ...).

    The network is the one every other command would use: --network, else $IPLEDGER_NETWORK,
    else local.

    \b
    Example:  ipledger accounts list --network local
    """
    from ipledger.accounts import list_keystores
    from ipledger.chain import dev_accounts
    from ipledger.config import load_config

    live = load_config().network(network).live  # an unknown network name is refused here, as everywhere
    rows = [{"account": f"keystore:{k['name']}", "address": k["address"]} for k in list_keystores()]
    if not live:
        rows += [{"account": str(i), "address": a.address} for i, a in enumerate(dev_accounts())]
    emit(session.as_json, rows, lambda: show_table(
        "Accounts", ("--account", "address"), [(x["account"], x["address"]) for x in rows]))
