"""Licensing capacity (issue #12, item 4): bounds per licensor position, offers that lapse at their deadline, and
the bound on the licenses one party holds on a right. No one below the holder can use up the holder's capacity.
"""

from __future__ import annotations

from helpers import ALICE, BOB, CAROL, DAVE, EVE, MALLORY, LicenseDriver
from helpers.licensing import DAY, EXCLUSIVE

MAX_OPEN = 64
MAX_HELD = 16


def code(i: int) -> str:
    """The i-th two-letter code AA, AB, ... (distinct territories for many offers)."""
    return chr(65 + i // 26) + chr(65 + i % 26)


def test_bounds_are_published_constants(lg: LicenseDriver) -> None:
    f = lg.lic.functions
    assert (f.MAX_OPEN_PER_LICENSOR().call(), f.MAX_HELD_PER_PARTY().call(), f.MAX_DEPTH().call(),
            f.MAX_TERRITORIES().call(), f.MAX_OFFER_WINDOW().call()) == (MAX_OPEN, MAX_HELD, 8, 32, 365 * DAY)


def test_offer_beyond_max_open_per_licensor_reverts_until_one_ends(lg: LicenseDriver) -> None:
    parties = [BOB, CAROL, DAVE, EVE]
    ids = [lg.offer(ALICE, parties[i % 4], territories=(code(i),))[0] for i in range(MAX_OPEN)]
    assert lg.reverts(lg.offer_fn(BOB, territories=("ZZ",)), ALICE) == ("TooManyLicenses", (lg.right, 0, MAX_OPEN))
    lg.send(lg.lic.functions.withdrawOffer(ids[10]), ALICE)
    lid, _ = lg.offer(ALICE, BOB, territories=("ZZ",))  # the scan dropped the withdrawn offer
    assert lid == MAX_OPEN + 1
    assert len(lg.lic.functions.openLicensesOf(lg.right, 0).call()) == MAX_OPEN
    assert lg.reverts(lg.offer_fn(BOB, territories=("ZY",)), ALICE) == ("TooManyLicenses", (lg.right, 0, MAX_OPEN))
    lg.offer(ALICE, BOB, right=lg.other_right)  # the bound is per right


def test_sublicensee_offers_nobody_accepts_do_not_block_the_holder(lg: LicenseDriver) -> None:
    """The issue's attack: a licensee with a sublicensable license fills the register with sub-offers nobody
    accepts. They count against the licensee's own license only; the holder goes on offering."""
    root = lg.grant(ALICE, BOB, sub=True, territories=("WO",))
    deadline = lg.now() + DAY
    subs = [lg.offer(BOB, CAROL if i % 2 else MALLORY, parent=root, deadline=deadline)[0] for i in range(MAX_OPEN - 1)]
    lg.offer(BOB, CAROL, parent=root, deadline=deadline)
    assert lg.reverts(lg.offer_fn(DAVE, parent=root), BOB) == ("TooManyLicenses", (lg.right, root, MAX_OPEN))
    assert len(lg.lic.functions.openLicensesOf(lg.right, root).call()) == MAX_OPEN
    # the holder is not blocked: its own position holds only its own license
    assert lg.lic.functions.openLicensesOf(lg.right, 0).call() == [root]
    holder_offer, _ = lg.offer(ALICE, DAVE, territories=("DE",))
    lg.accept(DAVE, holder_offer)
    assert lg.licensed(DAVE, "DE") == (True, holder_offer)
    # the sub-offers lapse at their deadline and stop counting for the licensee too
    lg.travel(deadline + 1)
    assert lg.lic.functions.openLicensesOf(lg.right, root).call() == []
    assert lg.reverts(lg.lic.functions.acceptLicense(subs[0]), MALLORY) == (
        "OfferExpired", (subs[0], deadline, deadline + 1))
    lg.offer(BOB, DAVE, parent=root)


def test_terminating_the_parent_frees_its_position_and_ends_its_offers(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    subs = [lg.offer(BOB, CAROL, parent=root)[0] for _ in range(3)]
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert lg.lic.functions.openLicensesOf(lg.right, root).call() == []
    assert lg.reverts(lg.lic.functions.acceptLicense(subs[0]), CAROL) == ("LicenseNotActive", (root,))
    assert lg.lic.functions.openLicensesOf(lg.right, 0).call() == []


def test_accept_beyond_max_held_per_party_reverts_until_one_is_surrendered(lg: LicenseDriver) -> None:
    held = [lg.grant(ALICE, BOB, territories=(code(i),)) for i in range(MAX_HELD)]
    assert sorted(lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call()) == held
    extra, _ = lg.offer(ALICE, BOB, territories=("ZZ",))
    assert lg.reverts(lg.lic.functions.acceptLicense(extra), BOB) == (
        "TooManyLicensesHeld", (lg.right, lg.a(BOB), MAX_HELD))
    lg.send(lg.lic.functions.surrenderLicense(held[3]), BOB)
    lg.accept(BOB, extra)
    assert lg.licensed(BOB, "ZZ") == (True, extra)
    lg.grant(ALICE, BOB, right=lg.other_right)  # the bound is per right


def test_transfer_to_party_holding_the_maximum_reverts_too_many_licenses_held(lg: LicenseDriver) -> None:
    for i in range(MAX_HELD):
        lg.grant(ALICE, CAROL, territories=(code(i),))
    lid = lg.grant(ALICE, BOB, transfer=True, territories=("ZZ",))
    assert lg.reverts(lg.lic.functions.transferLicense(lid, lg.a(CAROL)), BOB) == (
        "TooManyLicensesHeld", (lg.right, lg.a(CAROL), MAX_HELD))


def test_transfer_to_licensee_of_own_sublicense_reverts_invalid_account(lg: LicenseDriver) -> None:
    """No one is its own licensor: a license may not go to the licensee of an open sublicense under it."""
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True, transfer=True, territories=("DE", "FR"))
    lg.offer(BOB, CAROL, parent=root, kind=EXCLUSIVE, territories=("DE",))  # pending counts too
    assert lg.reverts(lg.lic.functions.transferLicense(root, lg.a(CAROL)), BOB) == ("InvalidAccount", (lg.a(CAROL),))
    lg.send(lg.lic.functions.transferLicense(root, lg.a(DAVE)), BOB)
    assert lg.license(root)["licensee"] == lg.a(DAVE)
