"""The pytest fixtures: one compile per session, one embedded world per module, a snapshot per test.

Helpers live in tests/helpers/ (``from helpers import ...``). The names other test files import from here
(``World``, ``make_world``, the role indexes, ``assert_revert``) are re-exported from there. This is the only
conftest.py of the suite: a second one would take the module name ``conftest`` from this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    EVE,
    GOVERNOR,
    MALLORY,
    REGISTRAR,
    RU_REGISTRAR,
    STRANGER,
    LicenseDriver,
    World,
    assert_revert,
    license_driver,
    make_world,
)
from helpers.council import Rig, make_rig

from ipledger.build.compiler import CompileResult, compile_project
from ipledger.config import Config, load_config
from ipledger.sdk import IPLedger



def pytest_configure(config: pytest.Config) -> None:
    """The same environment in every process of a run (pytest-xdist workers included): tables as wide as in
    ``run_cli`` (rich reads ``$COLUMNS`` when stdout is no terminal), and the indexes the CLI would look for under
    ``.ipledger/index/`` in a folder of the run's own, so neither a developer's indexes nor another test's are
    ever read (a test that wants one sets ``IPLEDGER_INDEX_DIR`` itself)."""
    import os
    import tempfile

    os.environ["COLUMNS"] = "160"
    if "IPLEDGER_INDEX_DIR" not in os.environ:
        os.environ["IPLEDGER_INDEX_DIR"] = tempfile.mkdtemp(prefix="ipledger-test-index-")


__all__ = ["ALICE", "BOB", "CAROL", "DAVE", "EVE", "GOVERNOR", "MALLORY", "REGISTRAR", "RU_REGISTRAR", "STRANGER",
           "World", "assert_revert", "make_world"]


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def artifacts(config: Config) -> CompileResult:
    return compile_project(config)


@pytest.fixture(scope="module")
def module_world(config: Config, artifacts: CompileResult) -> Iterator[World]:
    """A fresh deployment on the embedded chain, made into the standard world (helpers.world.make_world)."""
    from eth.estimators.gas import binary_gas_search

    ipl = IPLedger.connect("embedded", 0, config=config, deploy=True)
    # Coarse gas estimates on the test chain: 3 EVM runs per estimate instead of about 10.
    # Transactions get a generous limit and reverts still surface at estimation; receipts'
    # gas figures are exact. The node tests keep anvil's and Ganache's own estimators.
    provider: Any = ipl.w3.provider
    provider.ethereum_tester.backend.chain.gas_estimator = binary_gas_search(tolerance=8_000_000)
    try:
        yield make_world(ipl)
    finally:
        ipl.close()


@pytest.fixture
def world(module_world: World) -> Iterator[World]:
    """The module's deployment, reverted to a snapshot after each test."""
    snap = module_world.tester.take_snapshot()
    try:
        yield module_world
    finally:
        module_world.tester.revert_to_snapshot(snap)
        module_world.ipl.reset_nonces()


@pytest.fixture(scope="module")
def module_rig(config: Config, artifacts: CompileResult) -> Iterator[Rig]:
    """A governed deployment, the suite as deployed (helpers.council), for tests/contracts/governance/."""
    rig = make_rig(config, artifacts)
    try:
        yield rig
    finally:
        rig.ipl.close()


@pytest.fixture
def rig(module_rig: Rig) -> Iterator[Rig]:
    """The module's rig, reverted to a snapshot after each test."""
    snap = module_rig.tester.take_snapshot()
    try:
        yield module_rig
    finally:
        module_rig.tester.revert_to_snapshot(snap)
        module_rig.ipl.reset_nonces()


@pytest.fixture(scope="module")
def module_licensing(module_world: World) -> LicenseDriver:
    """The module's world with two registered EM trade marks of Alice, driven by direct LicenseRegistry calls."""
    return license_driver(module_world)


@pytest.fixture
def lg(world: World, module_licensing: LicenseDriver) -> LicenseDriver:
    """``module_licensing`` inside the ``world`` fixture's snapshot (tests/contracts/licensing/)."""
    return module_licensing
