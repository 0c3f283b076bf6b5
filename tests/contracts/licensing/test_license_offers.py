"""Offers and acceptance: who may offer, the bounds of the terms, the offer deadline, acceptance by the licensee,
withdrawal."""

from __future__ import annotations

import pytest
from web3.logs import DISCARD

from helpers import ALICE, BOB, CAROL, REGISTRAR, LicenseDriver
from helpers.licensing import ACTIVE, DAY, EXCLUSIVE, OFFERED, REVOKED, SOLE, TERMS_HASH, WITHDRAWN, ZERO, field


def test_offer_by_holder_records_terms_and_emits_event(lg: LicenseDriver) -> None:
    start, end = lg.t0 + DAY, lg.t0 + 400 * DAY
    deadline = lg.now() + 7 * DAY
    lid, receipt = lg.offer(ALICE, BOB, kind=SOLE, territories=("EM", "US"), label="software", start=start,
                            end=end, royalty=500, sub=True, transfer=True, uri="ipfs://agreement", deadline=deadline)
    assert lid == 1
    (ev,) = lg.lic.events.LicenseOffered().process_receipt(receipt, errors=DISCARD)
    args = ev["args"]
    assert dict(args) == {"rightId": lg.right, "licenseId": 1, "licensee": lg.a(BOB), "parentId": 0,
                          "licensor": lg.a(ALICE), "termsId": 1, "deadline": deadline}
    (reg,) = lg.lic.events.TermsRegistered().process_receipt(receipt, errors=DISCARD)  # interned on first use
    assert (reg["args"]["termsId"], reg["args"]["fieldLabel"], reg["args"]["termsURI"]) == (
        1, "software", "ipfs://agreement")
    t = reg["args"]["terms"]
    assert (t["kind"], t["territories"], t["fieldHash"], t["start"], t["end"], t["royaltyBps"], t["sublicensable"],
            t["transferable"], t["termsHash"]) == (SOLE, [b"EM", b"US"], field("software"), start, end, 500, True,
                                                   True, TERMS_HASH)
    rec = lg.license(1)
    assert rec == {"rightId": lg.right, "parentId": 0, "licensor": lg.a(ALICE), "licensee": lg.a(BOB), "kind": SOLE,
                   "state": OFFERED, "active": False, "depth": 1, "territories": [b"EM", b"US"],
                   "fieldHash": field("software"), "start": start, "end": end, "royaltyBps": 500,
                   "sublicensable": True, "transferable": True, "termsId": 1, "deadline": deadline}
    lid2, _ = lg.offer(ALICE, CAROL, territories=("RU",))
    assert lid2 == 2
    assert lg.lic.functions.licenseCount().call() == 2
    assert sorted(lg.lic.functions.openLicensesOf(lg.right, 0).call()) == [1, 2]
    assert lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call() == []  # offered, not yet accepted
    assert lg.lic.functions.getLicenseRevoker(1).call() == lg.a(ALICE)


def test_offer_by_non_holder_reverts_not_holder(lg: LicenseDriver) -> None:
    assert lg.reverts(lg.offer_fn(CAROL), BOB) == ("NotHolder", (lg.right, lg.a(BOB)))


def test_offer_unknown_right_reverts_right_not_found(lg: LicenseDriver) -> None:
    assert lg.reverts(lg.offer_fn(BOB, right=12345), ALICE) == ("RightNotFound", (12345,))


def test_offer_on_revoked_right_reverts_right_ended(lg: LicenseDriver) -> None:
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REGISTRAR)
    assert lg.reverts(lg.offer_fn(BOB), ALICE) == ("RightEnded", (lg.right, REVOKED))


@pytest.mark.parametrize("licensee", [None, ALICE], ids=["zero", "self"])
def test_offer_to_zero_or_self_reverts_invalid_account(lg: LicenseDriver, licensee: int | None) -> None:
    to = ZERO if licensee is None else lg.a(licensee)
    fn = lg.lic.functions.offerLicenseWithTerms(lg.right, 0, to, lg.terms(), lg.now() + DAY, "", "")
    assert lg.reverts(fn, ALICE) == ("InvalidAccount", (to,))


