"""License trees and their ending: sublicenses within their parent, termination, surrender and expiry by time
end the subtree below."""

from __future__ import annotations

import pytest

from helpers import ALICE, BOB, CAROL, DAVE, LicenseDriver
from helpers.licensing import ACTIVE, DAY, EXCLUSIVE, NONEXCLUSIVE, SOLE, SURRENDERED, TERMINATED, field


def test_terminate_by_holder_ends_license_and_emits_event(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    receipt = lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    (ev,) = lg.lic.events.LicenseTerminated().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensor": lg.a(ALICE),
                                "licensee": lg.a(BOB), "keyEventCode": b"S20", "nationalCode": b"S20".ljust(8, b"\0")}
    assert lg.license(lid)["state"] == TERMINATED and not lg.active(lid)
    assert lg.licensed(BOB) == (False, 0)


@pytest.mark.parametrize("caller", [BOB, CAROL])
def test_terminate_by_licensee_or_stranger_reverts_not_licensor(lg: LicenseDriver, caller: int) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), caller) == ("NotLicensor", (lid, lg.a(caller)))


def test_terminate_pending_or_ended_license_reverts_license_not_active(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))
    lg.accept(BOB, lid)
    lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))
    assert lg.reverts(lg.lic.functions.surrenderLicense(lid), BOB) == ("LicenseNotActive", (lid,))


def test_surrender_by_licensee_ends_license_and_emits_event(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    receipt = lg.send(lg.lic.functions.surrenderLicense(lid), BOB)
    (ev,) = lg.lic.events.LicenseSurrendered().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensee": lg.a(BOB), "keyEventCode": b"S20",
                                "nationalCode": b"S20".ljust(8, b"\0")}  # ST.27 category S: licence ended
    assert lg.license(lid)["state"] == SURRENDERED and not lg.active(lid)


def test_surrender_by_other_party_reverts_not_licensee(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.surrenderLicense(lid), ALICE) == ("NotLicensee", (lid, lg.a(ALICE)))


def three_level_tree(lg: LicenseDriver) -> tuple[int, int, int]:
    """Alice -> Bob (root) -> Carol (sub) -> Dave (subsub), all exclusive on EM/US in the software field."""
    common = {"kind": EXCLUSIVE, "label": "software", "sub": True}
    root = lg.grant(ALICE, BOB, territories=("EM", "US"), **common)
    sub = lg.grant(BOB, CAROL, parent=root, territories=("EM", "US"), **common)
    subsub = lg.grant(CAROL, DAVE, parent=sub, territories=("US",), **common)
    return root, sub, subsub


def test_offer_sublicense_within_parent_records_tree_and_revokers(lg: LicenseDriver) -> None:
    root, sub, subsub = three_level_tree(lg)
    f = lg.lic.functions
    assert [f.getParentLicenseId(i).call() for i in (root, sub, subsub)] == [0, root, sub]
    assert f.openLicensesOf(lg.right, 0).call() == [root]
    assert f.openLicensesOf(lg.right, root).call() == [sub] and f.openLicensesOf(lg.right, sub).call() == [subsub]
    assert f.openLicensesOf(lg.right, subsub).call() == []
    assert [f.getLicenseRevoker(i).call() for i in (root, sub, subsub)] == [lg.a(ALICE), lg.a(BOB), lg.a(CAROL)]
    assert [lg.license(i)["depth"] for i in (root, sub, subsub)] == [1, 2, 3]
    assert all(lg.active(i) for i in (root, sub, subsub))
    assert lg.licensed(DAVE, "US", "software") == (True, subsub)


def test_terminate_root_of_three_level_tree_ends_every_leaf(lg: LicenseDriver) -> None:
    root, sub, subsub = three_level_tree(lg)
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert [lg.active(i) for i in (root, sub, subsub)] == [False, False, False]
    assert [lg.license(i)["state"] for i in (root, sub, subsub)] == [TERMINATED, ACTIVE, ACTIVE]
    assert lg.licensed(CAROL, "US", "software") == (False, 0)
    assert lg.licensed(DAVE, "US", "software") == (False, 0)
    assert lg.licensed(ALICE, "US", "software") == (True, 0)
    assert lg.reverts(lg.lic.functions.terminateLicense(subsub), CAROL) == ("LicenseNotActive", (subsub,))


