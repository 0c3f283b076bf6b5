"""LicenseRegistry: licences and sublicences of a registered right (a tree per right), terms interned by content
and referred to by id, offers with a deadline, acceptances signed for the offer itself (in any order, revocable),
one-transaction grants signed by the licensee, and answers for the whole scope asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brownie
import pytest
from eth_utils import keccak
from support import (
    ZERO32,
    custom_error,
    eip712,
    license_acceptance_message,
    now,
    register_right,
    sign_license_acceptance,
    signer_of,
)

from ipledger.domain import Status

EXCLUSIVE, SOLE, NON_EXCLUSIVE = range(3)  # ILicenseRegistry.LicenseKind
OFFERED, ACTIVE, WITHDRAWN, TERMINATED, SURRENDERED = range(1, 6)  # ILicenseRegistry.LicenseState
FIELD = "software"
FIELD_HASH = keccak(text=FIELD)
DAY = 86_400


def terms(kind: int = NON_EXCLUSIVE, territories: tuple[bytes, ...] = (b"EM",), *, field_hash: bytes = FIELD_HASH,
          start: int = 0, end: int = 0, royalty_bps: int = 500, sublicensable: bool = False,
          transferable: bool = False) -> tuple[Any, ...]:
    """An ``ILicenseRegistry.Terms`` tuple."""
    return (kind, list(territories), field_hash, start, end, royalty_bps, sublicensable, transferable,
            keccak(text="licence agreement"))


@pytest.fixture(scope="module")
def right(registry: Any, registrar: Any, alice: Any) -> int:
    """Alice's registered EM trade mark, made once for the module."""
    return register_right(registry, registrar, "EM", "018234567", alice)


@pytest.fixture
def offer(licenses: Any, right: int, alice: Any) -> Callable[..., int]:
    """Offers a licence under Alice's right (by Alice, or by ``by`` under ``parent``) with its terms, interned in
    the same transaction; returns its id."""

    def offer_(licensee: Any, t: tuple[Any, ...] | None = None, *, parent: int = 0, by: Any = None,
               label: str = FIELD) -> int:
        tx = licenses.offerLicenseWithTerms(right, parent, licensee, t or terms(), now() + 30 * DAY, label,
                                            "ipfs://agreement", {"from": by or alice})
        return int(tx.events["LicenseOffered"]["licenseId"])  # the event, not tx.return_value: no trace needed

    return offer_


def test_license_and_sublicense_of_registered_right(licenses: Any, right: int, alice: Any, carol: Any,
                                                    dave: Any, offer: Callable[..., int]) -> None:
    root = offer(carol, terms(SOLE, (b"EM", b"DE"), sublicensable=True))
    accepted = licenses.acceptLicense(root, {"from": carol})
    sub = offer(dave, terms(NON_EXCLUSIVE, (b"DE",), royalty_bps=200), parent=root, by=carol)
    licenses.acceptLicense(sub, {"from": dave})

    assert accepted.events["LicenseAccepted"]["licensee"] == carol
    assert accepted.events["LicenseAccepted"]["bySignature"] is False
    assert licenses.isLicenseActive(root) is True
    assert licenses.isLicenseActive(sub) is True
    record = licenses.licenseOf(sub).dict()
    assert record["parentId"] == root
    assert record["licensor"] == carol
    assert record["licensee"] == dave
    assert record["depth"] == 2
    assert record["state"] == ACTIVE
    assert list(licenses.openLicensesOf(right, root)) == [sub]
    assert licenses.getLicenseRevoker(sub) == carol
    assert licenses.getLicenseRevoker(root) == alice
    licensed, by_license = licenses.isLicensed(right, dave, b"DE", FIELD_HASH, now())
    assert licensed is True
    assert by_license == sub
    licensed, _ = licenses.isLicensed(right, dave, b"FR", FIELD_HASH, now())
    assert licensed is False


def test_offer_with_terms_interns_them_and_emits_terms_registered_and_license_offered(licenses: Any, right: int,
                                                                                     alice: Any, carol: Any) -> None:
    deadline = now() + 7 * DAY
    tx = licenses.offerLicenseWithTerms(right, 0, carol, terms(), deadline, FIELD, "ipfs://agreement",
                                        {"from": alice})

    registered = tx.events["TermsRegistered"]
    assert registered["fieldLabel"] == FIELD
    assert registered["termsURI"] == "ipfs://agreement"
    event = tx.events["LicenseOffered"]
    assert event["deadline"] == deadline
    assert event["rightId"] == right
    assert event["licenseId"] == tx.return_value
    assert event["licensee"] == carol
    assert event["licensor"] == alice
    assert event["termsId"] == registered["termsId"] == licenses.termsCount() == 1
    record = licenses.licenseOf(tx.return_value).dict()
    assert (record["state"], record["termsId"], record["deadline"]) == (OFFERED, 1, deadline)


