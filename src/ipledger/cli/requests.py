"""Application requests and corrections: ``apply`` (an applicant asks), ``accord`` / ``refuse`` (the office answers),
``withdraw-request`` (the applicant), ``request`` (read one), ``correct filing-date`` (the office).

Only the office accords application numbers and filing dates: an applicant's request is a
proof of existence (its block time) that occupies no office number until the office accords it.
"""

from __future__ import annotations

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import ApplicationNumber, Date, Hash32, IPTypeName, Office, RightRef, Uri, digest

#: An application request id: 1 .. 2**256-1 (ids count from 1).
REQUEST_ID = click.IntRange(1, 2**256 - 1)


@click.command("apply")
@click.argument("office_code", metavar="OFFICE", type=Office())
@click.argument("ip_type", metavar="TYPE", type=IPTypeName())
@click.option("--content", type=click.Path(dir_okay=False), help="File whose SHA-256 is the content hash.")
@click.option("--content-hash", type=Hash32("content hash"),
              help="The content hash (0x + 64 hex digits) if you hashed it yourself.")
@click.option("--metadata", type=click.Path(dir_okay=False), help="The application's metadata document (SHA-256).")
@click.option("--metadata-hash", type=Hash32("metadata hash"), help="The metadata document's hash.")
@chain_options
def apply_cmd(session: Session, office_code: str, ip_type: str, content: str | None, content_hash: bytes | None,
              metadata: str | None, metadata_hash: bytes | None) -> None:
    """Ask OFFICE to accord an application number and a filing date (anyone).

    The request's block time is your proof of existence; the office answers with
    `ipledger accord` (the right is filed for you) or `ipledger refuse`.

    \b
    Example:  ipledger apply EM TM --content mark.png --account 2
    """
    from ipledger.cli.render import when

    content_digest = digest(content_hash, content, "content")  # files are read before connecting
    metadata_digest = digest(metadata_hash, metadata, "metadata")
    res = session.ledger().request_application(office_code, ip_type, content_hash=content_digest,
                                               metadata_hash=metadata_digest)
    tx_out(session.as_json, "application requested", res,
           {"request_id": res.request_id, "requested_at": when(res.requested_at) + " UTC"})


@click.command("accord")
@click.argument("request_id", metavar="REQUEST", type=REQUEST_ID)
@click.argument("application_number", type=ApplicationNumber())
@click.option("--filing-date", type=Date("filing date"),
              help="The filing date accorded: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now; not in the future, "
                   "not before the day of the request).")
@click.option("--metadata-uri", default="", type=Uri(), help="URI of the application's metadata document.")
@click.option("--metadata-hash", type=Hash32("metadata hash"), help="Hash of that document.")
@chain_options
def accord_cmd(session: Session, request_id: int, application_number: str, filing_date: int | None,
               metadata_uri: str, metadata_hash: bytes | None) -> None:
    """Accord request REQUEST an application number and a filing date: the right is filed for the applicant
    (a registrar of the request's office).

    \b
    Example:  ipledger accord 1 018234567 --filing-date 2024-01-15 --account 1
    """
    from ipledger.domain import format_right_id

    res = session.ledger().accord_request(request_id, application_number, filing_date=filing_date or 0,
                                          metadata_uri=metadata_uri, metadata_hash=metadata_hash)
    tx_out(session.as_json, "request accorded", res, {"request_id": request_id,
                                                      "right_id": format_right_id(res.right_id)})


@click.command("refuse")
@click.argument("request_id", metavar="REQUEST", type=REQUEST_ID)
@click.option("--reason", type=click.Path(dir_okay=False), help="The office's decision (its SHA-256 is recorded).")
@click.option("--reason-hash", type=Hash32("reason hash"), help="Hash of the decision.")
@chain_options
def refuse_cmd(session: Session, request_id: int, reason: str | None, reason_hash: bytes | None) -> None:
    """Refuse application request REQUEST; no number is accorded (a registrar of its office).

    \b
    Example:  ipledger refuse 1 --reason decision.pdf --account 1
    """
    reason_digest = digest(reason_hash, reason, "reason")
    res = session.ledger().refuse_request(request_id, reason_digest)
    tx_out(session.as_json, "request refused", res, {"request_id": request_id})


@click.command("withdraw-request")
@click.argument("request_id", metavar="REQUEST", type=REQUEST_ID)
@chain_options
def withdraw_request_cmd(session: Session, request_id: int) -> None:
    """Withdraw your pending application request REQUEST (the applicant).

    \b
    Example:  ipledger withdraw-request 1 --account 2
    """
    tx_out(session.as_json, "request withdrawn", session.ledger().withdraw_request(request_id),
           {"request_id": request_id})


@click.command("request")
@click.argument("request_id", metavar="REQUEST", type=REQUEST_ID)
@chain_options
def request_cmd(session: Session, request_id: int) -> None:
    """Show application request REQUEST: applicant, office, state, time, and the right accorded from it.

    \b
    Example:  ipledger request 1
    """
    from ipledger.cli import render as r

    q = session.ledger().request(request_id)
    emit(session.as_json, q, lambda: r.console().print(r.request_table(q)))


@click.group("correct")
def correct() -> None:
    """Recorded corrections by the office (WIPO ST.27 category Y), never silent edits."""


@correct.command("filing-date")
@click.argument("right", type=RightRef())
@click.argument("filing_date", metavar="DATE", type=Date("filing date"))
@click.option("--document", type=click.Path(dir_okay=False), help="The office's decision (its SHA-256 is recorded).")
@click.option("--document-hash", type=Hash32("document hash"), help="Hash of the decision.")
@chain_options
def correct_filing_date(session: Session, right: int, filing_date: int, document: str | None,
                        document_hash: bytes | None) -> None:
    """Correct a right's filing date to DATE (YYYY-MM-DD; a registrar of its office). The event records the old
    and the new date and the decision's hash.

    \b
    Example:  ipledger correct filing-date EM/TM/018234567 2024-01-15 --document decision.pdf --account 1
    """
    doc = digest(document_hash, document, "document")
    res = session.ledger().correct_filing_date(right, filing_date, doc)
    tx_out(session.as_json, "filing date corrected", res)
