"""isLicensed: who may use the right where, in which field and when (licensees, the holder, ended rights)."""

from __future__ import annotations

import pytest

from helpers import ALICE, BOB, CAROL, REGISTRAR, LicenseDriver
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
    expiry = lg.reg.functions.rightOf(lg.right).call()[6]
    assert lg.licensed(BOB, time=expiry) == (True, lid)
    assert lg.licensed(BOB, time=expiry + 1) == (False, 0)
    assert lg.licensed(ALICE, time=expiry + 1) == (False, 0)


def test_is_licensed_for_unknown_right_returns_false(lg: LicenseDriver) -> None:
    assert lg.licensed(ALICE, right=424242) == (False, 0)
