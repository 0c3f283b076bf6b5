"""PartyRegistry: parties publish profiles; an office's registrar verifies and revokes them."""

from __future__ import annotations

from typing import Any

import brownie
from eth_utils import keccak
from support import custom_error

IDENTITY = keccak(text="Alice GmbH")


def test_publish_profile_records_profile_and_emits_event(parties: Any, alice: Any) -> None:
    tx = parties.publishProfile(IDENTITY, b"DE", "ipfs://alice", {"from": alice})

    profile = parties.profileOf(alice).dict()
    assert profile["identityHash"] == "0x" + IDENTITY.hex()
    assert profile["country"] == "0x4445"
    assert profile["version"] == 1
    event = tx.events["ProfilePublished"]
    assert event["party"] == alice
    assert event["metadataURI"] == "ipfs://alice"
    assert event["version"] == 1


def test_verify_profile_by_registrar_marks_party_verified(parties: Any, alice: Any, registrar: Any) -> None:
    parties.publishProfile(IDENTITY, b"DE", "", {"from": alice})

    tx = parties.verifyProfile(alice, b"EM", {"from": registrar})

    assert parties.isVerified(alice, b"EM") is True
    assert parties.isVerified(alice, b"RU") is False
    assert tx.events["ProfileVerified"]["version"] == 1
    assert tx.events["ProfileVerified"]["registrar"] == registrar


def test_verify_profile_without_profile_reverts_no_profile(parties: Any, bob: Any, registrar: Any) -> None:
    with brownie.reverts(custom_error("NoProfile", bob)):
        parties.verifyProfile(bob, b"EM", {"from": registrar})


def test_verify_profile_by_stranger_reverts_not_registrar(parties: Any, alice: Any, stranger: Any) -> None:
    parties.publishProfile(IDENTITY, b"DE", "", {"from": alice})
    with brownie.reverts(custom_error("NotRegistrar", b"EM", stranger)):
        parties.verifyProfile(alice, b"EM", {"from": stranger})


def test_revoke_verification_by_registrar_clears_verification(parties: Any, alice: Any, registrar: Any) -> None:
    parties.publishProfile(IDENTITY, b"DE", "", {"from": alice})
    parties.verifyProfile(alice, b"EM", {"from": registrar})

    tx = parties.revokeVerification(alice, b"EM", {"from": registrar})

    assert parties.isVerified(alice, b"EM") is False
    assert tx.events["VerificationRevoked"]["registrar"] == registrar


def test_revoke_verification_of_unverified_party_reverts_not_verified(parties: Any, alice: Any,
                                                                      registrar: Any) -> None:
    with brownie.reverts(custom_error("NotVerified", alice, b"EM")):
        parties.revokeVerification(alice, b"EM", {"from": registrar})
