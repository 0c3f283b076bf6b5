"""The council rig: the suite deployed by ``ipledger.deploy.deploy_suite`` (the real registers behind their proxies,
seeded, function roles set, handed over to the timelock). The deployer is a dev account without a seat (MALLORY),
so "the deployer has no power" is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipledger.build.compiler import CompileResult
from ipledger.chain import connect
from ipledger.config import Config
from ipledger.deploy import GovernanceOptions, deploy_suite
from ipledger.sdk import IPLedger

from .world import (
    ALICE,
    BOB,
    EVE,
    GOVERNOR,
    GUARDIAN,
    MALLORY,
    RU_ADMIN,
    STRANGER,
    US_ADMIN,
)

DEPLOYER = MALLORY


@dataclass
class Rig:
    """A governed deployment and its cast (dev-account indexes as in helpers.world)."""

    ipl: IPLedger  # acting as the deployer

    def as_(self, index: int) -> IPLedger:
        return self.ipl.as_account(index)

    def address(self, index: int) -> str:
        return str(self.ipl.chain.accounts[index].address)

    @property
    def tester(self) -> Any:
        provider: Any = self.ipl.w3.provider
        return provider.ethereum_tester

    def mine(self, blocks: int = 1) -> None:
        self.tester.mine_blocks(blocks)

    def now(self) -> int:
        return int(self.ipl.w3.eth.get_block("latest")["timestamp"])

    def contract(self, name: str) -> Any:
        return self.ipl.contracts[name]


def make_rig(config: Config, artifacts: CompileResult, *, timelock_delay: int = 0, voting_delay: int = 0,
             voting_period: int = 20) -> Rig:
    """Deploys the suite; EM (GOVERNOR), RU (RU_ADMIN), US (US_ADMIN), guardian GUARDIAN."""
    from eth.estimators.gas import binary_gas_search

    arts = artifacts
    chain = connect("embedded", config)
    acc = chain.accounts
    options = GovernanceOptions(offices={"EM": (acc[GOVERNOR].address, True), "RU": (acc[RU_ADMIN].address, False),
                                         "US": (acc[US_ADMIN].address, False)},
                                guardian=acc[GUARDIAN].address, timelock_delay=timelock_delay,
                                voting_delay=voting_delay, voting_period=voting_period)
    deployment = deploy_suite(chain, acc[DEPLOYER], arts, governance=options, persist=False)
    ipl = IPLedger(chain, deployment, arts, acc[DEPLOYER], config=config, owns_chain=True)
    provider: Any = ipl.w3.provider
    provider.ethereum_tester.backend.chain.gas_estimator = binary_gas_search(tolerance=8_000_000)
    return Rig(ipl=ipl)


__all__ = ["ALICE", "BOB", "DEPLOYER", "EVE", "GOVERNOR", "GUARDIAN", "MALLORY", "RU_ADMIN", "STRANGER", "US_ADMIN",
           "Rig", "make_rig"]
