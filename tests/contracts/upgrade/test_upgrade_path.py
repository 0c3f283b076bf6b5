"""The upgrade path of sdk/upgrades on the embedded chain, on the UpgradeProbe register behind a RegisterProxy.

Deploy the next implementation, check it against the running one, refuse an incompatible one, refuse an
upgrade by anyone but the authority's admin (the deployer, an office admin, the guardian, a stranger), run it
through a passed vote of the council (its timelock holds the admin role), and record it. The state survives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from eth_abi import decode
from eth_utils import keccak

from helpers import STRANGER, World, assert_revert
from ipledger.deploy import DeployedContract
from ipledger.domain.governance import ProposalState
from ipledger.errors import ContractRevert, UsageError
from ipledger.sdk import IPLedger, upgrades
from ipledger.sdk.council import Call


def _deploy(ipl: IPLedger, name: str, *args: Any) -> Any:
    art = ipl.artifacts[name]
    receipt = ipl.sender.send(ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor(*args),
                              label=f"deploy {name}")
    return receipt["contractAddress"]


@pytest.fixture(scope="module")
def probe_world(module_world: World) -> World:
    """The world with an UpgradeProbe behind a RegisterProxy (authority: the deployment's), counted to 3."""
    ipl = module_world.ipl
    authority = ipl.deployment.contracts["RegisterAuthority"].address
    impl = _deploy(ipl, "UpgradeProbe")
    init = ipl.w3.eth.contract(abi=ipl.artifacts["UpgradeProbe"].abi).encode_abi("initialize", [authority])
    proxy = _deploy(ipl, "RegisterProxy", impl, init)
    entry = DeployedContract(address=proxy, tx_hash="0x" + "00" * 32, block=0, creation_code_hash="0x" + "00" * 32,
                             runtime_code_hash="0x" + "00" * 32, implementation=impl,
                             implementation_code_hash="0x" + "00" * 32)
    ipl.deployment = dataclasses.replace(ipl.deployment, contracts={**ipl.deployment.contracts, "UpgradeProbe": entry})
    probe = _probe(ipl)
    ipl.contracts["UpgradeProbe"] = probe  # ipl.council builds its actions from the client's contracts
    for _ in range(3):
        ipl.transact(probe.functions.bump(), "bump")
    return module_world


@pytest.fixture
def pw(probe_world: World) -> Iterator[World]:
    snap = probe_world.tester.take_snapshot()
    deployment = probe_world.ipl.deployment
    try:
        yield probe_world
    finally:
        probe_world.tester.revert_to_snapshot(snap)
        probe_world.ipl.reset_nonces()
        probe_world.ipl.deployment = deployment


def _probe(ipl: IPLedger, artifact: str = "UpgradeProbe") -> Any:
    return ipl.w3.eth.contract(address=ipl.deployment.contracts["UpgradeProbe"].address,
                               abi=ipl.artifacts[artifact].abi)


def test_prepare_deploys_checks_and_encodes_upgrade_to_and_call(pw: World) -> None:
    ipl = pw.ipl
    before = upgrades.current_implementation(ipl, "UpgradeProbe")
    assert before == ipl.deployment.contracts["UpgradeProbe"].implementation
    plan = upgrades.prepare(ipl, "UpgradeProbe", artifact="UpgradeProbeNext")
    assert plan.report.ok and plan.current == before and plan.implementation != before
    assert upgrades.code_matches(ipl, plan.implementation, "UpgradeProbeNext")
    ((target, value, data),) = plan.calls()
    assert (target, value) == (plan.proxy, 0)
    assert data == bytes.fromhex(_probe(ipl).encode_abi("upgradeToAndCall", [plan.implementation, b""])[2:])
    assert decode(["address", "bytes"], data[4:]) == (plan.implementation.lower(), b"")
    assert "UpgradeProbe" in plan.description and plan.implementation in plan.description


def test_incompatible_next_version_is_refused_before_anything_is_deployed(pw: World) -> None:
    ipl = pw.ipl
    nonce = ipl.w3.eth.get_transaction_count(ipl.address)
    with pytest.raises(upgrades.UpgradeRefused) as exc:
        upgrades.prepare(ipl, "UpgradeProbe", artifact="UpgradeProbeBrokenHead")
    assert exc.value.details == ("UpgradeProbeBrokenHead: contracts/mocks/UpgradeProbeBrokenHead.sol:12: "
                                 "Inserted `inserted`",)
    assert ipl.w3.eth.get_transaction_count(ipl.address) == nonce


def test_upgrade_by_a_stranger_reverts(pw: World) -> None:
    plan = upgrades.prepare(pw.ipl, "UpgradeProbe", artifact="UpgradeProbeNext")
    stranger = pw.stranger
    with pytest.raises(ContractRevert) as exc:
        stranger.transact(_probe(pw.ipl).functions.upgradeToAndCall(plan.implementation, b""), "upgrade")
    assert_revert(exc, "AccessManagedUnauthorized", caller=stranger.address)
    assert upgrades.current_implementation(pw.ipl, "UpgradeProbe") == plan.current
    assert pw.ipl.chain.accounts[STRANGER].address == stranger.address


def test_upgrade_by_the_admin_keeps_state_and_adds_the_field_then_record(pw: World) -> None:
    ipl = pw.ipl
    plan = upgrades.prepare(ipl, "UpgradeProbe", artifact="UpgradeProbeNext")
    with pytest.raises(UsageError, match="execute the proposal first"):
        upgrades.record(ipl, "UpgradeProbe", "UpgradeProbeNext")
    # The deployer is no longer the authority's admin (it renounced to the timelock): neither it (also EM's
    # office admin), another office's admin nor the guardian may upgrade directly.
    for who in (ipl, pw.ru_admin, pw.us_admin, pw.guardian):
        with pytest.raises(ContractRevert) as exc:
            who.transact(_probe(ipl).functions.upgradeToAndCall(plan.implementation, plan.data), "upgrade")
        assert_revert(exc, "AccessManagedUnauthorized", caller=who.address)
        assert upgrades.current_implementation(ipl, "UpgradeProbe") == plan.current
    # A passed vote of the council, executed by its timelock, upgrades.
    ((target, _, data),) = plan.calls()
    ipl.council.pass_(Call(target, data, f"upgrade UpgradeProbe to {plan.implementation}"), plan.description)
    assert upgrades.current_implementation(ipl, "UpgradeProbe") == plan.implementation
    nxt = _probe(ipl, "UpgradeProbeNext")
    assert nxt.functions.count().call() == 3 and nxt.functions.version().call() == 2
    ipl.transact(nxt.functions.setNote(42), "note")
    ipl.transact(nxt.functions.bump(), "bump")
    assert (nxt.functions.note().call(), nxt.functions.count().call()) == (42, 4)
    dep = upgrades.record(ipl, "UpgradeProbe", "UpgradeProbeNext")
    assert dep.contracts["UpgradeProbe"].implementation == plan.implementation
    assert ipl.deployment is dep
    with pytest.raises(UsageError, match="nothing to upgrade"):
        upgrades.prepare(ipl, "UpgradeProbe", artifact="UpgradeProbeNext", implementation=plan.implementation)


def test_given_implementation_must_hold_the_checked_code(pw: World) -> None:
    other = _deploy(pw.ipl, "UpgradeProbeBrokenSelfdestruct")
    with pytest.raises(UsageError, match="does not hold the code of UpgradeProbeNext"):
        upgrades.prepare(pw.ipl, "UpgradeProbe", artifact="UpgradeProbeNext", implementation=other)


def test_not_behind_a_proxy_and_not_uups_are_usage_errors(pw: World) -> None:
    with pytest.raises(UsageError, match="not behind a proxy"):
        upgrades.current_implementation(pw.ipl, "NoSuchRegister")
    with pytest.raises(UsageError, match="not a UUPS implementation"):
        upgrades.deploy_implementation(pw.ipl, "RegisterAuthority")


def test_propose_needs_the_council(pw: World) -> None:
    """``propose`` puts the upgrade to the council, and nothing short of a passed vote runs it: executing or queuing
    it before the vote, with one for-vote of the three (2 needed), after a defeat, or scheduling it in the timelock
    directly all revert, and the proxy keeps its implementation."""
    ipl = pw.ipl
    plan = upgrades.prepare(ipl, "UpgradeProbe", artifact="UpgradeProbeNext")
    c = ipl.council
    proposal = upgrades.propose(ipl, plan)
    pid = proposal.proposal_id
    p = c.show(pid)
    assert p.targets == (plan.proxy,) and p.calldatas == (plan.data_for_proxy,)
    assert p.description == plan.description and p.offices == 3 and p.needed == 2
    args = ([plan.proxy], [0], [plan.data_for_proxy], keccak(text=plan.description))

    def refused(fn: Any, error: str, what: str, by: IPLedger = ipl) -> None:
        with pytest.raises(ContractRevert) as exc:
            by.transact(fn, what)
        assert type(exc.value).__name__ == error, f"{what}: {exc.value}"
        assert upgrades.current_implementation(ipl, "UpgradeProbe") == plan.current

    refused(c.contract.functions.execute(*args), "GovernorUnexpectedProposalState", "execute before the vote")
    c.vote(pid, "for")  # EM (the deployer's account is EM's admin): one of the two for-votes it needs
    assert c.state(pid) == ProposalState.ACTIVE
    refused(c.contract.functions.queue(*args), "GovernorUnexpectedProposalState", "queue with one for-vote")
    refused(c.contract.functions.execute(*args), "GovernorUnexpectedProposalState", "execute with one for-vote")
    with pytest.raises(UsageError, match="only a passed proposal executes"):
        c.execute(pid)
    pw.ru_admin.council.vote(pid, "against")
    pw.us_admin.council.vote(pid, "against")
    pw.tester.mine_blocks(25)  # past the 20-block voting period
    assert c.state(pid) == ProposalState.DEFEATED
    refused(c.contract.functions.queue(*args), "GovernorUnexpectedProposalState", "queue a defeated upgrade")
    refused(c.contract.functions.execute(*args), "GovernorUnexpectedProposalState", "execute a defeated upgrade")
    # The timelock takes proposals from the council alone; the authority's admin role is the timelock's.
    zero = b"\0" * 32
    for who in (ipl, pw.stranger):
        refused(c.timelock.functions.schedule(plan.proxy, 0, plan.data_for_proxy, zero, zero, 0),
                "AccessControlUnauthorizedAccount", "schedule the upgrade in the timelock directly", by=who)
    refused(c.timelock.functions.execute(plan.proxy, 0, plan.data_for_proxy, zero, zero),
            "TimelockUnexpectedOperationState", "execute an upgrade the timelock never scheduled")
    assert _probe(ipl).functions.count().call() == 3
