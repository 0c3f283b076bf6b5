"""Relayed acceptance: the licensee signs AcceptLicense (EIP-712, helpers.eip712), anyone relays it.

The message names the exact offer (id, licensee, terms hash) instead of an ordered nonce per signer (issue #12,
item 3): acceptances of different offers are relayed in any order, a re-offer is a new offer that no old signature
names, the licensee can revoke an unused signature, and contract wallets sign by ERC-1271.
"""

from __future__ import annotations

from helpers import ALICE, BOB, CAROL, MALLORY, STRANGER, LicenseDriver, eip712
from helpers.licensing import ACTIVE, DAY, WITHDRAWN, ZERO


def test_eip712_domain_of_licenses_names_register_version_chain_and_contract(lg: LicenseDriver) -> None:
    fields, name, version, chain_id, verifying, salt, extensions = lg.lic.functions.eip712Domain().call()
    assert fields == b"\x0f"  # name, version, chainId, verifyingContract
    assert (name, version) == ("IP Ledger Licenses", "1")
    assert chain_id == lg.w3.eth.chain_id and verifying == lg.lic.address
    assert (salt, extensions) == (b"\x00" * 32, [])
    assert eip712.domain(lg.lic) == {"name": "IP Ledger Licenses", "version": "1", "chainId": lg.w3.eth.chain_id,
                                     "verifyingContract": lg.lic.address}


def test_accept_license_typehash_names_offer_not_nonce(lg: LicenseDriver) -> None:
    assert bytes(lg.lic.functions.ACCEPT_LICENSE_TYPEHASH().call()) == eip712.type_hash("AcceptLicense")
    assert eip712.encode_type("AcceptLicense") == (
        "AcceptLicense(uint256 licenseId,address licensee,uint256 termsId,uint256 deadline)")
    assert "nonces" not in {f["name"] for f in lg.lic.abi if f.get("type") == "function"}


def test_accept_by_sig_relayed_activates_and_emits_event(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    receipt = lg.send(lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, deadline)),
                      STRANGER)
    (ev,) = lg.lic.events.LicenseAccepted().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensee": lg.a(BOB), "bySignature": True,
                                "keyEventCode": b"S10", "nationalCode": b"S10".ljust(8, b"\0")}  # ST.27 category S
    assert lg.active(lid) and lg.licensed(BOB) == (True, lid)


def test_accept_by_sig_two_independent_acceptances_relay_in_any_order(lg: LicenseDriver) -> None:
    """The issue's collision: two signed acceptances, the second relayed first; both must go through."""
    first, _ = lg.offer(ALICE, BOB, territories=("EM",))
    second, _ = lg.offer(ALICE, BOB, territories=("US",))
    deadline = lg.now() + DAY
    sig1, sig2 = lg.sign_acceptance(BOB, first, deadline), lg.sign_acceptance(BOB, second, deadline)
    lg.send(lg.lic.functions.acceptLicenseBySig(second, deadline, sig2), STRANGER)
    lg.send(lg.lic.functions.acceptLicenseBySig(first, deadline, sig1), MALLORY)
    assert lg.active(first) and lg.active(second)


def test_accept_by_sig_from_wrong_signer_reverts_invalid_signature(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(MALLORY, lid, deadline)  # Mallory signs a message naming Bob
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, sig)
    assert lg.reverts(fn, STRANGER) == ("InvalidSignature", (lg.a(BOB), lg.a(MALLORY)))
    bad = lg.reverts(lg.lic.functions.acceptLicenseBySig(lid, deadline, b"\1" * 65), STRANGER)
    assert bad == ("InvalidSignature", (lg.a(BOB), ZERO))


def test_accept_by_sig_for_other_terms_or_other_offer_reverts_invalid_signature(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB, territories=("EM",))
    other, _ = lg.offer(ALICE, BOB, territories=("US",))
    deadline = lg.now() + DAY
    for sig in (lg.sign_acceptance(BOB, lid, deadline, terms_id=lg.license(other)["termsId"]),  # other terms
                lg.sign_acceptance(BOB, other, deadline)):  # Bob's acceptance of another offer
        name, (expected, recovered) = lg.reverts(lg.lic.functions.acceptLicenseBySig(lid, deadline, sig), STRANGER)
        assert (name, expected) == ("InvalidSignature", lg.a(BOB)) and recovered != lg.a(BOB)


