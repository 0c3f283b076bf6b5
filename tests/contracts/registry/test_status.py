"""Legal status: the whole lifecycle graph, ST.27 key event codes and states, registration and renewal details,
holder moves."""

from __future__ import annotations

from collections import deque
from itertools import product

import pytest

from helpers import World, assert_revert
from ipledger.sdk import TxResult
from ipledger.domain import ENDED, EVENT_CODES, TRANSITIONS, Status, legal_event_of, national_code_text, st27_state
from ipledger.errors import ContractRevert

YEAR = 365 * 86400
TERM = 10 * YEAR
DOC = "0x" + "d0" * 32
FILED_STATUSES = [s for s in Status if s is not Status.NONE]  # every status a filed right can be in
DETAILED = (Status.REGISTERED, Status.RENEWED)  # moves made by register() / renew(), not changeStatus




def path_to(target: Status) -> list[Status]:
    """The shortest legal walk from Filed to ``target`` over ``domain.TRANSITIONS`` (breadth first)."""
    seen: dict[Status, list[Status]] = {Status.FILED: []}
    queue = deque([Status.FILED])
    while queue:
        here = queue.popleft()
        for nxt in sorted(TRANSITIONS.get(here, ())):
            if nxt not in seen:
                seen[nxt] = [*seen[here], nxt]
                queue.append(nxt)
    if target not in seen:
        raise AssertionError(f"{target.name} is unreachable from FILED in domain.TRANSITIONS")
    return seen[target]


def move(w: World, rid: int, to: Status) -> TxResult:
    """The EM registrar moves the right to ``to`` with the call that move needs."""
    if to is Status.REGISTERED:
        now = w.now()
        return w.registrar.register(rid, f"REG-{rid % 100_000}", registration_date=now, expiry_date=now + TERM)
    if to is Status.RENEWED:
        return w.registrar.renew(rid, max(expiry_of(w, rid), w.now()) + TERM)
    return w.registrar.change_status(rid, to)


def status_of(w: World, rid: int) -> Status:
    return Status(w.ipl.registry.functions.holderAndStatus(rid).call()[1])


def expiry_of(w: World, rid: int) -> int:
    return int(w.ipl.registry.functions.rightOf(rid).call()[8])


@pytest.fixture(scope="module")
def reached(module_world: World) -> dict[Status, int]:
    """One EM trade mark of Alice's in every status, each reached by walking a legal path (built once per module)."""
    w = module_world
    out: dict[Status, int] = {}
    for target in FILED_STATUSES:
        rid = w.file(f"ST-{target.name}")
        for step in path_to(target):
            move(w, rid, step)
        out[target] = rid
    return out


# ---------------------------------------------------------------- the graph


def test_reached_fixture_every_status_is_reachable(world: World, reached: dict[Status, int]) -> None:
    for status, rid in reached.items():
        assert status_of(world, rid) is status


@pytest.mark.parametrize("frm,to", list(product(FILED_STATUSES, Status)), ids=lambda s: s.name.lower())
def test_move_from_status_to_status_follows_graph(world: World, reached: dict[Status, int], frm: Status,
                                                  to: Status) -> None:
    rid = reached[frm]
    if to in TRANSITIONS.get(frm, frozenset()):
        res = move(world, rid, to)
        assert status_of(world, rid) is to
        changed = res.event("StatusChanged").args
        assert changed["rightId"] == rid
        assert (changed["from"], changed["to"]) == (frm, to)
        assert changed["keyEventCode"] == EVENT_CODES[to]
        assert national_code_text(changed["nationalCode"]) == EVENT_CODES[to]  # EM set no code of its own
        assert len(res.all("StatusChanged")) == 1
    else:
        with pytest.raises(ContractRevert) as exc_info:
            move(world, rid, to)
        assert_revert(exc_info, "InvalidTransition", rightId=rid, **{"from": frm, "to": to})
        assert status_of(world, rid) is frm


@pytest.mark.parametrize("frm,to", list(product(FILED_STATUSES, DETAILED)), ids=lambda s: s.name.lower())
def test_change_status_to_registered_or_renewed_reverts_status_needs_details(
        world: World, reached: dict[Status, int], frm: Status, to: Status) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.change_status(reached[frm], to)
    assert_revert(exc_info, "StatusNeedsDetails", to=to)
    assert status_of(world, reached[frm]) is frm


@pytest.mark.parametrize("to", list(Status), ids=lambda s: s.name.lower())
def test_move_unfiled_right_reverts_right_not_found(world: World, to: Status) -> None:
    rid = 0xF11ED  # nothing filed under this id
    with pytest.raises(ContractRevert) as exc_info:
        if to is Status.REGISTERED:
            world.registrar.register(rid, "R-1", registration_date=1, expiry_date=2)
        elif to is Status.RENEWED:
            world.registrar.renew(rid, 2)
        else:
            world.registrar.change_status(rid, to)
    assert_revert(exc_info, "RightNotFound", rightId=rid)


