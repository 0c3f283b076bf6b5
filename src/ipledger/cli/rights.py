"""Commands on one right's record: ``register`` (file it), ``status``, ``anchor``; the reads ``show``, ``history``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import (
    Address, ApplicationNumber, Date, Hash32, IPTypeName, Office, RightRef, StatusName, Tag, digest,
)
from ipledger.errors import UsageError

if TYPE_CHECKING:
    from ipledger.domain import Status


@click.command("register")
@click.argument("office_code", metavar="OFFICE", type=Office())
@click.argument("ip_type", metavar="TYPE", type=IPTypeName())
@click.argument("application_number", type=ApplicationNumber())
@click.option("--content", type=click.Path(dir_okay=False), help="File whose SHA-256 is the content hash.")
@click.option("--content-hash", type=Hash32("content hash"),
              help="The content hash (0x + 64 hex digits) if you hashed it yourself.")
@click.option("--holder", type=Address("holder"), help="File for this holder (registrars only); default: the signer.")
@click.option("--metadata-uri", default="", help="URI of the ST.96/ST.97-style metadata document.")
@click.option("--filing-date", type=Date("filing date"), help="YYYY-MM-DD (default: now).")
@chain_options
def register_cmd(session: Session, office_code: str, ip_type: str, application_number: str, content: str | None,
                 content_hash: bytes | None, holder: str | None, metadata_uri: str, filing_date: int | None) -> None:
    """File a right: OFFICE TYPE APPLICATION-NUMBER (TYPE: PT UM TM ID CR GI PV).

    \b
    Example:  ipledger register EM TM 018234567 --content mark.png
    """
    from ipledger.domain import format_right_id

    content_digest = digest(content_hash, content, "content")
    res = session.ledger().file(office_code, ip_type, application_number, holder=holder, content_hash=content_digest,
                                metadata_uri=metadata_uri, filing_date=filing_date or 0)
    tx_out(session.as_json, "filed", res, {"right_id": format_right_id(res.right_id),
                                           "ref": f"{office_code}/{ip_type.upper()}/{application_number}"})


@click.command("status")
@click.argument("right", type=RightRef())
@click.argument("to", type=StatusName())
@click.option("--registration-number", help="For TO=registered: the registration number.")
@click.option("--expiry", type=Date("expiry date"),
              help="For registered/renewed: expiry date YYYY-MM-DD (default: 10 years).")
@click.option("--effective", type=Date("effective date"), help="Effective date YYYY-MM-DD (default: now).")
@click.option("--document", type=click.Path(dir_okay=False), help="Supporting document (its SHA-256 is recorded).")
@click.option("--document-hash", type=Hash32("document hash"), help="Hash of the supporting document.")
@chain_options
def status_cmd(session: Session, right: int, to: Status, registration_number: str | None, expiry: int | None,
               effective: int | None, document: str | None, document_hash: bytes | None) -> None:
    """Move a right to a new legal status (registrar; holders may withdraw or surrender).

    \b
    Examples:  ipledger status EM/TM/018234567 published
               ipledger status EM/TM/018234567 registered --registration-number 018234567 --expiry 2036-01-01
               ipledger status EM/TM/018234567 surrendered --account 2
    """
    from ipledger.domain import Status

    doc = digest(document_hash, document, "document")
    if to is Status.REGISTERED and not (registration_number or "").strip():
        raise UsageError("moving to registered needs --registration-number")
    if to is Status.RENEWED and expiry is None:
        raise UsageError("renewal needs --expiry YYYY-MM-DD (after the current expiry)")
    ipl = session.ledger()
    if to is Status.REGISTERED:
        res = ipl.register(right, str(registration_number), registration_date=effective, expiry_date=expiry,
                           document_hash=doc)
    elif to is Status.RENEWED:
        res = ipl.renew(right, int(expiry or 0), document_hash=doc)
    else:
        res = ipl.change_status(right, to, effective_date=effective or 0, document_hash=doc)
    tx_out(session.as_json, f"status {to.name.lower()}", res)


@click.command()
@click.argument("right", type=RightRef())
@click.option("--document", type=click.Path(dir_okay=False), help="The document (its SHA-256 is anchored).")
@click.option("--document-hash", type=Hash32("document hash"), help="The document's hash.")
@click.option("--tag", type=Tag(), default="document", show_default=True,
              help="Its role: deed, priority, evidence, ...")
@chain_options
def anchor(session: Session, right: int, document: str | None, document_hash: bytes | None, tag: str) -> None:
    """Anchor a document's hash against a right (proof of existence at the block time).

    \b
    Example:  ipledger anchor EM/TM/018234567 --document priority.pdf --tag priority
    """
    doc = digest(document_hash, document, "document")
    if doc is None:
        raise UsageError("give --document FILE or --document-hash 0x…")
    tx_out(session.as_json, "anchored", session.ledger().anchor(right, doc, tag))


@click.command()
@click.argument("right", type=RightRef())
@chain_options
def show(session: Session, right: int) -> None:
    """Show a right (by 0x id or OFFICE/TYPE/NUMBER).

    \b
    Example:  ipledger show EM/TM/018234567
    """
    from ipledger.cli import render as r

    info = session.ledger().right(right)
    emit(session.as_json, info, lambda: r.console().print(r.right_table(info)))


@click.command()
@click.argument("right", type=RightRef())
@chain_options
def history(session: Session, right: int) -> None:
    """A right's chain of title, legal-status events, anchors and licenses as a timeline.

    \b
    Example:  ipledger history EM/TM/018234567
    """
    from ipledger.cli import render as r

    h = session.ledger().history(right)
    if session.as_json:
        r.print_json({"right_id": h.right_id, "title": h.title,
                      "events": [{"block": e.block, "name": e.name, "args": e.args} for e in h.events + h.licenses]})
        return
    con = r.console()
    con.print(r.title_table(h))
    con.print(r.status_table(h))
    con.print(r.timeline_table(h))
