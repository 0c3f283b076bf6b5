"""The register commands of ``ipledger`` (offices, rights, status, assignments, pledges, reads)."""

from __future__ import annotations

import sys
from typing import Any

import click

from ipledger.cli import (
    _accept_or_sign, _client, _date, _emit, _hash_arg, _right_arg, _signature_arg, _tx_out, chain_options, cli,
    handled, json_option,
)


# ---------------------------------------------------------------- offices


@cli.group()
def office() -> None:
    """Offices (by WIPO ST.3 code) and their registrars."""


@office.command("add")
@click.argument("code")
@click.option("--recordal/--no-recordal", default=False, show_default=True,
              help="Whether assignments need recordal by the office's registrar.")
@chain_options
@handled
def office_add(code: str, recordal: bool, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """Add an office (governor).

    \b
    Example:  ipledger office add EM --recordal
    """
    from ipledger.types import office as office_code

    office_code(code)
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, f"office {code} added", ipl.add_office(code, recordal))


@office.command("grant")
@click.argument("code")
@click.argument("registrar")
@chain_options
@handled
def office_grant(code: str, registrar: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """Grant an office's registrar role to an address (governor).

    \b
    Example:  ipledger office grant EM 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
    """
    from ipledger.types import address
    from ipledger.types import office as office_code

    office_code(code)
    address(registrar, "registrar")
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, f"registrar of {code} granted", ipl.grant_registrar(code, registrar))


