"""The license commands of ``ipledger``: offer, accept, withdraw, terminate, surrender, transfer, tree, check."""

from __future__ import annotations

from typing import Any

import click

from ipledger.cli import (
    MAX_UINT256, _accept_or_sign, _client, _date, _emit, _hash_arg, _right_arg, _signature_arg, _tx_out, chain_options,
    cli, handled,
)

LICENSE_ID = click.IntRange(1, MAX_UINT256)


@cli.group("license")
def license_group() -> None:
    """Licenses and sublicenses over registered rights."""


@license_group.command("offer")
@click.argument("right")
@click.argument("licensee")
@click.option("--kind", type=click.Choice(["exclusive", "sole", "non-exclusive"]), default="non-exclusive",
              show_default=True)
@click.option("--territory", "territories", multiple=True, default=("WO",), show_default=True,
              help="ST.3 code; repeat for several. WO = worldwide.")
@click.option("--field", "field_label", default="", help="Field of use (empty = all fields).")
@click.option("--start", help="First day covered, YYYY-MM-DD (default: from now on).")
@click.option("--end", help="Last day covered, YYYY-MM-DD (default: until the right ends).")
@click.option("--royalty-bps", default=0, show_default=True, type=click.IntRange(0, 10_000),
              help="Royalty in basis points (100 = 1%).")
@click.option("--sublicensable", is_flag=True, help="The licensee may grant sublicenses.")
@click.option("--transferable", is_flag=True, help="The licensee may transfer the license.")
@click.option("--parent", "parent_id", default=0, type=click.IntRange(0, MAX_UINT256),
              help="Offer a sublicense under this license.")
@click.option("--terms", "terms_file", type=click.Path(dir_okay=False), help="License agreement (SHA-256 recorded).")
@click.option("--terms-hash", help="The agreement's hash.")
@click.option("--terms-uri", default="", help="Where the agreement can be read.")
@chain_options
@handled
def license_offer(right: str, licensee: str, kind: str, territories: tuple[str, ...], field_label: str,
                  start: str | None, end: str | None, royalty_bps: int, sublicensable: bool, transferable: bool,
                  parent_id: int, terms_file: str | None, terms_hash: str | None, terms_uri: str, network: str,
                  account: str, allow_env_key: bool, as_json: bool) -> None:
    """Offer a license of RIGHT to LICENSEE (holder), or a sublicense with --parent (its licensee).

    \b
    Examples:  ipledger license offer EM/TM/018234567 0x15d3…6A65 --kind exclusive --territory DE \\
                   --territory FR --field software --royalty-bps 500 --sublicensable --account 3
               ipledger license offer EM/TM/018234567 0x9965…A4dc --territory DE --field software \\
                   --parent 1 --account 4
    """
    from ipledger.types import address
    from ipledger.types import office as office_code
    from ipledger.sdk import LicenseTerms

    rid = _right_arg(right)
    address(licensee, "licensee")
    for t in territories:
        office_code(t)
    terms = LicenseTerms(kind=kind, territories=tuple(territories), field=field_label,
                         start=_date(start, "start date") or 0, end=_date(end, "end date") or 0,
                         royalty_bps=royalty_bps, sublicensable=sublicensable, transferable=transferable,
                         terms_hash=_hash_arg(terms_hash, terms_file, "terms") or b"\x00" * 32, terms_uri=terms_uri)
    terms.to_tuple()  # validate before connecting
    with _client(network, account, allow_env_key) as ipl:
        res = ipl.offer_license(rid, licensee, terms, parent_id=parent_id)
    _tx_out(as_json, "license offered", res, {"license_id": res.license_id})


