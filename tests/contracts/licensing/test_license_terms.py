"""Interned terms: ``registerTerms`` validates and stores what the rules read once, returns the same id for the same
terms and agreement URI, and puts the full terms in ``TermsRegistered``; offers and grants name terms by id, and an
unknown or forged id is refused."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak
from web3.logs import DISCARD

from helpers import ALICE, BOB, CAROL, STRANGER, LicenseDriver
from helpers.licensing import DAY, SOLE, TERMS_HASH, field
from ipledger.abi import canonical_type


def content_hash(lg: LicenseDriver, terms: tuple, uri: str) -> bytes:
    """keccak256(abi.encode(terms, termsURI)), the types taken from the ABI of registerTerms."""
    inputs = lg.lic.get_function_by_name("registerTerms").abi["inputs"]
    return keccak(encode([canonical_type(inputs[0]), canonical_type(inputs[2])], [terms, uri]))


def test_register_terms_interns_once_and_emits_full_terms(lg: LicenseDriver) -> None:
    kw = {"kind": SOLE, "territories": ("EM", "US"), "label": "software", "royalty": 500, "sub": True,
          "uri": "ipfs://agreement"}
    terms_id, receipt = lg.register_terms(STRANGER, **kw)  # open to anyone
    assert terms_id == 1 and lg.lic.functions.termsCount().call() == 1
    (ev,) = lg.lic.events.TermsRegistered().process_receipt(receipt, errors=DISCARD)
    terms = lg.terms(kind=SOLE, territories=("EM", "US"), label="software", royalty=500, sub=True)
    assert ev["args"]["termsId"] == 1 and ev["args"]["contentHash"] == content_hash(lg, terms, "ipfs://agreement")
    assert (ev["args"]["fieldLabel"], ev["args"]["termsURI"]) == ("software", "ipfs://agreement")
    t = ev["args"]["terms"]
    assert (t["kind"], t["territories"], t["fieldHash"], t["royaltyBps"], t["sublicensable"], t["termsHash"]) == (
        SOLE, [b"EM", b"US"], field("software"), 500, True, TERMS_HASH)
    assert lg.lic.functions.termsIdOf(content_hash(lg, terms, "ipfs://agreement")).call() == 1
    again, receipt = lg.register_terms(ALICE, **kw)
    assert again == 1 and not receipt["logs"]  # nothing written the second time
    other_uri, _ = lg.register_terms(ALICE, **{**kw, "uri": "ipfs://elsewhere"})
    assert other_uri == 2  # the URI is part of the key: nobody can pin a misleading URI on someone's terms
    assert lg.lic.functions.termsIdOf(b"\x01" * 32).call() == 0


@pytest.mark.parametrize("count", [1, 5, 6, 32])
def test_terms_with_inline_or_long_territory_lists_read_back_and_cover(lg: LicenseDriver, count: int) -> None:
    """Up to five codes are kept in the terms' first slot, more in their own bytes: both read back the same."""
    codes = tuple(chr(65 + i // 26) + chr(65 + i % 26) for i in range(1, count)) + ("US",)
    lid = lg.grant(ALICE, BOB, territories=codes)
    assert lg.license(lid)["territories"] == [c.encode() for c in codes]
    assert lg.licensed(BOB, "US") == (True, lid) and lg.licensed(BOB, codes[0]) == (True, lid)
    assert lg.licensed(BOB, "RU") == (False, 0)


def test_offer_by_terms_id_records_offer_and_accepts(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms(territories=("EM",), label="software")
    deadline = lg.now() + 7 * DAY
    receipt = lg.send(lg.offer_id_fn(BOB, terms_id, deadline=deadline), ALICE)
    (ev,) = lg.lic.events.LicenseOffered().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": 1, "licensee": lg.a(BOB), "parentId": 0,
                                "licensor": lg.a(ALICE), "termsId": terms_id, "deadline": deadline}
    lg.accept(BOB, 1)
    assert lg.licensed(BOB, "EM", "software") == (True, 1)
    again, _ = lg.offer(ALICE, CAROL, territories=("EM",), label="software")  # the same terms by value: same id
    assert lg.license(again)["termsId"] == terms_id and lg.lic.functions.termsCount().call() == 1


def test_offer_with_unknown_or_forged_terms_id_reverts_terms_not_found(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    for forged in (0, terms_id + 1, 2**32 + terms_id, 2**256 - 1):
        assert lg.reverts(lg.offer_id_fn(BOB, forged), ALICE) == ("TermsNotFound", (forged,))


@pytest.mark.parametrize("case", ["royalty", "no_territory", "too_many", "lower_case", "empty_period", "label"])
def test_register_invalid_terms_reverts_named_error(lg: LicenseDriver, case: str) -> None:
    kw, expected = {
        "royalty": ({"royalty": 10_001}, ("RoyaltyTooHigh", (10_001,))),
        "no_territory": ({"territories": ()}, ("TerritoryCount", (0, 32))),
        "too_many": ({"territories": tuple(f"A{chr(65 + i % 26)}" for i in range(33))}, ("TerritoryCount", (33, 32))),
        "lower_case": ({"territories": ("em",)}, ("InvalidTerritory", (b"em",))),
        "empty_period": ({"start": 100, "end": 100}, ("InvalidPeriod", (100, 100))),
        "label": ({}, None),
    }[case]
    if case == "label":
        fn = lg.lic.functions.registerTerms(lg.terms(label="software"), "hardware", "")
        assert lg.reverts(fn, ALICE) == ("FieldLabelMismatch", (field("software"), field("hardware")))
        return
    assert lg.reverts(lg.register_terms_fn(**kw), ALICE) == expected


def test_offer_of_terms_that_already_ended_reverts_invalid_period(lg: LicenseDriver) -> None:
    end = lg.now() + 10 * DAY
    terms_id, _ = lg.register_terms(end=end)  # valid when interned
    lg.travel(end + 1)
    assert lg.reverts(lg.offer_id_fn(BOB, terms_id, end=end, deadline=end + 2), ALICE) == (
        "InvalidPeriod", (0, end))
