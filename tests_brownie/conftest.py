"""brownie fixtures: the register deployed once per module, every test in a snapshot.

Run with ``make brownie-test`` (anvil) or ``make brownie-test-ganache``; docs/brownie.md
explains the flags those targets pass. Roles are brownie's dev accounts, in the order the
SDK tests use (tests/helpers/world.py). Helpers (``custom_error`` for ``brownie.reverts``, ``filing``, the
EIP-712 signatures) are in support.py.

Every test's contract calls are recorded before its snapshot is reverted (``support.record_calls``);
test_abi_coverage.py, run last, checks that each state-changing function of the three contracts was called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import SELECTION, YEAR, ZERO32, filing, now, record_calls

from ipledger.domain import IPType, Status, right_id


@pytest.fixture(scope="session")
def roles(accounts: Any) -> dict[str, Any]:
    names = ("governor", "registrar", "alice", "bob", "carol", "dave", "ru_registrar", "stranger")
    return {n: accounts[i] for n, i in zip(names, range(8))}


@pytest.fixture(scope="session")
def governor(roles: dict[str, Any]) -> Any:
    return roles["governor"]


@pytest.fixture(scope="session")
def registrar(roles: dict[str, Any]) -> Any:
    """A registrar of EM (recordal required)."""
    return roles["registrar"]


@pytest.fixture(scope="session")
def ru_registrar(roles: dict[str, Any]) -> Any:
    """A registrar of RU (assignments take effect on acceptance)."""
    return roles["ru_registrar"]


@pytest.fixture(scope="session")
def alice(roles: dict[str, Any]) -> Any:
    return roles["alice"]


@pytest.fixture(scope="session")
def bob(roles: dict[str, Any]) -> Any:
    return roles["bob"]


@pytest.fixture(scope="session")
def carol(roles: dict[str, Any]) -> Any:
    return roles["carol"]


@pytest.fixture(scope="session")
def dave(roles: dict[str, Any]) -> Any:
    return roles["dave"]


@pytest.fixture(scope="session")
def stranger(roles: dict[str, Any]) -> Any:
    return roles["stranger"]


@pytest.fixture(scope="module")
def registry(module_isolation: None, IPRegistry: Any, governor: Any, registrar: Any, ru_registrar: Any) -> Any:
    """IPRegistry with EM (recordal required) and RU (no recordal) and one registrar each."""
    reg = IPRegistry.deploy(governor, {"from": governor})
    reg.addOffice(b"EM", True, {"from": governor})
    reg.addOffice(b"RU", False, {"from": governor})
    reg.grantRegistrar(b"EM", registrar, {"from": governor})
    reg.grantRegistrar(b"RU", ru_registrar, {"from": governor})
    return reg


@pytest.fixture(scope="module")
def parties(registry: Any, PartyRegistry: Any, governor: Any) -> Any:
    return PartyRegistry.deploy(registry, {"from": governor})


HERE = Path(__file__).resolve().parent
COVERAGE_TEST = "test_every_state_changing_function_is_called_through_brownie"


def pytest_deselected(items: list[pytest.Item]) -> None:
    SELECTION["deselected"] = True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Runs the ABI coverage check last, and notes whether every test file of the suite was collected."""
    items.sort(key=lambda item: item.name == COVERAGE_TEST)  # stable: the others keep their order
    collected = {Path(str(item.fspath)).resolve() for item in items}
    SELECTION["every_file"] = all(path in collected for path in HERE.rglob("test_*.py"))


@pytest.fixture(autouse=True)
def isolation(fn_isolation: None, history: Any) -> Iterator[None]:
    """Every test starts from the module's deployment (a node snapshot, reverted afterwards).

    The contract calls the test sent (and those of the module's fixtures) are recorded first.
    """
    yield
    record_calls(history)


@pytest.fixture
def file_tm(registry: Any, alice: Any, registrar: Any, ru_registrar: Any) -> Callable[..., int]:
    """The office's registrar files a trade mark (by default Alice's, at EM) and returns its right id (only the
    office accords numbers and filing dates)."""

    def file_(number: str = "018234567", holder: Any = None, office: str = "EM") -> int:
        holder = holder or alice
        registry.file(filing(office, number, holder), {"from": registrar if office == "EM" else ru_registrar})
        return right_id(office, IPType.TRADE_MARK, number)

    return file_


@pytest.fixture
def registered_tm(registry: Any, file_tm: Callable[..., int], registrar: Any,
                  ru_registrar: Any) -> Callable[..., int]:
    """Files a trade mark and moves it to Registered (publish, then register)."""

    def make(number: str = "018234567", holder: Any = None, office: str = "EM") -> int:
        rid = file_tm(number, holder, office)
        officer = registrar if office == "EM" else ru_registrar
        registry.changeStatus(rid, Status.PUBLISHED, 0, ZERO32, {"from": officer})
        t = now()
        registry.register(rid, f"R-{number}", t, t + 10 * YEAR, ZERO32, {"from": officer})
        return rid

    return make
