"""One-transaction grants: the licensor sends ``grantLicenseBySig`` carrying the licensee's EIP-712 ``GrantLicense``
consent, bound to the exact license (right, parent, licensee, interned terms) and to the licensor position's grant
sequence, which the grant bumps. Attacker first: replayed, stale, revoked, expired and cross-offer signatures, a
relayer who is not the licensor, a sublicense outside its parent, an exclusive overlap, a full held list.
"""

from __future__ import annotations

from web3.logs import DISCARD

from helpers import ALICE, BOB, CAROL, DAVE, MALLORY, REGISTRAR, STRANGER, LicenseDriver, eip712
from helpers.licensing import ACTIVE, DAY, EXCLUSIVE, REVOKED, SOLE, ZERO


def test_grant_license_typehash_names_license_and_position_sequence(lg: LicenseDriver) -> None:
    assert bytes(lg.lic.functions.GRANT_LICENSE_TYPEHASH().call()) == eip712.type_hash("GrantLicense")
    assert eip712.encode_type("GrantLicense") == (
        "GrantLicense(uint256 rightId,uint256 parentId,address licensee,uint256 termsId,uint256 sequence,"
        "uint256 deadline)")


def test_grant_by_sig_by_holder_activates_in_one_transaction_and_emits_event(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms(territories=("EM", "US"), label="software")
    assert lg.lic.functions.grantSequenceOf(lg.right, 0).call() == 0
    lid, receipt = lg.grant_by_sig(ALICE, BOB, terms_id)
    (ev,) = lg.lic.events.LicenseGranted().process_receipt(receipt, errors=DISCARD)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensee": lg.a(BOB), "parentId": 0,
                                "licensor": lg.a(ALICE), "termsId": terms_id, "keyEventCode": b"S10",
                                "nationalCode": b"S10".ljust(8, b"\0")}
    rec = lg.license(lid)
    assert (rec["state"], rec["active"], rec["termsId"], rec["deadline"], rec["licensee"]) == (
        ACTIVE, True, terms_id, 0, lg.a(BOB))
    assert lg.licensed(BOB, "US", "software") == (True, lid)
    assert lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call() == [lid]
    assert lg.lic.functions.openLicensesOf(lg.right, 0).call() == [lid]
    assert lg.lic.functions.grantSequenceOf(lg.right, 0).call() == 1