def test_domain_transitions_every_status_except_none_has_an_entry_or_is_terminal() -> None:
    sources = set(TRANSITIONS)
    targets = set().union(*TRANSITIONS.values())
    assert Status.NONE not in sources | targets
    assert sources | targets == set(FILED_STATUSES)
    assert Status.FILED not in targets, "nothing moves back to Filed"


# ---------------------------------------------------------------- event codes and ended


@pytest.mark.parametrize("status", FILED_STATUSES, ids=lambda s: s.name.lower())
def test_key_event_code_of_each_status_move_matches_domain(world: World, status: Status) -> None:
    assert world.ipl.key_event_code(legal_event_of(status)) == EVENT_CODES[status]


@pytest.mark.parametrize("status", FILED_STATUSES, ids=lambda s: s.name.lower())
def test_st27_state_of_each_status_matches_domain(world: World, reached: dict[Status, int], status: Status) -> None:
    """The contract's st27StateOf and the Python domain derive the same ST.27 state from every status."""
    on_chain = world.ipl.st27_state(reached[status])
    assert on_chain is st27_state(status)
    assert world.ipl.right(reached[status]).st27_state is on_chain


@pytest.mark.parametrize("status", FILED_STATUSES, ids=lambda s: s.name.lower())
def test_is_ended_status_matches_domain(world: World, reached: dict[Status, int], status: Status) -> None:
    assert world.ipl.registry.functions.isEnded(reached[status]).call() is (status in ENDED)


def test_change_status_effective_date_and_document_hash_are_recorded(world: World, reached: dict[Status, int]) -> None:
    rid = reached[Status.FILED]
    res = world.registrar.change_status(rid, Status.PUBLISHED, effective_date=1_700_000_000, document_hash=DOC)
    args = res.event("StatusChanged").args
    assert args["effectiveDate"] == 1_700_000_000
    assert args["documentHash"] == DOC
    events = world.ipl.history(rid).status_events
    assert events[-1].args == args


def test_change_status_without_effective_date_uses_block_time(world: World, reached: dict[Status, int]) -> None:
    res = world.registrar.change_status(reached[Status.FILED], Status.REFUSED)
    block_time = int(world.ipl.w3.eth.get_block(res.block)["timestamp"])
    assert res.event("StatusChanged").args["effectiveDate"] == block_time


# ---------------------------------------------------------------- register and renew


@pytest.mark.parametrize("frm", [Status.PUBLISHED, Status.OPPOSED], ids=lambda s: s.name.lower())
def test_register_from_published_or_opposed_sets_number_and_dates(world: World, reached: dict[Status, int],
                                                                  frm: Status) -> None:
    rid = reached[frm]
    reg = world.now() + 86_400
    exp = reg + TERM
    res = world.registrar.register(rid, "018234567-R", registration_date=reg, expiry_date=exp, document_hash=DOC)
    assert res.event("RightRegistered").args == {"rightId": rid, "registrationNumber": "018234567-R",
                                                 "registrationDate": reg, "expiryDate": exp}
    changed = res.event("StatusChanged").args
    assert (changed["from"], changed["to"], changed["keyEventCode"]) == (frm, Status.REGISTERED, "F10")
    assert (changed["effectiveDate"], changed["documentHash"]) == (reg, DOC)
    info = world.ipl.right(rid)
    assert (info.status, info.registration_number) == (Status.REGISTERED, "018234567-R")
    assert (info.registration_date, info.expiry_date) == (reg, exp)


@pytest.mark.parametrize("delta", [0, -1, -TERM], ids=["equal", "one-second-before", "ten-years-before"])
def test_register_expiry_not_after_registration_reverts_invalid_dates(world: World, reached: dict[Status, int],
                                                                      delta: int) -> None:
    rid = reached[Status.PUBLISHED]
    reg = world.now() + 86_400
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.register(rid, "R-1", registration_date=reg, expiry_date=reg + delta)
    assert_revert(exc_info, "InvalidDates", earlier=reg, later=reg + delta)
    assert status_of(world, rid) is Status.PUBLISHED


@pytest.mark.parametrize("frm", [Status.REGISTERED, Status.RENEWED, Status.RESTORED], ids=lambda s: s.name.lower())
def test_renew_in_force_right_extends_expiry(world: World, reached: dict[Status, int], frm: Status) -> None:
    rid = reached[frm]
    new_expiry = expiry_of(world, rid) + TERM
    res = world.registrar.renew(rid, new_expiry, document_hash=DOC)
    assert res.event("RightRenewed").args == {"rightId": rid, "expiryDate": new_expiry}
    changed = res.event("StatusChanged").args
    assert (changed["from"], changed["to"], changed["keyEventCode"], changed["documentHash"]) == (
        frm, Status.RENEWED, "M10", DOC)
    assert expiry_of(world, rid) == new_expiry
    assert status_of(world, rid) is Status.RENEWED


