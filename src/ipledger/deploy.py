"""Deploys the contract suite, hands its governance to the office council, and keeps ``deployments/<chain-id>.json``.

The sequence (``deploy_suite``): a RegisterAuthority with the deployer as temporary admin; each register's
implementation behind a RegisterProxy; the wiring; the CouncilTimelock and the OfficeCouncil seeded with the
initial offices (``GovernanceOptions``); the same offices seeded into the registry while the deployer is still
admin; the function roles (registry office functions to the council, every register's ``pause`` to the guardian);
the admin role to the timelock; the deployer renounces. Afterwards the deployer has no power at all.

A record names each contract's address, transaction, block, the deployer, the compiler and
two code hashes: the artifact's creation code (to notice that the sources changed) and the
runtime code on chain (to notice a different chain under the same id). Records are written
atomically. Chains that end with the process (embedded, launched anvil/Ganache) are not
recorded by default.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_utils import keccak, to_checksum_address

from ipledger import types
from ipledger.abi import selector
from ipledger.build.compiler import CompileResult
from ipledger.config import Config
from ipledger.domain import governance as gov
from ipledger.errors import DeploymentError, InvalidInput
from ipledger.types import MAX_JSON_DEPTH, escape, is_address, json_too_deep

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from ipledger.chain import Chain

Args = Callable[[dict[str, str], str], list[Any]]
# The authority every register asks (an OpenZeppelin AccessManager); the deployer is its first admin.
AUTHORITY = "RegisterAuthority"
# (register, its `initialize` arguments, its legacy constructor arguments), from the addresses deployed so far and
# the deployer. A register whose ABI has `initialize` is deployed as an implementation behind a `RegisterProxy`
# initialized in the same transaction; one without (not yet converted) by its constructor.
SUITE: tuple[tuple[str, Args, Args], ...] = (
    ("IPRegistry", lambda done, deployer: [done[AUTHORITY]], lambda done, deployer: [deployer]),
    ("SecurityInterests", lambda done, deployer: [done[AUTHORITY], done["IPRegistry"]],
     lambda done, deployer: [done["IPRegistry"]]),
    ("PartyRegistry", lambda done, deployer: [done[AUTHORITY], done["IPRegistry"]],
     lambda done, deployer: [done["IPRegistry"]]),
    ("LicenseRegistry", lambda done, deployer: [done[AUTHORITY], done["IPRegistry"]],
     lambda done, deployer: [done["IPRegistry"]]),
)
PROXY = "RegisterProxy"
TIMELOCK = "CouncilTimelock"
COUNCIL = "OfficeCouncil"
# Every contract a record names, in deployment order.
RECORDED: tuple[str, ...] = (AUTHORITY, *(name for name, _, _ in SUITE), TIMELOCK, COUNCIL)
# ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1), where a proxy keeps its implementation.
ERC1967_IMPLEMENTATION_SLOT = int.from_bytes(keccak(b"eip1967.proxy.implementation"), "big") - 1
# (contract, its setter, the contract whose address it is given): calls the deployer (the first governor) makes
# once the suite is deployed. IPRegistry asks SecurityInterests before an assignment takes effect.
WIRING: tuple[tuple[str, str, str], ...] = (
    ("IPRegistry", "setSecurityInterests", "SecurityInterests"),
)


@dataclass(frozen=True)
class GovernanceOptions:
    """Who governs a new deployment: the initial offices ``{code: (admin, recordal required)}``, the guardian
    (None: no one may pause until the council names one), the timelock delay in seconds (0 only on a local dev
    chain, or with ``allow_zero_delay``) and the council's voting delay and period in blocks."""

    offices: dict[str, tuple[str, bool]]
    guardian: str | None = None
    timelock_delay: int = 2 * 86400
    voting_delay: int = 0
    voting_period: int = 7200  # about a day of 12-second blocks
    allow_zero_delay: bool = False

    def checked(self, chain_id: int) -> GovernanceOptions:
        """The options, validated for a deployment on ``chain_id`` (an ``InvalidInput`` names the first fault)."""
        if not self.offices:
            raise InvalidInput("a deployment seeds at least one office; give --office CODE=ADMIN[:recordal]")
        admins = [types.address(a, f"admin of {types.office(c)}") for c, (a, _) in self.offices.items()]
        if len({a.lower() for a in admins}) != len(admins):
            raise InvalidInput("one account admins at most one office; give each office its own admin")
        if self.guardian is not None:
            types.address(self.guardian, "guardian")
        if self.timelock_delay == 0 and not (self.allow_zero_delay or gov.is_dev_chain(chain_id)):
            raise InvalidInput(f"a zero timelock delay is for local dev chains only, and chain {chain_id} is not one; "
                               "give a delay (e.g. --timelock-delay 2d) or --allow-zero-delay")
        if not 0 <= self.voting_delay < 2**48 or not 0 < self.voting_period < 2**32:
            raise InvalidInput("the voting delay is 0 or more blocks and the voting period at least 1 block")
        return self


