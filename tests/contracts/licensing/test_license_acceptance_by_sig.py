"""Relayed acceptance: the licensee signs AcceptLicense (EIP-712, helpers.eip712), anyone relays it."""

from __future__ import annotations

from helpers import ALICE, BOB, MALLORY, STRANGER, LicenseDriver, eip712
from helpers.licensing import ACTIVE, DAY, ZERO


def test_eip712_domain_of_licenses_names_register_version_chain_and_contract(lg: LicenseDriver) -> None:
    fields, name, version, chain_id, verifying, salt, extensions = lg.lic.functions.eip712Domain().call()
    assert fields == b"\x0f"  # name, version, chainId, verifyingContract
    assert (name, version) == ("IP Ledger Licenses", "1")
    assert chain_id == lg.w3.eth.chain_id and verifying == lg.lic.address
    assert (salt, extensions) == (b"\x00" * 32, [])
    assert eip712.domain(lg.lic) == {"name": "IP Ledger Licenses", "version": "1", "chainId": lg.w3.eth.chain_id,
                                     "verifyingContract": lg.lic.address}


def test_accept_license_typehash_matches_signed_type(lg: LicenseDriver) -> None:
    assert bytes(lg.lic.functions.ACCEPT_LICENSE_TYPEHASH().call()) == eip712.type_hash("AcceptLicense")
    assert eip712.encode_type("AcceptLicense") == (
        "AcceptLicense(uint256 licenseId,address licensee,uint256 nonce,uint256 deadline)")


def test_accept_by_sig_relayed_activates_and_consumes_nonce(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(BOB, lid, 0, deadline)
    receipt = lg.send(lg.lic.functions.acceptLicenseBySig(lid, deadline, sig), STRANGER)
    (ev,) = lg.lic.events.LicenseAccepted().process_receipt(receipt)
    assert (ev["args"]["licensee"], ev["args"]["bySignature"]) == (lg.a(BOB), True)
    assert lg.active(lid)
    assert lg.lic.functions.nonces(lg.a(BOB)).call() == 1


def test_accept_by_sig_from_wrong_signer_reverts_invalid_signature(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(MALLORY, lid, 0, deadline, licensee=BOB)  # Mallory signs a message naming Bob
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, sig)
    assert lg.reverts(fn, STRANGER) == ("InvalidSignature", (lg.a(BOB), lg.a(MALLORY)))
    bad = lg.reverts(lg.lic.functions.acceptLicenseBySig(lid, deadline, b"\1" * 65), STRANGER)
    assert bad == ("InvalidSignature", (lg.a(BOB), ZERO))


def test_accept_by_sig_replayed_reverts_not_offered(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, 0, deadline))
    lg.send(fn, STRANGER)
    assert lg.reverts(fn, STRANGER) == ("NotOffered", (lid, ACTIVE))


def test_accept_by_sig_with_used_nonce_reverts_invalid_signature(lg: LicenseDriver) -> None:
    first, _ = lg.offer(ALICE, BOB, territories=("EM",))
    second, _ = lg.offer(ALICE, BOB, territories=("US",))
    deadline = lg.now() + DAY
    sig1, sig2 = lg.sign_acceptance(BOB, first, 0, deadline), lg.sign_acceptance(BOB, second, 0, deadline)
    lg.send(lg.lic.functions.acceptLicenseBySig(first, deadline, sig1), STRANGER)
    name, (expected, recovered) = lg.reverts(lg.lic.functions.acceptLicenseBySig(second, deadline, sig2), STRANGER)
    assert (name, expected) == ("InvalidSignature", lg.a(BOB)) and recovered != lg.a(BOB)
    lg.send(lg.lic.functions.acceptLicenseBySig(second, deadline, lg.sign_acceptance(BOB, second, 1, deadline)),
            STRANGER)
    assert lg.active(second)


def test_accept_by_sig_after_deadline_reverts_signature_expired(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + 100
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, 0, deadline))
    lg.travel(deadline + 50)
    name, (got_deadline, timestamp) = lg.reverts(fn, STRANGER)
    assert (name, got_deadline) == ("SignatureExpired", deadline) and timestamp > deadline
