"""The ``ipledger license`` group (offer, accept, withdraw, terminate, surrender, transfer, tree) and ``check``.

Every offer has a deadline (``--accept-by``; default 30 days, or the license's end if sooner). ``license accept``
has the shape of every signed action: accept directly, ``--sign-only``, ``--relay`` a signature, or ``--revoke``
one's own signature before it is used. ``check`` answers for the whole scope asked (``WO`` = the whole world, no
``--field`` = all fields), with exclusive licenses excluding everyone else in their scope, their licensor included.
"""

from __future__ import annotations

import sys

import click

from ipledger.cli.actions import accept_or_sign, license_action, signed_deadline
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import (
    LICENSE_ID, PARENT_LICENSE_ID, Address, Date, Hash32, Office, RightRef, Signature, Uri, digest,
)


@click.group("license")
def license_group() -> None:
    """Licenses and sublicenses over registered rights."""


@license_group.command("offer")
@click.argument("right", type=RightRef())
@click.argument("licensee", type=Address("licensee"))
@click.option("--kind", type=click.Choice(["exclusive", "sole", "non-exclusive"]), default="non-exclusive",
              show_default=True)
@click.option("--territory", "territories", type=Office(), multiple=True, default=("WO",), show_default=True,
              help="ST.3 code; repeat for several. WO = worldwide.")
@click.option("--field", "field_label", default="", help="Field of use (empty = all fields).")
@click.option("--start", type=Date("start date"), help="First day covered, YYYY-MM-DD (default: from now on).")
@click.option("--end", type=Date("end date"), help="Last day covered, YYYY-MM-DD (default: until the right ends).")
@click.option("--royalty-bps", default=0, show_default=True, type=click.IntRange(0, 10_000),
              help="Royalty in basis points (100 = 1%).")
@click.option("--sublicensable", is_flag=True, help="The licensee may grant sublicenses.")
@click.option("--transferable", is_flag=True, help="The licensee may transfer the license.")
@click.option("--parent", "parent_id", default=0, type=PARENT_LICENSE_ID,
              help="Offer a sublicense under this license.")
@click.option("--terms", "terms_file", type=click.Path(dir_okay=False), help="License agreement (SHA-256 recorded).")
@click.option("--terms-hash", type=Hash32("terms hash"), help="The agreement's hash.")
@click.option("--terms-uri", default="", type=Uri("terms URI"),
              help="Where the agreement can be read (a URI, at most 2048 bytes).")
@click.option("--accept-by", "accept_by", type=Date("offer deadline"),
              help="Last moment to accept, YYYY-MM-DD (00:00 UTC) or an ISO timestamp; at most 365 days ahead and "
                   "not after --end (default: 30 days, or --end if sooner).")
@chain_options
def license_offer(session: Session, right: int, licensee: str, kind: str, territories: tuple[str, ...],
                  field_label: str, start: int | None, end: int | None, royalty_bps: int, sublicensable: bool,
                  transferable: bool, parent_id: int, terms_file: str | None, terms_hash: bytes | None,
                  terms_uri: str, accept_by: int | None) -> None:
    """Offer a license of RIGHT to LICENSEE (holder), or a sublicense with --parent (its licensee). The offer
    lapses unless accepted by --accept-by.

    \b
    Examples:  ipledger license offer EM/TM/018234567 0x15d3…6A65 --kind exclusive --territory DE \\
                   --territory FR --field software --royalty-bps 500 --sublicensable --account 3
               ipledger license offer EM/TM/018234567 0x9965…A4dc --territory DE --field software \\
                   --parent 1 --account 4 --accept-by 2030-06-30
    """
    from ipledger.sdk import LicenseTerms

    terms = LicenseTerms(kind=kind, territories=tuple(territories), field=field_label, start=start or 0,
                         end=end or 0, royalty_bps=royalty_bps, sublicensable=sublicensable,
                         transferable=transferable, terms_hash=digest(terms_hash, terms_file, "terms") or b"\x00" * 32,
                         terms_uri=terms_uri)
    terms.to_tuple()  # validate before connecting
    res = session.ledger().offer_license(right, licensee, terms, parent_id=parent_id, deadline=accept_by)
    deadline = int(res.event("LicenseOffered").args["deadline"])
    tx_out(session.as_json, "license offered", res, {"license_id": res.license_id, "accept_by": deadline})


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
