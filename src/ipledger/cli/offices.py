"""The ``ipledger office`` group: list the offices (by WIPO ST.3 code) with their admins, what an office's admin does
in its own office (``office registrar grant|revoke``, national codes for legal events ``office codes set|show``),
and the admin's two-step key rotation (``office admin transfer|accept``). Offices join and leave by a council
vote (``ipledger council propose admit-office|remove-office``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ipledger import types
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, show_table, tx_out
from ipledger.cli.params import Address, LegalEventName, NationalCode, Office

if TYPE_CHECKING:
    from ipledger.domain import LegalEvent


@click.group()
def office() -> None:
    """Offices (by WIPO ST.3 code) and their registrars."""


@office.group("registrar")
def office_registrar() -> None:
    """An office's registrars (its admin names them; they file and record in the office's number space)."""


@office_registrar.command("grant")
@click.argument("code", type=Office())
@click.argument("registrar", type=Address("registrar"))
@chain_options
def office_registrar_grant(session: Session, code: str, registrar: str) -> None:
    """Make REGISTRAR a registrar of office CODE (the office's admin).

    \b
    Example:  ipledger office registrar grant EM 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
    """
    tx_out(session.as_json, f"registrar of {code} granted", session.ledger().grant_registrar(code, registrar))


@office_registrar.command("revoke")
@click.argument("code", type=Office())
@click.argument("registrar", type=Address("registrar"))
@chain_options
def office_registrar_revoke(session: Session, code: str, registrar: str) -> None:
    """Take the registrar role of office CODE from REGISTRAR (the office's admin); it stops at once.

    \b
    Example:  ipledger office registrar revoke EM 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
    """
    tx_out(session.as_json, f"registrar of {code} revoked", session.ledger().revoke_registrar(code, registrar))


@office.group("admin")
def office_admin() -> None:
    """An office's admin key: the admin offers its seat to a new key, which accepts (a lost key: the council)."""


@office_admin.command("transfer")
@click.argument("code", type=Office())
@click.argument("new_admin", metavar="NEW-ADMIN", type=Address("new admin"))
@chain_options
def office_admin_transfer(session: Session, code: str, new_admin: str) -> None:
    """Offer office CODE's seat to NEW-ADMIN (the office's admin); NEW-ADMIN then runs `office admin accept`.
    The zero address withdraws the offer.

    \b
    Example:  ipledger office admin transfer RU 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc --account 10
    """
    fn = session.ledger().council.contract.functions.transferOfficeAdmin(types.office_bytes(code),
                                                                          types.address(new_admin))
    tx_out(session.as_json, f"{code}'s seat offered to {new_admin}", session.ledger().transact(fn, "offer seat"))


@office_admin.command("accept")
@click.argument("code", type=Office())
@chain_options
def office_admin_accept(session: Session, code: str) -> None:
    """Take office CODE's seat offered to you: you cast its vote and name its registrars from now on.

    \b
    Example:  ipledger office admin accept RU --account 8
    """
    fn = session.ledger().council.contract.functions.acceptOfficeAdmin(types.office_bytes(code))
    tx_out(session.as_json, f"admin of {code} is now {session.ledger().address}",
           session.ledger().transact(fn, "accept seat"))


@office.command("list")
@chain_options
def office_list(session: Session) -> None:
    """List the offices with their recordal setting and admin.

    \b
    Example:  ipledger office list --json
    """
    ipl = session.ledger()
    admins = {o["office"]: o["admin"] for o in ipl.council.offices()}
    rows = [{**o, "admin": admins.get(o["office"])} for o in ipl.offices()]
    emit(session.as_json, rows, lambda: show_table(
        "Offices", ("office", "recordal required", "admin"),
        [(o["office"], o["recordal_required"], o["admin"] or "") for o in rows]))


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
