"""IPRegistry: the legal-status lifecycle (WIPO ST.27 categories) and who may move it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brownie
import pytest
from support import YEAR, ZERO32, custom_error, event_code, filing, now

from ipledger.domain import EVENT_CODES, HOLDER_MOVES, TRANSITIONS, IPType, Status, right_id

# How to bring a fresh filing to each status: the registrar's moves after filing.
PATHS: dict[Status, tuple[Status, ...]] = {
    Status.FILED: (),
    Status.PUBLISHED: (Status.PUBLISHED,),
    Status.OPPOSED: (Status.PUBLISHED, Status.OPPOSED),
    Status.REGISTERED: (Status.PUBLISHED, Status.REGISTERED),
    Status.RENEWED: (Status.PUBLISHED, Status.REGISTERED, Status.RENEWED),
    Status.LAPSED: (Status.PUBLISHED, Status.REGISTERED, Status.LAPSED),
    Status.RESTORED: (Status.PUBLISHED, Status.REGISTERED, Status.LAPSED, Status.RESTORED),
}
# changeStatus targets (Registered and Renewed need register() / renew()).
TARGETS = [s for s in Status if s not in (Status.NONE, Status.REGISTERED, Status.RENEWED)]


@pytest.fixture(scope="module")
def rights_at(registry: Any, registrar: Any, alice: Any) -> dict[Status, int]:
    """One EM trade mark of Alice's at each status of ``PATHS``, filed and moved by the EM registrar once for the
    module (every test starts from this state and changes its own copy)."""
    made = {}
    for n, (status, steps) in enumerate(PATHS.items()):
        number = f"01823{n:04d}"
        registry.file(filing("EM", number, alice), {"from": registrar})
        rid = right_id("EM", IPType.TRADE_MARK, number)
        for step in steps:
            if step == Status.REGISTERED:
                t = now()
                registry.register(rid, "R-1", t, t + 10 * YEAR, ZERO32, {"from": registrar})
            elif step == Status.RENEWED:
                registry.renew(rid, now() + 20 * YEAR, ZERO32, {"from": registrar})
            else:
                registry.changeStatus(rid, step, 0, ZERO32, {"from": registrar})
        made[status] = rid
    return made


@pytest.fixture
def right_at(registry: Any, rights_at: dict[Status, int]) -> Callable[[Status], int]:
    """The module's EM trade mark at ``status``."""

    def at(status: Status) -> int:
        rid = rights_at[status]
        assert registry.holderAndStatus(rid)[1] == status
        return rid

    return at


@pytest.mark.parametrize("to", TARGETS, ids=lambda s: s.name.lower())
@pytest.mark.parametrize("start", list(PATHS), ids=lambda s: s.name.lower())
def test_change_status_by_registrar_follows_lifecycle_graph(registry: Any, registrar: Any,
                                                            right_at: Callable[[Status], int], start: Status,
                                                            to: Status) -> None:
    rid = right_at(start)
    if to not in TRANSITIONS[start]:
        with brownie.reverts(custom_error("InvalidTransition", rid, start, to)):
            registry.changeStatus(rid, to, 0, ZERO32, {"from": registrar})
        return

    doc = b"\x11" * 32
    tx = registry.changeStatus(rid, to, 1_700_000_000, doc, {"from": registrar})

    assert registry.holderAndStatus(rid)[1] == to
    moved = tx.events["StatusChanged"]
    assert moved["rightId"] == rid
    assert moved["from"] == start
    assert moved["to"] == to
    assert event_code(moved["keyEventCode"]) == EVENT_CODES[to]
    assert moved["effectiveDate"] == 1_700_000_000
    assert moved["documentHash"] == "0x" + doc.hex()


@pytest.mark.parametrize("to", [Status.REGISTERED, Status.RENEWED], ids=lambda s: s.name.lower())
def test_change_status_to_registered_or_renewed_reverts_status_needs_details(registry: Any, registrar: Any,
                                                                              file_tm: Callable[..., int],
                                                                              to: Status) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("StatusNeedsDetails", to)):
        registry.changeStatus(rid, to, 0, ZERO32, {"from": registrar})


