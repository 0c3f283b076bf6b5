"""The SDK's license methods against the embedded chain (the contract's own rules: tests/contracts/licensing/)."""

from __future__ import annotations

import pytest

from helpers import World, assert_revert, eip712
from ipledger.errors import ContractRevert, UsageError
from ipledger.sdk import LicenseKind, LicenseTerms, flatten


def test_license_tree_offered_accepted_and_relayed_returns_three_levels_until_root_ends(world: World) -> None:
    rid = world.file_registered()
    root = world.alice.offer_license(rid, world.bob.address, LicenseTerms(
        kind="exclusive", territories=("DE", "FR"), field="software", royalty_bps=300, sublicensable=True))
    assert root.event("LicenseOffered").args["terms"]["kind"] == int(LicenseKind.EXCLUSIVE)
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
    lid = world.alice.offer_license(rid, world.bob.address, LicenseTerms()).license_id
    deadline = world.now() + 3600
    message = {"licenseId": lid, "licensee": world.bob.address, "nonce": 0, "deadline": deadline}
    expected = eip712.sign(world.ipl.licenses, "AcceptLicense", message, world.bob.account)
    assert world.bob.sign_license_acceptance(lid, deadline) == expected
    assert eip712.recover(world.ipl.licenses, "AcceptLicense", message, expected) == world.bob.address
