"""IPRegistry under the office council: each office's admin grants and revokes its registrars; the guardian pauses;
the council votes to unpause, to admit or remove an office and to change an office's recordal rule; the deployer,
the other offices' admins and strangers are refused (AccessManagedUnauthorized, NotOfficeAdmin)."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from support import call, council_vote, custom_error, filing

from ipledger.domain import IPType, right_id


def test_deployment_seeds_the_dev_council_offices_with_their_admins(registry: Any, council: Any, em_admin: Any,
                                                                     ru_admin: Any, us_admin: Any,
                                                                     registrar: Any, ru_registrar: Any) -> None:
    assert tuple(registry.officeInfo(b"EM")) == (True, True, em_admin)
    assert tuple(registry.officeInfo(b"RU")) == (True, False, ru_admin)
    assert tuple(registry.officeInfo(b"US")) == (True, False, us_admin)
    assert [str(c) for c in registry.offices()] == ["0x454d", "0x5255", "0x5553"]
    assert [council.officeAdmin(code) for code in (b"EM", b"RU", b"US")] == [em_admin, ru_admin, us_admin]
    assert list(registry.registrarsOf(b"EM")) == [registrar]
    assert list(registry.registrarsOf(b"RU")) == [ru_registrar]


def test_grant_registrar_by_office_admin_makes_registrar_and_emits_event(registry: Any, em_admin: Any,
                                                                         carol: Any) -> None:
    tx = registry.grantRegistrar(b"EM", carol, {"from": em_admin})

    assert registry.isRegistrar(b"EM", carol) is True
    assert registry.isRegistrar(b"RU", carol) is False
    event = tx.events["RegistrarGranted"]
    assert (event["office"], event["account"], event["by"]) == ("0x454d", carol, em_admin)


@pytest.mark.parametrize("who", ["ru_admin", "deployer", "registrar", "stranger"])
def test_grant_registrar_by_anyone_but_the_office_admin_reverts_not_office_admin(registry: Any, carol: Any,
                                                                                 roles: dict[str, Any],
                                                                                 who: str) -> None:
    with brownie.reverts(custom_error("NotOfficeAdmin", b"EM", roles[who])):
        registry.grantRegistrar(b"EM", carol, {"from": roles[who]})
    assert registry.isRegistrar(b"EM", carol) is False


def test_grant_registrar_twice_reverts_registrar_exists(registry: Any, em_admin: Any, registrar: Any) -> None:
    with brownie.reverts(custom_error("RegistrarExists", b"EM", registrar)):
        registry.grantRegistrar(b"EM", registrar, {"from": em_admin})


def test_revoke_registrar_by_office_admin_removes_registrar(registry: Any, em_admin: Any, registrar: Any,
                                                            alice: Any) -> None:
    tx = registry.revokeRegistrar(b"EM", registrar, {"from": em_admin})

    assert registry.isRegistrar(b"EM", registrar) is False
    assert tx.events["RegistrarRevoked"]["account"] == registrar
    assert tx.events["RegistrarRevoked"]["by"] == em_admin
    with brownie.reverts(custom_error("NotRegistrar", b"EM", registrar)):
        registry.file(filing("EM", "1", alice), {"from": registrar})


@pytest.mark.parametrize("who", ["ru_admin", "registrar", "stranger"])
def test_revoke_registrar_by_anyone_but_the_office_admin_reverts_not_office_admin(registry: Any, registrar: Any,
                                                                                  roles: dict[str, Any],
                                                                                  who: str) -> None:
    with brownie.reverts(custom_error("NotOfficeAdmin", b"EM", roles[who])):
        registry.revokeRegistrar(b"EM", registrar, {"from": roles[who]})
    assert registry.isRegistrar(b"EM", registrar) is True


def test_set_base_uri_by_office_admin_emits_event_and_refuses_others(registry: Any, ru_admin: Any,
                                                                     stranger: Any) -> None:
    tx = registry.setBaseURI(b"RU", "https://ru.example/", {"from": ru_admin})

    assert registry.baseURIOf(b"RU") == "https://ru.example/"
    assert tx.events["BaseURISet"]["uri"] == "https://ru.example/"
    with brownie.reverts(custom_error("NotOfficeAdmin", b"RU", stranger)):
        registry.setBaseURI(b"RU", "https://evil.example/", {"from": stranger})


@pytest.mark.parametrize("who", ["em_admin", "deployer", "stranger"])
def test_add_office_directly_by_anyone_reverts_access_managed_unauthorized(registry: Any, eve: Any,
                                                                           roles: dict[str, Any], who: str) -> None:
    """Only the council (its COUNCIL_ROLE) admits an office: not an office admin, not the deployer."""
    with brownie.reverts(custom_error("AccessManagedUnauthorized", roles[who])):
        registry.addOffice(b"FR", eve, False, {"from": roles[who]})


@pytest.mark.parametrize("function,args", [("removeOffice", (b"US",)), ("setOfficeAdmin", (b"US", "eve")),
                                           ("setRecordalRequired", (b"RU", True)),
                                           ("setSecurityInterests", ("eve",))])
def test_council_functions_called_directly_by_an_office_admin_revert_access_managed_unauthorized(
        registry: Any, us_admin: Any, eve: Any, function: str, args: tuple[Any, ...]) -> None:
    values = [eve if a == "eve" else a for a in args]
    with brownie.reverts(custom_error("AccessManagedUnauthorized", us_admin)):
        getattr(registry, function)(*values, {"from": us_admin})


def test_council_vote_admits_office_whose_admin_grants_its_registrars(registry: Any, council: Any, eve: Any,
                                                                      dave: Any, alice: Any) -> None:
    tx = council_vote(council, call(council, "admitOffice", b"FR", eve, True))

    assert tuple(registry.officeInfo(b"FR")) == (True, True, eve)
    assert council.officeAdmin(b"FR") == eve
    assert tx.events["OfficeAdmitted"]["admin"] == eve
    added = tx.events["OfficeAdded"]
    assert (added["office"], added["admin"], added["recordalRequired"]) == ("0x4652", eve, True)
    registry.grantRegistrar(b"FR", dave, {"from": eve})
    registry.file(filing("FR", "FR-1", alice), {"from": dave})
    assert registry.holderStatusOffice(right_id("FR", IPType.TRADE_MARK, "FR-1"))[2] == "0x4652"


def test_admit_office_by_an_office_admin_reverts_governor_only_executor(council: Any, em_admin: Any,
                                                                        eve: Any) -> None:
    with brownie.reverts(custom_error("GovernorOnlyExecutor", em_admin)):
        council.admitOffice(b"FR", eve, False, {"from": em_admin})


def test_council_vote_with_an_invalid_office_code_fails_at_execution(council: Any, eve: Any) -> None:
    with brownie.reverts(custom_error("CouncilInvalidOffice", b"fr")):
        council_vote(council, call(council, "admitOffice", b"fr", eve, True))


def test_council_vote_removes_office_and_its_registrars(registry: Any, council: Any, us_admin: Any,
                                                        carol: Any) -> None:
    registry.grantRegistrar(b"US", carol, {"from": us_admin})

    tx = council_vote(council, call(council, "removeOffice", b"US"))

    assert tuple(registry.officeInfo(b"US"))[0] is False
    assert registry.isRegistrar(b"US", carol) is False
    assert tx.events["OfficeRemoved"][0]["office"] == "0x5553"
    with brownie.reverts(custom_error("NotOfficeAdmin", b"US", us_admin)):  # the office has no admin any more
        registry.grantRegistrar(b"US", carol, {"from": us_admin})


def test_council_vote_sets_recordal_requirement(registry: Any, council: Any, ru_admin: Any) -> None:
    tx = council_vote(council, call(registry, "setRecordalRequired", b"RU", True))

    assert tuple(registry.officeInfo(b"RU")) == (True, True, ru_admin)
    event = tx.events["RecordalRequirementSet"]
    assert (event["office"], event["recordalRequired"]) == ("0x5255", True)


def test_guardian_pauses_every_register_and_council_vote_unpauses(registry: Any, interests: Any, parties: Any,
                                                                  licenses: Any, council: Any, guardian: Any,
                                                                  registrar: Any, alice: Any) -> None:
    for register in (registry, interests, parties, licenses):
        assert register.pause({"from": guardian}).events["Paused"]["account"] == guardian
        assert register.paused() is True
    with brownie.reverts(custom_error("EnforcedPause")):
        registry.file(filing("EM", "1", alice), {"from": registrar})
    with brownie.reverts(custom_error("AccessManagedUnauthorized", guardian)):
        registry.unpause({"from": guardian})

    tx = council_vote(council, *(call(r, "unpause") for r in (registry, interests, parties, licenses)))

    assert len(tx.events["Unpaused"]) == 4
    assert not any(r.paused() for r in (registry, interests, parties, licenses))
    registry.file(filing("EM", "1", alice), {"from": registrar})


@pytest.mark.parametrize("register", ["registry", "interests", "parties", "licenses"])
def test_unpause_by_the_guardian_or_an_office_admin_reverts_access_managed_unauthorized(
        suite: Any, guardian: Any, em_admin: Any, register: str) -> None:
    contract = getattr(suite, register)
    contract.pause({"from": guardian})
    for caller in (guardian, em_admin):
        with brownie.reverts(custom_error("AccessManagedUnauthorized", caller)):
            contract.unpause({"from": caller})
    assert contract.paused() is True


@pytest.mark.parametrize("who", ["em_admin", "deployer", "stranger"])
def test_pause_by_anyone_but_the_guardian_reverts_access_managed_unauthorized(registry: Any, roles: dict[str, Any],
                                                                              who: str) -> None:
    with brownie.reverts(custom_error("AccessManagedUnauthorized", roles[who])):
        registry.pause({"from": roles[who]})
    assert registry.paused() is False


def test_office_admin_transfer_accepted_moves_the_office_to_the_new_admin(registry: Any, council: Any,
                                                                          ru_admin: Any, eve: Any,
                                                                          stranger: Any, carol: Any) -> None:
    started = council.transferOfficeAdmin(b"RU", eve, {"from": ru_admin})
    assert started.events["OfficeAdminTransferStarted"]["pendingAdmin"] == eve
    with brownie.reverts(custom_error("CouncilNotPendingAdmin", b"RU", stranger)):
        council.acceptOfficeAdmin(b"RU", {"from": stranger})

    tx = council.acceptOfficeAdmin(b"RU", {"from": eve})

    assert tx.events["OfficeAdminSet"]["newAdmin"] == eve
    assert tuple(registry.officeInfo(b"RU"))[2] == eve
    registry.grantRegistrar(b"RU", carol, {"from": eve})
    with brownie.reverts(custom_error("NotOfficeAdmin", b"RU", ru_admin)):
        registry.revokeRegistrar(b"RU", carol, {"from": ru_admin})


def test_office_admin_transfer_by_a_stranger_reverts_council_not_office_admin(council: Any, stranger: Any) -> None:
    with brownie.reverts(custom_error("CouncilNotOfficeAdmin", b"RU", stranger)):
        council.transferOfficeAdmin(b"RU", stranger, {"from": stranger})
