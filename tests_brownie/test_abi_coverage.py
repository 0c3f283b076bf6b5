"""Every state-changing function of the suite's ABIs is driven through brownie: the four registers, the
IPRegistryExtension (whose functions are reached through the register, by delegatecall), the OfficeCouncil, the
RegisterAuthority and the CouncilTimelock.

The list comes from the contracts' ABIs (every function that is neither ``view`` nor ``pure``, overloads
apart), so a function added to a contract without a brownie case fails this check. The calls are those the
suite's tests and fixtures sent, recorded from brownie's transaction history (reverted ones count: a function
that always reverts, like ``safeTransferFrom`` on locked titles, is still driven; an OpenZeppelin function that
only the council's vote may use is driven as the attacker's call, refused). Calls a proposal's execution makes
(the timelock calling the registry) are not top-level transactions and do not count. Runs last, and only when
the whole suite runs.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import CALLED, SELECTION

from ipledger.abi import selector, signature

# (contract whose ABI is checked, the contracts whose recorded calls count for it)
CHECKED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("IPRegistry", ("IPRegistry",)),
    ("IPRegistryExtension", ("IPRegistryExtension", "IPRegistry")),  # the register delegates these calls
    ("SecurityInterests", ("SecurityInterests",)),
    ("PartyRegistry", ("PartyRegistry",)),
    ("LicenseRegistry", ("LicenseRegistry",)),
    ("OfficeCouncil", ("OfficeCouncil",)),
    ("RegisterAuthority", ("RegisterAuthority",)),
    ("CouncilTimelock", ("CouncilTimelock",)),
)


def state_changing(container: Any) -> dict[str, str]:
    """``{0x-selector: signature}`` of the contract's functions that are neither view nor pure."""
    return {"0x" + selector(item).hex(): signature(item) for item in container.abi
            if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")}


def test_every_state_changing_function_is_called_through_brownie(request: pytest.FixtureRequest) -> None:
    if SELECTION["deselected"] or not SELECTION["every_file"]:
        pytest.skip("the coverage check needs the whole tests_brownie suite (no -k, -m or single files)")
    missing = []
    for name, callers in CHECKED:
        functions = state_changing(request.getfixturevalue(name))  # brownie's ContractContainer fixture
        assert functions, f"{name}: no state-changing function in the ABI"
        called = {sel for contract, sel in CALLED if contract in callers}
        missing += [f"{name}.{sig}" for sel, sig in functions.items() if sel not in called]
    assert not missing, f"no brownie test calls {sorted(missing)}: add a case to tests_brownie/"
