"""A public testnet, stood in for by an anvil with Sepolia's chain id: keystore signing, no unlocked
accounts, confirmations, and no raw key without the explicit opt-in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import run_cli
from ipledger.chain import launch_node, stop_process
from ipledger.sdk import IPLedger
from ipledger.config import Config

pytestmark = pytest.mark.nodes

PASSWORD = "correct horse battery staple"
TEST_KEY = "0x" + "5c" * 32  # a key that only this test uses; it must never be printed


@pytest.fixture
def sepolia(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    # a block a second, so that waiting for confirmations has blocks to wait for
    proc, url = launch_node(config, "anvil", 11155111, extra_args=("--block-time", "1"))
    env = {"SEPOLIA_RPC_URL": url, "IPLEDGER_KEYSTORE_DIR": str(tmp_path / "ks"),
           "IPLEDGER_KEYSTORE_PASSWORD": PASSWORD, "IPLEDGER_DEPLOYMENTS_DIR": str(tmp_path / "deployments")}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    try:
        yield env
    finally:
        stop_process(proc)


def _fund(url: str, address: str) -> None:
    from web3 import HTTPProvider, Web3

    Web3(HTTPProvider(url)).provider.make_request("anvil_setBalance", [address, hex(10**20)])


def test_keystore_account_deploys_and_files_on_live_network(sepolia: dict[str, str]) -> None:
    created = run_cli("accounts", "new", "office-em", "--json")
    assert created.returncode == 0, created.stderr
    gov = json.loads(created.stdout)["address"]
    _fund(sepolia["SEPOLIA_RPC_URL"], gov)

    dev = run_cli("office", "list", "--network", "sepolia", "--account", "0")
    assert dev.returncode == 2 and "has no dev accounts" in dev.stderr

    other = run_cli("accounts", "new", "office-us", "--json")
    us_admin = json.loads(other.stdout)["address"]
    # a live network's council is given: its offices, their admins, the guardian, a real timelock delay
    bare = run_cli("deploy", "--network", "sepolia", "--account", "keystore:office-em")
    assert bare.returncode == 2 and "needs its council" in bare.stderr
    council = ("--office", f"EM={gov}:recordal", "--office", f"US={us_admin}", "--guardian", us_admin)
    no_delay = run_cli("deploy", "--network", "sepolia", "--account", "keystore:office-em", *council,
                       "--timelock-delay", "0")
    assert no_delay.returncode == 2 and "local dev chains only" in no_delay.stderr
    dep = run_cli("deploy", "--network", "sepolia", "--account", "keystore:office-em", *council,
                  "--timelock-delay", "2d", "--voting-period", "50", "--json")
    assert dep.returncode == 0, dep.stderr
    assert json.loads(dep.stdout)["chain_id"] == 11155111
    shown_council = json.loads(run_cli("council", "show", "--network", "sepolia", "--account", "keystore:office-em",
                                       "--json").stdout)
    assert shown_council["timelock_delay"] == 2 * 86400 and shown_council["voting_period"] == 50
    assert {o["office"]: o["admin"] for o in shown_council["offices"]} == {"EM": gov, "US": us_admin}
    for args in (["office", "registrar", "grant", "EM", gov],
                 ["register", "EM", "TM", "018234567", "--holder", gov, "--content-hash", "0x" + "12" * 32]):
        res = run_cli(*args, "--network", "sepolia", "--account", "keystore:office-em")
        assert res.returncode == 0, res.stderr
    shown = json.loads(run_cli("show", "EM/TM/018234567", "--network", "sepolia", "--account",
                               "keystore:office-em", "--json").stdout)
    assert shown["holder"] == gov

    # the SDK waits for the configured confirmations (2 on sepolia) before it returns
    with IPLedger.connect("sepolia", "keystore:office-em") as ipl:
        res = ipl.file("EM", "TM", "018234568", holder=ipl.address)  # the account is EM's registrar (above)
        assert ipl.w3.eth.block_number >= res.block + 2


def test_raw_key_needs_explicit_flag_and_never_shows(sepolia: dict[str, str]) -> None:
    from eth_account import Account

    addr = Account.from_key(TEST_KEY).address
    _fund(sepolia["SEPOLIA_RPC_URL"], addr)
    env = {"IPLEDGER_PRIVATE_KEY": TEST_KEY}
    refused = run_cli("deploy", "--network", "sepolia", "--account", "env", env=env)
    assert refused.returncode == 2 and "--allow-env-key" in refused.stderr
    ok = run_cli("deploy", "--network", "sepolia", "--account", "env", "--allow-env-key", "--office", f"EM={addr}",
                 env=env)
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("register", "AU", "TM", "1", "--holder", addr, "--network", "sepolia", "--account", "env",
                  "--allow-env-key", env=env)
    assert bad.returncode == 1 and ("UnknownOffice(" in bad.stderr or "NotRegistrar(" in bad.stderr), bad.stderr
    imported = run_cli("accounts", "import", "k", "--from-env", env=env)
    assert imported.returncode == 0 and addr in imported.stdout
    for res in (refused, ok, bad, imported):
        for text in (res.stdout, res.stderr):
            assert TEST_KEY[2:] not in text.lower() and PASSWORD not in text
    stored = next(Path(sepolia["IPLEDGER_KEYSTORE_DIR"]).glob("*.json")).read_text()
    assert TEST_KEY[2:] not in stored, "keystores are encrypted"
