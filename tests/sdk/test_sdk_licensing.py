"""The SDK's license methods against the embedded chain (the contract's own rules: tests/contracts/licensing/)."""

from __future__ import annotations

import pytest

from helpers import World, assert_revert, eip712
from ipledger.errors import ContractRevert, UsageError
from ipledger.sdk import LicenseKind, LicenseTerms, flatten
from ipledger.sdk.licensing import TermsResult


def test_license_tree_offered_accepted_and_relayed_returns_three_levels_until_root_ends(world: World) -> None:
    rid = world.file_registered()
    root = world.alice.offer_license(rid, world.bob.address, LicenseTerms(
        kind="exclusive", territories=("DE", "FR"), field="software", royalty_bps=300, sublicensable=True))
    assert root.event("TermsRegistered").args["terms"]["kind"] == int(LicenseKind.EXCLUSIVE)  # interned on first use
    world.bob.accept_license(root.license_id)
    mid = world.bob.offer_license(rid, world.carol.address, LicenseTerms(
        kind="sole", territories=("DE",), field="software", sublicensable=True), parent_id=root.license_id)
    deadline = world.now() + 3600
    sig = world.carol.sign_license_acceptance(mid.license_id, deadline)
    relayed = world.stranger.accept_license_by_sig(mid.license_id, deadline, sig)
    assert relayed.event("LicenseAccepted").args["bySignature"] is True
    leaf = world.carol.offer_license(rid, world.dave.address, LicenseTerms(
        territories=("DE",), field="software"), parent_id=mid.license_id)
    world.dave.accept_license(leaf.license_id)

    tree = world.ipl.license_tree(rid)
    assert [n.license.license_id for n in tree] == [root.license_id]
    assert tree[0].children[0].children[0].license.licensee == world.dave.address
    assert [i.field_label for i in flatten(tree)] == ["software"] * 3
    cov = world.ipl.is_licensed(rid, world.dave.address, "DE", "software")
    assert cov.licensed and cov.license_id == leaf.license_id

    world.alice.terminate_license(root.license_id)
    assert not world.ipl.is_licensed(rid, world.dave.address, "DE", "software").licensed
    assert [i.active for i in flatten(world.ipl.license_tree(rid))] == [False, False, False]
    names = [e.name for e in world.ipl.history(rid).licenses]
    assert names.count("LicenseOffered") == 3 and "LicenseTerminated" in names


def test_offer_license_by_non_holder_raises_not_holder(world: World) -> None:
    rid = world.file_registered()
    with pytest.raises(ContractRevert) as exc:
        world.bob.offer_license(rid, world.carol.address, LicenseTerms())
    assert_revert(exc, "NotHolder", rightId=rid, caller=world.bob.address)


def test_offer_license_with_bad_terms_raises_usage_error_before_sending(world: World) -> None:
    rid = world.file_registered()
    with pytest.raises(UsageError, match="royalty"):
        world.alice.offer_license(rid, world.bob.address, LicenseTerms(royalty_bps=10_001))
    with pytest.raises(UsageError, match="ST.3"):
        world.alice.offer_license(rid, world.bob.address, LicenseTerms(territories=("XX",)))
    with pytest.raises(UsageError, match="license kind"):
        world.alice.offer_license(rid, world.bob.address, LicenseTerms(kind="partial"))


def test_sign_license_acceptance_equals_independent_eip712_signature(world: World) -> None:
    rid = world.file_registered()
    terms_hash = b"\x42" * 32
    lid = world.alice.offer_license(rid, world.bob.address, LicenseTerms(terms_hash=terms_hash)).license_id
    deadline = world.now() + 3600
    terms_id = world.ipl.license(lid).terms_id
    assert world.ipl.license_terms(terms_id).terms_hash == "0x" + terms_hash.hex()
    message = {"licenseId": lid, "licensee": world.bob.address, "termsId": terms_id, "deadline": deadline}
    expected = eip712.sign(world.ipl.licenses, "AcceptLicense", message, world.bob.account)
    assert world.bob.sign_license_acceptance(lid, deadline) == expected
    assert eip712.recover(world.ipl.licenses, "AcceptLicense", message, expected) == world.bob.address
    digest = eip712.digest(world.ipl.licenses, "AcceptLicense", message)
    assert world.stranger.license_acceptance_digest(lid, deadline) == digest
    assert bytes(world.ipl.licenses.functions.acceptanceDigest(lid, deadline).call()) == digest