def dev_governance(accounts: list[Any]) -> GovernanceOptions:
    """The dev chains' council: EM (recordal required, admin dev account 0), RU (account 10) and US (account 11),
    guardian account 12, no timelock delay, votes open for 20 blocks."""
    if len(accounts) < 13:
        raise DeploymentError(f"the dev council needs 13 dev accounts, the chain has {len(accounts)}")
    return GovernanceOptions(offices={"EM": (accounts[0].address, True), "RU": (accounts[10].address, False),
                                      "US": (accounts[11].address, False)},
                             guardian=accounts[12].address, timelock_delay=0, voting_delay=0, voting_period=20)


@dataclass(frozen=True)
class DeployedContract:
    """One deployed contract."""

    address: str  # the proxy's for a register behind one: clients use it with the implementation's ABI
    tx_hash: str
    block: int
    creation_code_hash: str  # of the artifact (the implementation's for a proxied register)
    runtime_code_hash: str  # of the code at `address`
    implementation: str | None = None  # the implementation behind the proxy (None: not proxied)
    implementation_code_hash: str | None = None


@dataclass(frozen=True)
class Deployment:
    """A deployment record (``deployments/<chain-id>.json``)."""

    chain_id: int
    network: str
    deployer: str
    compiler: str
    contracts: dict[str, DeployedContract] = field(default_factory=dict)
    deployer_renounced: bool = False  # True once the deployer holds no role of any contract (the chain proves it)

    def address(self, name: str) -> str:
        try:
            return self.contracts[name].address
        except KeyError:
            raise DeploymentError(
                f"no {name} in the deployment for chain {self.chain_id}; redeploy with `ipledger deploy --force`"
            ) from None

    @property
    def first_block(self) -> int:
        return min((c.block for c in self.contracts.values()), default=0)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Deployment:
        """The record from its parsed JSON, every field checked; a ``DeploymentError`` names the first one wrong.

        A record names every contract of the suite (``SUITE``), each with a checksummable
        address, a transaction hash, a block number and two code hashes, and nothing else.
        """
        entry = _object(data, "the record", ("chain_id", "network", "deployer", "compiler", "contracts",
                                             "deployer_renounced"))
        contracts = entry["contracts"]
        if not isinstance(contracts, dict):
            raise DeploymentError(f"'contracts' is a {_kind(contracts)}, not an object of contracts")
        names = list(RECORDED)
        missing = [name for name in names if name not in contracts]
        if missing:
            raise DeploymentError(f"'contracts' names no {', '.join(missing)}")
        unknown = sorted(set(contracts) - set(names))
        if unknown:
            raise DeploymentError(f"'contracts' names {', '.join(map(repr, unknown))}, which the suite does not have")
        return cls(
            chain_id=_integer(entry["chain_id"], "chain_id", low=1),
            network=_text(entry["network"], "network"),
            deployer=_address(entry["deployer"], "deployer"),
            compiler=_text(entry["compiler"], "compiler"),
            contracts={name: _contract(name, contracts[name]) for name in names},
            deployer_renounced=_flag(entry["deployer_renounced"], "deployer_renounced"),
        )


