"""The ``ipledger profile`` group: parties publish a profile, offices verify it, anyone reads it."""

from __future__ import annotations

from typing import Any

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, show_table, tx_out
from ipledger.cli.params import Address, Office, Uri


@click.group()
def profile() -> None:
    """Party profiles and their verification by offices."""


@profile.command("publish")
@click.argument("identity")
@click.argument("country", type=Office())
@click.option("--metadata-uri", default="", type=Uri("profile metadata URI"),
              help="URI of the party's metadata document (at most 2048 bytes, no white space).")
@chain_options
def profile_publish(session: Session, identity: str, country: str, metadata_uri: str) -> None:
    """Publish your profile: IDENTITY (a name or DID; only its hash goes on chain) and ST.3 COUNTRY.

    \b
    Example:  ipledger profile publish "did:web:acme.example" DE --account 2
    """
    tx_out(session.as_json, "profile published", session.ledger().publish_profile(identity, country, metadata_uri))


@profile.command("verify")
@click.argument("party", type=Address("party"))
@click.argument("office_code", metavar="OFFICE", type=Office())
@chain_options
def profile_verify(session: Session, party: str, office_code: str) -> None:
    """Verify PARTY's current profile for OFFICE (its registrar).

    \b
    Example:  ipledger profile verify 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC EM --account 1
    """
    tx_out(session.as_json, "profile verified", session.ledger().verify_profile(party, office_code))


@profile.command("show")
@click.argument("party", type=Address("party"))
@chain_options
def profile_show(session: Session, party: str) -> None:
    """Show a party's profile.

    \b
    Example:  ipledger profile show 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
    """
    ipl = session.ledger()
    data: dict[str, Any] = ipl.profile(party)
    data["verified_by"] = [o["office"] for o in ipl.offices() if ipl.is_verified(party, o["office"])]
    emit(session.as_json, data, lambda: show_table("Profile", ("field", "value"), list(data.items())))
