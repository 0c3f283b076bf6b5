"""Commands on one right's record: ``register`` (file it), ``status``, ``anchor``; the reads ``show``, ``history``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.indexed import source_option
from ipledger.cli.output import tx_out
from ipledger.cli.params import (
    Address,
    ApplicationNumber,
    Date,
    Hash32,
    IPTypeName,
    Office,
    RightRef,
    StatusName,
    Tag,
    Uri,
    digest,
)
from ipledger.errors import UsageError

if TYPE_CHECKING:
    from ipledger.domain import Status
    from ipledger.types import RightKey


@click.command("register")
@click.argument("office_code", metavar="OFFICE", type=Office())
@click.argument("ip_type", metavar="TYPE", type=IPTypeName())
@click.argument("application_number", type=ApplicationNumber())
@click.option("--content", type=click.Path(dir_okay=False), help="File whose SHA-256 is the content hash.")
@click.option("--content-hash", type=Hash32("content hash"),
              help="The content hash (0x + 64 hex digits) if you hashed it yourself.")
@click.option("--holder", type=Address("holder"), required=True,
              help="The holder the office files for (the right's first owner).")
@click.option("--metadata-uri", default="", type=Uri(),
              help="URI of the ST.96/ST.97-style metadata document (at most 2048 bytes, no white space).")
@click.option("--filing-date", type=Date("filing date"),
              help="The filing date the office accords: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now; never "
                   "in the future).")
@chain_options
def register_cmd(session: Session, office_code: str, ip_type: str, application_number: str, content: str | None,
                 content_hash: bytes | None, holder: str, metadata_uri: str, filing_date: int | None) -> None:
    """The office files a right for a holder: OFFICE TYPE APPLICATION-NUMBER (TYPE: PT UM TM ID CR GI PV).

    Only the office (a registrar of OFFICE) accords application numbers and filing dates, as
    real offices do; an applicant asks for them with `ipledger apply` and the office answers
    with `ipledger accord`.

    \b
    Example:  ipledger register EM TM 018234567 --holder 0x3C44…93BC --content mark.png --account 1
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
@click.argument("right", type=RightRef(key=True))
@source_option
@chain_options
def show(session: Session, right: RightKey, source: str) -> None:
    """Show a right (by 0x id or OFFICE/TYPE/NUMBER) with its ST.27 state and its anchored documents.

    Read from the network's index when it is fresh (`ipledger index`), else from the chain (--from).

    \b
    Example:  ipledger show EM/TM/018234567
    """
    from ipledger.cli import indexed
    from ipledger.cli import render as r

    found = indexed.read(session, right, source)
    if found is not None:
        info, anchors = indexed.record(found)
    else:
        ipl = session.ledger()
        info, anchors = ipl.right(right.id), ipl.anchors(right.id)
    if session.as_json:
        extra = {"token_uri": None} if found is not None and info.token_uri == indexed.ON_CHAIN_URI else {}
        source_ = {"source": found.source} if found is not None else {}
        r.print_json({**r.plain(info), **extra, "anchors": anchors, **source_})
        return
    con = r.console()
    con.print(r.right_table(info))
    if anchors:
        con.print(r.anchor_table(anchors))
    if found is not None:
        con.print(found.note(), style="dim")


@click.command()
@click.argument("right", type=RightRef(key=True))
@source_option
@chain_options
def history(session: Session, right: RightKey, source: str) -> None:
    """A right's chain of title, legal events (ST.27 codes), anchors (holder, office or third party) and licences.

    Read from the network's index when it is fresh (`ipledger index`), else from the chain (--from).

    \b
    Example:  ipledger history EM/TM/018234567
    """
    from ipledger.cli import indexed
    from ipledger.cli import render as r

    found = indexed.read(session, right, source)
    h = indexed.history(found) if found is not None else session.ledger().history(right.id)
    if session.as_json:
        source_ = {"source": found.source} if found is not None else {}
        r.print_json({"right_id": h.right_id, "title": h.title, "legal_events": h.legal_events, "anchors": h.anchors,
                      "events": [{"block": e.block, "name": e.name, "args": e.args} for e in h.events + h.licenses],
                      **source_})
        return
    con = r.console()
    con.print(r.title_table(h))
    con.print(r.status_table(h))
    if h.anchors:
        con.print(r.anchor_table(h.anchors))
    con.print(r.timeline_table(h))
    if found is not None:
        con.print(found.note(), style="dim")