def test_signed_acceptances_relay_in_any_order_and_revoked_one_is_refused(world: World) -> None:
    rid = world.file_registered()
    ids = [world.alice.offer_license(rid, world.bob.address, LicenseTerms(territories=(t,))).license_id
           for t in ("DE", "FR", "IT")]
    deadline = world.now() + 3600
    sigs = [world.bob.sign_license_acceptance(i, deadline) for i in ids]
    world.stranger.accept_license_by_sig(ids[1], deadline, sigs[1])
    world.carol.accept_license_by_sig(ids[0], deadline, sigs[0])
    revoked = world.bob.revoke_license_acceptance(ids[2], deadline)
    digest = world.ipl.license_acceptance_digest(ids[2], deadline)
    assert revoked.event("SignatureRevoked").args["digest"] == "0x" + digest.hex()
    with pytest.raises(ContractRevert) as exc:
        world.stranger.accept_license_by_sig(ids[2], deadline, sigs[2])
    assert_revert(exc, "RevokedSignature", signer=world.bob.address, digest="0x" + digest.hex())
    assert world.ipl.licenses_held(rid, world.bob.address) == ids[:2]
    with pytest.raises(UsageError, match="license id and its signature deadline"):
        world.bob.revoke_license_acceptance()


def test_offer_license_default_deadline_is_thirty_days_or_license_end(world: World) -> None:
    rid = world.file_registered()
    res = world.alice.offer_license(rid, world.bob.address, LicenseTerms(territories=("DE",)))
    now = world.now()
    info = world.ipl.license(res.license_id)
    assert now + 30 * 86_400 - 60 <= info.deadline <= now + 30 * 86_400
    assert res.event("LicenseOffered").args["deadline"] == info.deadline
    end = now + 5 * 86_400
    short = world.alice.offer_license(rid, world.bob.address, LicenseTerms(territories=("FR",), end=end))
    assert world.ipl.license(short.license_id).deadline == end
    explicit = world.alice.offer_license(rid, world.bob.address, LicenseTerms(territories=("IT",)),
                                         deadline=now + 86_400)
    assert world.ipl.license(explicit.license_id).deadline == now + 86_400


@pytest.mark.parametrize("when", ["past", "beyond_window", "after_end", "not_int"])
def test_offer_license_with_bad_deadline_raises_usage_error_before_sending(world: World, when: str) -> None:
    rid = world.file_registered()
    now = world.now()
    deadline: object = {"past": now - 10, "beyond_window": now + 366 * 86_400, "after_end": now + 3 * 86_400,
                        "not_int": "tomorrow"}[when]
    terms = LicenseTerms(end=now + 2 * 86_400)
    with pytest.raises(UsageError, match="deadline"):
        world.alice.offer_license(rid, world.bob.address, terms, deadline=deadline)  # type: ignore[arg-type]
    assert world.ipl.licenses_of_right(rid) == []


def test_is_licensed_through_sdk_answers_for_the_whole_scope(world: World) -> None:
    """The issue's cases through the SDK: ``field=""`` asks about all fields, ``WO`` about the whole world."""
    rid = world.file_registered()
    root = world.alice.offer_license(rid, world.bob.address, LicenseTerms(
        kind="exclusive", territories=("DE", "FR"), field="pharma", sublicensable=True)).license_id
    world.bob.accept_license(root)
    alice = world.alice.address
    assert not world.ipl.is_licensed(rid, alice, "WO", "pharma").licensed
    assert not world.ipl.is_licensed(rid, alice, "DE", "").licensed
    assert world.ipl.is_licensed(rid, alice, "IT", "pharma").licensed
    sub = world.bob.offer_license(rid, world.carol.address, LicenseTerms(
        kind="exclusive", territories=("DE",), field="pharma"), parent_id=root).license_id
    world.carol.accept_license(sub)
    assert world.ipl.is_licensed(rid, world.bob.address, "DE", "pharma").licensed is False
    assert world.ipl.is_licensed(rid, world.bob.address, "FR", "pharma").license_id == root
    assert world.ipl.is_licensed(rid, world.carol.address, "DE", "pharma").license_id == sub
    assert world.ipl.licenses_of_right(rid) == [root, sub]
    assert world.ipl.licenses_of(world.carol.address) == [sub]
    assert world.ipl.open_licenses(rid) == [root] and world.ipl.open_licenses(rid, root) == [sub]


