"""Shared fixtures: one compile per session, one embedded deployment per module, a snapshot per test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from ipledger.sdk import IPLedger
from ipledger.build.compiler import CompileResult, compile_project
from ipledger.config import Config, load_config
from ipledger.errors import ContractRevert

GOVERNOR, REGISTRAR, ALICE, BOB, CAROL, DAVE, RU_REGISTRAR, STRANGER = range(8)


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def artifacts(config: Config) -> CompileResult:
    return compile_project(config)


@dataclass
class World:
    """A deployed register on the embedded chain with one client per role."""

    ipl: IPLedger
    governor: IPLedger
    registrar: IPLedger  # EM registrar
    alice: IPLedger
    bob: IPLedger
    carol: IPLedger
    dave: IPLedger
    ru_registrar: IPLedger
    stranger: IPLedger

    def as_(self, index: int) -> IPLedger:
        return self.ipl.as_account(index)

    @property
    def tester(self) -> Any:
        return self.ipl.w3.provider.ethereum_tester

    def now(self) -> int:
        return int(self.ipl.w3.eth.get_block("latest")["timestamp"])

    def file_registered(self, number: str = "018234567", holder: IPLedger | None = None, office: str = "EM") -> int:
        """Files a trade mark for ``holder`` (Alice) and moves it to Registered."""
        holder = holder or self.alice
        registrar = self.registrar if office == "EM" else self.ru_registrar
        rid = holder.file(office, "TM", number, content_hash="0x" + "ab" * 32).right_id
        registrar.publish(rid)
        now = self.now()
        registrar.register(rid, "R-" + number, registration_date=now, expiry_date=now + 10 * 365 * 86400)
        return rid


def make_world(ipl: IPLedger) -> World:
    g = ipl.as_account(GOVERNOR)
    g.add_office("EM", recordal_required=True)
    g.add_office("RU", recordal_required=False)
    g.grant_registrar("EM", ipl.chain.accounts[REGISTRAR].address)
    g.grant_registrar("RU", ipl.chain.accounts[RU_REGISTRAR].address)
    return World(ipl=ipl, governor=g, registrar=ipl.as_account(REGISTRAR), alice=ipl.as_account(ALICE),
                 bob=ipl.as_account(BOB), carol=ipl.as_account(CAROL), dave=ipl.as_account(DAVE),
                 ru_registrar=ipl.as_account(RU_REGISTRAR), stranger=ipl.as_account(STRANGER))


@pytest.fixture(scope="module")
def module_world(config: Config, artifacts: CompileResult) -> Iterator[World]:
    from eth.estimators.gas import binary_gas_search

    ipl = IPLedger.connect("embedded", 0, config=config, deploy=True)
    # Coarse gas estimates on the test chain: 3 EVM runs per estimate instead of about 10.
    # Transactions get a generous limit and reverts still surface at estimation; receipts'
    # gas figures are exact. The node tests keep anvil's and Ganache's own estimators.
    ipl.w3.provider.ethereum_tester.backend.chain.gas_estimator = binary_gas_search(tolerance=8_000_000)
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


def assert_revert(exc_info: pytest.ExceptionInfo[ContractRevert], name: str, **expected: Any) -> None:
    """The revert is the Solidity error ``name`` with these argument values."""
    err = exc_info.value
    assert type(err).__name__ == name, f"expected {name}, got {type(err).__name__}: {err}"
    for key, value in expected.items():
        got = err.args_by_name.get(key)
        if isinstance(value, str) and isinstance(got, str):
            assert got.lower() == value.lower(), f"{name}.{key}: expected {value}, got {got}"
        else:
            assert got == value, f"{name}.{key}: expected {value!r}, got {got!r}"