def test_register_terms_once_then_offer_by_terms_id(licenses: Any, right: int, alice: Any, carol: Any,
                                                    dave: Any) -> None:
    tx = licenses.registerTerms(terms(), FIELD, "ipfs://agreement", {"from": alice})
    terms_id = tx.return_value
    assert tx.events["TermsRegistered"]["termsId"] == terms_id == 1
    again = licenses.registerTerms(terms(), FIELD, "ipfs://agreement", {"from": dave})
    assert again.return_value == terms_id and "TermsRegistered" not in again.events  # interned by content

    offered = licenses.offerLicense(right, 0, carol, terms_id, now() + DAY, {"from": alice})

    assert offered.events["LicenseOffered"]["termsId"] == terms_id
    assert licenses.licenseOf(offered.return_value).dict()["termsId"] == terms_id
    with brownie.reverts(custom_error("TermsNotFound", 9)):
        licenses.offerLicense(right, 0, dave, 9, now() + DAY, {"from": alice})


def test_grant_by_signature_of_the_licensee_activates_in_one_transaction(licenses: Any, right: int, alice: Any,
                                                                         carol: Any) -> None:
    terms_id = licenses.registerTerms(terms(), FIELD, "", {"from": alice}).return_value
    deadline = now() + DAY
    message = {"rightId": right, "parentId": 0, "licensee": str(carol), "termsId": terms_id,
               "sequence": licenses.grantSequenceOf(right, 0), "deadline": deadline}
    signature = eip712.sign(licenses, "GrantLicense", message, signer_of(carol))

    tx = licenses.grantLicenseBySig(right, 0, carol, terms_id, deadline, signature, {"from": alice})

    granted = tx.events["LicenseGranted"]
    assert (granted["licensee"], granted["licensor"], granted["termsId"]) == (carol, alice, terms_id)
    assert licenses.isLicenseActive(tx.return_value) is True
    assert licenses.grantSequenceOf(right, 0) == 1
    with brownie.reverts(revert_pattern=rf"InvalidSignature: {str(carol).lower()}, 0x[0-9a-f]{{40}}"):
        licenses.grantLicenseBySig(right, 0, carol, terms_id, deadline, signature, {"from": alice})  # replayed


def test_terminating_license_ends_its_sublicenses(licenses: Any, alice: Any, carol: Any, dave: Any,
                                                 offer: Callable[..., int]) -> None:
    root = offer(carol, terms(sublicensable=True))
    licenses.acceptLicense(root, {"from": carol})
    sub = offer(dave, terms(), parent=root, by=carol)
    licenses.acceptLicense(sub, {"from": dave})

    tx = licenses.terminateLicense(root, {"from": alice})

    assert tx.events["LicenseTerminated"]["licensee"] == carol
    assert licenses.isLicenseActive(root) is False
    assert licenses.isLicenseActive(sub) is False


def test_assignment_of_right_moves_licensor_position(registry: Any, licenses: Any, right: int, registrar: Any,
                                                     alice: Any, bob: Any, carol: Any,
                                                     offer: Callable[..., int]) -> None:
    root = offer(carol)
    licenses.acceptLicense(root, {"from": carol})
    registry.requestAssignment(right, bob, ZERO32, {"from": alice})
    registry.acceptAssignment(right, {"from": bob})
    registry.recordAssignment(right, {"from": registrar})

    assert licenses.getLicenseRevoker(root) == bob
    assert licenses.isLicenseActive(root) is True


def test_offer_by_non_holder_reverts_not_holder(licenses: Any, right: int, stranger: Any, carol: Any) -> None:
    with brownie.reverts(custom_error("NotHolder", right, stranger)):
        licenses.offerLicenseWithTerms(right, 0, carol, terms(), now() + DAY, FIELD, "", {"from": stranger})


def test_offer_under_unknown_right_reverts_right_not_found(licenses: Any, alice: Any, carol: Any) -> None:
    with brownie.reverts(custom_error("RightNotFound", 7)):
        licenses.offerLicenseWithTerms(7, 0, carol, terms(), now() + DAY, FIELD, "", {"from": alice})


def test_offer_under_ended_right_reverts_right_ended(registry: Any, licenses: Any, right: int, registrar: Any,
                                                    alice: Any, carol: Any) -> None:
    registry.changeStatus(right, Status.REVOKED, 0, ZERO32, {"from": registrar})
    with brownie.reverts(custom_error("RightEnded", right, Status.REVOKED)):
        licenses.offerLicenseWithTerms(right, 0, carol, terms(), now() + DAY, FIELD, "", {"from": alice})


