"""Deploys the IP Ledger contracts (IPRegistry, PartyRegistry, LicenseRegistry).

One script, two ways to run it; both go through the ipledger SDK:

    python scripts/deploy.py --network local                # a running `ipledger node`
    brownie run scripts/deploy.py --network ipledger-anvil  # a node brownie launches (make brownie-run)

Run by Python, it deploys to ``--network`` (a network of brownie-config.yaml or an RPC URL)
and writes ``deployments/<chain-id>.json`` for a node that outlives the run. Run by
``brownie run``, brownie has already connected and calls ``main()`` with no arguments: the
SDK signs with brownie's accounts on brownie's RPC URL. A chain that is thrown away when the
run ends (embedded, anvil, ganache, brownie's development nodes) gets no record, so the
record of an `ipledger node` with the same chain id is never overwritten.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ipledger.integrations.brownie import NETWORK_ENV, brownie_chain, deploy_on, open_chain, run_script

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger


# ---------------------------------------------------------------- output


def print_deployment(ipl: IPLedger, record: str | None) -> None:
    from ipledger.cli import render

    con = render.console()
    con.print(f"IP Ledger deployed on [bold]{ipl.chain.name}[/] (chain id {ipl.chain.chain_id})")
    con.print(f"deployer: {ipl.address}")
    rows = [(name, c.address, c.block) for name, c in ipl.deployment.contracts.items()]
    con.print(render.table("Contracts", ("contract", "address", "block"), rows))
    con.print(f"record: {record}" if record else "record: none (this chain is thrown away when the run ends)")


# ---------------------------------------------------------------- entry point


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/deploy.py",
        description="Deploy the IP Ledger contracts and write deployments/<chain-id>.json.",
        epilog="example: ipledger node & python scripts/deploy.py --network local",
    )
    parser.add_argument("--network", "-n", default=os.environ.get(NETWORK_ENV, "local"),
                        help="network of brownie-config.yaml (local, anvil, ganache, sepolia, ...) or an RPC URL "
                             f"(default: local, or ${NETWORK_ENV})")
    parser.add_argument("--account", "-a", default="0",
                        help="deployer: dev account index or address, or keystore:NAME (default: 0)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Deploys; ``brownie run`` calls this with no arguments once it is connected."""
    from ipledger.config import load_config
    from ipledger.deploy import record_path

    config = load_config()
    under_brownie = brownie_chain(config)
    if under_brownie is not None:
        chain, throwaway = under_brownie
        deployer = chain.accounts[0]
    else:
        args = parse_args(argv)
        chain, deployer, throwaway = open_chain(args.network, args.account, config)
    with chain:
        ipl = deploy_on(chain, config, deployer, persist=not throwaway)
        print_deployment(ipl, None if throwaway else str(record_path(config, ipl.chain.chain_id)))
    return 0


if __name__ == "__main__":
    run_script(main)