@office.command("list")
@chain_options
@handled
def office_list(network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """List the offices.

    \b
    Example:  ipledger office list --json
    """
    from ipledger.cli import render as r

    with _client(network, account, allow_env_key) as ipl:
        rows = ipl.offices()
    _emit(as_json, rows, lambda: r.console().print(
        r.table("Offices", ("office", "recordal required"), [(o["office"], o["recordal_required"]) for o in rows])))


# ---------------------------------------------------------------- rights


@cli.command("register")
@click.argument("office_code", metavar="OFFICE")
@click.argument("ip_type", metavar="TYPE")
@click.argument("application_number")
@click.option("--content", type=click.Path(dir_okay=False), help="File whose SHA-256 is the content hash.")
@click.option("--content-hash", help="The content hash (0x + 64 hex digits) if you hashed it yourself.")
@click.option("--holder", help="File for this holder (registrars only); default: the signer.")
@click.option("--metadata-uri", default="", help="URI of the ST.96/ST.97-style metadata document.")
@click.option("--filing-date", help="YYYY-MM-DD (default: now).")
@chain_options
@handled
def register_cmd(office_code: str, ip_type: str, application_number: str, content: str | None,
                 content_hash: str | None, holder: str | None, metadata_uri: str, filing_date: str | None,
                 network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """File a right: OFFICE TYPE APPLICATION-NUMBER (TYPE: PT UM TM ID CR GI PV).

    \b
    Example:  ipledger register EM TM 018234567 --content mark.png
    """
    from ipledger.types import address
    from ipledger.domain import format_right_id
    from ipledger.types import application_number as parse_number, ip_type as parse_type
    from ipledger.types import office as parse_office

    parse_office(office_code)
    parse_type(ip_type)
    parse_number(application_number)
    if holder is not None:
        address(holder, "holder")
    digest = _hash_arg(content_hash, content, "content")
    fdate = _date(filing_date, "filing date") or 0
    with _client(network, account, allow_env_key) as ipl:
        res = ipl.file(office_code, ip_type, application_number, holder=holder, content_hash=digest,
                       metadata_uri=metadata_uri, filing_date=fdate)
    _tx_out(as_json, "filed", res, {"right_id": format_right_id(res.right_id),
                                    "ref": f"{office_code}/{ip_type.upper()}/{application_number}"})


@cli.command("status")
@click.argument("right")
@click.argument("to")
@click.option("--registration-number", help="For TO=registered: the registration number.")
@click.option("--expiry", help="For registered/renewed: expiry date YYYY-MM-DD (default: 10 years).")
@click.option("--effective", help="Effective date YYYY-MM-DD (default: now).")
@click.option("--document", type=click.Path(dir_okay=False), help="Supporting document (its SHA-256 is recorded).")
@click.option("--document-hash", help="Hash of the supporting document.")
@chain_options
@handled
def status_cmd(right: str, to: str, registration_number: str | None, expiry: str | None, effective: str | None,
               document: str | None, document_hash: str | None, network: str, account: str, allow_env_key: bool,
               as_json: bool) -> None:
    """Move a right to a new legal status (registrar; holders may withdraw or surrender).

    \b
    Examples:  ipledger status EM/TM/018234567 published
               ipledger status EM/TM/018234567 registered --registration-number 018234567 --expiry 2036-01-01
               ipledger status EM/TM/018234567 surrendered --account 2
    """
    from ipledger.domain import Status
    from ipledger.types import status as parse_status
    from ipledger.errors import UsageError

    rid = _right_arg(right)
    target = parse_status(to)
    doc = _hash_arg(document_hash, document, "document")
    eff = _date(effective, "effective date")
    exp = _date(expiry, "expiry date")
    if target is Status.REGISTERED and not (registration_number or "").strip():
        raise UsageError("moving to registered needs --registration-number")
    if target is Status.RENEWED and exp is None:
        raise UsageError("renewal needs --expiry YYYY-MM-DD (after the current expiry)")
    with _client(network, account, allow_env_key) as ipl:
        if target is Status.REGISTERED:
            res = ipl.register(rid, str(registration_number), registration_date=eff, expiry_date=exp,
                               document_hash=doc)
        elif target is Status.RENEWED:
            res = ipl.renew(rid, int(exp or 0), document_hash=doc)
        else:
            res = ipl.change_status(rid, target, effective_date=eff or 0, document_hash=doc)
    _tx_out(as_json, f"status {target.name.lower()}", res)


@cli.command()
@click.argument("right")
@click.option("--document", type=click.Path(dir_okay=False), help="The document (its SHA-256 is anchored).")
@click.option("--document-hash", help="The document's hash.")
@click.option("--tag", default="document", show_default=True, help="Its role: deed, priority, evidence, ...")
@chain_options
@handled
def anchor(right: str, document: str | None, document_hash: str | None, tag: str, network: str, account: str,
           allow_env_key: bool, as_json: bool) -> None:
    """Anchor a document's hash against a right (proof of existence at the block time).

    \b
    Example:  ipledger anchor EM/TM/018234567 --document priority.pdf --tag priority
    """
    from ipledger.types import tag32
    from ipledger.errors import UsageError

    rid = _right_arg(right)
    doc = _hash_arg(document_hash, document, "document")
    if doc is None:
        raise UsageError("give --document FILE or --document-hash 0x…")
    tag32(tag)
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, "anchored", ipl.anchor(rid, doc, tag))


# ---------------------------------------------------------------- assignments and pledges


@cli.command()
@click.argument("right")
@click.argument("assignee")
@click.option("--deed", type=click.Path(dir_okay=False), help="The deed of assignment (its SHA-256 is recorded).")
@click.option("--deed-hash", help="The deed's hash.")
@chain_options
@handled
def assign(right: str, assignee: str, deed: str | None, deed_hash: str | None, network: str, account: str,
           allow_env_key: bool, as_json: bool) -> None:
    """Ask to assign a right to ASSIGNEE (holder).

    \b
    Example:  ipledger assign EM/TM/018234567 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --deed deed.pdf --account 2
    """
    from ipledger.types import address

    rid = _right_arg(right)
    address(assignee, "assignee")
    h = _hash_arg(deed_hash, deed, "deed")
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, "assignment requested", ipl.request_assignment(rid, assignee, h))


@cli.command()
@click.argument("right")
@click.option("--sign-only", is_flag=True, help="Print an EIP-712 signature for someone else to relay instead.")
@click.option("--relay", "relay_sig", help="Relay this acceptance signature (anyone may).")
@click.option("--deadline", default=None, help="Signature deadline YYYY-MM-DD or unix seconds (default: 1 day).")
@chain_options
@handled
def accept(right: str, sign_only: bool, relay_sig: str | None, deadline: str | None, network: str, account: str,
           allow_env_key: bool, as_json: bool) -> None:
    """Accept a pending assignment (assignee), sign it off line, or relay a signature.

    \b
    Examples:  ipledger accept EM/TM/018234567 --account 3
               ipledger accept EM/TM/018234567 --account 3 --sign-only --deadline 2030-01-01
               ipledger accept EM/TM/018234567 --relay 0x… --deadline 1893456000
    """
    import time

    rid = _right_arg(right)
    dl = _date(deadline, "deadline") or int(time.time()) + 86400
    _signature_arg(relay_sig)
    with _client(network, account, allow_env_key) as ipl:
        _accept_or_sign(as_json, sign_only, relay_sig, dl, "assignment",
                        sign=lambda d: ipl.sign_assignment_acceptance(rid, d),
                        relay=lambda d, sig: ipl.accept_assignment_by_sig(rid, d, sig),
                        accept=lambda: ipl.accept_assignment(rid), ids={"right_id": rid, "assignee": ipl.address})