def test_grant_by_sig_replayed_reverts_invalid_signature(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + DAY
    sig = lg.sign_grant(BOB, BOB, terms_id, deadline)
    fn = lg.grant_fn(lg.a(BOB), terms_id, deadline, sig)
    lg.send(fn, ALICE)
    name, (expected, recovered) = lg.reverts(fn, ALICE)  # the sequence moved on: the message is another one
    assert (name, expected) == ("InvalidSignature", lg.a(BOB)) and recovered != lg.a(BOB)
    assert lg.lic.functions.licenseCount().call() == 1


def test_grant_by_sig_stale_after_another_grant_of_the_position_reverts_invalid_signature(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + DAY
    stale = lg.sign_grant(BOB, BOB, terms_id, deadline)  # signed at sequence 0
    lg.grant_by_sig(ALICE, CAROL, terms_id)  # the position's sequence is now 1
    name, (expected, _) = lg.reverts(lg.grant_fn(lg.a(BOB), terms_id, deadline, stale), ALICE)
    assert (name, expected) == ("InvalidSignature", lg.a(BOB))
    other = lg.grant_by_sig(ALICE, DAVE, terms_id, right=lg.other_right)  # another position has its own sequence
    assert other[0] and lg.lic.functions.grantSequenceOf(lg.other_right, 0).call() == 1


def test_grant_by_sig_for_other_right_parent_licensee_or_terms_reverts_invalid_signature(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    other_terms, _ = lg.register_terms(territories=("US",))
    deadline = lg.now() + DAY
    for sig in (lg.sign_grant(BOB, BOB, other_terms, deadline),  # Bob consented to other terms
                lg.sign_grant(BOB, BOB, terms_id, deadline, right=lg.other_right),  # to another right
                lg.sign_grant(BOB, CAROL, terms_id, deadline),  # to a license for Carol
                lg.sign_grant(BOB, BOB, terms_id, deadline + 1)):  # with another deadline
        name, (expected, recovered) = lg.reverts(lg.grant_fn(lg.a(BOB), terms_id, deadline, sig), ALICE)
        assert (name, expected) == ("InvalidSignature", lg.a(BOB)) and recovered != lg.a(BOB)


def test_grant_by_sig_from_wrong_signer_reverts_invalid_signature(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + DAY
    sig = lg.sign_grant(MALLORY, BOB, terms_id, deadline)  # Mallory signs a consent naming Bob
    assert lg.reverts(lg.grant_fn(lg.a(BOB), terms_id, deadline, sig), ALICE) == (
        "InvalidSignature", (lg.a(BOB), lg.a(MALLORY)))


def test_grant_by_sig_relayed_by_anyone_but_licensor_reverts_not_holder(lg: LicenseDriver) -> None:
    """The licensee's consent is not the licensor's grant: only the holder (or the parent's licensee) sends it."""
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + DAY
    fn = lg.grant_fn(lg.a(BOB), terms_id, deadline, lg.sign_grant(BOB, BOB, terms_id, deadline))
    for who in (STRANGER, BOB, REGISTRAR, MALLORY):
        assert lg.reverts(fn, who) == ("NotHolder", (lg.right, lg.a(who)))


def test_grant_by_sig_revoked_by_licensee_reverts_revoked_signature(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + DAY
    sig = lg.sign_grant(BOB, BOB, terms_id, deadline)
    digest = eip712.digest(lg.lic, "GrantLicense", lg.grant_message(lg.a(BOB), terms_id, deadline))
    lg.send(lg.lic.functions.revokeSignature(digest), BOB)
    assert lg.reverts(lg.grant_fn(lg.a(BOB), terms_id, deadline, sig), ALICE) == (
        "RevokedSignature", (lg.a(BOB), digest))


def test_grant_by_sig_after_deadline_reverts_signature_expired(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + 100
    fn = lg.grant_fn(lg.a(BOB), terms_id, deadline, lg.sign_grant(BOB, BOB, terms_id, deadline))
    lg.travel(deadline + 1)
    name, (got, timestamp) = lg.reverts(fn, ALICE)
    assert (name, got) == ("SignatureExpired", deadline) and timestamp > deadline


def test_grant_by_sig_to_contract_wallet_by_owner_key_activates(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    wallet = lg.deploy_wallet(CAROL)
    deadline = lg.now() + DAY
    sig = eip712.sign(lg.lic, "GrantLicense", lg.grant_message(wallet.address, terms_id, deadline),
                      lg.accounts[CAROL])
    receipt = lg.send(lg.grant_fn(wallet.address, terms_id, deadline, sig), ALICE)
    (ev,) = lg.lic.events.LicenseGranted().process_receipt(receipt, errors=DISCARD)
    assert ev["args"]["licensee"] == wallet.address
    wrong = eip712.sign(lg.lic, "GrantLicense", lg.grant_message(wallet.address, terms_id, deadline),
                        lg.accounts[MALLORY])
    assert lg.reverts(lg.grant_fn(wallet.address, terms_id, deadline, wrong), ALICE) == (
        "InvalidSignature", (wallet.address, lg.a(MALLORY)))


def test_grant_by_sig_of_sublicense_outside_parent_reverts_exceeds_parent(lg: LicenseDriver) -> None:
    root = lg.grant(ALICE, BOB, kind=SOLE, territories=("EM",), label="software", sub=True)
    deadline = lg.now() + DAY
    outside, _ = lg.register_terms(territories=("US",), label="software")
    stronger, _ = lg.register_terms(kind=EXCLUSIVE, territories=("EM",), label="software")
    wider, _ = lg.register_terms(territories=("EM",))
    for terms_id, expected in ((outside, ("ExceedsParentTerritory", (root, b"US"))),
                               (stronger, ("ExceedsParentKind", (root, SOLE, EXCLUSIVE)))):
        sig = lg.sign_grant(CAROL, CAROL, terms_id, deadline, parent=root)
        assert lg.reverts(lg.grant_fn(lg.a(CAROL), terms_id, deadline, sig, parent=root), BOB) == expected
    sig = lg.sign_grant(CAROL, CAROL, wider, deadline, parent=root)
    name, _ = lg.reverts(lg.grant_fn(lg.a(CAROL), wider, deadline, sig, parent=root), BOB)
    assert name == "ExceedsParentField"
    inside, _ = lg.register_terms(territories=("EM",), label="software")
    sub, _ = lg.grant_by_sig(BOB, CAROL, inside, parent=root)
    assert lg.license(sub)["parentId"] == root and lg.licensed(CAROL, "EM", "software") == (True, sub)
    assert lg.lic.functions.grantSequenceOf(lg.right, root).call() == 1
    assert lg.lic.functions.grantSequenceOf(lg.right, 0).call() == 0


def test_grant_by_sig_exclusive_overlapping_live_license_reverts_license_conflict(lg: LicenseDriver) -> None:
    first = lg.grant(ALICE, BOB, territories=("EM",))
    exclusive, _ = lg.register_terms(kind=EXCLUSIVE, territories=("WO",))
    deadline = lg.now() + DAY
    sig = lg.sign_grant(CAROL, CAROL, exclusive, deadline)
    fn = lg.grant_fn(lg.a(CAROL), exclusive, deadline, sig)
    assert lg.reverts(fn, ALICE) == ("LicenseConflict", (first + 1, first))
    lg.send(lg.lic.functions.terminateLicense(first), ALICE)
    lg.send(fn, ALICE)  # the same signature: the sequence did not move on the refused grant
    assert lg.licensed(ALICE, "EM") == (False, 0)  # the exclusive license excludes its licensor


def test_grant_by_sig_beyond_held_capacity_reverts_too_many_licenses_held(lg: LicenseDriver) -> None:
    cap = lg.lic.functions.MAX_HELD_PER_PARTY().call()
    ids = []
    for i in range(cap):
        terms_id, _ = lg.register_terms(royalty=i)
        ids.append(lg.grant_by_sig(ALICE, BOB, terms_id)[0])
    terms_id, _ = lg.register_terms(royalty=cap)
    deadline = lg.now() + DAY
    fn = lg.grant_fn(lg.a(BOB), terms_id, deadline, lg.sign_grant(BOB, BOB, terms_id, deadline))
    assert lg.reverts(fn, ALICE) == ("TooManyLicensesHeld", (lg.right, lg.a(BOB), cap))
    lg.send(lg.lic.functions.surrenderLicense(ids[3]), BOB)  # surrendering one frees room
    lg.send(fn, ALICE)
    assert len(lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call()) == cap


def test_grant_by_sig_with_unknown_terms_or_bad_account_or_ended_right_reverts(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    deadline = lg.now() + DAY
    for forged in (0, terms_id + 1, 2**32 + terms_id):  # never interned (and a 32-bit alias of a real id)
        sig = lg.sign_grant(BOB, BOB, forged, deadline)
        assert lg.reverts(lg.grant_fn(lg.a(BOB), forged, deadline, sig), ALICE) == ("TermsNotFound", (forged,))
    for to in (ZERO, lg.a(ALICE)):
        assert lg.reverts(lg.grant_fn(to, terms_id, deadline, b"\1" * 65), ALICE) == ("InvalidAccount", (to,))
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REGISTRAR)
    sig = lg.sign_grant(BOB, BOB, terms_id, deadline)
    assert lg.reverts(lg.grant_fn(lg.a(BOB), terms_id, deadline, sig), ALICE) == ("RightEnded", (lg.right, REVOKED))
