"""The ``ipledger council`` group (propose, vote, execute, show, list) and ``ipledger pause`` (the guardian).

Whatever only the offices together may do (admit or remove an office, replace a lost admin key, recordal
settings, the guardian, unpausing, the threshold, voting and timelock settings, upgrades) is a proposal of an
office admin, a vote of the offices, the timelock delay, then an execution anyone may send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, show_table, tx_out
from ipledger.cli.params import Address, Office
from ipledger.errors import InvalidInput
from ipledger.types import escape

if TYPE_CHECKING:
    from ipledger.domain.governance import Vote
    from ipledger.sdk.council import Call, Proposal


class GovernanceValue(click.ParamType):
    """A value parsed by ``ipledger.domain.governance``: a threshold (2/3, 0.75, 75%), a duration (seconds, 15m,
    2h, 2d) or a vote (for, against, abstain). The parser is imported on use, so ``--help`` stays light."""

    def __init__(self, name: str, parser: str, *args: Any) -> None:
        self.name, self._parser, self._args = name, parser, args

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ipledger.domain import governance

        return getattr(governance, self._parser)(value, *self._args)


class ProposalId(click.ParamType):
    """A proposal number (1, 2, 3 ...)."""

    name = "proposal"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or int(text) < 1 or int(text) >= 2**256:
            raise InvalidInput(f"a proposal id is a whole number from 1 (see `ipledger council list`), not {value!r}")
        return int(text)


class Blocks(click.ParamType):
    """A number of blocks."""

    name = "blocks"

    def __init__(self, low: int) -> None:
        self.low = low

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or not self.low <= int(text) < 2**32:
            raise InvalidInput(f"a number of blocks is a whole number from {self.low} below 2**32, not {value!r}")
        return int(text)


@click.group()
def council() -> None:
    """The office council: one vote per office, a threshold (default 2/3), the timelock, then execution."""


@council.group("propose")
def council_propose() -> None:
    """Propose an action (an office admin); the offices then vote on it."""


def _description_option(func: Any) -> Any:
    return click.option("--description", "-d", default=None,
                        help="What the proposal is for (default: the action and the proposal's number).")(func)


def _propose(session: Session, build: Any, description: str | None) -> None:
    ipl = session.ledger()
    calls: Call | list[Call] = build(ipl.council)
    res = ipl.council.propose(calls, description)
    tx_out(session.as_json, f"proposal {res.proposal_id} made", res, {"proposal": res.proposal_id})


@council_propose.command("admit-office")
@click.argument("code", type=Office())
@click.argument("admin", type=Address("admin"))
@click.option("--recordal/--no-recordal", default=False, show_default=True,
              help="Whether the office's assignments need recordal by its registrar.")
@_description_option
@chain_options
def propose_admit(session: Session, code: str, admin: str, recordal: bool, description: str | None) -> None:
    """Admit office CODE with ADMIN as the account that casts its vote and names its registrars.

    \b
    Example:  ipledger council propose admit-office AU 0x90F79bf6EB2c4f870365E785982E1f101E93b906
    """
    _propose(session, lambda c: c.admit_office(code, admin, recordal), description)


@council_propose.command("remove-office")
@click.argument("code", type=Office())
@_description_option
@chain_options
def propose_remove(session: Session, code: str, description: str | None) -> None:
    """Remove office CODE (its registrars stop at once).

    \b
    Example:  ipledger council propose remove-office AU
    """
    _propose(session, lambda c: c.remove_office(code), description)


@council_propose.command("replace-admin")
@click.argument("code", type=Office())
@click.argument("admin", type=Address("admin"))
@_description_option
@chain_options
def propose_replace(session: Session, code: str, admin: str, description: str | None) -> None:
    """Give office CODE a new ADMIN (when its key is lost; otherwise the office rotates its own key).

    \b
    Example:  ipledger council propose replace-admin RU 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65
    """
    _propose(session, lambda c: c.replace_admin(code, admin), description)


@council_propose.command("set-recordal")
@click.argument("code", type=Office())
@click.argument("required", type=click.Choice(["on", "off"]))
@_description_option
@chain_options
def propose_recordal(session: Session, code: str, required: str, description: str | None) -> None:
    """Whether office CODE's assignments need recordal by its registrar.

    \b
    Example:  ipledger council propose set-recordal US on
    """
    _propose(session, lambda c: c.set_recordal(code, required == "on"), description)


@council_propose.command("set-guardian")
@click.argument("guardian", type=Address("guardian"))
@_description_option
@chain_options
def propose_guardian(session: Session, guardian: str, description: str | None) -> None:
    """Make GUARDIAN a guardian (it may pause every register, and nothing else).

    \b
    Example:  ipledger council propose set-guardian 0x976EA74026E726554dB657fA54763abd0C3a0aa9
    """
    _propose(session, lambda c: c.set_guardian(guardian), description)


@council_propose.command("unset-guardian")
@click.argument("guardian", type=Address("guardian"))
@_description_option
@chain_options
def propose_unguardian(session: Session, guardian: str, description: str | None) -> None:
    """Take the guardian role from GUARDIAN.

    \b
    Example:  ipledger council propose unset-guardian 0x976EA74026E726554dB657fA54763abd0C3a0aa9
    """
    _propose(session, lambda c: c.unset_guardian(guardian), description)


@council_propose.command("unpause")
@_description_option
@chain_options
def propose_unpause(session: Session, description: str | None) -> None:
    """Resume every register (after the guardian paused them).

    \b
    Example:  ipledger council propose unpause
    """
    _propose(session, lambda c: c.unpause(), description)


@council_propose.command("set-threshold")
@click.argument("fraction", type=GovernanceValue("fraction", "threshold"))
@_description_option
@chain_options
def propose_threshold(session: Session, fraction: Any, description: str | None) -> None:
    """The share of the offices whose for-votes pass a proposal (above 1/2, at most 1).

    \b
    Example:  ipledger council propose set-threshold 3/4
    """
    _propose(session, lambda c: c.set_threshold(fraction), description)


@council_propose.command("set-voting-delay")
@click.argument("blocks", type=Blocks(0))
@_description_option
@chain_options
def propose_voting_delay(session: Session, blocks: int, description: str | None) -> None:
    """Blocks between a proposal and its snapshot (voting opens the block after).

    \b
    Example:  ipledger council propose set-voting-delay 1
    """
    _propose(session, lambda c: c.set_voting_delay(blocks), description)


@council_propose.command("set-voting-period")
@click.argument("blocks", type=Blocks(1))
@_description_option
@chain_options
def propose_voting_period(session: Session, blocks: int, description: str | None) -> None:
    """Blocks a vote stays open.

    \b
    Example:  ipledger council propose set-voting-period 50400
    """
    _propose(session, lambda c: c.set_voting_period(blocks), description)


@council_propose.command("set-timelock-delay")
@click.argument("delay", type=GovernanceValue("duration", "duration", "timelock delay"))
@_description_option
@chain_options
def propose_timelock_delay(session: Session, delay: int, description: str | None) -> None:
    """Seconds between a passed vote and its execution (0 only on local dev chains).

    \b
    Example:  ipledger council propose set-timelock-delay 2d
    """
    _propose(session, lambda c: c.set_timelock_delay(delay), description)


@council.command("vote")
@click.argument("proposal", type=ProposalId())
@click.argument("support", type=GovernanceValue("for|against|abstain", "vote"))
@click.option("--reason", default="", help="A reason, recorded in the VoteCast event.")
@chain_options
def council_vote(session: Session, proposal: int, support: Vote, reason: str) -> None:
    """Cast your office's vote on PROPOSAL (an office admin).

    \b
    Example:  ipledger council vote 1 for --account 10
    """
    res = session.ledger().council.vote(proposal, support, reason)
    tx_out(session.as_json, f"voted {support.name.lower()} on proposal {proposal}", res)


@council.command("execute")
@click.argument("proposal", type=ProposalId())
@chain_options
def council_execute(session: Session, proposal: int) -> None:
    """Execute a passed PROPOSAL (anyone): queues it in the timelock first, and says how long the delay runs.

    \b
    Example:  ipledger council execute 1
    """
    res = session.ledger().council.execute(proposal)
    tx_out(session.as_json, f"proposal {proposal} executed", res)


@council.command("show")
@click.argument("proposal", type=ProposalId(), required=False)
@chain_options
def council_show(session: Session, proposal: int | None) -> None:
    """A proposal (state, votes, what it needs, its actions), or without PROPOSAL the council itself.

    \b
    Examples:  ipledger council show
               ipledger council show 1 --json
    """
    c = session.ledger().council
    if proposal is None:
        data = {**c.settings(), "offices": c.offices()}

        def show_council() -> None:
            s = data
            click.echo(f"threshold {s['threshold']} of the offices; voting delay {s['voting_delay']} blocks, period "
                       f"{s['voting_period']} blocks; timelock delay {s['timelock_delay']} s")
            show_table("Council", ("office", "admin", "pending admin"),
                       [(o["office"], o["admin"], o["pending_admin"] or "") for o in s["offices"]])

        emit(session.as_json, data, show_council)
        return
    p = c.show(proposal)
    emit(session.as_json, _proposal_json(p), lambda: _show_proposal(p))


@council.command("list")
@chain_options
def council_list(session: Session) -> None:
    """Every proposal with its state and votes.

    \b
    Example:  ipledger council list
    """
    rows = session.ledger().council.proposals()
    emit(session.as_json, [_proposal_json(p) for p in rows], lambda: show_table(
        "Proposals", ("id", "state", "for", "against", "abstain", "needed", "description"),
        [(p.proposal_id, p.state.name.lower(), p.votes["for"], p.votes["against"], p.votes["abstain"], p.needed,
          escape(p.description)) for p in rows]))


@click.command("pause")
@chain_options
def pause_cmd(session: Session) -> None:
    """Pause every register (the guardian); resuming is a council proposal (`council propose unpause`).

    \b
    Example:  ipledger pause --account 12
    """
    ipl = session.ledger()
    results = ipl.pause_all()
    if not results:
        results = [ipl.pause()]
    tx_out(session.as_json, f"{len(results)} register(s) paused", results[-1],
           {"registers": ipl.governed_registers() or ["IPRegistry"]})


def _proposal_json(p: Proposal) -> dict[str, Any]:
    return {"id": p.proposal_id, "state": p.state.name.lower(), "proposer": p.proposer,
            "description": p.description, "actions": list(p.actions), "votes": p.votes, "needed": p.needed,
            "offices_at_snapshot": p.offices, "threshold": p.threshold, "snapshot_block": p.snapshot,
            "deadline_block": p.deadline, "eta": p.eta}


def _show_proposal(p: Proposal) -> None:
    from ipledger import types

    click.echo(f"proposal {p.proposal_id}: {p.state.name.lower()} — {types.escape(p.description)}")
    click.echo(f"  votes: {p.votes['for']} for, {p.votes['against']} against, {p.votes['abstain']} abstain; "
               f"needs {p.needed} for ({p.threshold} of {p.offices} offices at block {p.snapshot})")
    click.echo(f"  voting ends at block {p.deadline}" + (f"; executable from {types.format_date(p.eta)}"
                                                         if p.eta else ""))
    for action in p.actions:
        click.echo(f"  - {types.escape(action)}")
