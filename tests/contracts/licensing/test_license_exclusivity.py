"""Exclusivity: which licenses and offers of one right may coexist (kind x territory x field x period).
The bounds on open entries and held licenses are in test_license_capacity.py."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import ALICE, BOB, CAROL, DAVE, LicenseDriver
from helpers.licensing import DAY, EXCLUSIVE, NONEXCLUSIVE, SOLE


def overlap_expected(kind: int, territory: str, fld: str, time: str) -> bool:
    return kind != NONEXCLUSIVE and territory != "disjoint" and fld != "different" and time == "overlapping"


def matrix_terms(lg: LicenseDriver, territory: str, fld: str, time: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Terms of A (EM+US, field "software", days 10..20) and of B placed relative to A."""
    a = {"territories": ("EM", "US"), "label": "software", "start": lg.t0 + 10 * DAY, "end": lg.t0 + 20 * DAY}
    b = {"territories": {"overlapping": ("US", "RU"), "disjoint": ("RU", "AU"), "WO": ("WO",)}[territory],
         "label": {"same": "software", "different": "hardware", "all": ""}[fld],
         "start": lg.t0 + (15 if time == "overlapping" else 21) * DAY, "end": lg.t0 + 30 * DAY}
    return a, b


@pytest.mark.parametrize("time", ["overlapping", "disjoint"])
@pytest.mark.parametrize("fld", ["same", "different", "all"])
@pytest.mark.parametrize("territory", ["overlapping", "disjoint", "WO"])
@pytest.mark.parametrize("kind", [EXCLUSIVE, SOLE, NONEXCLUSIVE], ids=["exclusive", "sole", "nonexclusive"])
def test_offer_overlap_matrix_conflicts_only_when_exclusive_and_overlapping(
        lg: LicenseDriver, kind: int, territory: str, fld: str, time: str) -> None:
    """An active license A of the given kind against a new non-exclusive offer B."""
    a_terms, b_terms = matrix_terms(lg, territory, fld, time)
    a = lg.grant(ALICE, BOB, kind=kind, **a_terms)
    if overlap_expected(kind, territory, fld, time):
        assert lg.reverts(lg.offer_fn(CAROL, **b_terms), ALICE) == ("LicenseConflict", (a + 1, a))
    else:
        b = lg.grant(ALICE, CAROL, **b_terms)
        assert lg.active(a) and lg.active(b)


@pytest.mark.parametrize("territory", ["overlapping", "disjoint"])
@pytest.mark.parametrize("kind", [EXCLUSIVE, SOLE], ids=["exclusive", "sole"])
def test_offer_exclusive_or_sole_over_nonexclusive_license_conflicts_when_overlapping(
        lg: LicenseDriver, kind: int, territory: str) -> None:
    """The rule is symmetric: a new exclusive or sole offer against an active non-exclusive license A."""
    a_terms, b_terms = matrix_terms(lg, territory, "same", "overlapping")
    a = lg.grant(ALICE, BOB, **a_terms)
    if territory == "overlapping":
        assert lg.reverts(lg.offer_fn(CAROL, kind=kind, **b_terms), ALICE) == ("LicenseConflict", (a + 1, a))
    else:
        lg.grant(ALICE, CAROL, kind=kind, **b_terms)


def test_offer_period_touching_inclusive_end_reverts_license_conflict(lg: LicenseDriver) -> None:
    end = lg.t0 + 20 * DAY
    a = lg.grant(ALICE, BOB, kind=EXCLUSIVE, start=lg.t0 + 10 * DAY, end=end)
    assert lg.reverts(lg.offer_fn(CAROL, start=end, end=end + DAY), ALICE) == ("LicenseConflict", (a + 1, a))
    lg.offer(ALICE, CAROL, start=end + 1, end=end + DAY)


def test_offer_against_pending_exclusive_offer_reverts_license_conflict(lg: LicenseDriver) -> None:
    pending, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE)
    assert lg.reverts(lg.offer_fn(CAROL), ALICE) == ("LicenseConflict", (pending + 1, pending))


def test_offer_exclusive_against_pending_nonexclusive_offer_reverts_license_conflict(lg: LicenseDriver) -> None:
    pending, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.offer_fn(CAROL, kind=EXCLUSIVE), ALICE) == ("LicenseConflict", (pending + 1, pending))


def test_offer_nonexclusive_beside_nonexclusive_succeeds(lg: LicenseDriver) -> None:
    a = lg.grant(ALICE, BOB)
    b = lg.grant(ALICE, CAROL)
    assert lg.licensed(BOB) == (True, a) and lg.licensed(CAROL) == (True, b)


@pytest.mark.parametrize("ending", ["withdrawn", "terminated", "surrendered", "expired"])
def test_offer_after_conflicting_license_ends_succeeds(lg: LicenseDriver, ending: str) -> None:
    end = lg.now() + DAY if ending == "expired" else 0
    a, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE, end=end)
    if ending != "withdrawn":
        lg.accept(BOB, a)
    assert lg.reverts(lg.offer_fn(CAROL, kind=EXCLUSIVE), ALICE)[0] == "LicenseConflict"
    if ending == "withdrawn":
        lg.send(lg.lic.functions.withdrawOffer(a), ALICE)
    elif ending == "terminated":
        lg.send(lg.lic.functions.terminateLicense(a), ALICE)
    elif ending == "surrendered":
        lg.send(lg.lic.functions.surrenderLicense(a), BOB)
    else:
        lg.travel(end + 1)
    b = lg.grant(ALICE, CAROL, kind=EXCLUSIVE)
    assert lg.licensed(CAROL) == (True, b)


def test_offer_exclusive_sublicense_under_exclusive_parent_does_not_conflict_with_ancestors(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True)
    sub = lg.grant(BOB, CAROL, kind=EXCLUSIVE, parent=root, sub=True)
    subsub = lg.grant(CAROL, DAVE, kind=EXCLUSIVE, parent=sub)
    assert all(lg.active(i) for i in (root, sub, subsub))


def test_offer_sublicense_overlapping_exclusive_sibling_reverts_license_conflict(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True, territories=("EM", "US"))
    sibling = lg.grant(BOB, CAROL, kind=EXCLUSIVE, parent=root, territories=("US",))
    got = lg.reverts(lg.offer_fn(DAVE, parent=root, territories=("US",)), BOB)
    assert got == ("LicenseConflict", (sibling + 1, sibling))
    lg.offer(BOB, DAVE, parent=root, territories=("EM",))


def test_offer_sole_over_nonexclusive_tree_reverts_until_tree_ends(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True, territories=("EM",))
    sub = lg.grant(BOB, CAROL, parent=root, kind=NONEXCLUSIVE)
    assert lg.reverts(lg.offer_fn(DAVE, kind=SOLE), ALICE) == ("LicenseConflict", (sub + 1, root))
    lg.send(lg.lic.functions.surrenderLicense(root), BOB)  # ends the root and its sublicense
    lg.grant(ALICE, DAVE, kind=SOLE)
