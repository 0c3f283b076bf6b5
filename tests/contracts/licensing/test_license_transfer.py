"""Licenses changing hands: transfer by the licensee, and the assignment of the licensed right."""

from __future__ import annotations

import pytest

from helpers import ALICE, BOB, CAROL, DAVE, EVE, REGISTRAR, LicenseDriver
from helpers.licensing import ZERO


def test_assign_right_keeps_licenses_and_moves_licensor(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    sub = lg.grant(BOB, CAROL, parent=root)
    lg.send(lg.reg.functions.requestAssignment(lg.right, lg.a(EVE), b"\x11" * 32), ALICE)
    lg.send(lg.reg.functions.acceptAssignment(lg.right), EVE)
    lg.send(lg.reg.functions.recordAssignment(lg.right), REGISTRAR)  # EM records assignments: then title moves
    assert lg.reg.functions.holderAndStatus(lg.right).call()[0] == lg.a(EVE)
    assert lg.active(root) and lg.active(sub)
    assert lg.licensed(BOB) == (True, root) and lg.licensed(CAROL) == (True, sub)
    assert lg.licensed(EVE) == (True, 0) and lg.licensed(ALICE) == (False, 0)
    assert lg.lic.functions.getLicenseRevoker(root).call() == lg.a(EVE)
    assert lg.license(root)["licensor"] == lg.a(EVE)
    assert lg.reverts(lg.lic.functions.terminateLicense(root), ALICE) == ("NotLicensor", (root, lg.a(ALICE)))
    assert lg.reverts(lg.offer_fn(DAVE), ALICE) == ("NotHolder", (lg.right, lg.a(ALICE)))
    receipt = lg.send(lg.lic.functions.terminateLicense(root), EVE)
    assert lg.lic.events.LicenseTerminated().process_receipt(receipt)[0]["args"]["licensor"] == lg.a(EVE)
    assert not lg.active(root) and not lg.active(sub)


def test_transfer_transferable_license_moves_licensee_and_emits_event(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB, transfer=True)
    other = lg.grant(ALICE, BOB, territories=("US",))
    receipt = lg.send(lg.lic.functions.transferLicense(lid, lg.a(CAROL)), BOB)
    (ev,) = lg.lic.events.LicenseTransferred().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "to": lg.a(CAROL), "from": lg.a(BOB)}
    assert lg.license(lid)["licensee"] == lg.a(CAROL) and lg.active(lid)
    assert lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call() == [other]
    assert lg.lic.functions.licensesHeldBy(lg.right, lg.a(CAROL)).call() == [lid]
    assert lg.licensed(CAROL) == (True, lid) and lg.licensed(BOB) == (False, 0)
    assert lg.reverts(lg.lic.functions.surrenderLicense(lid), BOB) == ("NotLicensee", (lid, lg.a(BOB)))


def test_transfer_non_transferable_license_reverts_not_transferable(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB, transfer=False)
    fn = lg.lic.functions.transferLicense(lid, lg.a(CAROL))
    assert lg.reverts(fn, BOB) == ("NotTransferable", (lid,))


@pytest.mark.parametrize(("caller", "to", "error"), [
    (CAROL, DAVE, "NotLicensee"), (BOB, None, "InvalidAccount"), (BOB, BOB, "InvalidAccount"),
    (BOB, ALICE, "InvalidAccount"),
])
def test_transfer_by_wrong_caller_or_to_bad_account_reverts(lg: LicenseDriver, caller: int, to: int | None,
                                                            error: str) -> None:
    lid = lg.grant(ALICE, BOB, transfer=True)
    target = ZERO if to is None else lg.a(to)
    got = lg.reverts(lg.lic.functions.transferLicense(lid, target), caller)
    assert got == (error, (lid, lg.a(caller)) if error == "NotLicensee" else (target,))


def test_transfer_parent_license_makes_new_licensee_the_sublicensor(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True, transfer=True)
    sub = lg.grant(BOB, CAROL, parent=root)
    lg.send(lg.lic.functions.transferLicense(root, lg.a(DAVE)), BOB)
    assert lg.lic.functions.getLicenseRevoker(sub).call() == lg.a(DAVE)
    assert lg.reverts(lg.lic.functions.terminateLicense(sub), BOB) == ("NotLicensor", (sub, lg.a(BOB)))
    lg.send(lg.lic.functions.terminateLicense(sub), DAVE)
    assert not lg.active(sub)
