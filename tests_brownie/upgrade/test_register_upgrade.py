"""The deployed register upgraded the governed way: the council votes ``upgradeToAndCall`` on the registry's proxy
(the timelock, the authority's admin, executes it); the rights, offices and registrars stay at the same address,
and the new implementation's functions answer there. Nobody else may upgrade, the guardian included."""

from __future__ import annotations

from typing import Any

import brownie
from brownie import Contract
from support import call, council_vote, custom_error, filing

from ipledger.domain import IPType, Status, right_id


def test_council_vote_upgrades_the_registry_keeping_its_state(registry: Any, council: Any, IPRegistryNext: Any,
                                                              deployer: Any, registrar: Any, alice: Any,
                                                              em_admin: Any) -> None:
    registry.file(filing("EM", "018234567", alice), {"from": registrar})
    rid = right_id("EM", IPType.TRADE_MARK, "018234567")
    implementation = IPRegistryNext.deploy({"from": deployer})  # anyone may deploy an implementation

    tx = council_vote(council, call(registry, "upgradeToAndCall", implementation,
                                    implementation.initializeNext.encode_input(7)))

    assert tx.events["Upgraded"]["implementation"] == implementation
    # brownie decodes the proxy's events with the ABI it knows it by (IPRegistry's): the new NoteSet is read back
    # through the new ABI instead
    upgraded = Contract.from_abi("IPRegistryNext", registry.address, IPRegistryNext.abi, persist=False)
    assert (upgraded.version(), upgraded.note()) == (2, 7)
    assert registry.ownerOf(rid) == alice
    assert registry.holderAndStatus(rid)[1] == Status.FILED
    assert tuple(registry.officeInfo(b"EM")) == (True, True, em_admin)
    assert registry.isRegistrar(b"EM", registrar) is True
    registry.changeStatus(rid, Status.PUBLISHED, 0, b"\x00" * 32, {"from": registrar})
    assert registry.holderAndStatus(rid)[1] == Status.PUBLISHED


def test_upgrade_by_the_guardian_or_an_office_admin_reverts_access_managed_unauthorized(
        registry: Any, IPRegistryNext: Any, guardian: Any, em_admin: Any, deployer: Any) -> None:
    implementation = IPRegistryNext.deploy({"from": deployer})
    for caller in (guardian, em_admin, deployer):
        with brownie.reverts(custom_error("AccessManagedUnauthorized", caller)):
            registry.upgradeToAndCall(implementation, b"", {"from": caller})
