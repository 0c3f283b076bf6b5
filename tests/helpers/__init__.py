"""Helpers of the pytest suite, one module per concern; ``from helpers import ...`` gets the common names.

  * world.py     — ``World``, ``make_world`` and the role indexes (GOVERNOR, REGISTRAR, ALICE, ...);
  * eip712.py    — the one EIP-712 signing helper (domain from the contract, independent of the SDK);
  * reverts.py   — ``assert_revert`` (SDK errors) and ``error_of`` (raw revert data of direct calls);
  * licensing.py — ``LicenseDriver``: the LicenseRegistry driven by direct web3 calls on the world;
  * processes.py — the CLI and node processes (``run_cli``, ``node_pids``, ``processes_with_env``, ``port_of``).

tests/conftest.py holds the pytest fixtures (one compile per session, one world per module, a snapshot per test).
"""

from __future__ import annotations

from . import eip712
from .licensing import LicenseDriver, license_driver
from .processes import IPLEDGER, ROOT, node_pids, port_of, processes_with_env, run_cli
from .reverts import assert_revert, error_of
from .world import (ALICE, BOB, CAROL, DAVE, EVE, GOVERNOR, GUARDIAN, MALLORY, REGISTRAR, RU_ADMIN, RU_REGISTRAR,
                    STRANGER, US_ADMIN, World, make_world)

__all__ = [
    "ALICE", "BOB", "CAROL", "DAVE", "EVE", "GOVERNOR", "GUARDIAN", "IPLEDGER", "MALLORY", "REGISTRAR", "ROOT",
    "RU_ADMIN", "RU_REGISTRAR", "STRANGER", "US_ADMIN", "LicenseDriver", "World", "assert_revert", "eip712", "error_of", "license_driver", "make_world",
    "node_pids", "port_of", "processes_with_env", "run_cli",
]
