"""Deploys the contract suite and keeps ``deployments/<chain-id>.json``.

A record names each contract's address, transaction, block, the deployer, the compiler and
two code hashes: the artifact's creation code (to notice that the sources changed) and the
runtime code on chain (to notice a different chain under the same id). Records are written
atomically. Chains that end with the process (embedded, launched anvil/Ganache) are not
recorded by default.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_utils import keccak, to_checksum_address

from ipledger.build.compiler import CompileResult
from ipledger.config import Config
from ipledger.errors import DeploymentError
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
# ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1), where a proxy keeps its implementation.
ERC1967_IMPLEMENTATION_SLOT = int.from_bytes(keccak(b"eip1967.proxy.implementation"), "big") - 1
# (contract, its setter, the contract whose address it is given): calls the deployer (the first governor) makes
# once the suite is deployed. IPRegistry asks SecurityInterests before an assignment takes effect.
WIRING: tuple[tuple[str, str, str], ...] = (
    ("IPRegistry", "setSecurityInterests", "SecurityInterests"),
)


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
        entry = _object(data, "the record", ("chain_id", "network", "deployer", "compiler", "contracts"))
        contracts = entry["contracts"]
        if not isinstance(contracts, dict):
            raise DeploymentError(f"'contracts' is a {_kind(contracts)}, not an object of contracts")
        names = [AUTHORITY] + [name for name, _, _ in SUITE]
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
                 persist: bool | None = None, confirmations: int = 0) -> Deployment:
    """Deploys every contract of the suite that was compiled, in order, wires them (``WIRING``) and records it.

    ``persist`` defaults to True only for RPC networks: the embedded chain and the nodes launched
    per command end with the process, and a record of theirs would overwrite that of a
    persistent node with the same chain id.
    """
    from ipledger.tx.sender import Sender

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
            runtime_code_hash=_hash(bytes(chain.w3.eth.get_code(address))),
            implementation=implementation,
            implementation_code_hash=None if implementation is None
            else _hash(bytes(chain.w3.eth.get_code(implementation))),
        )

    address, receipt = create(AUTHORITY, [deployer.address])
    done[AUTHORITY] = address
    contracts[AUTHORITY] = entry(AUTHORITY, address, receipt)
    for name, init_args, legacy_args in SUITE:
        if name not in artifacts.artifacts:
            continue
        art = artifacts[name]
        if any(item.get("name") == "initialize" for item in art.abi):
            implementation, _ = create(name, [])
            init = chain.w3.eth.contract(abi=art.abi).encode_abi("initialize", init_args(done, deployer.address))
            address, receipt = create(PROXY, [implementation, init])
            contracts[name] = entry(name, address, receipt, implementation)
        else:
            address, receipt = create(name, legacy_args(done, deployer.address))
            contracts[name] = entry(name, address, receipt)
        done[name] = address
    for name, setter, target in WIRING:
        if name in done and target in done:
            contract = chain.w3.eth.contract(address=to_checksum_address(done[name]), abi=artifacts[name].abi)
            sender.send(getattr(contract.functions, setter)(done[target]), label=f"wire {name}.{setter}")
    deployment = Deployment(
        chain_id=chain.chain_id,
        network=chain.name,
        deployer=deployer.address,
        compiler=artifacts.compiler,
        contracts=contracts,
    )
    if persist is None:
        persist = chain.backend == "rpc"  # embedded and launched nodes end with the process
    if persist:
        if config is None:
            raise DeploymentError("deploy_suite(persist=True) needs the config to know where to write")
        write_record(config, deployment)
    return deployment