def test_accept_by_other_account_reverts_not_licensee(licenses: Any, carol: Any, dave: Any,
                                                      offer: Callable[..., int]) -> None:
    lid = offer(carol)
    with brownie.reverts(custom_error("NotLicensee", lid, dave)):
        licenses.acceptLicense(lid, {"from": dave})


def test_offer_with_royalty_above_100_percent_reverts_royalty_too_high(licenses: Any, right: int, alice: Any,
                                                                        carol: Any) -> None:
    with brownie.reverts(custom_error("RoyaltyTooHigh", 10_001)):
        licenses.offerLicenseWithTerms(right, 0, carol, terms(royalty_bps=10_001), now() + DAY, FIELD, "",
                                       {"from": alice})


def test_offer_with_wrong_field_label_reverts_field_label_mismatch(licenses: Any, right: int, alice: Any,
                                                                   carol: Any) -> None:
    with brownie.reverts(custom_error("FieldLabelMismatch", FIELD_HASH, keccak(text="hardware"))):
        licenses.offerLicenseWithTerms(right, 0, carol, terms(), now() + DAY, "hardware", "", {"from": alice})


def test_sublicense_outside_parent_territory_reverts_exceeds_parent_territory(
        licenses: Any, carol: Any, dave: Any, offer: Callable[..., int]) -> None:
    root = offer(carol, terms(territories=(b"EM", b"DE"), sublicensable=True))
    licenses.acceptLicense(root, {"from": carol})
    with brownie.reverts(custom_error("ExceedsParentTerritory", root, b"FR")):
        offer(dave, terms(territories=(b"DE", b"FR")), parent=root, by=carol)


def test_sublicense_of_stronger_kind_reverts_exceeds_parent_kind(licenses: Any, carol: Any, dave: Any,
                                                                 offer: Callable[..., int]) -> None:
    root = offer(carol, terms(SOLE, sublicensable=True))
    licenses.acceptLicense(root, {"from": carol})
    with brownie.reverts(custom_error("ExceedsParentKind", root, SOLE, EXCLUSIVE)):
        offer(dave, terms(EXCLUSIVE), parent=root, by=carol)


def test_sublicense_under_non_sublicensable_licence_reverts_not_sublicensable(
        licenses: Any, carol: Any, dave: Any, offer: Callable[..., int]) -> None:
    root = offer(carol, terms(sublicensable=False))
    licenses.acceptLicense(root, {"from": carol})
    with brownie.reverts(custom_error("NotSublicensable", root)):
        offer(dave, terms(), parent=root, by=carol)


def test_second_exclusive_licence_in_same_scope_reverts_license_conflict(licenses: Any, carol: Any, dave: Any,
                                                                         offer: Callable[..., int]) -> None:
    first = offer(carol, terms(EXCLUSIVE))
    next_id = licenses.licenseCount() + 1
    with brownie.reverts(custom_error("LicenseConflict", next_id, first)):
        offer(dave, terms(EXCLUSIVE))


def test_accept_by_signature_relayed_activates_license(licenses: Any, carol: Any, stranger: Any,
                                                       offer: Callable[..., int]) -> None:
    lid = offer(carol)
    deadline = now() + 3600
    signature = sign_license_acceptance(licenses, carol, lid, deadline)

    tx = licenses.acceptLicenseBySig(lid, deadline, signature, {"from": stranger})

    assert tx.events["LicenseAccepted"]["licensee"] == carol
    assert tx.events["LicenseAccepted"]["bySignature"] is True
    assert licenses.isLicenseActive(lid) is True


def test_accept_by_signature_of_two_offers_relays_in_any_order(licenses: Any, carol: Any, stranger: Any,
                                                               offer: Callable[..., int]) -> None:
    first, second = offer(carol, terms(territories=(b"EM",))), offer(carol, terms(territories=(b"DE",)))
    deadline = now() + 3600
    signatures = {lid: sign_license_acceptance(licenses, carol, lid, deadline) for lid in (first, second)}
    for lid in (second, first):
        licenses.acceptLicenseBySig(lid, deadline, signatures[lid], {"from": stranger})
    assert licenses.isLicenseActive(first) and licenses.isLicenseActive(second)


def test_revoked_acceptance_signature_reverts_revoked_signature(licenses: Any, carol: Any, stranger: Any,
                                                                offer: Callable[..., int]) -> None:
    lid = offer(carol)
    deadline = now() + 3600
    signature = sign_license_acceptance(licenses, carol, lid, deadline)
    digest = bytes(licenses.acceptanceDigest(lid, deadline))
    assert digest == eip712.digest(licenses, "AcceptLicense", license_acceptance_message(licenses, lid, deadline))

    tx = licenses.revokeSignature(digest, {"from": carol})

    assert tx.events["SignatureRevoked"]["signer"] == carol
    assert licenses.isSignatureRevoked(carol, digest) is True
    with brownie.reverts(custom_error("RevokedSignature", carol, digest)):
        licenses.acceptLicenseBySig(lid, deadline, signature, {"from": stranger})