@pytest.mark.parametrize(("royalty", "ok"), [(10_000, True), (10_001, False)])
def test_offer_royalty_at_or_above_10000_bps_accepted_or_reverts(lg: LicenseDriver, royalty: int, ok: bool) -> None:
    if ok:
        lid, _ = lg.offer(ALICE, BOB, royalty=royalty)
        assert lg.license(lid)["royaltyBps"] == royalty
    else:
        assert lg.reverts(lg.offer_fn(BOB, royalty=royalty), ALICE) == ("RoyaltyTooHigh", (royalty,))


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (32, True), (33, False)])
def test_offer_territory_count_within_bounds_accepted_or_reverts(lg: LicenseDriver, count: int, ok: bool) -> None:
    codes = tuple(chr(65 + i // 26) + chr(65 + i % 26) for i in range(count))
    if ok:
        lid, _ = lg.offer(ALICE, BOB, territories=codes)
        assert lg.license(lid)["territories"] == [c.encode() for c in codes]
    else:
        assert lg.reverts(lg.offer_fn(BOB, territories=codes), ALICE) == ("TerritoryCount", (count, 32))


@pytest.mark.parametrize("code", ["em", "E1", "\0\0", "@Z", "Z["])
def test_offer_invalid_territory_code_reverts_invalid_territory(lg: LicenseDriver, code: str) -> None:
    assert lg.reverts(lg.offer_fn(BOB, territories=("EM", code)), ALICE) == ("InvalidTerritory", (code.encode(),))


@pytest.mark.parametrize("case", ["end_before_start", "end_equals_start", "end_in_past"])
def test_offer_invalid_period_reverts_invalid_period(lg: LicenseDriver, case: str) -> None:
    start, end = {"end_before_start": (lg.t0 + 10 * DAY, lg.t0 + 5 * DAY),
                  "end_equals_start": (lg.t0 + 10 * DAY, lg.t0 + 10 * DAY),
                  "end_in_past": (0, lg.t0 - 1)}[case]
    assert lg.reverts(lg.offer_fn(BOB, start=start, end=end), ALICE) == ("InvalidPeriod", (start, end))


def test_offer_field_label_not_matching_hash_reverts_field_label_mismatch(lg: LicenseDriver) -> None:
    deadline = lg.now() + DAY
    fn = lg.lic.functions.offerLicenseWithTerms(lg.right, 0, lg.a(BOB), lg.terms(label="software"), deadline,
                                                "hardware", "")
    assert lg.reverts(fn, ALICE) == ("FieldLabelMismatch", (field("software"), field("hardware")))
    fn = lg.lic.functions.offerLicenseWithTerms(lg.right, 0, lg.a(BOB), lg.terms(label="software"), deadline, "",
                                                "")
    assert lg.reverts(fn, ALICE) == ("FieldLabelMismatch", (field("software"), field("")))
    lid, _ = lg.offer(ALICE, BOB, label="software")
    assert lg.license(lid)["fieldHash"] == field("software")


def test_accept_by_licensee_activates_license_and_emits_event(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert not lg.active(lid)
    receipt = lg.accept(BOB, lid)
    (ev,) = lg.lic.events.LicenseAccepted().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensee": lg.a(BOB), "bySignature": False,
                                "keyEventCode": b"S10", "nationalCode": b"S10".ljust(8, b"\0")}  # ST.27 category S
    assert lg.active(lid)
    assert lg.license(lid)["state"] == ACTIVE


def test_accept_by_other_party_reverts_not_licensee(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), CAROL) == ("NotLicensee", (lid, lg.a(CAROL)))


def test_accept_twice_reverts_not_offered(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("NotOffered", (lid, ACTIVE))


def test_accept_unknown_license_reverts_license_not_found(lg: LicenseDriver) -> None:
    assert lg.reverts(lg.lic.functions.acceptLicense(7), BOB) == ("LicenseNotFound", (7,))


@pytest.mark.parametrize("by", ["licensee", "signature"])
def test_accept_after_offer_deadline_reverts_offer_expired_with_deadline_and_time(lg: LicenseDriver, by: str) -> None:
    deadline = lg.now() + DAY
    lid, _ = lg.offer(ALICE, BOB, deadline=deadline)
    sig_deadline = deadline + 10 * DAY
    sig = lg.sign_acceptance(BOB, lid, sig_deadline)
    lg.travel(deadline)
    lg.w3.eth.call({"from": lg.a(BOB), "to": lg.lic.address,
                    "data": lg.lic.functions.acceptLicense(lid)._encode_transaction_data()})  # the last second is in
    lg.travel(deadline + 1)
    fn = (lg.lic.functions.acceptLicense(lid) if by == "licensee"
          else lg.lic.functions.acceptLicenseBySig(lid, sig_deadline, sig))
    name, (got_id, got_deadline, timestamp) = lg.reverts(fn, BOB if by == "licensee" else CAROL)
    assert (name, got_id, got_deadline) == ("OfferExpired", lid, deadline) and timestamp > deadline
    assert lg.license(lid)["state"] == OFFERED and lg.lic.functions.openLicensesOf(lg.right, 0).call() == []


@pytest.mark.parametrize("case", ["past", "beyond_window", "after_end"])
def test_offer_with_deadline_outside_window_reverts_invalid_offer_deadline(lg: LicenseDriver, case: str) -> None:
    now = lg.now()
    window = lg.lic.functions.MAX_OFFER_WINDOW().call()
    assert window == 365 * DAY
    end = now + 10 * DAY if case == "after_end" else 0
    deadline = {"past": now - 1, "beyond_window": now + window + 5, "after_end": end + 1}[case]
    name, (got, timestamp, latest) = lg.reverts(lg.offer_fn(BOB, deadline=deadline, end=end), ALICE)
    assert (name, got) == ("InvalidOfferDeadline", deadline) and timestamp >= now
    assert latest == (end if case == "after_end" else timestamp + window)


def test_offer_deadline_at_window_edges_is_accepted(lg: LicenseDriver) -> None:
    now = lg.now()
    lid, _ = lg.offer(ALICE, BOB, deadline=now + 365 * DAY - 1, territories=("EM",))
    assert lg.license(lid)["deadline"] == now + 365 * DAY - 1
    end = now + 10 * DAY
    lid2, _ = lg.offer(ALICE, BOB, deadline=end, end=end, territories=("US",))
    assert lg.license(lid2)["deadline"] == end


def test_expired_offer_stops_counting_for_exclusivity(lg: LicenseDriver) -> None:
    deadline = lg.now() + DAY
    pending, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE, deadline=deadline)
    assert lg.reverts(lg.offer_fn(CAROL), ALICE) == ("LicenseConflict", (pending + 1, pending))
    lg.travel(deadline + 1)
    lid = lg.grant(ALICE, CAROL, kind=EXCLUSIVE)  # the lapsed offer no longer blocks the holder
    assert lg.licensed(CAROL) == (True, lid)


def test_accept_after_right_revoked_reverts_right_ended(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REGISTRAR)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("RightEnded", (lg.right, REVOKED))


def test_withdraw_by_licensor_marks_withdrawn_and_emits_event(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    receipt = lg.send(lg.lic.functions.withdrawOffer(lid), ALICE)
    (ev,) = lg.lic.events.OfferWithdrawn().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensor": lg.a(ALICE)}
    assert lg.license(lid)["state"] == WITHDRAWN
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("NotOffered", (lid, WITHDRAWN))


def test_withdraw_by_other_party_reverts_not_licensor(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.withdrawOffer(lid), BOB) == ("NotLicensor", (lid, lg.a(BOB)))


def test_withdraw_accepted_license_reverts_not_offered(lg: LicenseDriver) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.withdrawOffer(lid), ALICE) == ("NotOffered", (lid, ACTIVE))
