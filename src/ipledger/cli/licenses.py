"""The ``ipledger license`` group (terms register|show, offer, accept, grant, withdraw, terminate, surrender,
transfer, tree) and ``check``.

Terms are interned once (``license terms register``, or on first use by ``license offer``) and named by id
(``--terms-id``). ``license grant`` is the one-transaction path: the licensee signs its consent off line
(``--sign-as``, a JSON file holding no key), the licensor sends the grant with it (``--licensee-signature FILE``).
Every offer has a deadline (``--accept-by``; default 30 days, or the license's end if sooner). ``license accept``
has the shape of every signed action: accept directly, ``--sign-only``, ``--relay`` a signature, or ``--revoke``
one's own signature before it is used. ``check`` answers for the whole scope asked (``WO`` = the whole world, no
``--field`` = all fields), with exclusive licenses excluding everyone else in their scope, their licensor included.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from ipledger.cli.actions import accept_or_sign, license_action, signed_deadline
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import (
    LICENSE_ID, PARENT_LICENSE_ID, Address, Date, Hash32, Office, RightRef, Signature, Uri, digest,
)
from ipledger.errors import UsageError

TERMS_ID = click.IntRange(1, 2**32 - 1)  # the register numbers terms with 32-bit ids
#: The options that spell out terms (``license offer`` without --terms-id, ``license terms register``).
TERMS_OPTIONS = ("kind", "territories", "field_label", "start", "end", "royalty_bps", "sublicensable",
                 "transferable", "terms_file", "terms_hash", "terms_uri")
CONSENT_KEYS = ("right_id", "parent_id", "licensee", "terms_id", "sequence", "deadline", "signature")


@click.group("license")
def license_group() -> None:
    """Licenses and sublicenses over registered rights."""


def terms_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options that spell out license terms (shared by ``license offer`` and ``license terms register``)."""
    options = [
        click.option("--kind", type=click.Choice(["exclusive", "sole", "non-exclusive"]), default="non-exclusive",
                     show_default=True),
        click.option("--territory", "territories", type=Office(), multiple=True, default=("WO",), show_default=True,
                     help="ST.3 code; repeat for several. WO = worldwide."),
        click.option("--field", "field_label", default="", help="Field of use (empty = all fields)."),
        click.option("--start", type=Date("start date"), help="First day covered, YYYY-MM-DD (default: from now on)."),
        click.option("--end", type=Date("end date"),
                     help="Last day covered, YYYY-MM-DD (default: until the right ends)."),
        click.option("--royalty-bps", default=0, show_default=True, type=click.IntRange(0, 10_000),
                     help="Royalty in basis points (100 = 1%)."),
        click.option("--sublicensable", is_flag=True, help="The licensee may grant sublicenses."),
        click.option("--transferable", is_flag=True, help="The licensee may transfer the license."),
        click.option("--terms", "terms_file", type=click.Path(dir_okay=False),
                     help="License agreement (SHA-256 recorded)."),
        click.option("--terms-hash", type=Hash32("terms hash"), help="The agreement's hash."),
        click.option("--terms-uri", default="", type=Uri("terms URI"),
                     help="Where the agreement can be read (a URI, at most 2048 bytes)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def terms_from(kw: dict[str, Any]) -> Any:
    """The ``LicenseTerms`` of the terms options (validated before connecting)."""
    from ipledger.sdk import LicenseTerms

    terms = LicenseTerms(kind=kw["kind"], territories=tuple(kw["territories"]), field=kw["field_label"],
                         start=kw["start"] or 0, end=kw["end"] or 0, royalty_bps=kw["royalty_bps"],
                         sublicensable=kw["sublicensable"], transferable=kw["transferable"],
                         terms_hash=digest(kw["terms_hash"], kw["terms_file"], "terms") or b"\x00" * 32,
                         terms_uri=kw["terms_uri"])
    terms.to_tuple()
    return terms


@license_group.group("terms")
def terms_group() -> None:
    """Interned license terms: register once, refer to by id."""


@terms_group.command("register")
@terms_options
@chain_options
def terms_register(session: Session, **kw: Any) -> None:
    """Intern license terms and print their id (the existing id, with nothing sent, if they are interned already).

    \b
    Example:  ipledger license terms register --kind exclusive --territory DE --field software \\
                  --royalty-bps 500 --sublicensable --terms agreement.pdf --terms-uri ipfs://… --account 3
    """
    res = session.ledger().register_terms(terms_from(kw))
    if res.tx is None:
        emit(session.as_json, {"terms_id": res.terms_id, "created": False},
             lambda: click.echo(f"terms already registered: terms id {res.terms_id}"))
    else:
        tx_out(session.as_json, "terms registered", res.tx, {"terms_id": res.terms_id, "created": True})


@terms_group.command("show")
@click.argument("terms_id", type=TERMS_ID)
@chain_options
def terms_show(session: Session, terms_id: int) -> None:
    """Show interned terms in full (from their registration event).

    \b
    Example:  ipledger license terms show 1
    """
    info = session.ledger().license_terms(terms_id)
    data = {**info.__dict__, "kind": info.kind.name.lower().replace("_", "-")}
    emit(session.as_json, data, lambda: click.echo("\n".join(f"{k.replace('_', ' ')}: {v}" for k, v in data.items())))


@license_group.command("offer")
@click.argument("right", type=RightRef())
@click.argument("licensee", type=Address("licensee"))
@click.option("--terms-id", type=TERMS_ID, help="Offer on interned terms (instead of the terms options).")
@terms_options
@click.option("--parent", "parent_id", default=0, type=PARENT_LICENSE_ID,
              help="Offer a sublicense under this license.")
@click.option("--accept-by", "accept_by", type=Date("offer deadline"),
              help="Last moment to accept, YYYY-MM-DD (00:00 UTC) or an ISO timestamp; at most 365 days ahead and "
                   "not after --end (default: 30 days, or --end if sooner).")
@chain_options
def license_offer(session: Session, right: int, licensee: str, terms_id: int | None, parent_id: int,
                  accept_by: int | None, **kw: Any) -> None:
    """Offer a license of RIGHT to LICENSEE (holder), or a sublicense with --parent (its licensee), on the terms
    given (interned on first use) or on --terms-id. The offer lapses unless accepted by --accept-by.

    \b
    Examples:  ipledger license offer EM/TM/018234567 0x15d3…6A65 --kind exclusive --territory DE \\
                   --territory FR --field software --royalty-bps 500 --sublicensable --account 3
               ipledger license offer EM/TM/018234567 0x9965…A4dc --terms-id 2 --parent 1 --account 4 \\
                   --accept-by 2030-06-30
    """
    ctx = click.get_current_context()
    spelled = [n for n in TERMS_OPTIONS if ctx.get_parameter_source(n) is ParameterSource.COMMANDLINE]
    if terms_id is not None and spelled:
        raise UsageError("give --terms-id or the terms options (--kind, --territory, ...), not both")
    terms = None if terms_id is not None else terms_from(kw)
    res = session.ledger().offer_license(right, licensee, terms, terms_id=terms_id, parent_id=parent_id,
                                         deadline=accept_by)
    offered = res.event("LicenseOffered").args
    tx_out(session.as_json, "license offered", res, {"license_id": res.license_id, "terms_id": offered["termsId"],
                                                     "accept_by": int(offered["deadline"])})


@license_group.command("grant")
@click.argument("right", type=RightRef())
@click.argument("licensee", type=Address("licensee"))
@click.option("--terms-id", type=TERMS_ID, required=True, help="The interned terms.")
@click.option("--parent", "parent_id", default=0, type=PARENT_LICENSE_ID, help="Grant a sublicense under this license.")
@click.option("--sign-as", "sign_as", is_flag=True,
              help="Sign LICENSEE's consent with this account (the licensee, or its ERC-1271 wallet's owner) "
                   "instead of granting; prints it or writes it to --out.")
@click.option("--out", type=click.Path(dir_okay=False), help="With --sign-as: write the consent to this JSON file.")
@click.option("--deadline", type=Date("deadline"), help="With --sign-as: the consent's deadline (default: 1 day).")
@click.option("--licensee-signature", "consent_file", type=click.Path(dir_okay=False),
              help="Grant with the licensee's consent file written by --sign-as (licensor).")
@chain_options
def license_grant(session: Session, right: int, licensee: str, terms_id: int, parent_id: int, sign_as: bool,
                  out: str | None, deadline: int | None, consent_file: str | None) -> None:
    """Grant an active license of RIGHT to LICENSEE in one transaction, with the licensee's signed consent.

    The consent names the exact license (right, parent, licensee, terms id) and the licensor position's grant
    sequence: it is spent by the grant, and a grant to someone else under the same licensor in between makes it
    stale (sign again). The file holds the signature and the message, never a key.

    \b
    Examples:  ipledger license grant EM/TM/018234567 0x15d3…6A65 --terms-id 2 --sign-as --out consent.json \\
                   --account 4
               ipledger license grant EM/TM/018234567 0x15d3…6A65 --terms-id 2 \\
                   --licensee-signature consent.json --account 3
    """
    if sign_as == bool(consent_file):
        raise UsageError("give --sign-as (the licensee signs) or --licensee-signature FILE (the licensor grants)")
    consent = read_consent(str(consent_file)) if consent_file else {}
    if consent:  # checked before connecting
        wanted = {"right_id": right, "parent_id": parent_id, "licensee": licensee.lower(), "terms_id": terms_id}
        got = {k: (str(consent[k]).lower() if k == "licensee" else consent[k]) for k in wanted}
        if got != wanted:
            diff = ", ".join(f"{k} {got[k]} (not {wanted[k]})" for k in wanted if got[k] != wanted[k])
            raise UsageError(f"the consent file is for another license: {diff}")
    ipl = session.ledger()
    if sign_as:
        import time

        dl = deadline if deadline is not None else int(time.time()) + 86_400
        message = ipl.license_grant_message(right, licensee, terms_id, dl, parent_id=parent_id)
        sig = ipl.sign_license_grant(right, terms_id, dl, parent_id=parent_id, licensee=licensee)
        consent = {"right_id": right, "parent_id": parent_id, "licensee": message["licensee"], "terms_id": terms_id,
                   "sequence": message["sequence"], "deadline": dl, "signature": "0x" + sig.hex()}
        if out:
            Path(out).write_text(json.dumps(consent, indent=2) + "\n")
        where = f": {out}" if out else f"\nsignature {consent['signature']}"
        emit(session.as_json, consent,
             lambda: click.echo(f"consent signed (deadline {dl}, sequence {consent['sequence']}){where}"))
        return
    res = ipl.grant_license(right, licensee, terms_id, consent["signature"], int(consent["deadline"]),
                            parent_id=parent_id)
    tx_out(session.as_json, "license granted", res, {"license_id": res.license_id, "terms_id": terms_id})


def read_consent(path: str) -> dict[str, Any]:
    """A consent file written by ``license grant --sign-as``, or a one-line UsageError."""
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise UsageError(f"cannot read the consent file {path}: {exc.strerror or exc}") from None
    except ValueError:
        raise UsageError(f"the consent file {path} is not JSON (`license grant --sign-as --out` writes it)") from None
    missing = [k for k in CONSENT_KEYS if not isinstance(data, dict) or k not in data]
    if missing:
        raise UsageError(f"the consent file {path} lacks {', '.join(missing)}")
    if not all(isinstance(data[k], int) and not isinstance(data[k], bool)
               for k in ("right_id", "parent_id", "terms_id", "deadline")):
        raise UsageError(f"the consent file {path} has a non-integer id or deadline")
    return data


withdraw = license_action("withdraw", "offer withdrawn", lambda ipl, lid: ipl.withdraw_offer(lid),
                          "Withdraw a pending offer (licensor).\n\n\b\n"
                          "Example:  ipledger license withdraw 3 --account 3")
terminate = license_action("terminate", "license terminated", lambda ipl, lid: ipl.terminate_license(lid),
                           "Terminate a license and its sublicenses (licensor).\n\n\b\n"
                           "Example:  ipledger license terminate 1 --account 3")
surrender = license_action("surrender", "license surrendered", lambda ipl, lid: ipl.surrender_license(lid),
                           "Surrender a license and its sublicenses (licensee).\n\n\b\n"
                           "Example:  ipledger license surrender 2 --account 5")
license_group.add_command(withdraw)
license_group.add_command(terminate)
license_group.add_command(surrender)


@license_group.command("accept")
@click.argument("license_id", type=LICENSE_ID)
@click.option("--sign-only", is_flag=True, help="Print an EIP-712 signature for someone else to relay instead.")
@click.option("--relay", "relay_sig", type=Signature(), help="Relay this acceptance signature (anyone may).")
@click.option("--revoke", "revoking", is_flag=True,
              help="Revoke your signed acceptance (made with --deadline) before anyone relays it.")
@click.option("--deadline", type=Date("deadline"),
              help="Signature deadline YYYY-MM-DD or an ISO timestamp (default: 1 day; --relay/--revoke: as signed).")
@chain_options
def license_accept(session: Session, license_id: int, sign_only: bool, relay_sig: str | None, revoking: bool,
                   deadline: int | None) -> None:
    """Accept a license offer (licensee), sign the acceptance off line, relay a signature, or revoke yours.

    A signature names the offer itself (its id, licensee and terms hash): acceptances of several offers can be
    relayed in any order, and a new offer needs a new signature. A contract wallet's owner signs for it.

    \b
    Examples:  ipledger license accept 1 --account 4
               ipledger license accept 1 --account 4 --sign-only --deadline 2030-01-01
               ipledger license accept 1 --relay 0x… --deadline 2030-01-01
               ipledger license accept 1 --account 4 --revoke --deadline 2030-01-01
    """
    dl = signed_deadline(deadline, sign_only, relay_sig, revoking)
    ipl = session.ledger()
    message = ipl.license_acceptance_message(license_id, dl) if sign_only else {}
    accept_or_sign(session, sign_only, relay_sig, dl, "license",
                   sign=lambda d: ipl.sign_license_acceptance(license_id, d),
                   relay=lambda d, sig: ipl.accept_license_by_sig(license_id, d, sig),
                   accept=lambda: ipl.accept_license(license_id),
                   revoke=lambda d: ipl.revoke_license_acceptance(license_id, d), revoking=revoking,
                   ids={"license_id": license_id, "licensee": message.get("licensee", ipl.address)})


@license_group.command("transfer")
@click.argument("license_id", type=LICENSE_ID)
@click.argument("to", type=Address("new licensee"))
@chain_options
def license_transfer(session: Session, license_id: int, to: str) -> None:
    """Transfer a transferable license to TO (licensee).

    \b
    Example:  ipledger license transfer 1 0x976E…0aa9 --account 4
    """
    tx_out(session.as_json, "license transferred", session.ledger().transfer_license(license_id, to))


@license_group.command("tree")
@click.argument("right", type=RightRef())
@chain_options
def license_tree(session: Session, right: int) -> None:
    """Show every license of a right as a tree.

    \b
    Example:  ipledger license tree EM/TM/018234567
    """
    from ipledger.cli import render as r

    tree = session.ledger().license_tree(right)
    emit(session.as_json, tree, lambda: r.console().print(r.license_tree_table(tree)))


@click.command()
@click.argument("right", type=RightRef())
@click.argument("party", type=Address("party"))
@click.option("--territory", type=Office(), required=True, help="ST.3 code of where the use happens.")
@click.option("--field", "field_label", default="", help="Field of use (empty = asks about all fields).")
@click.option("--at", "at", type=Date("date"), help="When, YYYY-MM-DD (default: now).")
@chain_options
def check(session: Session, right: int, party: str, territory: str, field_label: str, at: int | None) -> None:
    """Is PARTY's use of RIGHT licensed in the whole of a territory, field and time? Exit 0 if yes, 3 if not.

    --territory WO asks about the whole world and no --field about all fields: yes only if one license covers
    all of it, and no exclusive license of someone else (a licensee's own exclusive sublicensee included) touches it.

    \b
    Example:  ipledger check EM/TM/018234567 0x9965…A4dc --territory DE --field software
    """
    cov = session.ledger().is_licensed(right, party, territory, field_label, at)
    data = {"licensed": cov.licensed, "license_id": cov.license_id, "party": party, "territory": territory,
            "field": field_label}
    if cov.licensed:
        how = "as the holder" if cov.license_id == 0 else f"by license #{cov.license_id}"
        text = f"licensed: yes, {how}"
    else:
        text = "licensed: no"
    emit(session.as_json, data, lambda: click.echo(text))
    sys.exit(0 if cov.licensed else 3)
