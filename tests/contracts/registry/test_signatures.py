"""Signed assignment actions: revocation by the signer, ERC-1271 contract wallets (assignee and creditor), and the
wiring of SecurityInterests to the register.

Every signed message names the pending action's own id (tests/contracts/registry/test_assignment.py and
test_pledge.py show stale ids refused); here a signer revokes a signature before it is used (``revokeSignature``:
relaying it reverts ``RevokedSignature(signer, digest)``), and a company holding rights in a contract wallet
(contracts/mocks/ERC1271Wallet.sol: its owner key signs, ``execute`` makes calls as the wallet) accepts and
consents by its owner's key, while a wrong key is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from helpers import EVE, MALLORY, World, assert_revert, eip712
from ipledger.errors import ContractRevert
from ipledger.sdk import IPLedger

DEED = "0x" + "de" * 32
AGREEMENT = "0x" + "a9" * 32
ZERO = "0x" + "00" * 20


@dataclass(frozen=True)
class Rights:
    em: int  # registered at EM (recordal required)
    ru: int  # registered at RU (title moves at acceptance)


@pytest.fixture(scope="module")
def rights(module_world: World) -> Rights:
    return Rights(em=module_world.file_registered("018555001"),
                  ru=module_world.file_registered("2023555001", office="RU"))


def deploy(ipl: IPLedger, name: str, *args: Any) -> Any:
    """Deploys the compiled contract ``name`` as ``ipl``'s account; returns the web3 contract."""
    art = ipl.artifacts[name]
    factory = ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    receipt = ipl.sender.send(factory.constructor(*args), label=f"deploy {name}")
    return ipl.w3.eth.contract(address=receipt["contractAddress"], abi=art.abi)


def deploy_proxied(ipl: IPLedger, name: str, *init_args: Any) -> Any:
    """A fresh register ``name`` behind its own RegisterProxy, initialized with ``init_args`` (as the deployment
    does); returns the web3 contract at the proxy with the implementation's ABI."""
    implementation = deploy(ipl, name)
    data = ipl.w3.eth.contract(abi=ipl.artifacts[name].abi).encode_abi("initialize", list(init_args))
    proxy = deploy(ipl, "RegisterProxy", implementation.address, data)
    return ipl.w3.eth.contract(address=proxy.address, abi=ipl.artifacts[name].abi)


def authority(world: World) -> str:
    return world.ipl.contracts["RegisterAuthority"].address


@pytest.fixture(scope="module")
def wallet_(module_world: World) -> Any:
    """An ERC-1271 wallet whose owner key is Eve's (a company's Safe, in miniature)."""
    return deploy(module_world.ipl, "ERC1271Wallet", module_world.as_(EVE).address)


@pytest.fixture
def wallet(world: World, wallet_: Any) -> Any:
    return wallet_


def as_wallet(owner: IPLedger, wallet: Any, target: Any, fn: str, *args: Any) -> Any:
    """The wallet calls ``target.fn(*args)`` (its owner sends ``execute``)."""
    return owner.transact(wallet.functions.execute(target.address, target.encode_abi(fn, args=list(args))),
                          f"wallet {fn}")


def owner_of(ipl: IPLedger, rid: int) -> str:
    return str(ipl.registry.functions.ownerOf(rid).call())


def acceptance(rid: int, assignment_id: int, assignee: str, deadline: int) -> dict[str, Any]:
    return {"rightId": rid, "assignmentId": assignment_id, "assignee": assignee,
            "deedHash": bytes.fromhex(DEED[2:]), "deadline": deadline}


# ---------------------------------------------------------------- revocation


def test_revoked_acceptance_relayed_reverts_revoked_signature_with_signer_and_digest(world: World,
                                                                                     rights: Rights) -> None:
    rid = rights.ru
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rid, deadline)
    digest = eip712.digest(world.ipl.registry, "AcceptAssignment", acceptance(rid, 1, world.bob.address, deadline))
    res = world.bob.revoke_assignment_acceptance(rid, deadline)
    assert res.event("SignatureRevoked").args == {"signer": world.bob.address, "digest": "0x" + digest.hex()}
    assert world.ipl.registry.functions.isSignatureRevoked(world.bob.address, digest).call() is True
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, sig)
    assert_revert(exc_info, "RevokedSignature", signer=world.bob.address, digest="0x" + digest.hex())
    assert owner_of(world.ipl, rid) == world.alice.address
    world.bob.accept_assignment(rid)  # Bob can still accept himself, or sign again with another deadline


