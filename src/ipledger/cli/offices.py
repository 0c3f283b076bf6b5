"""The ``ipledger office`` group: add offices (by WIPO ST.3 code), grant their registrar role, list them."""

from __future__ import annotations

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, show_table, tx_out
from ipledger.cli.params import Address, Office


@click.group()
def office() -> None:
    """Offices (by WIPO ST.3 code) and their registrars."""


@office.command("add")
@click.argument("code", type=Office())
@click.option("--recordal/--no-recordal", default=False, show_default=True,
              help="Whether assignments need recordal by the office's registrar.")
@chain_options
def office_add(session: Session, code: str, recordal: bool) -> None:
    """Add an office (governor).

    \b
    Example:  ipledger office add EM --recordal
    """
    tx_out(session.as_json, f"office {code} added", session.ledger().add_office(code, recordal))


@office.command("grant")
@click.argument("code", type=Office())
@click.argument("registrar", type=Address("registrar"))
@chain_options
def office_grant(session: Session, code: str, registrar: str) -> None:
    """Grant an office's registrar role to an address (governor).

    \b
    Example:  ipledger office grant EM 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
    """
    tx_out(session.as_json, f"registrar of {code} granted", session.ledger().grant_registrar(code, registrar))


@office.command("list")
@chain_options
def office_list(session: Session) -> None:
    """List the offices.

    \b
    Example:  ipledger office list --json
    """
    rows = session.ledger().offices()
    emit(session.as_json, rows, lambda: show_table(
        "Offices", ("office", "recordal required"), [(o["office"], o["recordal_required"]) for o in rows]))