@cli.command()
@click.argument("right")
@click.argument("creditor")
@click.option("--agreement", type=click.Path(dir_okay=False), help="The security agreement (SHA-256 recorded).")
@click.option("--agreement-hash", help="The agreement's hash.")
@chain_options
@handled
def pledge(right: str, creditor: str, agreement: str | None, agreement_hash: str | None, network: str, account: str,
           allow_env_key: bool, as_json: bool) -> None:
    """Record a security interest in favour of CREDITOR (holder).

    \b
    Example:  ipledger pledge EM/TM/018234567 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 --account 2
    """
    from ipledger.types import address

    address(creditor, "creditor")
    h = _hash_arg(agreement_hash, agreement, "agreement")
    rid = _right_arg(right)
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, "pledge recorded", ipl.record_pledge(rid, creditor, h))


def _right_action(name: str, action: str, method: str, doc: str) -> None:
    """Registers ``ipledger NAME RIGHT``: one SDK call on one right."""

    @click.argument("right")
    @chain_options
    @handled
    def command(right: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
        rid = _right_arg(right)
        with _client(network, account, allow_env_key) as ipl:
            _tx_out(as_json, action, getattr(ipl, method)(rid))

    command.__doc__ = doc
    cli.command(name, help=doc)(command)


_right_action("record", "assignment recorded", "record_assignment", """Record an accepted assignment; title moves (office registrar).

    \b
    Example:  ipledger record EM/TM/018234567 --account 1
    """)
_right_action("cancel", "assignment cancelled", "cancel_assignment", """Cancel a pending assignment (holder).

    \b
    Example:  ipledger cancel EM/TM/018234567 --account 2
    """)
_right_action("reject", "assignment rejected", "reject_assignment", """Reject a pending assignment (office registrar).

    \b
    Example:  ipledger reject EM/TM/018234567 --account 1
    """)
_right_action("consent", "assignment consented", "consent_to_assignment", """Consent to the pending assignment of a pledged right (creditor).

    \b
    Example:  ipledger consent EM/TM/018234567 --account 4
    """)
_right_action("release", "pledge released", "release_pledge", """Release the security interest (creditor).

    \b
    Example:  ipledger release EM/TM/018234567 --account 4
    """)


# ---------------------------------------------------------------- parties


@cli.group()
def profile() -> None:
    """Party profiles and their verification by offices."""


@profile.command("publish")
@click.argument("identity")
@click.argument("country")
@click.option("--metadata-uri", default="")
@chain_options
@handled
def profile_publish(identity: str, country: str, metadata_uri: str, network: str, account: str,
                    allow_env_key: bool, as_json: bool) -> None:
    """Publish your profile: IDENTITY (a name or DID; only its hash goes on chain) and ST.3 COUNTRY.

    \b
    Example:  ipledger profile publish "did:web:acme.example" DE --account 2
    """
    from ipledger.types import office as office_code

    office_code(country)
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, "profile published", ipl.publish_profile(identity, country, metadata_uri))


@profile.command("verify")
@click.argument("party")
@click.argument("office_code", metavar="OFFICE")
@chain_options
@handled
def profile_verify(party: str, office_code: str, network: str, account: str, allow_env_key: bool,
                   as_json: bool) -> None:
    """Verify PARTY's current profile for OFFICE (its registrar).

    \b
    Example:  ipledger profile verify 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC EM --account 1
    """
    from ipledger.types import address
    from ipledger.types import office as parse_office

    address(party, "party")
    parse_office(office_code)
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, "profile verified", ipl.verify_profile(party, office_code))


