"""Upgrading a register behind its proxy: deploy the next implementation, check its layout, propose, record.

The path of an upgrade (docs/upgrades.md):

1. :func:`deploy_implementation` deploys the new implementation from the current artifacts (anyone may: an
   implementation is inert, its constructor disables initializers);
2. :func:`check` validates it with OpenZeppelin upgrades-core against the implementation the proxy runs
   today: the reference is that implementation's build-info, archived when it was deployed (:func:`remember`,
   kept in ``deployments/build-info/`` with an index ``deployments/<chain-id>.implementations.json``), or,
   when none was archived and the current build still holds the deployed code, the current build itself;
3. :func:`propose` puts ``proxy.upgradeToAndCall(newImplementation, data)`` to the office council
   (``ipl.council.propose``); the vote and the timelock follow (``ipledger council vote|execute``). Nothing
   else can upgrade: ``_authorizeUpgrade`` is restricted to the authority's admin role, the timelock's;
4. :func:`record` reads the proxy's ERC-1967 slot after execution and writes the new implementation into the
   deployment record (and archives its build-info as the reference of the next upgrade).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_utils import keccak, to_checksum_address

from ipledger.build.buildinfo import build_info_path
from ipledger.build.layout import LayoutReport, validate
from ipledger.config import Config
from ipledger.deploy import ERC1967_IMPLEMENTATION_SLOT, Deployment, write_record
from ipledger.errors import DeploymentError, UsageError

if TYPE_CHECKING:
    from ipledger.sdk.client import IPLedger


class UpgradeRefused(UsageError):
    """upgrades-core refused the new implementation (its problems are in the message, one a line)."""

    def __init__(self, report: LayoutReport, contract: str) -> None:
        self.report = report
        self.details = report.problems or (report.text,)
        self.summary = f"{contract} is not a safe upgrade; fix the problems below and compile again"
        super().__init__(self.summary + "\n" + "\n".join(self.details))


@dataclass(frozen=True)
class Reference:
    """The implementation a proxy runs today, as upgrades-core names it: ``<dir>:<Contract>`` in ``folder``."""

    contract: str
    folder: Path | None  # an archived build-info directory; None: the current build

    @property
    def name(self) -> str:
        return self.contract if self.folder is None else f"{self.folder.name}:{self.contract}"


@dataclass(frozen=True)
class UpgradePlan:
    """A checked upgrade, ready to propose: the call the timelock will make, and upgrades-core's verdict."""

    contract: str  # the register (its name in the deployment record)
    artifact: str  # the new implementation's contract name
    proxy: str
    current: str  # the implementation the proxy runs now
    implementation: str  # the new one
    data: bytes  # the call made through the proxy after the switch (b"" for none)
    data_for_proxy: bytes  # ``upgradeToAndCall(implementation, data)`` encoded for the proxy (from the ABI)
    report: LayoutReport

    def calls(self) -> list[tuple[str, int, bytes]]:
        """The proposal's calls: ``(target, value, calldata)``."""
        return [(self.proxy, 0, self.data_for_proxy)]

    @property
    def description(self) -> str:
        return f"Upgrade {self.contract} at {self.proxy} to {self.artifact} at {self.implementation}"


# ---------------------------------------------------------------- where references live


def store_dir(config: Config) -> Path:
    """The archive of deployed implementations' build-info files."""
    return config.deployments_dir / "build-info"


def index_path(config: Config, chain_id: int) -> Path:
    """``deployments/<chain-id>.implementations.json``: implementation address -> contract and build-info."""
    return config.deployments_dir / f"{chain_id}.implementations.json"


def _read_index(config: Config, chain_id: int) -> dict[str, dict[str, str]]:
    path = index_path(config, chain_id)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
    except ValueError:
        raise DeploymentError(f"{path} is not JSON; delete it (the next upgrade check archives again)") from None
    if not isinstance(data, dict):
        raise DeploymentError(f"{path} is not an object of implementations; delete it")
    return data


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True))
    os.replace(tmp, path)


def remember(config: Config, chain_id: int, implementation: str, contract: str, build_id: str) -> Reference:
    """Archives the build-info ``build_id`` (the current build) as the one ``implementation`` was deployed from."""
    source = build_info_path(config, build_id)
    if not source.is_file():
        raise DeploymentError(f"no build-info {build_id} to archive; run `ipledger compile --force`")
    folder = store_dir(config) / f"b{build_id[:16]}"
    if not (folder / source.name).is_file():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / source.name)
    index = _read_index(config, chain_id)
    index[to_checksum_address(implementation)] = {"contract": contract, "buildInfo": folder.name}
    _write_json(index_path(config, chain_id), index)
    return Reference(contract=contract, folder=folder)


