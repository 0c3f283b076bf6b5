"""A trade mark's life through the ipledger SDK: application request, filing by the office, registration,
assignment, licences.

    python scripts/register_and_transfer.py --network local                 # after scripts/deploy.py
    brownie run scripts/register_and_transfer.py --network ipledger-anvil   # make brownie-run

The EUIPO (EM, recordal required) is added if missing and account 1 made its registrar;
Alice (account 2) requests an application; the office accords it a number and a filing date
(the right is filed for her), publishes and registers it; Alice
assigns it to Bob (account 3), Bob accepts by a relayed EIP-712 signature and the registrar records the assignment; Bob
licenses Carol (account 4: exclusive in DE, FR, IT, software, sublicensable), who
sublicenses Dave (account 5) in DE. Prints the request, the right, its chain of title, its
legal events (WIPO ST.27 key and national codes) and its licence tree.

Under ``brownie run`` (``main()`` called with no arguments, brownie connected), the SDK uses
brownie's node and accounts and deploys first: brownie's development node starts empty.
With Python, ``--network local`` uses the deployment recorded by scripts/deploy.py; the
networks that start empty (embedded, anvil, ganache) are deployed to first.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from typing import Any

from ipledger.integrations.brownie import NETWORK_ENV, brownie_chain, deploy_on, open_chain, run_script
from ipledger.cli.story import print_story
from ipledger.sdk.demo import GOVERNOR, trade_mark_story


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/register_and_transfer.py",
        description="Request, accord, register and assign a trade mark (and license it), then print its chain of "
                    "title.",
        epilog="example: python scripts/deploy.py --network local && "
               "python scripts/register_and_transfer.py --network local",
    )
    parser.add_argument("--network", "-n", default=os.environ.get(NETWORK_ENV, "local"),
                        help="network of brownie-config.yaml or an RPC URL (default: local, or $IPLEDGER_NETWORK)")
    parser.add_argument("--number", default=None,
                        help="application number the office accords (default: one made from the clock, so reruns "
                             "never clash)")
    parser.add_argument("--deploy", action="store_true",
                        help="deploy a fresh suite first (always done on networks that start empty)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the scenario; ``brownie run`` calls this with no arguments once it is connected."""
    from ipledger.sdk import IPLedger
    from ipledger.config import load_config

    config = load_config()
    under_brownie = brownie_chain(config)
    args = parse_args([] if under_brownie is not None else list(argv or []))
    if under_brownie is not None:
        chain, throwaway = under_brownie
        governor: Any = chain.accounts[GOVERNOR]
    else:
        chain, governor, throwaway = open_chain(args.network, str(GOVERNOR), config)
    number = args.number or time.strftime("%y%m%d%H%M%S")
    with chain:
        if args.deploy or throwaway:
            ipl = deploy_on(chain, config, governor, persist=not throwaway)
        else:
            ipl = IPLedger.connect(chain=chain, account=governor, config=config)
        print(f"IP Ledger on {ipl.chain.name} (chain id {ipl.chain.chain_id})")
        print_story(ipl, trade_mark_story(ipl, number))
    return 0


if __name__ == "__main__":
    run_script(main)