def test_revoked_consent_relayed_reverts_revoked_signature_with_signer_and_digest(world: World,
                                                                                  rights: Rights) -> None:
    rid = rights.ru
    pid = world.alice.record_pledge(rid, world.carol.address, AGREEMENT).pledge_id
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.carol.sign_assignment_consent(pid, deadline)
    digest = eip712.digest(world.ipl.interests, "ConsentToAssignment", world.carol.consent_message(pid, deadline))
    res = world.carol.revoke_assignment_consent(pid, deadline)
    assert res.event("SignatureRevoked").args == {"signer": world.carol.address, "digest": "0x" + digest.hex()}
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, sig)
    assert_revert(exc_info, "RevokedSignature", signer=world.carol.address, digest="0x" + digest.hex())
    assert not world.ipl.interests.functions.hasConsented(pid, 1).call()


def test_revocation_by_someone_else_does_not_revoke_the_signers_signature(world: World, rights: Rights) -> None:
    """Revocations are the signer's own: Mallory revoking Bob's digest changes nothing for Bob's signature."""
    rid = rights.ru
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rid, deadline)
    digest = eip712.digest(world.ipl.registry, "AcceptAssignment", acceptance(rid, 1, world.bob.address, deadline))
    world.as_(MALLORY).revoke_signature(digest)
    world.stranger.accept_assignment_by_sig(rid, deadline, sig)
    assert owner_of(world.ipl, rid) == world.bob.address


def test_revoke_signature_while_paused_succeeds(world: World, rights: Rights) -> None:
    """Revoking only takes power away, so the pause does not block it (the relay waits for the unpause)."""
    rid = rights.ru
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.bob.sign_assignment_acceptance(rid, deadline)
    world.guardian.pause()
    world.bob.revoke_assignment_acceptance(rid, deadline)
    world.vote(world.governor.council.unpause())
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, sig)
    assert_revert(exc_info, "RevokedSignature", signer=world.bob.address)


def test_sdk_digest_equals_independent_eip712_digest(world: World, rights: Rights) -> None:
    world.alice.request_assignment(rights.em, world.bob.address, DEED)
    deadline = world.now() + 3600
    message = world.bob.acceptance_message(rights.em, deadline)
    assert world.bob.typed_digest(world.ipl.registry, "AcceptAssignment", message) == eip712.digest(
        world.ipl.registry, "AcceptAssignment", acceptance(rights.em, 1, world.bob.address, deadline))


# ---------------------------------------------------------------- ERC-1271 wallets


def test_wallet_assignee_accepts_by_its_owner_key(world: World, rights: Rights, wallet: Any) -> None:
    rid = rights.ru
    world.alice.request_assignment(rid, wallet.address, DEED)
    deadline = world.now() + 3600
    sig = world.as_(EVE).sign_assignment_acceptance(rid, deadline)  # names the wallet; Eve's key signs
    assert eip712.recover(world.ipl.registry, "AcceptAssignment", acceptance(rid, 1, wallet.address, deadline),
                          sig) == world.as_(EVE).address
    res = world.stranger.accept_assignment_by_sig(rid, deadline, sig)
    assert res.event("AssignmentAccepted").args == {"rightId": rid, "assignee": wallet.address, "bySignature": True}
    assert owner_of(world.ipl, rid) == wallet.address


def test_wallet_assignee_signature_by_wrong_key_reverts_invalid_signature(world: World, rights: Rights,
                                                                          wallet: Any) -> None:
    rid = rights.ru
    world.alice.request_assignment(rid, wallet.address, DEED)
    deadline = world.now() + 3600
    forged = world.as_(MALLORY).sign_assignment_acceptance(rid, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, forged)
    assert_revert(exc_info, "InvalidSignature", expected=wallet.address, recovered=world.as_(MALLORY).address)
    assert owner_of(world.ipl, rid) == world.alice.address


def test_wallet_creditor_consents_by_its_owner_key(world: World, rights: Rights, wallet: Any) -> None:
    rid = rights.em
    pid = world.alice.record_pledge(rid, wallet.address, AGREEMENT).pledge_id
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    sig = world.as_(EVE).sign_assignment_consent(pid, deadline)
    res = world.stranger.consent_to_assignment_by_sig(pid, deadline, sig)
    assert res.event("AssignmentConsented").args["creditor"] == wallet.address
    world.bob.accept_assignment(rid)
    world.registrar.record_assignment(rid)
    assert owner_of(world.ipl, rid) == world.bob.address