def code_matches(ipl: IPLedger, address: str, artifact: str) -> bool:
    """Whether ``address`` holds the code of ``artifact`` as compiled now (immutables aside)."""
    art = ipl.artifacts.artifacts.get(artifact)
    if art is None:
        return False
    return art.runtime_matches(bytes(ipl.w3.eth.get_code(to_checksum_address(address))))


def reference_for(ipl: IPLedger, contract: str, implementation: str, *, config: Config | None = None) -> Reference:
    """The reference to check an upgrade of ``contract`` against: the build ``implementation`` came from."""
    config = config or _config(ipl)
    entry = _read_index(config, ipl.deployment.chain_id).get(to_checksum_address(implementation))
    if entry is not None:
        folder = store_dir(config) / entry["buildInfo"]
        if folder.is_dir():
            return Reference(contract=entry["contract"], folder=folder)
    code = bytes(ipl.w3.eth.get_code(to_checksum_address(implementation)))
    names = [contract, *sorted(n for n in ipl.artifacts.artifacts if n != contract)]
    built = next((n for n in names if ipl.artifacts[n].runtime_matches(code)), None)
    if built is not None:  # the current build still holds the running code (under this name)
        if ipl.chain.backend == "rpc":  # a node that outlives us: archive now, the sources may change next
            return remember(config, ipl.deployment.chain_id, implementation, built, ipl.artifacts.cache_key)
        return Reference(contract=built, folder=None)
    raise DeploymentError(
        f"no build-info of {contract}'s implementation at {implementation} (it was deployed from other sources "
        "and not archived); check out the sources it was deployed from, run `ipledger upgrade remember "
        f"{contract}`, then return to the new sources"
    )


def _config(ipl: IPLedger) -> Config:
    if ipl.config is None:
        raise UsageError("this client has no config; connect with IPLedger.connect(..., config=load_config())")
    return ipl.config


# ---------------------------------------------------------------- the steps


def current_implementation(ipl: IPLedger, contract: str) -> str:
    """The implementation the proxy of ``contract`` points at now (its ERC-1967 slot)."""
    entry = ipl.deployment.contracts.get(contract)
    if entry is None or entry.implementation is None:
        raise UsageError(f"{contract} is not behind a proxy in this deployment; upgradeable: {', '.join(upgradeable(ipl))}")
    slot = ipl.w3.eth.get_storage_at(to_checksum_address(entry.address), ERC1967_IMPLEMENTATION_SLOT)
    return to_checksum_address(bytes(slot)[-20:])


def upgradeable(ipl: IPLedger) -> list[str]:
    """The registers of this deployment that sit behind a proxy."""
    return sorted(name for name, c in ipl.deployment.contracts.items() if c.implementation is not None)


def deploy_implementation(ipl: IPLedger, artifact: str) -> str:
    """Deploys the current artifact ``artifact`` as a new implementation (no initialization: it is inert)."""
    art = ipl.artifacts[artifact]
    if not any(item.get("name") == "upgradeToAndCall" for item in art.abi):
        raise UsageError(f"{artifact} is not a UUPS implementation (no upgradeToAndCall); name a Governed register")
    factory = ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    receipt = ipl.sender.send(factory.constructor(), label=f"deploy {artifact} implementation")
    return to_checksum_address(receipt["contractAddress"])


def check(ipl: IPLedger, contract: str, artifact: str | None = None, *, reference: Reference | None = None) -> LayoutReport:
    """upgrades-core's verdict on ``artifact`` (default ``contract``) as the next version of ``contract``."""
    config = _config(ipl)
    artifact = artifact or contract
    reference = reference or reference_for(ipl, contract, current_implementation(ipl, contract), config=config)
    if reference.folder is None and reference.contract == artifact:
        raise UsageError(f"{contract} already runs the code of {artifact} as compiled now; nothing to upgrade "
                         "(change the sources, compile, and run this again)")
    dirs = () if reference.folder is None else (reference.folder,)
    return validate(config, contract=artifact, reference=reference.name, reference_dirs=dirs)


