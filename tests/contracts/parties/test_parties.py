"""Party profiles and per-office verification (PartyRegistry)."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from helpers import World, assert_revert
from ipledger.errors import ContractRevert, UsageError

ZERO32 = "0x" + "00" * 32
DID = "did:web:alice.example"




def ident(name: str) -> str:
    return "0x" + keccak(text=name).hex()


def block_time(world: World, block: int) -> int:
    return int(world.ipl.w3.eth.get_block(block)["timestamp"])


# ---------------------------------------------------------------- publishing


def test_publish_profile_emits_event_and_stores_version_one(world: World) -> None:
    res = world.alice.publish_profile(DID, "DE", "ipfs://alice-profile")
    assert res.event("ProfilePublished").args == {"party": world.alice.address, "identityHash": ident(DID),
                                                  "country": "DE", "metadataURI": "ipfs://alice-profile",
                                                  "version": 1}
    assert world.ipl.profile(world.alice.address) == {
        "party": world.alice.address, "identity_hash": ident(DID), "country": "DE", "version": 1,
        "updated_at": block_time(world, res.block)}


def test_publish_profile_with_raw_32_byte_identity_stores_it_as_is(world: World) -> None:
    raw = bytes.fromhex("5a" * 32)
    res = world.bob.publish_profile(raw, "GB")
    assert res.event("ProfilePublished").args["identityHash"] == "0x" + raw.hex()


@pytest.mark.parametrize("times", [2, 3])
def test_publish_profile_again_increments_version(world: World, times: int) -> None:
    for n in range(1, times + 1):
        res = world.alice.publish_profile(f"Alice v{n}", "FR" if n % 2 else "DE")
        assert res.event("ProfilePublished").args["version"] == n
    prof = world.ipl.profile(world.alice.address)
    assert (prof["version"], prof["identity_hash"]) == (times, ident(f"Alice v{times}"))


def test_profile_of_party_without_profile_is_empty(world: World) -> None:
    assert world.ipl.profile(world.dave.address) == {"party": world.dave.address, "identity_hash": ZERO32,
                                                     "country": "", "version": 0, "updated_at": 0}
    assert world.ipl.is_verified(world.dave.address, "EM") is False


@pytest.mark.parametrize("raw,shown", [(b"de", "de"), (b"1A", "1A"), (b"  ", "0x2020"), (b"\x00\x00", "0x0000"),
                                       (b"D-", "D-")])
def test_publish_profile_invalid_country_raw_reverts_invalid_office_code(world: World, raw: bytes,
                                                                         shown: str) -> None:
    fn = world.alice.parties.functions.publishProfile(bytes.fromhex("11" * 32), raw, "")
    with pytest.raises(ContractRevert) as exc_info:
        world.alice.sender.send(fn)
    assert_revert(exc_info, "InvalidOfficeCode", code=shown)
    assert world.ipl.profile(world.alice.address)["version"] == 0


@pytest.mark.parametrize("country", ["de", "1A", "  ", "DEU", "ZZ"])
def test_publish_profile_invalid_country_sdk_raises_usage_error(world: World, country: str) -> None:
    with pytest.raises(UsageError, match="office code"):
        world.alice.publish_profile(DID, country)


# ---------------------------------------------------------------- verification


@pytest.mark.parametrize("office,registrar", [("EM", "registrar"), ("RU", "ru_registrar")])
def test_verify_profile_by_office_registrar_emits_event_and_verifies(world: World, office: str,
                                                                     registrar: str) -> None:
    world.alice.publish_profile(DID, "DE")
    reg = getattr(world, registrar)
    res = reg.verify_profile(world.alice.address, office)
    assert res.event("ProfileVerified").args == {"party": world.alice.address, "office": office, "version": 1,
                                                 "registrar": reg.address}
    assert world.ipl.is_verified(world.alice.address, office) is True
    other = "RU" if office == "EM" else "EM"
    assert world.ipl.is_verified(world.alice.address, other) is False


@pytest.mark.parametrize("who", ["stranger", "alice", "bob", "governor", "ru_registrar"])
def test_verify_profile_by_non_registrar_reverts_not_registrar(world: World, who: str) -> None:
    world.alice.publish_profile(DID, "DE")
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.verify_profile(world.alice.address, "EM")
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)
    assert world.ipl.is_verified(world.alice.address, "EM") is False


def test_verify_profile_at_unknown_office_reverts_unknown_office(world: World) -> None:
    world.alice.publish_profile(DID, "DE")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.verify_profile(world.alice.address, "AU")
    assert_revert(exc_info, "UnknownOffice", code="AU")


@pytest.mark.parametrize("party", ["dave", "stranger"])
def test_verify_profile_of_party_without_profile_reverts_no_profile(world: World, party: str) -> None:
    who = getattr(world, party).address
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.verify_profile(who, "EM")
    assert_revert(exc_info, "NoProfile", party=who)


def test_verify_profile_by_newly_granted_registrar_succeeds(world: World) -> None:
    world.alice.publish_profile(DID, "DE")
    world.governor.grant_registrar("EM", world.dave.address)
    res = world.dave.verify_profile(world.alice.address, "EM")
    assert res.event("ProfileVerified").args["registrar"] == world.dave.address


def test_republish_profile_voids_verification_until_verified_again(world: World) -> None:
    world.alice.publish_profile(DID, "DE")
    world.registrar.verify_profile(world.alice.address, "EM")
    world.ru_registrar.verify_profile(world.alice.address, "RU")
    world.alice.publish_profile("did:web:alice.example#v2", "DE")
    assert world.ipl.is_verified(world.alice.address, "EM") is False
    assert world.ipl.is_verified(world.alice.address, "RU") is False
    res = world.registrar.verify_profile(world.alice.address, "EM")
    assert res.event("ProfileVerified").args["version"] == 2
    assert world.ipl.is_verified(world.alice.address, "EM") is True
    assert world.ipl.is_verified(world.alice.address, "RU") is False


def test_verify_profile_twice_is_idempotent(world: World) -> None:
    world.alice.publish_profile(DID, "DE")
    world.registrar.verify_profile(world.alice.address, "EM")
    res = world.registrar.verify_profile(world.alice.address, "EM")
    assert res.event("ProfileVerified").args["version"] == 1
    assert world.ipl.is_verified(world.alice.address, "EM") is True


# ---------------------------------------------------------------- revocation


def test_revoke_verification_emits_event_and_unverifies_only_that_office(world: World) -> None:
    world.alice.publish_profile(DID, "DE")
    world.registrar.verify_profile(world.alice.address, "EM")
    world.ru_registrar.verify_profile(world.alice.address, "RU")
    res = world.registrar.revoke_verification(world.alice.address, "EM")
    assert res.event("VerificationRevoked").args == {"party": world.alice.address, "office": "EM",
                                                     "registrar": world.registrar.address}
    assert world.ipl.is_verified(world.alice.address, "EM") is False
    assert world.ipl.is_verified(world.alice.address, "RU") is True


@pytest.mark.parametrize("situation", ["no-profile", "never-verified", "voided-by-republish", "already-revoked",
                                       "verified-by-other-office"])
def test_revoke_verification_of_unverified_reverts_not_verified(world: World, situation: str) -> None:
    alice = world.alice.address
    if situation != "no-profile":
        world.alice.publish_profile(DID, "DE")
    if situation in ("voided-by-republish", "already-revoked"):
        world.registrar.verify_profile(alice, "EM")
    if situation == "voided-by-republish":
        world.alice.publish_profile(DID, "AT")
    if situation == "already-revoked":
        world.registrar.revoke_verification(alice, "EM")
    if situation == "verified-by-other-office":
        world.ru_registrar.verify_profile(alice, "RU")
    with pytest.raises(ContractRevert) as exc_info:
        world.registrar.revoke_verification(alice, "EM")
    assert_revert(exc_info, "NotVerified", party=alice, office="EM")


@pytest.mark.parametrize("who", ["stranger", "alice", "governor", "ru_registrar"])
def test_revoke_verification_by_non_registrar_reverts_not_registrar(world: World, who: str) -> None:
    world.alice.publish_profile(DID, "DE")
    world.registrar.verify_profile(world.alice.address, "EM")
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.revoke_verification(world.alice.address, "EM")
    assert_revert(exc_info, "NotRegistrar", office="EM", account=actor.address)
    assert world.ipl.is_verified(world.alice.address, "EM") is True


def test_revoke_then_verify_again_restores_verification(world: World) -> None:
    world.alice.publish_profile(DID, "DE")
    world.registrar.verify_profile(world.alice.address, "EM")
    world.registrar.revoke_verification(world.alice.address, "EM")
    world.registrar.verify_profile(world.alice.address, "EM")
    assert world.ipl.is_verified(world.alice.address, "EM") is True


def test_party_registry_trusts_deployed_registry(world: World) -> None:
    assert world.ipl.parties.functions.registry().call() == world.ipl.registry.address