@profile.command("show")
@click.argument("party")
@chain_options
@handled
def profile_show(party: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """Show a party's profile.

    \b
    Example:  ipledger profile show 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
    """
    from ipledger.cli import render as r
    from ipledger.types import address

    address(party, "party")
    with _client(network, account, allow_env_key) as ipl:
        data: dict[str, Any] = ipl.profile(party)
        data["verified_by"] = [o["office"] for o in ipl.offices() if ipl.is_verified(party, o["office"])]
    _emit(as_json, data, lambda: r.console().print(r.table("Profile", ("field", "value"), list(data.items()))))


# ---------------------------------------------------------------- reads


@cli.command()
@click.argument("right")
@chain_options
@handled
def show(right: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """Show a right (by 0x id or OFFICE/TYPE/NUMBER).

    \b
    Example:  ipledger show EM/TM/018234567
    """
    from ipledger.cli import render as r

    rid = _right_arg(right)
    with _client(network, account, allow_env_key) as ipl:
        info = ipl.right(rid)
    _emit(as_json, info, lambda: r.console().print(r.right_table(info)))


@cli.command()
@click.argument("right")
@chain_options
@handled
def history(right: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """A right's chain of title, legal-status events, anchors and licenses as a timeline.

    \b
    Example:  ipledger history EM/TM/018234567
    """
    from ipledger.cli import render as r

    rid = _right_arg(right)
    with _client(network, account, allow_env_key) as ipl:
        h = ipl.history(rid)
    if as_json:
        r.print_json({"right_id": h.right_id, "title": h.title,
                      "events": [{"block": e.block, "name": e.name, "args": e.args} for e in h.events + h.licenses]})
        return
    con = r.console()
    con.print(r.title_table(h))
    con.print(r.status_table(h))
    con.print(r.timeline_table(h))


# ---------------------------------------------------------------- accounts


@cli.group()
def accounts() -> None:
    """Encrypted keystore accounts (~/.ipledger/keystores or $IPLEDGER_KEYSTORE_DIR)."""


@accounts.command("new")
@click.argument("name")
@json_option
@handled
def accounts_new(name: str, as_json: bool) -> None:
    """Create a new account in an encrypted keystore (password from a prompt or $IPLEDGER_KEYSTORE_PASSWORD).

    \b
    Example:  ipledger accounts new office-em
              ipledger register EM TM 1 --network sepolia --account keystore:office-em
    """
    from ipledger.accounts import create_keystore

    addr = create_keystore(name)
    _emit(as_json, {"name": name, "address": addr}, lambda: click.echo(f"created keystore '{name}': {addr}"))


@accounts.command("import")
@click.argument("name")
@click.option("--from-env", is_flag=True, help="Read the key from $IPLEDGER_PRIVATE_KEY instead of a prompt.")
@json_option
@handled
def accounts_import(name: str, from_env: bool, as_json: bool) -> None:
    """Import a private key into an encrypted keystore (the key is never shown or logged).

    \b
    Example:  ipledger accounts import office-em          # prompts for the key, then a password
    """
    import getpass
    import os

    from ipledger.accounts import KEY_ENV, create_keystore
    from ipledger.errors import UsageError

    if from_env:
        key = os.environ.get(KEY_ENV, "")
        if not key:
            raise UsageError(f"{KEY_ENV} is not set")
    else:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to prompt for the key: use --from-env with $IPLEDGER_PRIVATE_KEY")
        key = getpass.getpass("private key (hidden): ")
    addr = create_keystore(name, private_key=key)
    _emit(as_json, {"name": name, "address": addr}, lambda: click.echo(f"imported into keystore '{name}': {addr}"))


@accounts.command("list")
@click.option("--network", "-n", default=None, help="Also list the dev accounts of this local network.")
@json_option
@handled
def accounts_list(network: str | None, as_json: bool) -> None:
    """List keystore accounts (and a local network's dev accounts).

    \b
    Example:  ipledger accounts list --network local
    """
    from ipledger.cli import render as r
    from ipledger.accounts import list_keystores

    rows = [{"account": f"keystore:{k['name']}", "address": k["address"]} for k in list_keystores()]
    if network:
        from ipledger.chain import dev_accounts
        from ipledger.config import load_config

        if not load_config().network(network).live:
            rows += [{"account": str(i), "address": a.address} for i, a in enumerate(dev_accounts())]
    _emit(as_json, rows, lambda: r.console().print(
        r.table("Accounts", ("--account", "address"), [(x["account"], x["address"]) for x in rows])))