@pytest.mark.parametrize("delta", [0, -1, -YEAR], ids=["same", "one-second-earlier", "a-year-earlier"])
def test_renew_to_earlier_expiry_reverts_invalid_dates(world: World, reached: dict[Status, int], delta: int) -> None:
    rid = reached[Status.REGISTERED]
    current = expiry_of(world, rid)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.renew(rid, current + delta)
    assert_revert(exc_info, "InvalidDates", earlier=current, later=current + delta)
    assert expiry_of(world, rid) == current


# ---------------------------------------------------------------- who may move


@pytest.mark.parametrize("frm,to", [(Status.FILED, Status.WITHDRAWN), (Status.PUBLISHED, Status.WITHDRAWN),
                                    (Status.REGISTERED, Status.SURRENDERED), (Status.RENEWED, Status.SURRENDERED),
                                    (Status.RESTORED, Status.SURRENDERED)], ids=lambda s: s.name.lower())
def test_holder_withdraws_or_surrenders_own_right_succeeds(world: World, reached: dict[Status, int], frm: Status,
                                                           to: Status) -> None:
    rid = reached[frm]
    res = world.alice.change_status(rid, to)
    changed = res.event("StatusChanged").args
    assert (changed["from"], changed["to"], changed["keyEventCode"]) == (frm, to, EVENT_CODES[to])
    assert status_of(world, rid) is to


@pytest.mark.parametrize("frm,to", [(Status.OPPOSED, Status.WITHDRAWN), (Status.FILED, Status.SURRENDERED),
                                    (Status.REGISTERED, Status.WITHDRAWN), (Status.WITHDRAWN, Status.WITHDRAWN)],
                         ids=lambda s: s.name.lower())
def test_holder_move_outside_graph_reverts_invalid_transition(world: World, reached: dict[Status, int], frm: Status,
                                                              to: Status) -> None:
    rid = reached[frm]
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.change_status(rid, to)
    assert_revert(exc_info, "InvalidTransition", rightId=rid, **{"from": frm, "to": to})


@pytest.mark.parametrize("frm,to", [(Status.FILED, Status.PUBLISHED), (Status.FILED, Status.REFUSED),
                                    (Status.PUBLISHED, Status.OPPOSED), (Status.REGISTERED, Status.REVOKED),
                                    (Status.REGISTERED, Status.LAPSED), (Status.LAPSED, Status.RESTORED)],
                         ids=lambda s: s.name.lower())
def test_holder_office_move_reverts_status_move_not_allowed(world: World, reached: dict[Status, int], frm: Status,
                                                            to: Status) -> None:
    rid = reached[frm]
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.change_status(rid, to)
    assert_revert(exc_info, "StatusMoveNotAllowed", rightId=rid, caller=world.alice.address, to=to)
    assert status_of(world, rid) is frm


@pytest.mark.parametrize("frm,to", [(Status.FILED, Status.WITHDRAWN), (Status.REGISTERED, Status.SURRENDERED)],
                         ids=lambda s: s.name.lower())
@pytest.mark.parametrize("who", ["stranger", "bob", "governor", "ru_registrar"])
def test_non_holder_withdraw_or_surrender_reverts_status_move_not_allowed(
        world: World, reached: dict[Status, int], who: str, frm: Status, to: Status) -> None:
    actor = getattr(world, who)
    rid = reached[frm]
    with pytest.raises(ContractRevert) as exc_info:
        actor.change_status(rid, to)
    assert_revert(exc_info, "StatusMoveNotAllowed", rightId=rid, caller=actor.address, to=to)
    assert status_of(world, rid) is frm


def test_history_status_events_follow_walk_in_order(world: World, reached: dict[Status, int]) -> None:
    rid = reached[Status.RESTORED]
    walk = [Status.FILED, *path_to(Status.RESTORED)]
    events = world.ipl.history(rid).status_events
    assert [(e.args["from"], e.args["to"]) for e in events] == list(zip([Status.NONE, *walk[:-1]], walk))
    assert [e.args["keyEventCode"] for e in events] == [EVENT_CODES[s] for s in walk]


def test_register_before_filing_date_reverts_invalid_dates(world: World) -> None:
    rid = world.file("early", filing_date=1_700_000_000)
    world.registrar.publish(rid)
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.register(rid, "R-early", registration_date=1_600_000_000, expiry_date=1_900_000_000)
    assert_revert(exc_info, "InvalidDates", earlier=1_700_000_000, later=1_600_000_000)