def prepare(ipl: IPLedger, contract: str, *, artifact: str | None = None, implementation: str | None = None,
            data: bytes = b"", reference: Reference | None = None) -> UpgradePlan:
    """Checks the upgrade and deploys the implementation (unless ``implementation`` is given); refuses a bad one.

    A given ``implementation`` must hold the code of ``artifact`` in the current build, so the layout that was
    checked is the one that will run.
    """
    artifact = artifact or contract
    current = current_implementation(ipl, contract)
    if implementation is not None and to_checksum_address(implementation) == current:
        raise UsageError(f"{contract} already runs {current}; nothing to upgrade")
    report = check(ipl, contract, artifact, reference=reference)
    if not report.ok:
        raise UpgradeRefused(report, artifact)
    if implementation is None:
        implementation = deploy_implementation(ipl, artifact)
        if ipl.chain.backend == "rpc":
            remember(_config(ipl), ipl.deployment.chain_id, implementation, artifact, ipl.artifacts.cache_key)
    elif not code_matches(ipl, implementation, artifact):
        raise UsageError(f"{implementation} does not hold the code of {artifact} as compiled now; "
                         "deploy it with `--deploy`, or compile the sources it was deployed from")
    implementation = to_checksum_address(implementation)
    if implementation == current:
        raise UsageError(f"{contract} already runs {implementation}; nothing to upgrade")
    proxy = to_checksum_address(ipl.deployment.contracts[contract].address)
    encoded = ipl.w3.eth.contract(abi=ipl.artifacts[artifact].abi).encode_abi("upgradeToAndCall", [implementation, data])
    return UpgradePlan(contract=contract, artifact=artifact, proxy=proxy, current=current,
                       implementation=implementation, data=data, data_for_proxy=bytes.fromhex(encoded[2:]),
                       report=report)


def propose(ipl: IPLedger, plan: UpgradePlan, description: str | None = None) -> Any:
    """Puts the upgrade to the office council (``ipl.council``, sdk/council.py): one action, the proxy's
    ``upgradeToAndCall``; returns the council's proposal result (``.proposal_id``)."""
    council = getattr(ipl, "council", None)
    if council is None:
        raise UsageError("this deployment has no office council to propose to; deploy the v2 suite (`ipledger deploy`)")
    action = council.call(plan.contract, "upgradeToAndCall", plan.implementation, plan.data, summary=plan.description)
    return council.propose([action], description or plan.description)


def record(ipl: IPLedger, contract: str, artifact: str | None = None) -> Deployment:
    """After the upgrade ran: the deployment with ``contract``'s new implementation (written when persisted).

    Refuses when the proxy still points at the recorded implementation (the proposal has not executed yet).
    """
    from ipledger.deploy import record_path

    entry = ipl.deployment.contracts.get(contract)
    now = current_implementation(ipl, contract)
    if entry is None or entry.implementation is None:
        raise UsageError(f"{contract} is not behind a proxy in this deployment")
    if to_checksum_address(entry.implementation) == now:
        raise UsageError(f"{contract} still runs {now}, the recorded implementation; execute the proposal first "
                         "(`ipledger council execute ID`)")
    artifact = artifact or contract
    art = ipl.artifacts.artifacts.get(artifact)
    if art is None or not code_matches(ipl, now, artifact):
        raise UsageError(f"{contract}'s proxy now runs {now}, whose code is not {artifact} as compiled now; "
                         "compile the sources it was deployed from (or name them with --artifact) and record again")
    code = bytes(ipl.w3.eth.get_code(to_checksum_address(now)))
    updated = dataclasses.replace(entry, implementation=now, implementation_code_hash="0x" + keccak(code).hex(),
                                  creation_code_hash="0x" + keccak(bytes.fromhex(art.bytecode.removeprefix("0x"))).hex())
    deployment = dataclasses.replace(ipl.deployment, contracts={**ipl.deployment.contracts, contract: updated})
    config = ipl.config
    if config is not None and record_path(config, deployment.chain_id).is_file():
        write_record(config, deployment)
        remember(config, deployment.chain_id, now, artifact, ipl.artifacts.cache_key)
    ipl.deployment = deployment
    return deployment


__all__ = ["Reference", "UpgradePlan", "UpgradeRefused", "check", "current_implementation", "deploy_implementation",
           "code_matches", "prepare", "propose", "record", "reference_for", "remember", "upgradeable"]