def test_accept_after_offer_deadline_reverts_offer_expired(licenses: Any, right: int, alice: Any, carol: Any,
                                                           chain: Any) -> None:
    deadline = now() + 100
    offered = licenses.offerLicenseWithTerms(right, 0, carol, terms(), deadline, FIELD, "", {"from": alice})
    lid = offered.events["LicenseOffered"]["licenseId"]
    chain.sleep(200)
    chain.mine()
    with brownie.reverts(revert_pattern=rf"OfferExpired: {lid}, {deadline}, \d+"):
        licenses.acceptLicense(lid, {"from": carol})


def test_holder_not_licensed_where_exclusive_license_touches_scope(licenses: Any, right: int, alice: Any,
                                                                   carol: Any, offer: Callable[..., int]) -> None:
    lid = offer(carol, terms(EXCLUSIVE, (b"DE",)))
    licenses.acceptLicense(lid, {"from": carol})
    assert tuple(licenses.isLicensed(right, alice, b"WO", FIELD_HASH, now())) == (False, 0)
    assert tuple(licenses.isLicensed(right, alice, b"DE", ZERO32, now())) == (False, 0)
    assert tuple(licenses.isLicensed(right, alice, b"FR", FIELD_HASH, now())) == (True, 0)


def test_accept_by_signature_of_someone_else_reverts_invalid_signature(licenses: Any, carol: Any, dave: Any,
                                                                       stranger: Any,
                                                                       offer: Callable[..., int]) -> None:
    lid = offer(carol)
    deadline = now() + 3600
    forged = sign_license_acceptance(licenses, dave, lid, deadline)  # Dave signs for himself, not for Carol
    with brownie.reverts(revert_pattern=rf"InvalidSignature: {str(carol).lower()}, 0x[0-9a-f]{{40}}"):
        licenses.acceptLicenseBySig(lid, deadline, forged, {"from": stranger})


def test_withdraw_offer_by_licensor_marks_withdrawn(licenses: Any, alice: Any, carol: Any,
                                                    offer: Callable[..., int]) -> None:
    lid = offer(carol)

    tx = licenses.withdrawOffer(lid, {"from": alice})

    assert tx.events["OfferWithdrawn"]["licensor"] == alice
    assert licenses.licenseOf(lid).dict()["state"] == WITHDRAWN
    with brownie.reverts(custom_error("NotOffered", lid, WITHDRAWN)):
        licenses.acceptLicense(lid, {"from": carol})


def test_surrender_by_licensee_ends_license(licenses: Any, carol: Any, offer: Callable[..., int]) -> None:
    lid = offer(carol)
    licenses.acceptLicense(lid, {"from": carol})

    tx = licenses.surrenderLicense(lid, {"from": carol})

    assert tx.events["LicenseSurrendered"]["licensee"] == carol
    assert licenses.licenseOf(lid).dict()["state"] == SURRENDERED
    assert licenses.isLicenseActive(lid) is False


def test_surrender_by_licensor_reverts_not_licensee(licenses: Any, alice: Any, carol: Any,
                                                    offer: Callable[..., int]) -> None:
    lid = offer(carol)
    licenses.acceptLicense(lid, {"from": carol})
    with brownie.reverts(custom_error("NotLicensee", lid, alice)):
        licenses.surrenderLicense(lid, {"from": alice})


def test_transfer_transferable_license_moves_licensee(licenses: Any, right: int, carol: Any, dave: Any,
                                                      offer: Callable[..., int]) -> None:
    lid = offer(carol, terms(transferable=True))
    licenses.acceptLicense(lid, {"from": carol})

    tx = licenses.transferLicense(lid, dave, {"from": carol})

    event = tx.events["LicenseTransferred"]
    assert (event["from"], event["to"]) == (carol, dave)
    assert licenses.licenseOf(lid).dict()["licensee"] == dave
    licensed, by_license = licenses.isLicensed(right, dave, b"EM", FIELD_HASH, now())
    assert (licensed, by_license) == (True, lid)


def test_transfer_non_transferable_license_reverts_not_transferable(licenses: Any, carol: Any, dave: Any,
                                                                    offer: Callable[..., int]) -> None:
    lid = offer(carol)
    licenses.acceptLicense(lid, {"from": carol})
    with brownie.reverts(custom_error("NotTransferable", lid)):
        licenses.transferLicense(lid, dave, {"from": carol})
