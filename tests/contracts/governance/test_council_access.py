"""Who may do what once deployment is over: the deployer nothing, the guardian only pause, strangers nothing,
an office's admin only its own office (attacker-first; the council rig, helpers.council)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import assert_revert
from helpers.council import (
    DEPLOYER,
    EVE,
    GOVERNOR,
    GUARDIAN,
    RU_ADMIN,
    STRANGER,
    US_ADMIN,
    Rig,
)

from ipledger.domain import governance as gov
from ipledger.errors import ContractRevert

EM, RU = b"EM", b"RU"
ZERO32 = b"\0" * 32


def privileged_calls(rig: Rig, who: str) -> list[tuple[str, Any, str]]:
    """(label, function, expected error) for every privileged function of every contract."""
    auth, tl, council, reg = (rig.contract(n) for n in ("RegisterAuthority", "CouncilTimelock", "OfficeCouncil",
                                                       "IPRegistry"))
    a, c, r = auth.functions, council.functions, reg.functions
    t = tl.functions
    add_office = reg.encode_abi("addOffice", [b"AU", who, False])
    proposer = t.PROPOSER_ROLE().call()
    canceller = t.CANCELLER_ROLE().call()
    admin = t.DEFAULT_ADMIN_ROLE().call()
    unauthorized_account = "AccessManagerUnauthorizedAccount"
    return [
        # the authority (AccessManager): every admin function
        ("authority.grantRole admin", a.grantRole(gov.ADMIN_ROLE, who, 0), unauthorized_account),
        ("authority.grantRole guardian", a.grantRole(gov.GUARDIAN_ROLE, who, 0), unauthorized_account),
        ("authority.grantRole council", a.grantRole(gov.COUNCIL_ROLE, who, 0), unauthorized_account),
        ("authority.revokeRole", a.revokeRole(gov.GUARDIAN_ROLE, rig.address(GUARDIAN)), unauthorized_account),
        ("authority.setTargetFunctionRole", a.setTargetFunctionRole(reg.address, [bytes(4)], gov.ADMIN_ROLE),
         unauthorized_account),
        ("authority.setRoleAdmin", a.setRoleAdmin(gov.GUARDIAN_ROLE, 5), unauthorized_account),
        ("authority.setRoleGuardian", a.setRoleGuardian(gov.GUARDIAN_ROLE, 5), unauthorized_account),
        ("authority.setGrantDelay", a.setGrantDelay(gov.GUARDIAN_ROLE, 0), unauthorized_account),
        ("authority.setTargetAdminDelay", a.setTargetAdminDelay(reg.address, 0), unauthorized_account),
        ("authority.setTargetClosed", a.setTargetClosed(reg.address, True), unauthorized_account),
        ("authority.updateAuthority", a.updateAuthority(reg.address, who), unauthorized_account),
        ("authority.labelRole", a.labelRole(gov.GUARDIAN_ROLE, "x"), unauthorized_account),
        ("authority.execute addOffice", a.execute(reg.address, add_office), "AccessManagerUnauthorizedCall"),
        ("authority.schedule addOffice", a.schedule(reg.address, add_office, 0), "AccessManagerUnauthorizedCall"),
        # the timelock: no proposer, canceller or admin but the council and the timelock itself
        ("timelock.schedule", t.schedule(reg.address, 0, add_office, ZERO32, ZERO32, 0),
         "AccessControlUnauthorizedAccount"),
        ("timelock.cancel", t.cancel(ZERO32), "AccessControlUnauthorizedAccount"),
        ("timelock.grantRole proposer", t.grantRole(proposer, who), "AccessControlUnauthorizedAccount"),
        ("timelock.grantRole canceller", t.grantRole(canceller, who), "AccessControlUnauthorizedAccount"),
        ("timelock.grantRole admin", t.grantRole(admin, who), "AccessControlUnauthorizedAccount"),
        ("timelock.updateDelay", t.updateDelay(0), "TimelockUnauthorizedCaller"),
        # the council's onlyGovernance functions
        ("council.admitOffice", c.admitOffice(b"AU", who, False), "GovernorOnlyExecutor"),
        ("council.removeOffice", c.removeOffice(RU), "GovernorOnlyExecutor"),
        ("council.replaceOfficeAdmin", c.replaceOfficeAdmin(RU, who), "GovernorOnlyExecutor"),
        ("council.setThreshold", c.setThreshold(1, 1), "GovernorOnlyExecutor"),
        ("council.setVotingDelay", c.setVotingDelay(0), "GovernorOnlyExecutor"),
        ("council.setVotingPeriod", c.setVotingPeriod(1), "GovernorOnlyExecutor"),
        ("council.updateTimelock", c.updateTimelock(who), "GovernorOnlyExecutor"),
        ("council.relay", c.relay(reg.address, 0, add_office), "GovernorOnlyExecutor"),
        ("council.setProposalThreshold", c.setProposalThreshold(0), "CouncilProposalThresholdFixed"),
        ("council.propose", c.propose([reg.address], [0], [add_office], "take over"),
         "GovernorInsufficientProposerVotes"),
        # the registry's restricted functions, upgrade and unpause (pause: the guardian's)
        ("registry.addOffice", r.addOffice(b"AU", who, False), "AccessManagedUnauthorized"),
        ("registry.removeOffice", r.removeOffice(RU), "AccessManagedUnauthorized"),
        ("registry.setOfficeAdmin", r.setOfficeAdmin(RU, who), "AccessManagedUnauthorized"),
        ("registry.setRecordalRequired", r.setRecordalRequired(RU, True), "AccessManagedUnauthorized"),
        ("registry.setSecurityInterests", r.setSecurityInterests(who), "AccessManagedUnauthorized"),
        ("registry.upgradeToAndCall", r.upgradeToAndCall(who, b""), "AccessManagedUnauthorized"),
        ("registry.unpause", r.unpause(), "AccessManagedUnauthorized"),
        ("registry.grantRegistrar", r.grantRegistrar(RU, who), "NotOfficeAdmin"),
    ]


def _refused(rig: Rig, account: int, fn: Any, expected: str) -> None:
    with pytest.raises(ContractRevert) as exc:
        rig.as_(account).call(fn, "privileged call")
    assert type(exc.value).__name__ == expected, f"{expected} expected, got {type(exc.value).__name__}"


def test_deployer_after_handover_is_refused_by_every_privileged_function(rig: Rig) -> None:
    who = rig.address(DEPLOYER)
    calls = privileged_calls(rig, who)
    for _, fn, expected in calls:
        _refused(rig, DEPLOYER, fn, expected)
    _refused(rig, DEPLOYER, rig.contract("IPRegistry").functions.pause(), "AccessManagedUnauthorized")
    assert len(calls) >= 35


def test_deployer_holds_no_role_on_chain(rig: Rig) -> None:
    who = rig.address(DEPLOYER)
    auth, tl = rig.contract("RegisterAuthority").functions, rig.contract("CouncilTimelock").functions
    for role in (gov.ADMIN_ROLE, gov.GUARDIAN_ROLE, gov.COUNCIL_ROLE):
        assert auth.hasRole(role, who).call()[0] is False
    for role in ("DEFAULT_ADMIN_ROLE", "PROPOSER_ROLE", "CANCELLER_ROLE"):
        assert tl.hasRole(getattr(tl, role)().call(), who).call() is False
    assert auth.hasRole(gov.ADMIN_ROLE, rig.contract("CouncilTimelock").address).call()[0] is True
    assert auth.hasRole(gov.COUNCIL_ROLE, rig.contract("OfficeCouncil").address).call()[0] is True
    council = rig.contract("OfficeCouncil").address
    assert tl.hasRole(tl.PROPOSER_ROLE().call(), council).call() is True
    assert tl.hasRole(tl.CANCELLER_ROLE().call(), council).call() is True
    assert tl.hasRole(tl.DEFAULT_ADMIN_ROLE().call(), rig.contract("CouncilTimelock").address).call() is True


def test_stranger_is_refused_by_every_privileged_function(rig: Rig) -> None:
    for _, fn, expected in privileged_calls(rig, rig.address(STRANGER)):
        _refused(rig, STRANGER, fn, expected)


def test_guardian_pauses_and_nothing_else(rig: Rig) -> None:
    guardian = rig.as_(GUARDIAN)
    for label, fn, expected in privileged_calls(rig, rig.address(GUARDIAN)):
        _refused(rig, GUARDIAN, fn, expected)
    res = guardian.pause()
    assert res.event("Paused").args == {"account": rig.address(GUARDIAN)}
    assert rig.contract("IPRegistry").functions.paused().call() is True
    for label, fn, expected in privileged_calls(rig, rig.address(GUARDIAN)):  # paused: still refused
        _refused(rig, GUARDIAN, fn, "EnforcedPause" if expected == "NotOfficeAdmin" else expected)
    # unpausing is the council's: a vote and the timelock
    rig.as_(GOVERNOR).council.pass_(rig.as_(GOVERNOR).council.unpause())
    assert rig.contract("IPRegistry").functions.paused().call() is False


def test_office_admin_is_refused_by_the_councils_functions(rig: Rig) -> None:
    for _, fn, expected in privileged_calls(rig, rig.address(RU_ADMIN)):
        if expected == "GovernorInsufficientProposerVotes":
            continue  # an office admin may propose
        if expected == "NotOfficeAdmin":
            rig.as_(RU_ADMIN).call(fn, "own office")  # RU's admin names RU's registrars
            continue
        _refused(rig, RU_ADMIN, fn, expected)


def test_stranger_cannot_propose(rig: Rig) -> None:
    c = rig.as_(STRANGER).council
    with pytest.raises(ContractRevert) as exc:
        c.propose([c.admit_office("AU", rig.address(STRANGER))], "let me in")
    assert_revert(exc, "GovernorInsufficientProposerVotes", proposer=rig.address(STRANGER), votes=0, threshold=1)


def test_office_admin_cannot_act_in_another_offices_number_space(rig: Rig) -> None:
    ru = rig.as_(RU_ADMIN)
    with pytest.raises(ContractRevert) as exc:
        ru.transact(rig.contract("IPRegistry").functions.grantRegistrar(EM, rig.address(EVE)), "grant EM")
    assert_revert(exc, "NotOfficeAdmin", office="EM", caller=rig.address(RU_ADMIN))
    with pytest.raises(ContractRevert) as exc:
        ru.transact(rig.contract("OfficeCouncil").functions.transferOfficeAdmin(EM, rig.address(EVE)), "take EM")
    assert_revert(exc, "CouncilNotOfficeAdmin", office="EM", caller=rig.address(RU_ADMIN))
    res = ru.transact(rig.contract("IPRegistry").functions.grantRegistrar(RU, rig.address(EVE)), "grant RU")
    assert res.event("RegistrarGranted").args["by"] == rig.address(RU_ADMIN)


def test_deployment_record_names_the_council_and_says_who_renounced(rig: Rig) -> None:
    dep = rig.ipl.deployment
    assert {"RegisterAuthority", "CouncilTimelock", "OfficeCouncil"} <= set(dep.contracts)
    for name in ("IPRegistry", "SecurityInterests", "PartyRegistry"):  # every register behind a RegisterProxy
        assert dep.contracts[name].implementation is not None
    assert dep.deployer_renounced is True
    c = rig.ipl.council
    assert {o["office"]: o["admin"] for o in c.offices()} == {
        "EM": rig.address(GOVERNOR), "RU": rig.address(RU_ADMIN), "US": rig.address(US_ADMIN)}
    reg = rig.contract("IPRegistry").functions
    assert reg.officeInfo(EM).call() == [True, True, rig.address(GOVERNOR)]
    assert reg.officeInfo(RU).call() == [True, False, rig.address(RU_ADMIN)]
    assert c.settings() == {"threshold": "2/3", "voting_delay": 0, "voting_period": 20, "timelock_delay": 0,
                            "offices": 3}