def test_contract_wallet_licensee_accepts_by_owner_key_signature_relayed(world: World) -> None:
    art = world.ipl.artifacts["ERC1271Wallet"]
    factory = world.ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    wallet = world.carol.sender.send(factory.constructor(world.carol.address))["contractAddress"]
    rid = world.file_registered()
    lid = world.alice.offer_license(rid, wallet, LicenseTerms(territories=("DE",))).license_id
    deadline = world.now() + 3600
    sig = world.carol.sign_license_acceptance(lid, deadline)  # the owner's key; the message names the wallet
    world.stranger.accept_license_by_sig(lid, deadline, sig)
    assert world.ipl.is_licensed(rid, wallet, "DE").license_id == lid
    assert world.ipl.license(lid).licensee == wallet


def test_register_terms_interns_once_and_offer_by_terms_id_uses_them(world: World) -> None:
    rid = world.file_registered()
    terms = LicenseTerms(kind="sole", territories=("DE", "AT"), field="software", royalty_bps=125,
                         terms_hash=b"\x07" * 32, terms_uri="ipfs://agreement")
    first = world.alice.register_terms(terms)
    assert first.created and first.tx is not None and first.terms_id == world.ipl.terms_id_of(terms)
    assert world.bob.register_terms(terms) == TermsResult(terms_id=first.terms_id, created=False)  # nothing sent
    info = world.ipl.license_terms(first.terms_id)
    assert (info.kind, info.territories, info.field_label, info.royalty_bps, info.terms_uri, info.terms_hash) == (
        LicenseKind.SOLE, ("DE", "AT"), "software", 125, "ipfs://agreement", "0x" + "07" * 32)
    assert info.content_hash == "0x" + world.ipl.terms_content_hash(terms).hex()
    offer = world.alice.offer_license(rid, world.bob.address, terms_id=first.terms_id)
    world.bob.accept_license(offer.license_id)
    assert world.ipl.license(offer.license_id).terms_id == first.terms_id
    assert world.ipl.is_licensed(rid, world.bob.address, "AT", "software").license_id == offer.license_id
    with pytest.raises(UsageError, match="no license terms #99"):
        world.ipl.license_terms(99)
    with pytest.raises(UsageError, match="one of them"):
        world.alice.offer_license(rid, world.bob.address, terms, terms_id=first.terms_id)


def test_grant_license_with_signed_consent_in_one_transaction_then_replay_refused(world: World) -> None:
    rid = world.file_registered()
    terms_id = world.alice.register_terms(LicenseTerms(territories=("DE",), field="software")).terms_id
    deadline = world.now() + 3600
    sig = world.bob.sign_license_grant(rid, terms_id, deadline)  # the licensee, off line
    message = world.ipl.license_grant_message(rid, world.bob.address, terms_id, deadline)
    assert message["sequence"] == 0
    assert sig == eip712.sign(world.ipl.licenses, "GrantLicense", message, world.bob.account)
    granted = world.alice.grant_license(rid, world.bob.address, terms_id, sig, deadline)
    assert granted.event("LicenseGranted").args["licensor"] == world.alice.address
    assert world.ipl.is_licensed(rid, world.bob.address, "DE", "software").license_id == granted.license_id
    assert world.ipl.licenses_of_right(rid) == [granted.license_id]
    assert world.ipl.licenses_of(world.bob.address) == [granted.license_id]
    tree = world.ipl.license_tree(rid)
    assert tree[0].license.field_label == "software" and tree[0].license.deadline == 0
    with pytest.raises(ContractRevert) as exc:
        world.alice.grant_license(rid, world.bob.address, terms_id, sig, deadline)
    assert_revert(exc, "InvalidSignature", expected=world.bob.address)  # the sequence moved on: spent


def test_revoked_grant_consent_is_refused(world: World) -> None:
    rid = world.file_registered()
    terms_id = world.alice.register_terms(LicenseTerms(territories=("FR",))).terms_id
    deadline = world.now() + 3600
    sig = world.bob.sign_license_grant(rid, terms_id, deadline)
    world.bob.revoke_license_grant(rid, terms_id, deadline)
    digest = world.ipl.license_grant_digest(rid, world.bob.address, terms_id, deadline)
    with pytest.raises(ContractRevert) as exc:
        world.alice.grant_license(rid, world.bob.address, terms_id, sig, deadline)
    assert_revert(exc, "RevokedSignature", signer=world.bob.address, digest="0x" + digest.hex())
