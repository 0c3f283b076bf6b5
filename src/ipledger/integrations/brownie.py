"""Glue between ``brownie run`` and the SDK: brownie's connection and accounts as an SDK chain.

``brownie run scripts/X.py`` connects first and calls ``main()`` with no arguments; the
scripts then ask ``brownie_chain`` for the chain brownie is on. Run by Python, they use
``open_chain`` on a network of brownie-config.yaml instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from ipledger.chain import Chain
    from ipledger.sdk import IPLedger
    from ipledger.config import Config

NETWORK_ENV = "IPLEDGER_NETWORK"



def brownie_signer(account: Any, dev_signers: Sequence[LocalAccount]) -> LocalAccount:
    """The eth-account signer of a brownie account: its own key, or the dev signer with its address.

    brownie's accounts on a development node are the node's unlocked accounts and hold no
    key; the nodes brownie launches here use ipledger's dev mnemonic (brownie-config.yaml).
    """
    from eth_account import Account

    from ipledger.errors import UsageError

    key = getattr(account, "private_key", None)
    if key:
        return Account.from_key(key)
    for signer in dev_signers:
        if signer.address.lower() == str(account.address).lower():
            return signer
    raise UsageError(
        f"brownie account {account.address} has no private key and is not an ipledger dev account; "
        "use a network whose cmd_settings set the dev mnemonic (ipledger-anvil, ipledger-ganache) "
        "or load a key with brownie's accounts.add()/accounts.load()"
    )


def brownie_chain(config: Config) -> tuple[Chain, bool] | None:
    """The chain ``brownie run`` connected to, as an SDK chain, and whether it is a throwaway node.

    None when brownie is not running this script.
    """
    brownie = sys.modules.get("brownie")
    if brownie is None or not brownie.network.is_connected():
        return None
    from ipledger.chain import connect, dev_accounts

    chain = connect(brownie.web3.provider.endpoint_uri, config)
    chain.name = f"brownie:{brownie.network.show_active()}"
    dev_signers = dev_accounts(max(len(brownie.accounts), 1))
    chain.accounts = [brownie_signer(a, dev_signers) for a in brownie.accounts]
    if not chain.accounts:
        from ipledger.errors import UsageError

        chain.close()
        raise UsageError("brownie has no accounts on this network; add one with accounts.add() or accounts.load()")
    throwaway = bool(brownie.network.rpc.is_active())  # a local node brownie launched or attached to
    return chain, throwaway


def open_chain(network: str, account: str, config: Config) -> tuple[Chain, LocalAccount, bool]:
    """The chain of ``network``, the signer for ``account``, and whether the chain is thrown away after this run."""
    from ipledger.accounts import resolve_account
    from ipledger.chain import connect

    chain = connect(network, config)
    try:
        return chain, resolve_account(chain, account), chain.backend != "rpc"
    except BaseException:
        chain.close()
        raise


def deploy_on(chain: Chain, config: Config, deployer: LocalAccount, *, persist: bool) -> IPLedger:
    """Deploys the suite; returns a client acting as the deployer (closing the chain stays the caller's)."""
    from ipledger.sdk import IPLedger
    from ipledger.build.compiler import compile_project
    from ipledger.deploy import deploy_suite

    confirmations = chain.settings.confirmations
    artifacts = compile_project(config)
    deployment = deploy_suite(chain, deployer, artifacts, config=config, persist=persist,
                              confirmations=confirmations)
    return IPLedger(chain, deployment, artifacts, deployer, config=config, confirmations=confirmations)


def run_script(main: Callable[[Sequence[str]], int]) -> None:
    """Runs a script's ``main`` from the command line: toolkit errors print one line and set the exit code."""
    from ipledger.errors import IPLedgerError

    try:
        sys.exit(main(sys.argv[1:]))
    except IPLedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
