"""isLicensed: who may use the right where, in which field and when (licensees, the holder, ended rights), for the
whole scope asked, with exclusive licenses excluding everyone else in their scope, their licensor included."""

from __future__ import annotations

import pytest

from helpers import ALICE, BOB, CAROL, DAVE, REGISTRAR, LicenseDriver
from helpers.licensing import DAY, EXCLUSIVE, NONEXCLUSIVE, REVOKED, SOLE


@pytest.mark.parametrize(("territory", "label", "day", "expected"), [
    ("US", "software", 15, True),
    ("RU", "software", 15, False),
    ("US", "hardware", 15, False),
    ("US", "", 15, False),
    ("US", "software", 9, False),
    ("US", "software", 21, False),
    ("US", "software", 20, True),
])
def test_is_licensed_licensee_inside_or_outside_scope(lg: LicenseDriver, territory: str, label: str, day: int,
                                                     expected: bool) -> None:
    lid = lg.grant(ALICE, BOB, territories=("EM", "US"), label="software", start=lg.t0 + 10 * DAY,
                   end=lg.t0 + 20 * DAY)
    when = lg.t0 + day * DAY
    assert lg.licensed(BOB, territory, label, when) == ((True, lid) if expected else (False, 0))


def test_is_licensed_worldwide_all_fields_license_covers_any_use(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB, territories=("WO",))
    assert lg.licensed(BOB, "AU", "anything") == (True, lid)
    assert lg.licensed(BOB, "AU", "") == (True, lid)
    assert lg.licensed(CAROL, "AU") == (False, 0)


def test_is_licensed_for_pending_offer_returns_false(lg: LicenseDriver) -> None:
    lg.offer(ALICE, BOB)
    assert lg.licensed(BOB) == (False, 0)


@pytest.mark.parametrize(("kind", "territory", "expected"), [
    (None, "EM", (True, 0)),
    (NONEXCLUSIVE, "EM", (True, 0)),
    (SOLE, "EM", (True, 0)),
    (EXCLUSIVE, "EM", (False, 0)),
    (EXCLUSIVE, "US", (True, 0)),
])
def test_is_licensed_holder_true_unless_exclusive_license_covers(lg: LicenseDriver, kind: int | None,
                                                                 territory: str, expected: tuple[bool, int]) -> None:
    if kind is not None:
        lg.grant(ALICE, BOB, kind=kind, territories=("EM",))
    assert lg.licensed(ALICE, territory) == expected


def test_is_licensed_after_right_revoked_returns_false(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.licensed(BOB) == (True, lid) and lg.licensed(ALICE) == (True, 0)
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REGISTRAR)
    assert lg.licensed(BOB) == (False, 0) and lg.licensed(ALICE) == (False, 0)
    assert not lg.active(lid) and not lg.license(lid)["active"]
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))