def test_wallet_creditor_signature_by_wrong_key_reverts_invalid_signature(world: World, rights: Rights,
                                                                          wallet: Any) -> None:
    rid = rights.em
    pid = world.alice.record_pledge(rid, wallet.address, AGREEMENT).pledge_id
    world.alice.request_assignment(rid, world.bob.address, DEED)
    deadline = world.now() + 3600
    forged = world.as_(MALLORY).sign_assignment_consent(pid, deadline)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.consent_to_assignment_by_sig(pid, deadline, forged)
    assert_revert(exc_info, "InvalidSignature", expected=wallet.address, recovered=world.as_(MALLORY).address)


def test_wallet_creditor_consents_and_releases_by_its_own_calls(world: World, rights: Rights, wallet: Any) -> None:
    rid = rights.ru
    eve = world.as_(EVE)
    pid = world.alice.record_pledge(rid, wallet.address, AGREEMENT).pledge_id
    world.alice.request_assignment(rid, world.bob.address, DEED)
    res = as_wallet(eve, wallet, world.ipl.interests, "consentToAssignment", pid, 1)
    assert res.event("AssignmentConsented").args["creditor"] == wallet.address
    res = as_wallet(eve, wallet, world.ipl.interests, "releasePledge", pid)
    assert res.event("PledgeReleased").args["releasedBy"] == wallet.address
    with pytest.raises(ContractRevert) as exc_info:
        eve.release_pledge(pid)  # the owner's own key is not the creditor
    assert_revert(exc_info, "PledgeNotActive", pledgeId=pid)


def test_wallet_revokes_its_signature_by_its_own_call(world: World, rights: Rights, wallet: Any) -> None:
    rid = rights.ru
    eve = world.as_(EVE)
    world.alice.request_assignment(rid, wallet.address, DEED)
    deadline = world.now() + 3600
    sig = eve.sign_assignment_acceptance(rid, deadline)
    digest = eip712.digest(world.ipl.registry, "AcceptAssignment", acceptance(rid, 1, wallet.address, deadline))
    eve.revoke_signature(digest)  # the owner's key revoking for itself does not touch the wallet's signature
    as_wallet(eve, wallet, world.ipl.registry, "revokeSignature", digest)
    with pytest.raises(ContractRevert) as exc_info:
        world.stranger.accept_assignment_by_sig(rid, deadline, sig)
    assert_revert(exc_info, "RevokedSignature", signer=wallet.address, digest="0x" + digest.hex())


# ---------------------------------------------------------------- wiring


def test_registry_is_wired_to_its_security_interests(world: World) -> None:
    assert world.ipl.registry.functions.securityInterests().call() == world.ipl.interests.address
    assert world.ipl.interests.functions.registry().call() == world.ipl.registry.address


def test_set_security_interests_again_reverts_security_interests_set(world: World) -> None:
    other = deploy_proxied(world.governor, "SecurityInterests", authority(world), world.ipl.registry.address)
    with pytest.raises(ContractRevert) as exc_info:  # the deployer has no power left
        world.governor.transact(world.governor.registry.functions.setSecurityInterests(other.address), "rewire")
    assert_revert(exc_info, "AccessManagedUnauthorized", caller=world.governor.address)
    c = world.governor.council
    with pytest.raises(ContractRevert) as exc_info:  # and the council cannot rewire it either
        world.vote(c.call("IPRegistry", "setSecurityInterests", other.address))
    assert_revert(exc_info, "SecurityInterestsSet", current=world.ipl.interests.address)


@pytest.mark.parametrize("target", ["other-registry", "account"])
def test_set_security_interests_of_other_register_or_account_reverts_invalid_account(world: World,
                                                                                    target: str) -> None:
    fresh = deploy_proxied(world.governor, "IPRegistry", authority(world))
    address = world.ipl.interests.address if target == "other-registry" else world.dave.address
    c = world.governor.council
    with pytest.raises(ContractRevert) as exc_info:
        world.vote(c.call(fresh, "setSecurityInterests", address))
    assert_revert(exc_info, "InvalidAccount", account=address)


def test_set_security_interests_while_paused_reverts_enforced_pause(world: World) -> None:
    fresh = deploy_proxied(world.governor, "IPRegistry", authority(world))
    interests = deploy_proxied(world.governor, "SecurityInterests", authority(world), fresh.address)
    c = world.governor.council
    world.vote(c.call(fresh, "pause"))  # a register without function roles: its pause is the authority admin's
    with pytest.raises(ContractRevert) as exc_info:
        world.vote(c.call(fresh, "setSecurityInterests", interests.address))
    assert_revert(exc_info, "EnforcedPause")
    world.vote(c.call(fresh, "unpause"))
    res = world.vote(c.call(fresh, "setSecurityInterests", interests.address))
    assert fresh.functions.securityInterests().call() == interests.address
    assert res.gas_used > 0
