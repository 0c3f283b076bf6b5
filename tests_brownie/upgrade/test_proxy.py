"""brownie and a register behind its proxy: the proxy's address with the implementation's ABI.

UpgradeProbe (contracts/mocks/, a Governed register) behind a RegisterProxy, its authority a RegisterAuthority of
this module's own whose admin is the deployer account (not the suite's council): brownie calls the implementation's
functions at the proxy's address, a stranger's upgrade reverts with the authority's error, the admin's upgrade to
UpgradeProbeNext keeps the state and adds the new functions at the same address.
"""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import Contract
from support import custom_error


@pytest.fixture(scope="module")
def authority(module_isolation: None, RegisterAuthority: Any, deployer: Any) -> Any:
    return RegisterAuthority.deploy(deployer, {"from": deployer})


@pytest.fixture(scope="module")
def probe(authority: Any, UpgradeProbe: Any, RegisterProxy: Any, deployer: Any, alice: Any) -> Any:
    """The proxy, seen with UpgradeProbe's ABI, counted to 2 by Alice."""
    implementation = UpgradeProbe.deploy({"from": deployer})
    proxy = RegisterProxy.deploy(implementation, implementation.initialize.encode_input(authority),
                                 {"from": deployer})
    register = Contract.from_abi("UpgradeProbe", proxy.address, UpgradeProbe.abi)
    register.bump({"from": alice})
    register.bump({"from": alice})
    return register


def test_proxy_answers_with_the_implementation_abi(probe: Any, authority: Any) -> None:
    assert probe.count() == 2
    assert probe.authority() == authority
    assert probe.paused() is False


def test_implementation_cannot_be_initialized(probe: Any, UpgradeProbe: Any, authority: Any, stranger: Any) -> None:
    implementation = UpgradeProbe[-1]
    with brownie.reverts(custom_error("InvalidInitialization")):
        implementation.initialize(authority, {"from": stranger})


def test_upgrade_by_a_stranger_reverts(probe: Any, UpgradeProbeNext: Any, deployer: Any, stranger: Any) -> None:
    nxt = UpgradeProbeNext.deploy({"from": deployer})
    with brownie.reverts(custom_error("AccessManagedUnauthorized", stranger)):
        probe.upgradeToAndCall(nxt, b"", {"from": stranger})


def test_upgrade_by_the_admin_keeps_state_at_the_same_address(probe: Any, UpgradeProbeNext: Any, deployer: Any,
                                                              bob: Any) -> None:
    nxt = UpgradeProbeNext.deploy({"from": deployer})
    tx = probe.upgradeToAndCall(nxt, b"", {"from": deployer})
    assert tx.events["Upgraded"]["implementation"] == nxt
    upgraded = Contract.from_abi("UpgradeProbeNext", probe.address, UpgradeProbeNext.abi)
    assert upgraded.count() == 2 and upgraded.version() == 2
    upgraded.setNote(42, {"from": bob})
    upgraded.bump({"from": bob})
    assert (upgraded.note(), upgraded.count()) == (42, 3)