def _license_action(action: str, method: str) -> Any:
    @click.argument("license_id", type=LICENSE_ID)
    @chain_options
    @handled
    def command(license_id: int, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
        with _client(network, account, allow_env_key) as ipl:
            _tx_out(as_json, action, getattr(ipl, method)(license_id), {"license_id": license_id})

    return command


for _name, _action, _method, _doc in (
    ("withdraw", "offer withdrawn", "withdraw_offer", "Withdraw a pending offer (licensor).\n\n\b\nExample:  ipledger license withdraw 3 --account 3"),
    ("terminate", "license terminated", "terminate_license",
     "Terminate a license and its sublicenses (licensor).\n\n\b\nExample:  ipledger license terminate 1 --account 3"),
    ("surrender", "license surrendered", "surrender_license",
     "Surrender a license and its sublicenses (licensee).\n\n\b\nExample:  ipledger license surrender 2 --account 5"),
):
    _cmd = _license_action(_action, _method)
    _cmd.__doc__ = _doc
    license_group.command(_name, help=_doc)(_cmd)


@license_group.command("accept")
@click.argument("license_id", type=LICENSE_ID)
@click.option("--sign-only", is_flag=True, help="Print an EIP-712 signature for someone else to relay instead.")
@click.option("--relay", "relay_sig", help="Relay this acceptance signature (anyone may).")
@click.option("--deadline", help="Signature deadline YYYY-MM-DD or unix seconds (default: 1 day).")
@chain_options
@handled
def license_accept(license_id: int, sign_only: bool, relay_sig: str | None, deadline: str | None, network: str,
                   account: str, allow_env_key: bool, as_json: bool) -> None:
    """Accept a license offer (licensee), sign the acceptance off line, or relay a signature.

    \b
    Example:  ipledger license accept 1 --account 4
    """
    import time

    dl = _date(deadline, "deadline") or int(time.time()) + 86400
    _signature_arg(relay_sig)
    with _client(network, account, allow_env_key) as ipl:
        _accept_or_sign(as_json, sign_only, relay_sig, dl, "license",
                        sign=lambda d: ipl.sign_license_acceptance(license_id, d),
                        relay=lambda d, sig: ipl.accept_license_by_sig(license_id, d, sig),
                        accept=lambda: ipl.accept_license(license_id),
                        ids={"license_id": license_id, "licensee": ipl.address})


@license_group.command("transfer")
@click.argument("license_id", type=LICENSE_ID)
@click.argument("to")
@chain_options
@handled
def license_transfer(license_id: int, to: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """Transfer a transferable license to TO (licensee).

    \b
    Example:  ipledger license transfer 1 0x976E…0aa9 --account 4
    """
    from ipledger.types import address

    address(to, "new licensee")
    with _client(network, account, allow_env_key) as ipl:
        _tx_out(as_json, "license transferred", ipl.transfer_license(license_id, to))


@license_group.command("tree")
@click.argument("right")
@chain_options
@handled
def license_tree(right: str, network: str, account: str, allow_env_key: bool, as_json: bool) -> None:
    """Show every license of a right as a tree.

    \b
    Example:  ipledger license tree EM/TM/018234567
    """
    from ipledger.cli import render as r

    rid = _right_arg(right)
    with _client(network, account, allow_env_key) as ipl:
        tree = ipl.license_tree(rid)
    _emit(as_json, tree, lambda: r.console().print(r.license_tree_table(tree)))


@cli.command()
@click.argument("right")
@click.argument("party")
@click.option("--territory", required=True, help="ST.3 code of where the use happens.")
@click.option("--field", "field_label", default="", help="Field of use (empty = asks about all fields).")
@click.option("--at", "at", help="When, YYYY-MM-DD (default: now).")
@chain_options
@handled
def check(right: str, party: str, territory: str, field_label: str, at: str | None, network: str, account: str,
          allow_env_key: bool, as_json: bool) -> None:
    """Is PARTY's use of RIGHT licensed in a territory, field and time? Exit 0 if yes, 3 if not.

    \b
    Example:  ipledger check EM/TM/018234567 0x9965…A4dc --territory DE --field software
    """
    import sys

    from ipledger.types import address
    from ipledger.types import office as office_code

    rid = _right_arg(right)
    address(party, "party")
    office_code(territory)
    when = _date(at, "date")
    with _client(network, account, allow_env_key) as ipl:
        cov = ipl.is_licensed(rid, party, territory, field_label, when)
    data = {"licensed": cov.licensed, "license_id": cov.license_id, "party": party, "territory": territory,
            "field": field_label}
    if cov.licensed:
        how = "as the holder" if cov.license_id == 0 else f"by license #{cov.license_id}"
        text = f"licensed: yes, {how}"
    else:
        text = "licensed: no"
    _emit(as_json, data, lambda: click.echo(text))
    sys.exit(0 if cov.licensed else 3)
