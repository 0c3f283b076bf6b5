"""IPRegistry: the governor's settings and the roles of AccessControl (grant, revoke, renounce)."""

from __future__ import annotations

from typing import Any

import brownie
from eth_utils import keccak
from support import custom_error

GOVERNOR_ROLE = keccak(text="GOVERNOR_ROLE")


def test_set_recordal_required_by_governor_changes_office_and_emits_event(registry: Any, governor: Any) -> None:
    tx = registry.setRecordalRequired(b"RU", True, {"from": governor})

    assert tuple(registry.officeInfo(b"RU")) == (True, True)
    event = tx.events["RecordalRequirementSet"]
    assert event["office"] == "0x5255"
    assert event["recordalRequired"] is True


def test_set_recordal_required_by_stranger_reverts_access_control(registry: Any, stranger: Any) -> None:
    with brownie.reverts(custom_error("AccessControlUnauthorizedAccount", stranger, GOVERNOR_ROLE)):
        registry.setRecordalRequired(b"RU", True, {"from": stranger})


def test_grant_role_registrar_by_governor_makes_account_registrar(registry: Any, governor: Any,
                                                                  carol: Any) -> None:
    role = registry.registrarRole(b"EM")

    tx = registry.grantRole(role, carol, {"from": governor})

    assert registry.isRegistrar(b"EM", carol) is True
    assert tx.events["RoleGranted"]["account"] == carol
    assert tx.events["RoleGranted"]["sender"] == governor


def test_grant_role_by_stranger_reverts_access_control(registry: Any, stranger: Any, carol: Any) -> None:
    with brownie.reverts(custom_error("AccessControlUnauthorizedAccount", stranger, GOVERNOR_ROLE)):
        registry.grantRole(registry.registrarRole(b"EM"), carol, {"from": stranger})


def test_revoke_role_by_governor_removes_registrar(registry: Any, governor: Any, registrar: Any) -> None:
    tx = registry.revokeRole(registry.registrarRole(b"EM"), registrar, {"from": governor})

    assert registry.isRegistrar(b"EM", registrar) is False
    assert tx.events["RoleRevoked"]["account"] == registrar


def test_renounce_role_by_registrar_gives_up_registrar_role(registry: Any, registrar: Any,
                                                           file_tm: Any) -> None:
    rid = file_tm()

    registry.renounceRole(registry.registrarRole(b"EM"), registrar, {"from": registrar})

    assert registry.isRegistrar(b"EM", registrar) is False
    with brownie.reverts(custom_error("NotRegistrar", b"EM", registrar)):
        registry.rejectAssignment(rid, {"from": registrar})
