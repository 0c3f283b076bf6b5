"""The ``ipledger office`` group: add offices (by WIPO ST.3 code), grant their registrar role, list them, and each
office's national codes for legal events (``office codes set|show``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, show_table, tx_out
from ipledger.cli.params import Address, LegalEventName, NationalCode, Office

if TYPE_CHECKING:
    from ipledger.domain import LegalEvent


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


@office.group("codes")
def office_codes() -> None:
    """An office's national codes for legal events (default: the WIPO ST.27 key event code)."""


@office_codes.command("set")
@click.argument("code", metavar="OFFICE", type=Office())
@click.argument("event", metavar="EVENT", type=LegalEventName())
@click.argument("national", metavar="NATIONAL-CODE", type=NationalCode())
@chain_options
def office_codes_set(session: Session, code: str, event: LegalEvent, national: str) -> None:
    """Set OFFICE's own code for a legal EVENT (a key event code such as F10, or a name such as registered);
    an empty NATIONAL-CODE restores the default (a registrar of OFFICE).

    \b
    Example:  ipledger office codes set EM F10 REG --account 1
    """
    res = session.ledger().set_national_code(code, event, national)
    tx_out(session.as_json, f"national code of {code} set", res,
           {"event": event.name.lower(), "national_code": national or "(default)"})


@office_codes.command("show")
@click.argument("code", metavar="OFFICE", type=Office())
@chain_options
def office_codes_show(session: Session, code: str) -> None:
    """Every legal event with its WIPO ST.27 category and key event code and OFFICE's national code.

    \b
    Example:  ipledger office codes show EM
    """
    from ipledger.domain import KEY_EVENT_CODES, ST27_CATEGORIES

    codes = session.ledger().national_codes(code)
    rows = [(k.name.lower().replace("_", " "), f"{KEY_EVENT_CODES[k][0]} {ST27_CATEGORIES[KEY_EVENT_CODES[k][0]]}",
             KEY_EVENT_CODES[k], v) for k, v in codes.items()]
    data = [{"event": k.name.lower(), "key_event_code": KEY_EVENT_CODES[k], "national_code": v} for k, v in codes.items()]
    emit(session.as_json, data, lambda: show_table(f"Legal-event codes of {code}",
                                                  ("event", "ST.27 category", "key code", "national code"), rows))