def test_change_status_by_stranger_reverts_status_move_not_allowed(registry: Any, stranger: Any,
                                                                   file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("StatusMoveNotAllowed", rid, stranger, Status.PUBLISHED)):
        registry.changeStatus(rid, Status.PUBLISHED, 0, ZERO32, {"from": stranger})


def test_change_status_by_other_office_registrar_reverts_status_move_not_allowed(
        registry: Any, ru_registrar: Any, file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("StatusMoveNotAllowed", rid, ru_registrar, Status.PUBLISHED)):
        registry.changeStatus(rid, Status.PUBLISHED, 0, ZERO32, {"from": ru_registrar})


def test_withdraw_by_holder_ends_application(registry: Any, alice: Any, file_tm: Callable[..., int]) -> None:
    assert Status.WITHDRAWN in HOLDER_MOVES
    rid = file_tm()

    registry.changeStatus(rid, Status.WITHDRAWN, 0, ZERO32, {"from": alice})

    assert registry.holderAndStatus(rid)[1] == Status.WITHDRAWN
    assert registry.isEnded(rid) is True


def test_publish_by_holder_reverts_status_move_not_allowed(registry: Any, alice: Any,
                                                           file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("StatusMoveNotAllowed", rid, alice, Status.PUBLISHED)):
        registry.changeStatus(rid, Status.PUBLISHED, 0, ZERO32, {"from": alice})


def test_register_sets_dates_and_emits_right_registered(registry: Any, registrar: Any,
                                                        right_at: Callable[[Status], int]) -> None:
    rid = right_at(Status.PUBLISHED)
    t = now()

    tx = registry.register(rid, "018234567", t, t + 10 * YEAR, ZERO32, {"from": registrar})

    record = registry.rightOf(rid).dict()
    assert record["status"] == Status.REGISTERED
    assert record["registrationDate"] == t
    assert record["expiryDate"] == t + 10 * YEAR
    registered = tx.events["RightRegistered"]
    assert registered["registrationNumber"] == "018234567"
    assert tx.events["StatusChanged"]["to"] == Status.REGISTERED


def test_register_with_expiry_before_registration_reverts_invalid_dates(registry: Any, registrar: Any,
                                                                        right_at: Callable[[Status], int]) -> None:
    rid = right_at(Status.PUBLISHED)
    t = now()
    with brownie.reverts(custom_error("InvalidDates", t, t - 1)):
        registry.register(rid, "018234567", t, t - 1, ZERO32, {"from": registrar})


def test_register_by_stranger_reverts_not_registrar(registry: Any, stranger: Any,
                                                    right_at: Callable[[Status], int]) -> None:
    rid = right_at(Status.PUBLISHED)
    t = now()
    with brownie.reverts(custom_error("NotRegistrar", b"EM", stranger)):
        registry.register(rid, "018234567", t, t + YEAR, ZERO32, {"from": stranger})


def test_renew_extends_expiry_and_emits_right_renewed(registry: Any, registrar: Any,
                                                      registered_tm: Callable[..., int]) -> None:
    rid = registered_tm()
    new_expiry = registry.rightOf(rid).dict()["expiryDate"] + 10 * YEAR

    tx = registry.renew(rid, new_expiry, ZERO32, {"from": registrar})

    assert registry.rightOf(rid).dict()["expiryDate"] == new_expiry
    assert tx.events["RightRenewed"]["expiryDate"] == new_expiry
    assert registry.holderAndStatus(rid)[1] == Status.RENEWED


def test_change_status_batch_by_registrar_moves_each_right_and_refuses_an_empty_batch(
        registry: Any, registrar: Any, file_tm: Callable[..., int]) -> None:
    first, second = file_tm("1"), file_tm("2")

    tx = registry.changeStatusBatch([(first, Status.PUBLISHED, 0, ZERO32), (second, Status.REFUSED, 0, ZERO32)],
                                    {"from": registrar})

    assert [e["to"] for e in tx.events["StatusChanged"]] == [Status.PUBLISHED, Status.REFUSED]
    assert [registry.holderAndStatus(r)[1] for r in (first, second)] == [Status.PUBLISHED, Status.REFUSED]
    with brownie.reverts(custom_error("EmptyBatch")):
        registry.changeStatusBatch([], {"from": registrar})
