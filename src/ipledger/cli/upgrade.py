"""``ipledger upgrade``: check a next version's storage layout, propose it to the council, record it.

The logic is in :mod:`ipledger.sdk.upgrades` (and :mod:`ipledger.build.layout` for the offline check); these
commands parse the options, call it and print. ``ipledger upgrade CONTRACT ...`` is short for
``ipledger upgrade propose CONTRACT ...``.
"""

from __future__ import annotations

from typing import Any

import click

from ipledger.cli.context import Session, chain_options, json_option
from ipledger.cli.output import emit
from ipledger.errors import UsageError


class UpgradeGroup(click.Group):
    """``upgrade`` whose first argument, when it names no subcommand, is the contract to propose an upgrade of."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["propose", *args]
        return super().parse_args(ctx, args)


@click.group("upgrade", cls=UpgradeGroup)
def upgrade_group() -> None:
    """Upgrade a register behind its proxy: check the layout, propose through the council, record.

    \b
    Examples:
      ipledger upgrade check                                   every upgradeable contract of the build
      ipledger upgrade check --contract IPRegistryNext --reference IPRegistry
      ipledger upgrade IPRegistry --deploy --network local     deploy, check, propose (a council proposal)
      ipledger council vote ID ... ; ipledger council execute ID
      ipledger upgrade record IPRegistry --network local       write the new implementation into the record
    """


def _register(name: str) -> str:
    """``name`` if it is a register of the suite (checked before connecting), else a UsageError naming them."""
    import difflib

    from ipledger.deploy import SUITE

    names = [register for register, _, _ in SUITE]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        raise UsageError(f"'{name}' is not a register of the suite; {hint}upgradeable: {', '.join(names)}")
    return name


def _report_rows(report: Any) -> list[tuple[str, str, str]]:
    rows = []
    for c in report.contracts:
        rows.append((c.name, c.reference or "-", "ok" if c.ok else f"{len(c.problems)} problem(s)"))
    return rows


@upgrade_group.command("check")
@click.option("--contract", "contract", metavar="NAME", help="Check only this contract (name or file.sol:Name).")
@click.option("--reference", metavar="NAME", help="Compare its storage layout with this one (needs --contract).")
@json_option
def check_cmd(session: Session, contract: str | None, reference: str | None) -> None:
    """Validate the build with OpenZeppelin upgrades-core (no chain needed).

    Without --contract: every upgradeable contract is checked for what is unsafe behind a proxy
    (constructor, immutable, selfdestruct, delegatecall, missing initializer). With --reference: the
    storage layout too. One line per problem; exit code 1 when any.

    \b
    Example:  ipledger upgrade check --contract UpgradeProbeNext --reference UpgradeProbe
    """
    from ipledger.build.layout import validate
    from ipledger.cli import render as r
    from ipledger.config import load_config

    if reference is not None and contract is None:
        raise UsageError("--reference needs --contract: name the contract to compare with the reference")
    report = validate(load_config(), contract=contract, reference=reference)
    data = {"ok": report.ok, "contracts": [{"name": c.name, "source": c.source, "reference": c.reference,
                                            "problems": list(c.problems)} for c in report.contracts]}

    def show() -> None:
        if not report.contracts:
            click.echo("no upgradeable contract in the build (none inherits Initializable/UUPSUpgradeable)")
        else:
            r.console().print(r.table("Upgrade safety", ("contract", "reference", "verdict"), _report_rows(report)))
        for line in report.problems:
            click.echo(line, err=not session.as_json)

    emit(session.as_json, data, show)
    if not report.ok:
        raise click.exceptions.Exit(1)


@upgrade_group.command("propose")
@chain_options
@click.argument("contract")
@click.option("--artifact", metavar="NAME", help="The new implementation's contract name (default: CONTRACT).")
@click.option("--implementation", metavar="ADDR", help="An implementation already deployed (its code is checked).")
@click.option("--deploy", "deploy_new", is_flag=True, help="Deploy the new implementation from the current build.")
@click.option("--description", help="The proposal's description (default: what is upgraded to what).")
def propose_cmd(session: Session, contract: str, artifact: str | None, implementation: str | None,
                deploy_new: bool, description: str | None) -> None:
    """Check CONTRACT's next version and propose the upgrade to the office council.

    Give exactly one of --deploy and --implementation. The proposal is one call, the proxy's
    upgradeToAndCall(new, 0x); after the vote and the timelock delay, `ipledger council execute`
    makes it and `ipledger upgrade record CONTRACT` writes it into deployments/<chain-id>.json.

    \b
    Example:  ipledger upgrade IPRegistry --deploy --network local --account 1
    """
    from ipledger.sdk import upgrades
    from ipledger import types

    contract = _register(contract)
    if deploy_new == (implementation is not None):
        raise UsageError("give exactly one of --deploy (a new implementation from this build) and --implementation ADDR")
    address = types.address(implementation, "--implementation") if implementation is not None else None
    ipl = session.ledger()
    plan = upgrades.prepare(ipl, contract, artifact=artifact, implementation=address)
    proposal = upgrades.propose(ipl, plan, description)
    data = {"contract": plan.contract, "proxy": plan.proxy, "current": plan.current,
            "implementation": plan.implementation,
            "proposal": _jsonable(getattr(proposal, "proposal_id", proposal)),
            "description": description or plan.description}
    emit(session.as_json, data, lambda: click.echo(
        f"{plan.contract}: proposed the upgrade {plan.current} -> {plan.implementation} "
        f"(proposal {data['proposal']}); next: `ipledger council vote`, then `ipledger council execute`"))


@upgrade_group.command("record")
@chain_options
@click.argument("contract")
@click.option("--artifact", metavar="NAME", help="The contract name the new implementation was built from.")
def record_cmd(session: Session, contract: str, artifact: str | None) -> None:
    """After the upgrade was executed: write CONTRACT's new implementation into the deployment record.

    \b
    Example:  ipledger upgrade record IPRegistry --network local
    """
    from ipledger.sdk import upgrades

    contract = _register(contract)
    ipl = session.ledger()
    dep = upgrades.record(ipl, contract, artifact)
    entry = dep.contracts[contract]
    emit(session.as_json, {"contract": contract, "proxy": entry.address, "implementation": entry.implementation},
         lambda: click.echo(f"{contract}: the record now names {entry.implementation} behind {entry.address}"))


@upgrade_group.command("remember")
@chain_options
@click.argument("contract")
def remember_cmd(session: Session, contract: str) -> None:
    """Archive this build's build-info as the reference of CONTRACT's running implementation.

    Run it with the sources the implementation was deployed from (its code is compared), before changing
    them; `ipledger upgrade` then checks the next version against it.

    \b
    Example:  ipledger upgrade remember IPRegistry --network local
    """
    from ipledger.sdk import upgrades

    contract = _register(contract)
    ipl = session.ledger()
    current = upgrades.current_implementation(ipl, contract)
    config = ipl.config
    if config is None or not upgrades.code_matches(ipl, current, contract):
        raise UsageError(f"{contract}'s implementation at {current} does not hold the code of this build; "
                         "check out the sources it was deployed from and run this again")
    ref = upgrades.remember(config, ipl.deployment.chain_id, current, contract, ipl.artifacts.cache_key)
    emit(session.as_json, {"contract": contract, "implementation": current, "reference": ref.name},
         lambda: click.echo(f"{contract}: {current} checks against {ref.name}"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, (str, type(None))) else str(value)
