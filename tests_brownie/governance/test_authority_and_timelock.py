"""RegisterAuthority (OpenZeppelin AccessManager) and CouncilTimelock (TimelockController) after the deployment:
the timelock is the authority's only admin and the council its only proposer, so every admin function of either
is refused to anyone else — the attacker's tests below drive each one — and changes only by the council's vote.
The guardian may renounce its role; the council may name another guardian."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from eth_utils import keccak
from support import call, council_vote, custom_error

from ipledger.domain.governance import ADMIN_ROLE, COUNCIL_ROLE, GUARDIAN_ROLE

ZERO32 = b"\x00" * 32
PROPOSER_ROLE = keccak(text="PROPOSER_ROLE")
CANCELLER_ROLE = keccak(text="CANCELLER_ROLE")


def selector(contract: Any, function: str) -> bytes:
    """The 4-byte selector of ``contract.function`` (from brownie's ABI)."""
    return bytes.fromhex(getattr(contract, function).signature[2:])


# ---------------------------------------------------------------- the authority

def test_deployment_leaves_the_timelock_sole_admin_and_the_deployer_nothing(authority: Any, timelock: Any,
                                                                            council: Any, guardian: Any,
                                                                            deployer: Any, registry: Any) -> None:
    assert authority.hasRole(ADMIN_ROLE, timelock)[0] is True
    assert authority.hasRole(COUNCIL_ROLE, council)[0] is True
    assert authority.hasRole(GUARDIAN_ROLE, guardian)[0] is True
    for role in (ADMIN_ROLE, COUNCIL_ROLE, GUARDIAN_ROLE):
        assert authority.hasRole(role, deployer)[0] is False
    assert authority.getTargetFunctionRole(registry, selector(registry, "addOffice")) == COUNCIL_ROLE
    assert authority.getTargetFunctionRole(registry, selector(registry, "pause")) == GUARDIAN_ROLE


@pytest.mark.parametrize("function,args", [
    ("grantRole", (GUARDIAN_ROLE, "caller", 0)), ("revokeRole", (GUARDIAN_ROLE, "guardian")),
    ("labelRole", (GUARDIAN_ROLE, "the stranger's role")), ("setRoleAdmin", (GUARDIAN_ROLE, COUNCIL_ROLE)),
    ("setRoleGuardian", (GUARDIAN_ROLE, COUNCIL_ROLE)), ("setGrantDelay", (GUARDIAN_ROLE, 10)),
    ("setTargetFunctionRole", ("registry", ["addOffice"], GUARDIAN_ROLE)),
    ("setTargetAdminDelay", ("registry", 10)), ("setTargetClosed", ("registry", True)),
    ("updateAuthority", ("registry", "caller")),
])
@pytest.mark.parametrize("who", ["deployer", "stranger"])
def test_authority_admin_functions_by_anyone_else_revert_unauthorized_account(authority: Any, registry: Any,
                                                                              guardian: Any, roles: dict[str, Any],
                                                                              who: str, function: str,
                                                                              args: tuple[Any, ...]) -> None:
    caller = roles[who]
    named = {"caller": caller, "guardian": guardian, "registry": registry}
    values = [[selector(registry, f) for f in a] if isinstance(a, list) else named.get(a, a) if isinstance(a, str)
              and a in named else a for a in args]
    with brownie.reverts(custom_error("AccessManagerUnauthorizedAccount", caller, ADMIN_ROLE)):
        getattr(authority, function)(*values, {"from": caller})


def test_authority_multicall_by_a_stranger_reverts_with_the_inner_refusal(authority: Any, stranger: Any) -> None:
    grant = authority.grantRole.encode_input(ADMIN_ROLE, stranger, 0)
    with brownie.reverts(custom_error("AccessManagerUnauthorizedAccount", stranger, ADMIN_ROLE)):
        authority.multicall([grant], {"from": stranger})
    assert authority.hasRole(ADMIN_ROLE, stranger)[0] is False


@pytest.mark.parametrize("function", ["schedule", "execute"])
def test_authority_schedule_or_execute_of_a_restricted_call_by_a_stranger_reverts_unauthorized_call(
        authority: Any, registry: Any, stranger: Any, function: str) -> None:
    data = registry.unpause.encode_input()
    extra = (0,) if function == "schedule" else ()
    with brownie.reverts(custom_error("AccessManagerUnauthorizedCall", stranger, registry,
                                      selector(registry, "unpause"))):
        getattr(authority, function)(registry, data, *extra, {"from": stranger})


def test_authority_cancel_of_an_unscheduled_call_reverts_not_scheduled(authority: Any, registry: Any,
                                                                       stranger: Any) -> None:
    data = registry.unpause.encode_input()
    operation = bytes(authority.hashOperation(stranger, registry, data))
    with brownie.reverts(custom_error("AccessManagerNotScheduled", operation)):
        authority.cancel(stranger, registry, data, {"from": stranger})


def test_authority_consume_scheduled_op_by_an_account_reverts(authority: Any, registry: Any, stranger: Any) -> None:
    """Only a managed contract consumes its own scheduled calls; an account is not asked twice (no revert data:
    the authority's question to the caller, ``isConsumingScheduledOp``, has no code to answer it)."""
    with brownie.reverts():
        authority.consumeScheduledOp(stranger, registry.unpause.encode_input(), {"from": stranger})


def test_authority_renounce_for_someone_else_reverts_bad_confirmation(authority: Any, guardian: Any,
                                                                      stranger: Any) -> None:
    with brownie.reverts(custom_error("AccessManagerBadConfirmation")):
        authority.renounceRole(GUARDIAN_ROLE, guardian, {"from": stranger})
    assert authority.hasRole(GUARDIAN_ROLE, guardian)[0] is True


def test_guardian_renounces_its_role_and_can_no_longer_pause(authority: Any, registry: Any,
                                                             guardian: Any) -> None:
    tx = authority.renounceRole(GUARDIAN_ROLE, guardian, {"from": guardian})

    assert tx.events["RoleRevoked"]["account"] == guardian
    with brownie.reverts(custom_error("AccessManagedUnauthorized", guardian)):
        registry.pause({"from": guardian})


def test_council_vote_names_a_new_guardian_and_labels_the_role(authority: Any, council: Any, registry: Any,
                                                               eve: Any) -> None:
    tx = council_vote(council, call(authority, "grantRole", GUARDIAN_ROLE, eve, 0),
                      call(authority, "labelRole", GUARDIAN_ROLE, "guardian"))

    assert tx.events["RoleGranted"]["account"] == eve
    assert tx.events["RoleLabel"]["label"] == "guardian"
    assert registry.pause({"from": eve}).events["Paused"]["account"] == eve


def test_registers_refuse_a_new_authority_or_an_upgrade_from_anyone_but_the_council(
        registry: Any, interests: Any, parties: Any, licenses: Any, stranger: Any, em_admin: Any,
        suite: Any) -> None:
    for register in (registry, interests, parties, licenses):
        for caller in (stranger, em_admin):
            with brownie.reverts(custom_error("AccessManagedUnauthorized", caller)):
                register.setAuthority(caller, {"from": caller})
            with brownie.reverts(custom_error("AccessManagedUnauthorized", caller)):
                register.upgradeToAndCall(suite.implementations[register._name], b"", {"from": caller})


# ---------------------------------------------------------------- the timelock

@pytest.mark.parametrize("function,role", [("schedule", PROPOSER_ROLE), ("scheduleBatch", PROPOSER_ROLE),
                                           ("cancel", CANCELLER_ROLE)])
def test_timelock_schedule_or_cancel_by_anyone_but_the_council_reverts_unauthorized(timelock: Any, registry: Any,
                                                                                    em_admin: Any, function: str,
                                                                                    role: bytes) -> None:
    data = registry.unpause.encode_input()
    args: tuple[Any, ...] = {
        "schedule": (registry, 0, data, ZERO32, ZERO32, 0),
        "scheduleBatch": ([registry], [0], [data], ZERO32, ZERO32, 0),
        "cancel": (ZERO32,),
    }[function]
    with brownie.reverts(custom_error("AccessControlUnauthorizedAccount", em_admin, role)):
        getattr(timelock, function)(*args, {"from": em_admin})


@pytest.mark.parametrize("function", ["execute", "executeBatch"])
def test_timelock_execute_of_an_unscheduled_call_reverts_unexpected_operation_state(timelock: Any, registry: Any,
                                                                                    stranger: Any,
                                                                                    function: str) -> None:
    data = registry.unpause.encode_input()
    if function == "execute":
        args: tuple[Any, ...] = (registry, 0, data, ZERO32, ZERO32)
        operation = bytes(timelock.hashOperation(*args))
    else:
        args = ([registry], [0], [data], ZERO32, ZERO32)
        operation = bytes(timelock.hashOperationBatch(*args))
    ready = (1 << 2).to_bytes(32, "big")  # TimelockController.OperationState.Ready
    with brownie.reverts(custom_error("TimelockUnexpectedOperationState", operation, ready)):
        getattr(timelock, function)(*args, {"from": stranger})


@pytest.mark.parametrize("function", ["grantRole", "revokeRole"])
def test_timelock_role_changes_by_anyone_but_itself_revert_unauthorized(timelock: Any, council: Any,
                                                                        deployer: Any, function: str) -> None:
    """The deployer renounced the timelock's admin role during the deployment: the timelock administers itself."""
    with brownie.reverts(custom_error("AccessControlUnauthorizedAccount", deployer, ZERO32)):
        getattr(timelock, function)(PROPOSER_ROLE, deployer if function == "grantRole" else council,
                                    {"from": deployer})


def test_timelock_renounce_for_someone_else_reverts_bad_confirmation(timelock: Any, council: Any,
                                                                     stranger: Any) -> None:
    with brownie.reverts(custom_error("AccessControlBadConfirmation")):
        timelock.renounceRole(PROPOSER_ROLE, council, {"from": stranger})
    assert timelock.hasRole(PROPOSER_ROLE, council) is True


def test_timelock_update_delay_by_anyone_but_itself_reverts_unauthorized_caller(timelock: Any, em_admin: Any) -> None:
    with brownie.reverts(custom_error("TimelockUnauthorizedCaller", em_admin)):
        timelock.updateDelay(86400, {"from": em_admin})


def test_council_vote_sets_the_timelock_delay(timelock: Any, council: Any) -> None:
    tx = council_vote(council, call(timelock, "updateDelay", 3600))

    assert tx.events["MinDelayChange"]["newDuration"] == 3600
    assert timelock.getMinDelay() == 3600


@pytest.mark.parametrize("function,args,answer", [
    ("onERC721Received", ("stranger", "stranger", 1, b""), "0x150b7a02"),
    ("onERC1155Received", ("stranger", "stranger", 1, 1, b""), "0xf23a6e61"),
    ("onERC1155BatchReceived", ("stranger", "stranger", [1], [1], b""), "0xbc197c81"),
])
def test_timelock_accepts_token_deposits_from_anyone(timelock: Any, stranger: Any, function: str,
                                                     args: tuple[Any, ...], answer: str) -> None:
    """The timelock holds what the council controls: it answers the token receiver hooks (and changes nothing)."""
    values = [stranger if a == "stranger" else a for a in args]
    tx = getattr(timelock, function)(*values, {"from": stranger})
    assert tx.return_value == answer