_CONTRACT_FIELDS = tuple(f.name for f in fields(DeployedContract))


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for a message."""
    return {dict: "object", list: "list", str: "string", bool: "true/false", int: "number", float: "number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _object(value: Any, what: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """``value`` as a JSON object with exactly ``keys``."""
    if not isinstance(value, dict):
        raise DeploymentError(f"{what} is a {_kind(value)}, not an object")
    missing = [k for k in keys if k not in value]
    if missing:
        raise DeploymentError(f"{what} has no {', '.join(map(repr, missing))}")
    extra = sorted(set(value) - set(keys))
    if extra:
        raise DeploymentError(f"{what} has unknown field(s) {', '.join(map(repr, extra))}")
    return value


def _integer(value: Any, what: str, *, low: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise DeploymentError(f"{what} is {escape(repr(value))}, not a whole number of at least {low}")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise DeploymentError(f"{what} is {escape(repr(value))}, not a text")
    return value


def _address(value: Any, what: str) -> str:
    if not isinstance(value, str) or not is_address(value):
        raise DeploymentError(f"{what} is {escape(repr(value))}, not an address (0x and 40 hex digits)")
    return value


def _flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise DeploymentError(f"{what} is {escape(repr(value))}, not true or false")
    return value


def _hex32(value: Any, what: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"0x[0-9a-fA-F]{64}", value):
        raise DeploymentError(f"{what} is {escape(repr(value))}, not 0x and 64 hex digits")
    return value


def _contract(name: str, value: Any) -> DeployedContract:
    """One contract's entry of the record, checked (a proxied register names its implementation and its code hash,
    another contract has null in both)."""
    entry = _object(value, f"contract {name}", _CONTRACT_FIELDS)
    impl, impl_hash = entry["implementation"], entry["implementation_code_hash"]
    if (impl is None) != (impl_hash is None):
        raise DeploymentError(f"{name} names an implementation without its code hash, or a hash without it")
    return DeployedContract(address=_address(entry["address"], f"{name}.address"),
                            tx_hash=_hex32(entry["tx_hash"], f"{name}.tx_hash"),
                            block=_integer(entry["block"], f"{name}.block"),
                            creation_code_hash=_hex32(entry["creation_code_hash"], f"{name}.creation_code_hash"),
                            runtime_code_hash=_hex32(entry["runtime_code_hash"], f"{name}.runtime_code_hash"),
                            implementation=None if impl is None else _address(impl, f"{name}.implementation"),
                            implementation_code_hash=None if impl_hash is None
                            else _hex32(impl_hash, f"{name}.implementation_code_hash"))


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The ``object_pairs_hook`` of a record: a key given twice is an error (JSON would keep the last)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DeploymentError(f"the field {escape(repr(key))} is given twice in one object")
        out[key] = value
    return out


def record_path(config: Config, chain_id: int) -> Path:
    return config.deployments_dir / f"{chain_id}.json"


def _hash(code: bytes | str) -> str:
    raw = bytes.fromhex(code[2:] if code.startswith("0x") else code) if isinstance(code, str) else bytes(code)
    return "0x" + keccak(raw).hex()


def write_record(config: Config, deployment: Deployment) -> Path:
    """Writes the record atomically (a crash leaves the old record or the new one, never half)."""
    path = record_path(config, deployment.chain_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w") as fh:
        json.dump(deployment.to_json(), fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def load_record(config: Config, chain: Chain, artifacts: CompileResult | None = None) -> Deployment:
    """The deployment for the chain, checked against the chain and (if given) the artifacts."""
    chain_id = chain.chain_id
    path = record_path(config, chain_id)
    if not path.is_file():
        raise DeploymentError(
            f"no deployment for chain {chain_id} ({path.name} is missing); run `ipledger deploy --network {chain.name}`"
        )
    try:
        text = path.read_text()
        if json_too_deep(text):
            raise DeploymentError(f"nested more than {MAX_JSON_DEPTH} deep")
        deployment = Deployment.from_json(json.loads(text, object_pairs_hook=_refuse_duplicates))
    except (ValueError, DeploymentError) as exc:
        raise DeploymentError(f"{path} is not a valid deployment record ({exc}); delete it and redeploy with "
                              f"`ipledger deploy --network {chain.name} --force`") from None
    verify(deployment, chain, artifacts)
    return deployment


def verify(deployment: Deployment, chain: Chain, artifacts: CompileResult | None = None) -> None:
    """Refuses a record whose chain id or code does not match the chain (or the current sources)."""
    if deployment.chain_id != chain.chain_id:
        raise DeploymentError(
            f"the deployment record is for chain {deployment.chain_id} but the node is chain {chain.chain_id}; "
            "connect to the right network or redeploy"
        )
    for name, c in deployment.contracts.items():
        code = chain.w3.eth.get_code(to_checksum_address(c.address))
        if _hash(bytes(code)) != c.runtime_code_hash:
            raise DeploymentError(
                f"{name} at {c.address} on chain {chain.chain_id} does not hold the recorded code (a reset node?); "
                f"redeploy with `ipledger deploy --network {chain.name} --force`"
            )
        if c.implementation is not None:
            slot = chain.w3.eth.get_storage_at(to_checksum_address(c.address), ERC1967_IMPLEMENTATION_SLOT)
            current = to_checksum_address(bytes(slot)[-20:])
            if current != to_checksum_address(c.implementation):
                raise DeploymentError(
                    f"{name}'s proxy at {c.address} points at {current}, not the recorded implementation "
                    f"{c.implementation} (upgraded by another tool?); record the upgrade or redeploy"
                )
            if _hash(bytes(chain.w3.eth.get_code(current))) != c.implementation_code_hash:
                raise DeploymentError(f"{name}'s implementation at {current} does not hold the recorded code; "
                                      f"redeploy with `ipledger deploy --network {chain.name} --force`")
        if artifacts is not None and name in artifacts.artifacts:
            if _hash(artifacts[name].bytecode) != c.creation_code_hash:
                raise DeploymentError(
                    f"the {name} sources changed since it was deployed on chain {chain.chain_id}; "
                    f"redeploy with `ipledger deploy --network {chain.name} --force`"
                )


def deploy_suite(chain: Chain, deployer: LocalAccount, artifacts: CompileResult, *, config: Config | None = None,
                 persist: bool | None = None, confirmations: int = 0,
                 governance: GovernanceOptions | None = None) -> Deployment:
    """Deploys every contract of the suite that was compiled, in order, wires them (``WIRING``), hands governance to
    the council (``governance``; on a local chain the dev council by default) and records it.

    ``persist`` defaults to True only for RPC networks: the embedded chain and the nodes launched
    per command end with the process, and a record of theirs would overwrite that of a
    persistent node with the same chain id.
    """
    from ipledger.tx.sender import Sender

    if governance is None:
        if not chain.is_local:
            raise InvalidInput(f"a deployment on {chain.name} needs its council: give the initial offices and their "
                               "admins (--office CODE=ADMIN[:recordal]) and a guardian")
        governance = dataclasses.replace(dev_governance(chain.accounts), allow_zero_delay=True)  # a local chain
    governance = governance.checked(chain.chain_id)
    sender = Sender(chain, deployer, confirmations=confirmations)
    done: dict[str, str] = {}
    contracts: dict[str, DeployedContract] = {}

    def create(name: str, args: list[Any]) -> tuple[str, Any]:
        art = artifacts[name]
        factory = chain.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
        receipt = sender.send(factory.constructor(*args), label=f"deploy {name}")
        return receipt["contractAddress"], receipt

    def entry(name: str, address: str, receipt: Any, implementation: str | None = None) -> DeployedContract:
        return DeployedContract(
            address=address,
            tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            block=int(receipt["blockNumber"]),
            creation_code_hash=_hash(artifacts[name].bytecode),
            runtime_code_hash=_hash(bytes(chain.w3.eth.get_code(to_checksum_address(address)))),
            implementation=implementation,
            implementation_code_hash=None if implementation is None
            else _hash(bytes(chain.w3.eth.get_code(to_checksum_address(implementation)))),
        )

    def deploy(name: str, args: list[Any]) -> None:
        address, receipt = create(name, args)
        done[name] = address
        contracts[name] = entry(name, address, receipt)

    deploy(AUTHORITY, [deployer.address])
    for name, init_args, legacy_args in SUITE:
        if name not in artifacts.artifacts:
            continue
        art = artifacts[name]
        if _has(art.abi, "initialize"):
            implementation, _ = create(name, [])
            init = chain.w3.eth.contract(abi=art.abi).encode_abi("initialize", init_args(done, deployer.address))
            address, receipt = create(PROXY, [implementation, init])
            contracts[name] = entry(name, address, receipt, implementation)
            done[name] = address
        else:
            deploy(name, legacy_args(done, deployer.address))

    def send(name: str, function: str, *args: Any) -> None:
        contract = chain.w3.eth.contract(address=to_checksum_address(done[name]), abi=artifacts[name].abi)
        sender.send(getattr(contract.functions, function)(*args), label=f"{name}.{function}")

    for name, setter, target in WIRING:
        if name in done and target in done:
            send(name, setter, done[target])

    # The council: a timelock (the deployer its admin for two grants), the council seeded with the offices.
    g = governance
    deploy(TIMELOCK, [g.timelock_delay, deployer.address])
    codes = list(g.offices)
    deploy(COUNCIL, [done[TIMELOCK], done["IPRegistry"], [_office(c) for c in codes],
                     [to_checksum_address(g.offices[c][0]) for c in codes], g.voting_delay, g.voting_period])
    timelock = chain.w3.eth.contract(address=to_checksum_address(done[TIMELOCK]), abi=artifacts[TIMELOCK].abi)
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        send(TIMELOCK, "grantRole", getattr(timelock.functions, role)().call(), done[COUNCIL])
    send(TIMELOCK, "renounceRole", timelock.functions.DEFAULT_ADMIN_ROLE().call(), deployer.address)
    # The same offices in the registry, while the deployer is still the authority's admin (v2) or the governor.
    registry_abi = artifacts["IPRegistry"].abi
    v2 = _inputs(registry_abi, "addOffice") == 3
    for code in codes:
        admin, recordal = g.offices[code]
        args = (_office(code), to_checksum_address(admin), recordal) if v2 else (_office(code), recordal)
        send("IPRegistry", "addOffice", *args)
    # Function roles, then the admin role to the timelock; the deployer renounces.
    if v2:
        send(AUTHORITY, "setTargetFunctionRole", done["IPRegistry"], _selectors(registry_abi, gov.COUNCIL_FUNCTIONS),
             gov.COUNCIL_ROLE)
    send(AUTHORITY, "grantRole", gov.COUNCIL_ROLE, done[COUNCIL], 0)
    governed = [name for name, _, _ in SUITE if name in done and _has(artifacts[name].abi, "authority")]
    for name in governed:
        send(AUTHORITY, "setTargetFunctionRole", done[name], _selectors(artifacts[name].abi, gov.GUARDIAN_FUNCTIONS),
             gov.GUARDIAN_ROLE)
    if g.guardian is not None:
        send(AUTHORITY, "grantRole", gov.GUARDIAN_ROLE, to_checksum_address(g.guardian), 0)
    send(AUTHORITY, "grantRole", gov.ADMIN_ROLE, done[TIMELOCK], 0)
    send(AUTHORITY, "renounceRole", gov.ADMIN_ROLE, deployer.address)
    deployment = Deployment(
        chain_id=chain.chain_id,
        network=chain.name,
        deployer=deployer.address,
        compiler=artifacts.compiler,
        contracts=contracts,
        # a register still constructor-based (during the v2 change) keeps the deployer as its governor
        deployer_renounced=len(governed) == sum(1 for name, _, _ in SUITE if name in done),
    )
    if persist is None:
        persist = chain.backend == "rpc"  # embedded and launched nodes end with the process
    if persist:
        if config is None:
            raise DeploymentError("deploy_suite(persist=True) needs the config to know where to write")
        write_record(config, deployment)
    return deployment


def _has(abi: list[dict[str, Any]], name: str) -> bool:
    return any(item.get("type") == "function" and item.get("name") == name for item in abi)


def _inputs(abi: list[dict[str, Any]], name: str) -> int:
    """The number of inputs of the function ``name`` (-1: none of that name)."""
    return next((len(i["inputs"]) for i in abi if i.get("type") == "function" and i.get("name") == name), -1)


def _selectors(abi: list[dict[str, Any]], names: tuple[str, ...]) -> list[bytes]:
    """The 4-byte selectors of the functions ``names`` in ``abi`` (computed from the ABI, never written by hand)."""
    items = {i["name"]: i for i in abi if i.get("type") == "function" and i.get("name") in names}
    missing = [n for n in names if n not in items]
    if missing:
        raise DeploymentError(f"the compiled contract has no {', '.join(missing)}; recompile with `ipledger compile`")
    return [selector(items[n]) for n in names]


def _office(code: str) -> bytes:
    return types.office_bytes(code)
