"""The registers behind their proxies: initialized once by the deployment, never again (the proxies and the
implementations alike); IPRegistryExtension runs only by delegatecall from the register; only SecurityInterests
keeps a right's pledge count."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import Contract
from support import custom_error, extension_of


@pytest.mark.parametrize("name", ["IPRegistry", "SecurityInterests", "PartyRegistry", "LicenseRegistry"])
def test_initialize_again_reverts_invalid_initialization(suite: Any, authority: Any, registry: Any, stranger: Any,
                                                         name: str) -> None:
    proxy = {"IPRegistry": suite.registry, "SecurityInterests": suite.interests, "PartyRegistry": suite.parties,
             "LicenseRegistry": suite.licenses}[name]
    implementation = Contract.from_abi(name, suite.implementations[name], proxy.abi, persist=False)
    args = (authority,) if name == "IPRegistry" else (authority, registry)
    for target in (proxy, implementation):
        with brownie.reverts(custom_error("InvalidInitialization")):
            target.initialize(*args, {"from": stranger})


def test_extension_called_directly_reverts_not_delegated(suite: Any, IPRegistryExtension: Any, stranger: Any,
                                                         eve: Any) -> None:
    extension = Contract.from_abi("IPRegistryExtension", extension_of(suite.implementations["IPRegistry"]),
                                  IPRegistryExtension.abi, persist=False)
    assert len(extension.address) == 42 and brownie.web3.eth.get_code(extension.address)
    with brownie.reverts(custom_error("NotDelegated")):
        extension.addOffice(b"FR", eve, False, {"from": stranger})
    with brownie.reverts(custom_error("NotDelegated")):
        extension.grantRegistrar(b"EM", stranger, {"from": stranger})


def test_set_pledge_count_by_anyone_but_security_interests_reverts(registry: Any, stranger: Any,
                                                                   registered_tm: Any) -> None:
    rid = registered_tm()
    with brownie.reverts(custom_error("NotSecurityInterests", stranger)):
        registry.setPledgeCount(rid, 1, {"from": stranger})