def test_is_licensed_after_right_expiry_date_returns_false(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    names = [c["name"] for c in lg.reg.get_function_by_name("rightOf").abi["outputs"][0]["components"]]
    expiry = dict(zip(names, lg.reg.functions.rightOf(lg.right).call()))["expiryDate"]
    assert lg.licensed(BOB, time=expiry) == (True, lid)
    assert lg.licensed(BOB, time=expiry + 1) == (False, 0)
    assert lg.licensed(ALICE, time=expiry + 1) == (False, 0)


def test_is_licensed_for_unknown_right_returns_false(lg: LicenseDriver) -> None:
    assert lg.licensed(ALICE, right=424242) == (False, 0)


# ---------------------------------------------------------------- the whole scope (issue #12, item 4)


@pytest.mark.parametrize(("territory", "label", "expected"), [
    ("WO", "pharma", False),  # the issue: the world includes DE, where Bob is exclusive
    ("DE", "", False),  # the issue: all fields include pharma
    ("WO", "", False),
    ("DE", "pharma", False),
    ("FR", "pharma", True),
    ("DE", "software", True),
    ("FR", "", True),
])
def test_is_licensed_holder_excluded_wherever_exclusive_license_touches_scope(
        lg: LicenseDriver, territory: str, label: str, expected: bool) -> None:
    lg.grant(ALICE, BOB, kind=EXCLUSIVE, territories=("DE",), label="pharma")
    assert lg.licensed(ALICE, territory, label) == ((True, 0) if expected else (False, 0))


@pytest.mark.parametrize(("territory", "label", "expected"), [
    ("DE", "pharma", True), ("WO", "pharma", False), ("DE", "", False), ("FR", "pharma", False),
])
def test_is_licensed_licensee_only_for_scope_its_license_covers_whole(lg: LicenseDriver, territory: str, label: str,
                                                                     expected: bool) -> None:
    lid = lg.grant(ALICE, BOB, kind=EXCLUSIVE, territories=("DE",), label="pharma")
    assert lg.licensed(BOB, territory, label) == ((True, lid) if expected else (False, 0))


def test_is_licensed_worldwide_question_needs_worldwide_license(lg: LicenseDriver) -> None:
    de = lg.grant(ALICE, BOB, territories=("DE", "FR"))
    assert lg.licensed(BOB, "WO") == (False, 0)
    wo = lg.grant(ALICE, CAROL, territories=("WO",))
    assert lg.licensed(CAROL, "WO") == (True, wo) and lg.licensed(BOB, "DE") == (True, de)


def test_is_licensed_licensee_excluded_by_its_exclusive_sublicense(lg: LicenseDriver) -> None:
    """The issue: an exclusive sublicense from Bob to Carol in DE leaves Bob unlicensed in DE."""
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True, territories=("DE", "FR"), label="pharma")
    assert lg.licensed(BOB, "DE", "pharma") == (True, root)
    sub = lg.grant(BOB, CAROL, kind=EXCLUSIVE, sub=True, parent=root, territories=("DE",), label="pharma")
    assert lg.licensed(BOB, "DE", "pharma") == (False, 0)
    assert lg.licensed(BOB, "DE") == (False, 0)
    assert lg.licensed(BOB, "FR", "pharma") == (True, root)
    assert lg.licensed(CAROL, "DE", "pharma") == (True, sub)
    leaf = lg.grant(CAROL, DAVE, parent=sub, territories=("DE",), label="pharma")  # under the exclusive one
    assert lg.licensed(DAVE, "DE", "pharma") == (True, leaf) and lg.licensed(CAROL, "DE", "pharma") == (True, sub)
    assert lg.licensed(ALICE, "FR", "pharma") == (False, 0) and lg.licensed(ALICE, "IT", "pharma") == (True, 0)
    lg.send(lg.lic.functions.terminateLicense(sub), BOB)
    assert lg.licensed(BOB, "DE", "pharma") == (True, root) and lg.licensed(DAVE, "DE", "pharma") == (False, 0)


@pytest.mark.parametrize("kind", [SOLE, NONEXCLUSIVE], ids=["sole", "nonexclusive"])
def test_is_licensed_licensee_keeps_use_beside_its_sole_or_nonexclusive_sublicense(lg: LicenseDriver,
                                                                                  kind: int) -> None:
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True, territories=("DE",))
    sub = lg.grant(BOB, CAROL, kind=kind, parent=root, territories=("DE",))
    assert lg.licensed(BOB, "DE") == (True, root) and lg.licensed(CAROL, "DE") == (True, sub)


def test_is_licensed_exclusive_license_excludes_holder_only_during_its_period(lg: LicenseDriver) -> None:
    start, end = lg.t0 + 10 * DAY, lg.t0 + 20 * DAY
    lg.grant(ALICE, BOB, kind=EXCLUSIVE, territories=("DE",), start=start, end=end)
    assert lg.licensed(ALICE, "WO", time=start - 1) == (True, 0)
    assert lg.licensed(ALICE, "WO", time=start) == (False, 0)
    assert lg.licensed(ALICE, "WO", time=end) == (False, 0)
    assert lg.licensed(ALICE, "WO", time=end + 1) == (True, 0)


def test_is_licensed_holder_who_is_also_exclusive_licensee_is_excluded_by_its_sublicensee(lg: LicenseDriver) -> None:
    """After an assignment the root licensee may become the holder: its own exclusive license does not exclude it,
    but the exclusive sublicense it granted under it does."""
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True, territories=("DE", "FR"))
    sub = lg.grant(BOB, CAROL, kind=EXCLUSIVE, parent=root, territories=("DE",))
    lg.send(lg.reg.functions.requestAssignment(lg.right, lg.a(BOB), b"\x11" * 32), ALICE)
    lg.send(lg.reg.functions.acceptAssignment(lg.right), BOB)
    lg.send(lg.reg.functions.recordAssignment(lg.right), REGISTRAR)
    assert lg.reg.functions.holderAndStatus(lg.right).call()[0] == lg.a(BOB)
    assert lg.licensed(BOB, "FR") == (True, root)
    assert lg.licensed(BOB, "IT") == (True, 0)
    assert lg.licensed(BOB, "DE") == (False, 0) and lg.licensed(BOB, "WO") == (False, 0)
    assert lg.licensed(CAROL, "DE") == (True, sub)
    lg.send(lg.lic.functions.surrenderLicense(sub), CAROL)
    assert lg.licensed(BOB, "DE") == (True, root) and lg.licensed(BOB, "WO") == (True, 0)
