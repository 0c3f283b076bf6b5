"""brownie fixtures: the governed suite deployed once per module, every test in a snapshot.

Run with ``make brownie-test`` (anvil) or ``make brownie-test-ganache``; docs/brownie.md explains the flags those
targets pass. The module fixture ``suite`` deploys with ipledger's own deployment code
(``ipledger.deploy.deploy_suite``) on the node brownie launched, through brownie's own connection
(``ipledger.integrations.brownie.brownie_chain``): the RegisterAuthority, each register behind its RegisterProxy,
the wiring, the CouncilTimelock (no delay on a dev chain) and the OfficeCouncil seeded with the dev council, the
roles, and the deployer's renunciation. The tests see each register as an external client does: the proxy's
address with the implementation's ABI (``Contract.from_abi``).

Roles are brownie's dev accounts, in the order the SDK tests use (tests/helpers/world.py): account 0 is EM's
office admin (EM requires recordal), 10 RU's, 11 US's, 12 the guardian; the deployer is account 9, which holds
nothing once the deployment is over. Each office's admin grants its one registrar (accounts 1 and 6).
Council votes go through ``support.council_vote`` (proposal, votes, timelock, execution).

Every test's contract calls are recorded before its snapshot is reverted (``support.record_calls``);
test_abi_coverage.py, run last, checks that each state-changing function of the suite's ABIs was called.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from brownie import Contract
from support import SELECTION, filing, record_calls, register_right

from ipledger.domain import IPType, right_id


def _unwrap_rpc_warnings() -> None:
    """Takes brownie's ``@internal`` wrapper off ``Rpc.snapshot``/``revert``/``sleep``/``mine``.

    The wrapper warns when user code calls them directly; to find out, it runs ``inspect.stack()`` on every call,
    brownie's own snapshot and revert after each test included (about 80 ms each here: every frame's module is
    looked up in ``sys.modules``), and then warns about brownie's own calls anyway (the make targets hide that
    FutureWarning). The wrapped functions are called unchanged.
    """
    from brownie.network.rpc import Rpc

    for name in ("snapshot", "revert", "sleep", "mine"):
        wrapper = getattr(Rpc, name)
        cells = [cell.cell_contents for cell in wrapper.__closure__ or ()]
        original = next((c for c in cells if callable(c) and getattr(c, "__name__", "") == name), None)
        if original is not None:  # another brownie version: leave it as it is
            setattr(Rpc, name, original)


_unwrap_rpc_warnings()

ROLES = ("em_admin", "registrar", "alice", "bob", "carol", "dave", "ru_registrar", "stranger", "eve", "deployer",
         "ru_admin", "us_admin", "guardian")


@pytest.fixture(scope="session")
def roles(accounts: Any) -> dict[str, Any]:
    """The dev accounts by role (13 of them: brownie-config.yaml launches the nodes with 13)."""
    assert len(accounts) >= len(ROLES), f"the dev council needs {len(ROLES)} accounts, brownie has {len(accounts)}"
    return dict(zip(ROLES, accounts))


def _role(name: str, doc: str) -> Any:
    def fixture(roles: dict[str, Any]) -> Any:
        return roles[name]

    fixture.__doc__ = doc
    fixture.__name__ = name
    return pytest.fixture(scope="session", name=name)(fixture)


em_admin = _role("em_admin", "EM's office admin (dev account 0; EM requires recordal), a seat in the council.")
registrar = _role("registrar", "A registrar of EM, granted by EM's admin.")
alice = _role("alice", "A right holder.")
bob = _role("bob", "An assignee.")
carol = _role("carol", "A creditor or licensee.")
dave = _role("dave", "Another party.")
ru_registrar = _role("ru_registrar", "A registrar of RU (assignments take effect on acceptance).")
stranger = _role("stranger", "An account without any role.")
eve = _role("eve", "Another account without a role (a future office admin or guardian).")
deployer = _role("deployer", "The deployer (dev account 9): it renounced everything at the end of the deployment.")
ru_admin = _role("ru_admin", "RU's office admin (dev account 10), a seat in the council.")
us_admin = _role("us_admin", "US's office admin (dev account 11), a seat in the council.")
guardian = _role("guardian", "The guardian (dev account 12): may pause every register, nothing else.")


@dataclass(frozen=True)
class Suite:
    """The deployed suite as brownie contracts (each register at its proxy's address, with its own ABI)."""

    registry: Any
    interests: Any
    parties: Any
    licenses: Any
    authority: Any
    timelock: Any
    council: Any
    implementations: dict[str, str]  # register name -> the implementation behind its proxy


@pytest.fixture(scope="session")
def ipledger_setup() -> Iterator[tuple[Any, Any, Any]]:
    """(config, the compiled artifacts, the SDK chain on brownie's connection); the chain is closed at the end."""
    from ipledger.build.compiler import compile_project
    from ipledger.config import load_config
    from ipledger.integrations.brownie import brownie_chain

    config = load_config()
    connected = brownie_chain(config)
    assert connected is not None, "brownie is not connected to a node"
    chain, throwaway = connected
    assert throwaway, "the brownie suite deploys only on a node brownie launched"
    try:
        artifacts = compile_project(config)
        # brownie runs a full gc.collect() at every snapshot revert, i.e. after every test; with brownie's project
        # (every build with its source maps) and these artifacts loaded it took a quarter of a second each time.
        # What exists now lives for the session: freezing it keeps those collections to the objects tests make.
        gc.freeze()
        yield config, artifacts, chain
    finally:
        chain.close()


@pytest.fixture(scope="module")
def suite(module_isolation: None, ipledger_setup: tuple[Any, Any, Any], roles: dict[str, Any], IPRegistry: Any,
          SecurityInterests: Any, PartyRegistry: Any, LicenseRegistry: Any, RegisterAuthority: Any,
          CouncilTimelock: Any, OfficeCouncil: Any) -> Iterator[Suite]:
    """The suite deployed by ``ipledger.deploy.deploy_suite`` (dev council: EM, RU, US; guardian), EM's and RU's
    registrar granted by their office's admin.

    brownie knows a ``Contract.from_abi`` object by its ABI only; registering it in brownie's contract map (as
    brownie does for the contracts it deploys) lets brownie decode the return values of transactions sent to it
    (``tx.return_value``), as brownie does for ``Container.at(address)`` when the code there is not the
    container's own (no source map: a proxy). The module's teardown takes them out again (its snapshot is
    reverted right after).
    """
    from brownie.network import state

    from ipledger.deploy import deploy_suite

    config, artifacts, chain = ipledger_setup
    deployer = next(a for a in chain.accounts if a.address.lower() == str(roles["deployer"]).lower())
    deployment = deploy_suite(chain, deployer, artifacts, config=config, persist=False)
    assert deployment.deployer_renounced

    def at(container: Any) -> Any:
        name = container._name
        return Contract.from_abi(name, deployment.address(name), container.abi)

    s = Suite(registry=at(IPRegistry), interests=at(SecurityInterests), parties=at(PartyRegistry),
              licenses=at(LicenseRegistry), authority=at(RegisterAuthority), timelock=at(CouncilTimelock),
              council=at(OfficeCouncil),
              implementations={n: str(c.implementation) for n, c in deployment.contracts.items() if c.implementation})
    contracts = (s.registry, s.interests, s.parties, s.licenses, s.authority, s.timelock, s.council)
    for contract in contracts:
        contract._build["language"] = "Solidity"  # what brownie's revert analysis asks of a contract it knows
        state._add_contract(contract)
    s.registry.grantRegistrar(b"EM", roles["registrar"], {"from": roles["em_admin"]})
    s.registry.grantRegistrar(b"RU", roles["ru_registrar"], {"from": roles["ru_admin"]})
    yield s
    for contract in contracts:
        state._remove_contract(contract)


@pytest.fixture(scope="module")
def registry(suite: Suite) -> Any:
    """IPRegistry at its proxy: EM (recordal required) and RU (no recordal) with one registrar each, and US."""
    return suite.registry


@pytest.fixture(scope="module")
def interests(suite: Suite) -> Any:
    """SecurityInterests at its proxy, wired to the register."""
    return suite.interests


@pytest.fixture(scope="module")
def parties(suite: Suite) -> Any:
    """PartyRegistry at its proxy."""
    return suite.parties


@pytest.fixture(scope="module")
def licenses(suite: Suite) -> Any:
    """LicenseRegistry at its proxy."""
    return suite.licenses


@pytest.fixture(scope="module")
def council(suite: Suite) -> Any:
    """The OfficeCouncil (one seat per office admin)."""
    return suite.council


@pytest.fixture(scope="module")
def authority(suite: Suite) -> Any:
    """The RegisterAuthority every register asks (its admin: the timelock)."""
    return suite.authority


@pytest.fixture(scope="module")
def timelock(suite: Suite) -> Any:
    """The CouncilTimelock that executes what the council passed."""
    return suite.timelock


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
def registered_tm(registry: Any, alice: Any, registrar: Any, ru_registrar: Any) -> Callable[..., int]:
    """Files a trade mark and moves it to Registered (publish, then register)."""

    def make(number: str = "018234567", holder: Any = None, office: str = "EM") -> int:
        return register_right(registry, registrar if office == "EM" else ru_registrar, office, number,
                              holder or alice)

    return make