def test_accept_by_sig_of_withdrawn_offer_does_not_accept_its_reoffer(lg: LicenseDriver) -> None:
    """A cancelled deal and a re-offer on the same terms: the old signature names the old offer only."""
    old, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(BOB, old, deadline)
    lg.send(lg.lic.functions.withdrawOffer(old), ALICE)
    new, _ = lg.offer(ALICE, BOB)
    assert lg.license(new)["termsId"] == lg.license(old)["termsId"]  # the same terms: interned once
    name, (expected, recovered) = lg.reverts(lg.lic.functions.acceptLicenseBySig(new, deadline, sig), STRANGER)
    assert (name, expected) == ("InvalidSignature", lg.a(BOB)) and recovered != lg.a(BOB)
    assert lg.reverts(lg.lic.functions.acceptLicenseBySig(old, deadline, sig), STRANGER) == (
        "NotOffered", (old, WITHDRAWN))


def test_accept_by_sig_replayed_reverts_not_offered(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, deadline))
    lg.send(fn, STRANGER)
    assert lg.reverts(fn, STRANGER) == ("NotOffered", (lid, ACTIVE))


def test_accept_by_sig_after_deadline_reverts_signature_expired(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + 100
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, deadline))
    lg.travel(deadline + 50)
    name, (got_deadline, timestamp) = lg.reverts(fn, STRANGER)
    assert (name, got_deadline) == ("SignatureExpired", deadline) and timestamp > deadline


def test_revoke_signature_by_licensee_emits_event_and_relay_reverts_revoked_signature(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(BOB, lid, deadline)
    digest = eip712.digest(lg.lic, "AcceptLicense", lg.acceptance(lid, deadline))
    assert bytes(lg.lic.functions.acceptanceDigest(lid, deadline).call()) == digest
    lg.send(lg.lic.functions.revokeSignature(digest), MALLORY)  # a stranger's revocation revokes only its own
    assert not lg.lic.functions.isSignatureRevoked(lg.a(BOB), digest).call()
    receipt = lg.send(lg.lic.functions.revokeSignature(digest), BOB)
    (ev,) = lg.lic.events.SignatureRevoked().process_receipt(receipt)
    assert dict(ev["args"]) == {"signer": lg.a(BOB), "digest": digest}
    assert lg.lic.functions.isSignatureRevoked(lg.a(BOB), digest).call()
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, sig)
    assert lg.reverts(fn, STRANGER) == ("RevokedSignature", (lg.a(BOB), digest))
    lg.accept(BOB, lid)  # revoking a signature is not refusing the offer: Bob may still accept himself
    assert lg.active(lid)


def test_revoke_signature_while_paused_is_allowed(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    lg.pause()
    digest = bytes(lg.lic.functions.acceptanceDigest(lid, deadline).call())
    lg.send(lg.lic.functions.revokeSignature(digest), BOB)
    lg.unpause()
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, deadline))
    assert lg.reverts(fn, STRANGER) == ("RevokedSignature", (lg.a(BOB), digest))


def test_accept_by_sig_of_contract_wallet_licensee_by_owner_key_activates(lg: LicenseDriver) -> None:
    wallet = lg.deploy_wallet(CAROL)
    lid, _ = lg.send_offer_to(wallet.address)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(CAROL, lid, deadline)  # Carol's key, the wallet named as licensee
    receipt = lg.send(lg.lic.functions.acceptLicenseBySig(lid, deadline, sig), STRANGER)
    (ev,) = lg.lic.events.LicenseAccepted().process_receipt(receipt)
    assert (ev["args"]["licensee"], ev["args"]["bySignature"]) == (wallet.address, True)
    assert lg.lic.functions.isLicensed(lg.right, wallet.address, b"EM", b"\0" * 32, lg.now()).call() == [True, lid]


def test_accept_by_sig_of_contract_wallet_with_wrong_key_reverts_invalid_signature(lg: LicenseDriver) -> None:
    wallet = lg.deploy_wallet(CAROL)
    lid, _ = lg.send_offer_to(wallet.address)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(MALLORY, lid, deadline)
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, sig)
    assert lg.reverts(fn, STRANGER) == ("InvalidSignature", (wallet.address, lg.a(MALLORY)))


def test_contract_wallet_revokes_its_signature_by_calling_through_itself(lg: LicenseDriver) -> None:
    wallet = lg.deploy_wallet(CAROL)
    lid, _ = lg.send_offer_to(wallet.address)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(CAROL, lid, deadline)
    digest = bytes(lg.lic.functions.acceptanceDigest(lid, deadline).call())
    lg.send(lg.lic.functions.revokeSignature(digest), CAROL)  # the owner key's own revocation is not the wallet's
    lg.via_wallet(wallet, CAROL, lg.lic.functions.revokeSignature(digest))
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, sig)
    assert lg.reverts(fn, STRANGER) == ("RevokedSignature", (wallet.address, digest))
    lg.via_wallet(wallet, CAROL, lg.lic.functions.acceptLicense(lid))  # the wallet may still accept itself
    assert lg.active(lid) and lg.license(lid)["licensee"] == wallet.address