def test_surrender_middle_license_ends_its_subtree_only(lg: LicenseDriver) -> None:
    root, sub, subsub = three_level_tree(lg)
    lg.send(lg.lic.functions.surrenderLicense(sub), CAROL)
    assert [lg.active(i) for i in (root, sub, subsub)] == [True, False, False]


def test_terminate_sublicense_by_parent_licensee_succeeds_holder_reverts(lg: LicenseDriver) -> None:
    root, sub, _ = three_level_tree(lg)
    assert lg.reverts(lg.lic.functions.terminateLicense(sub), ALICE) == ("NotLicensor", (sub, lg.a(ALICE)))
    receipt = lg.send(lg.lic.functions.terminateLicense(sub), BOB)
    assert lg.lic.events.LicenseTerminated().process_receipt(receipt)[0]["args"]["licensor"] == lg.a(BOB)
    assert lg.active(root) and not lg.active(sub)


def test_offer_sublicense_by_non_licensee_reverts_not_licensee(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    assert lg.reverts(lg.offer_fn(DAVE, parent=root), CAROL) == ("NotLicensee", (root, lg.a(CAROL)))


def test_offer_sublicense_under_non_sublicensable_parent_reverts_not_sublicensable(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=False)
    assert lg.reverts(lg.offer_fn(CAROL, parent=root), BOB) == ("NotSublicensable", (root,))


def test_offer_sublicense_under_pending_or_ended_parent_reverts_not_active(lg: LicenseDriver) -> None:
    root, _ = lg.offer(ALICE, BOB, sub=True)
    assert lg.reverts(lg.offer_fn(CAROL, parent=root), BOB) == ("LicenseNotActive", (root,))
    lg.accept(BOB, root)
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert lg.reverts(lg.offer_fn(CAROL, parent=root), BOB) == ("LicenseNotActive", (root,))


def test_offer_sublicense_under_unknown_parent_reverts_license_not_found(lg: LicenseDriver) -> None:
    assert lg.reverts(lg.offer_fn(CAROL, parent=99), BOB) == ("LicenseNotFound", (99,))


def test_offer_sublicense_under_parent_of_other_right_reverts_parent_of_other_right(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True, right=lg.other_right)
    got = lg.reverts(lg.offer_fn(CAROL, parent=root), BOB)
    assert got == ("ParentOfOtherRight", (root, lg.other_right, lg.right))


def test_accept_sublicense_after_parent_terminated_reverts_not_active(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    sub, _ = lg.offer(BOB, CAROL, parent=root)
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert lg.reverts(lg.lic.functions.acceptLicense(sub), CAROL) == ("LicenseNotActive", (root,))


@pytest.mark.parametrize(("parent", "child", "exceeded"), [
    (("EM", "US"), ("US",), None),
    (("WO",), ("RU", "AU", "WO"), None),
    (("EM", "US"), ("US", "RU"), "RU"),
    (("EM",), ("WO",), "WO"),
])
def test_offer_sublicense_territories_within_parent_or_reverts(
        lg: LicenseDriver, parent: tuple[str, ...], child: tuple[str, ...], exceeded: str | None) -> None:
    root = lg.grant(ALICE, BOB, sub=True, territories=parent)
    if exceeded is None:
        sub, _ = lg.offer(BOB, CAROL, parent=root, territories=child)
        assert lg.license(sub)["territories"] == [c.encode() for c in child]
    else:
        got = lg.reverts(lg.offer_fn(CAROL, parent=root, territories=child), BOB)
        assert got == ("ExceedsParentTerritory", (root, exceeded.encode()))


@pytest.mark.parametrize(("parent", "child", "ok"), [
    ("software", "software", True), ("", "software", True), ("", "", True),
    ("software", "", False), ("software", "hardware", False),
])
def test_offer_sublicense_field_equal_or_narrower_or_reverts(lg: LicenseDriver, parent: str, child: str,
                                                             ok: bool) -> None:
    root = lg.grant(ALICE, BOB, sub=True, label=parent)
    if ok:
        lg.offer(BOB, CAROL, parent=root, label=child)
    else:
        got = lg.reverts(lg.offer_fn(CAROL, parent=root, label=child), BOB)
        assert got == ("ExceedsParentField", (root, field(parent), field(child)))


@pytest.mark.parametrize("case", ["inside", "same", "starts_before", "ends_after", "open_under_closed", "open_open"])
def test_offer_sublicense_period_within_parent_or_reverts(lg: LicenseDriver, case: str) -> None:
    p_start, p_end = lg.t0 + 10 * DAY, lg.t0 + 100 * DAY
    if case == "open_open":
        p_end = 0
    start, end = {"inside": (p_start + DAY, p_end - DAY), "same": (p_start, p_end),
                  "starts_before": (p_start - 1, p_end), "ends_after": (p_start, p_end + 1),
                  "open_under_closed": (p_start, 0), "open_open": (p_start, 0)}[case]
    root = lg.grant(ALICE, BOB, sub=True, start=p_start, end=p_end)
    if case in ("inside", "same", "open_open"):
        lg.offer(BOB, CAROL, parent=root, start=start, end=end)
    else:
        got = lg.reverts(lg.offer_fn(CAROL, parent=root, start=start, end=end), BOB)
        assert got == ("ExceedsParentPeriod", (root, p_start, p_end, start, end))


@pytest.mark.parametrize(("parent", "child", "ok"), [
    (EXCLUSIVE, EXCLUSIVE, True), (EXCLUSIVE, SOLE, True), (EXCLUSIVE, NONEXCLUSIVE, True),
    (SOLE, SOLE, True), (SOLE, NONEXCLUSIVE, True), (NONEXCLUSIVE, NONEXCLUSIVE, True),
    (SOLE, EXCLUSIVE, False), (NONEXCLUSIVE, SOLE, False), (NONEXCLUSIVE, EXCLUSIVE, False),
])
def test_offer_sublicense_kind_not_above_parent_or_reverts(lg: LicenseDriver, parent: int, child: int,
                                                           ok: bool) -> None:
    root = lg.grant(ALICE, BOB, sub=True, kind=parent)
    if ok:
        lg.offer(BOB, CAROL, parent=root, kind=child)
    else:
        assert lg.reverts(lg.offer_fn(CAROL, parent=root, kind=child), BOB) == (
            "ExceedsParentKind", (root, parent, child))


def test_offer_below_max_depth_succeeds_deeper_reverts_tree_too_deep(lg: LicenseDriver) -> None:
    chain = [lg.grant(ALICE, BOB, sub=True)]
    parties = [BOB, CAROL]
    for depth in range(2, 9):
        licensor, licensee = parties[depth % 2], parties[(depth + 1) % 2]
        chain.append(lg.grant(licensor, licensee, parent=chain[-1], sub=True))
    assert lg.license(chain[-1])["depth"] == 8 and lg.active(chain[-1])
    leaf_holder = lg.license(chain[-1])["licensee"]
    who = BOB if leaf_holder == lg.a(BOB) else CAROL
    assert lg.reverts(lg.offer_fn(DAVE, parent=chain[-1]), who) == ("TreeTooDeep", (chain[-1], 8))
    lg.send(lg.lic.functions.terminateLicense(chain[0]), ALICE)
    assert not lg.active(chain[-1])  # the walk up eight levels finds the ended root


def test_time_past_license_end_ends_license_and_subtree_without_transaction(lg: LicenseDriver) -> None:
    end = lg.now() + 10 * DAY
    lid = lg.grant(ALICE, BOB, end=end, sub=True)
    sub = lg.grant(BOB, CAROL, parent=lid, end=end)
    assert lg.licensed(BOB) == (True, lid)
    lg.travel(end)
    assert lg.active(lid)  # the end second is still covered
    lg.travel(end + 1)
    assert not lg.active(lid) and not lg.active(sub)
    assert lg.license(lid)["state"] == ACTIVE  # nothing was written
    assert lg.licensed(BOB) == (False, 0)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))
