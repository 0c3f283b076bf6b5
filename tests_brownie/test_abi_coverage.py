"""Every state-changing function of IPRegistry, SecurityInterests, PartyRegistry and LicenseRegistry is driven
through brownie.

The list comes from the contracts' ABIs (every function that is neither ``view`` nor ``pure``, overloads
apart), so a function added to a contract without a brownie case fails this check. The calls are those the
suite's tests and fixtures sent, recorded from brownie's transaction history (reverted ones count: a function
that always reverts, like ``safeTransferFrom`` on locked titles, is still driven). Runs last, and only when
the whole suite runs.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import CALLED, SELECTION

from ipledger.abi import selector, signature


def state_changing(container: Any) -> dict[str, str]:
    """``{0x-selector: signature}`` of the contract's functions that are neither view nor pure."""
    return {"0x" + selector(item).hex(): signature(item) for item in container.abi
            if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")}


def test_every_state_changing_function_is_called_through_brownie(IPRegistry: Any, SecurityInterests: Any,
                                                                 PartyRegistry: Any, LicenseRegistry: Any) -> None:
    if SELECTION["deselected"] or not SELECTION["every_file"]:
        pytest.skip("the coverage check needs the whole tests_brownie suite (no -k, -m or single files)")
    missing = []
    for name, container in (("IPRegistry", IPRegistry), ("SecurityInterests", SecurityInterests),
                            ("PartyRegistry", PartyRegistry), ("LicenseRegistry", LicenseRegistry)):
        functions = state_changing(container)
        assert functions, f"{name}: no state-changing function in the ABI"
        called = {sel for contract, sel in CALLED if contract == name}
        missing += [f"{name}.{sig}" for sel, sig in functions.items() if sel not in called]
    assert not missing, f"no brownie test calls {sorted(missing)}: add a case to tests_brownie/"
