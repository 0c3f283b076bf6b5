"""Keys and networks: no private key or keystore password in any output, log or exception; a live network never
signs with a raw key without the explicit opt-in; and no transaction goes to a chain other than the deployment
record's. (tests/system/test_live_network.py covers keystore signing on a live network and `deploy --account env`.)
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import run_cli
from ipledger.accounts import create_keystore, load_keystore, resolve_account
from ipledger.chain import launch_node, stop_process
from ipledger.sdk import IPLedger
from ipledger.config import Config
from ipledger.errors import DeploymentError, IPLedgerError, NetworkError, UsageError

TEST_KEY = "0x" + "6d" * 32  # a key only this module uses
PASSWORD = "tr0ub4dor&3 keys-test"
WRONG_PASSWORD = "wr0ng-pa55word-keys-test"
BAD_KEY = "0x" + "7e" * 31 + "zz"  # malformed: must not be echoed either
SECRETS = (TEST_KEY[2:], PASSWORD, WRONG_PASSWORD, BAD_KEY[2:-2])


def _leaks(text: str) -> list[str]:
    low = text.lower()
    return [s for s in SECRETS if s.lower() in low]


def _exception_texts(exc: BaseException) -> str:
    """str and repr of an exception and of every exception chained to it."""
    out, seen = [], set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        out += [str(e), repr(e), repr(getattr(e, "args", ()))]
        e = e.__cause__ or e.__context__
    return "\n".join(out)


def _fund(url: str, address: str) -> None:
    from web3 import HTTPProvider, Web3

    Web3(HTTPProvider(url)).provider.make_request("anvil_setBalance", [address, hex(10**20)])


@dataclass
class Nodes:
    live_url: str  # an anvil with Sepolia's chain id: the live stand-in
    url_a: str  # chain 31001
    url_b: str  # chain 31002


@pytest.fixture(scope="module")
def nodes(config: Config) -> Iterator[Nodes]:
    procs = []
    try:
        urls = []
        for chain_id in (11155111, 31001, 31002):
            proc, url = launch_node(config, "anvil", chain_id)
            procs.append(proc)
            urls.append(url)
        yield Nodes(*urls)
    finally:
        for proc in procs:
            stop_process(proc)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"IPLEDGER_DEPLOYMENTS_DIR": str(tmp_path / "deployments"), "IPLEDGER_KEYSTORE_DIR": str(tmp_path / "ks"),
              "IPLEDGER_KEYSTORE_PASSWORD": PASSWORD, "IPLEDGER_PRIVATE_KEY": TEST_KEY}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


# ---------------------------------------------------------------- secrets stay secret


@pytest.mark.nodes
def test_cli_with_verbose_logging_never_shows_a_key_or_password(nodes: Nodes, env: dict[str, str]) -> None:
    url = nodes.url_a
    runs = []

    def cli(*args: str, extra: dict[str, str] | None = None) -> Any:
        res = run_cli("-v", *args, env={**env, **(extra or {})}, timeout=120)
        runs.append((args, res))
        return res

    imported = cli("accounts", "import", "ops", "--from-env", "--json")
    assert imported.returncode == 0, imported.stderr
    address = json.loads(imported.stdout)["address"]
    _fund(url, address)
    ks = ("--network", url, "--account", "keystore:ops")
    raw = ("--network", url, "--account", "env", "--allow-env-key")
    # the keystore account deploys with itself as EM's admin (the council's one office), then acts as that admin
    council = ("--office", f"EM={address}:recordal", "--timelock-delay", "0", "--allow-zero-delay")
    for args in (("deploy", *council, *ks), ("office", "codes", "set", "EM", "registered", "REG", *ks),
                 ("office", "registrar", "grant", "EM", address, *raw),
                 ("register", "EM", "TM", "KEY-1", "--holder", address, "--content-hash", "0x" + "12" * 32, *ks),
                 ("status", "EM/TM/KEY-1", "published", *raw), ("show", "EM/TM/KEY-1", "--json", *ks),
                 ("accounts", "list", "--json")):
        res = cli(*args)
        assert res.returncode == 0, f"{args}: {res.stderr}"
    assert "INFO" in "".join(r.stderr for _, r in runs), "-v logs on stderr"
    # refusals and failures, which print the most context
    refusals = [
        (("show", "EM/TM/KEY-1", *ks), {"IPLEDGER_KEYSTORE_PASSWORD": WRONG_PASSWORD}, 2),
        (("show", "EM/TM/KEY-1", *raw), {"IPLEDGER_PRIVATE_KEY": BAD_KEY}, 2),
        (("accounts", "import", "bad", "--from-env"), {"IPLEDGER_PRIVATE_KEY": BAD_KEY}, 2),
        (("accounts", "import", "ops", "--from-env"), {}, 2),  # exists already
        (("assign", "EM/TM/KEY-1", address, *raw), {}, 1),  # InvalidAccount: to itself
        (("register", "EM", "TM", "KEY-1", "--holder", address, *raw), {}, 1),  # RightExists
        (("accept", "EM/TM/KEY-1", "--relay", "0x" + "11" * 65, "--deadline", "2035-01-01", *ks),
         {"IPLEDGER_DEBUG": "1"}, 1),
        # a crash with IPLEDGER_DEBUG=1 prints the whole traceback (exit 1; 2 once --relay is checked up front)
        (("accept", "EM/TM/KEY-1", "--relay", "0xzz", *raw), {"IPLEDGER_DEBUG": "1"}, (1, 2)),
    ]
    for args, extra, code in refusals:
        res = cli(*args, extra=extra)
        assert res.returncode in (code if isinstance(code, tuple) else (code,)), f"{args}: {res.returncode} {res.stderr}"
    for args, res in runs:
        assert not _leaks(res.stdout + res.stderr), f"{args} printed a secret: {_leaks(res.stdout + res.stderr)}"
    for path in Path(env["IPLEDGER_DEPLOYMENTS_DIR"]).glob("*.json"):
        assert not _leaks(path.read_text()), f"{path} holds a secret"
    for path in Path(env["IPLEDGER_KEYSTORE_DIR"]).glob("*.json"):
        assert not _leaks(path.read_text()), "keystores are encrypted"


def test_sdk_logs_and_exceptions_never_hold_a_key_or_password(env: dict[str, str], config: Config,
                                                              caplog: pytest.LogCaptureFixture,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)  # everything: web3's request logs included
    texts: list[str] = []
    address = create_keystore("sdk", password=PASSWORD, private_key=TEST_KEY)
    signer = load_keystore("sdk", PASSWORD)
    assert signer.address == address
    with IPLedger.connect("embedded", 0, config=config, deploy=True) as gov:
        fund = gov.chain.accounts[0].sign_transaction({
            "to": address, "value": 10**19, "gas": 21_000, "gasPrice": 10**10, "chainId": gov.chain.chain_id,
            "nonce": gov.w3.eth.get_transaction_count(gov.address)})
        gov.w3.eth.send_raw_transaction(fund.raw_transaction)
        gov.reset_nonces()
        gov.grant_registrar("EM", address)  # EM's admin (the dev council seeded EM): only the office files
        me = gov.as_account(resolve_account(gov.chain, "keystore:sdk"))
        env_signer = resolve_account(gov.chain, "env", allow_env_key=True)
        assert env_signer.address == address
        rid = me.file("EM", "TM", "SDK-1", holder=me.address).right_id
        texts += [repr(me), repr(me.sender), repr(me.chain), repr(me.deployment), repr(me.right(rid))]
        failures: list[BaseException] = []
        for attempt in (lambda: me.request_assignment(rid, me.address),  # InvalidAccount revert
                        lambda: load_keystore("sdk", WRONG_PASSWORD),
                        lambda: create_keystore("bad", password=PASSWORD, private_key=BAD_KEY),
                        lambda: resolve_account(gov.chain, "env"),
                        lambda: _with_env("IPLEDGER_PRIVATE_KEY", BAD_KEY,
                                          lambda: resolve_account(gov.chain, "env", allow_env_key=True))):
            with pytest.raises(IPLedgerError) as exc_info:
                attempt()
            failures.append(exc_info.value)
        texts += [_exception_texts(e) for e in failures]
    out = capsys.readouterr()
    texts += [out.out, out.err, caplog.text] + [r.getMessage() for r in caplog.records]
    leaked = _leaks("\n".join(texts))
    assert not leaked, f"a secret appeared: {leaked}"
    assert caplog.records, "DEBUG logging captured something"


def _with_env(name: str, value: str, call: Any) -> Any:
    import os

    old = os.environ.get(name)
    os.environ[name] = value
    try:
        return call()
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


# ---------------------------------------------------------------- raw keys on live networks


def test_live_network_detection_and_raw_key_opt_in(config: Config) -> None:
    assert not config.network("http://127.0.0.1:8545").live and not config.network("http://localhost:8545").live
    assert config.network("http://192.0.2.1:8545").live and config.network("https://rpc.example.org").live
    assert config.network("sepolia").live and not config.network("local").live


@pytest.mark.nodes
def test_live_network_refuses_a_raw_key_without_the_flag_everywhere(nodes: Nodes, env: dict[str, str],
                                                                    config: Config,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEPOLIA_RPC_URL", nodes.live_url)
    # the SDK: no opt-in, no raw key (and no dev accounts on a live network)
    with pytest.raises(UsageError) as exc_info:
        IPLedger.connect("sepolia", "env", config=config, deploy=True)
    assert "--allow-env-key" in str(exc_info.value)
    with pytest.raises(UsageError) as exc_info:
        IPLedger.connect("sepolia", 0, config=config, deploy=True)
    assert "no dev accounts" in str(exc_info.value)
    # the CLI: every command, not just deploy, and nothing reaches the chain
    from web3 import HTTPProvider, Web3

    w3 = Web3(HTTPProvider(nodes.live_url))
    before = w3.eth.block_number
    holder = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
    for args in (("office", "list"), ("office", "registrar", "grant", "EM", holder),
                 ("council", "propose", "admit-office", "AU", holder), ("register", "EM", "TM", "1", "--holder", holder),
                 ("show", "EM/TM/1"), ("license", "accept", "1")):
        res = run_cli(*args, "--network", "sepolia", "--account", "env", env=env, timeout=120)
        assert res.returncode == 2 and "--allow-env-key" in res.stderr, f"{args}: {res.stderr}"
        assert not _leaks(res.stdout + res.stderr)
    listed = json.loads(run_cli("accounts", "list", "--network", "sepolia", "--json", env=env).stdout)
    assert all(not row["account"].isdigit() for row in listed), "no dev accounts listed for a live network"
    assert w3.eth.block_number == before


# ---------------------------------------------------------------- the right chain


@pytest.mark.nodes
def test_sending_refuses_a_node_whose_chain_id_differs_from_the_record(nodes: Nodes, env: dict[str, str],
                                                                       config: Config) -> None:
    from web3 import HTTPProvider, Web3

    gov = IPLedger.connect(nodes.url_a, 0, config=config, deploy=True)  # records deployments/31001.json
    alice = gov.as_account(2)
    # EM's admin (the dev council seeded EM): only the office files, so Alice files for herself as its registrar
    gov.grant_registrar("EM", alice.address)
    folder = Path(env["IPLEDGER_DEPLOYMENTS_DIR"])

    # 1. a record for chain 31001 found under chain 31002's name (copied, or a reused node): refused on connect
    shutil.copy(folder / "31001.json", folder / "31002.json")
    w3b = Web3(HTTPProvider(nodes.url_b))
    before = w3b.eth.block_number
    with pytest.raises(DeploymentError) as exc_info:
        IPLedger.connect(nodes.url_b, 0, config=config)
    assert "31001" in str(exc_info.value) and "31002" in str(exc_info.value)
    res = run_cli("register", "EM", "TM", "CHAIN-1", "--holder", alice.address, "--network", nodes.url_b, "--account",
                  "2", env=env)
    assert res.returncode == 1 and "31001" in res.stderr, res.stderr
    assert w3b.eth.block_number == before

    # 2. the node behind the URL changes its chain id after we connected: nothing is signed or sent
    w3a = Web3(HTTPProvider(nodes.url_a))
    alice.file("EM", "TM", "CHAIN-2", holder=alice.address)
    block, nonce = w3a.eth.block_number, w3a.eth.get_transaction_count(alice.address)
    w3a.provider.make_request("anvil_setChainId", [4_242_424])
    try:
        with pytest.raises(NetworkError) as exc_info:
            alice.file("EM", "TM", "CHAIN-3", holder=alice.address)
        assert "4242424" in str(exc_info.value) and "31001" in str(exc_info.value)
        assert (w3a.eth.block_number, w3a.eth.get_transaction_count(alice.address)) == (block, nonce)
    finally:
        w3a.provider.make_request("anvil_setChainId", [31001])
    assert alice.file("EM", "TM", "CHAIN-3", holder=alice.address).right_id  # back on its chain: fine again

    # 3. a named network pinned to a chain id (sepolia: 11155111) pointed at another chain: refused on connect
    res = run_cli("office", "list", "--network", "sepolia", "--account", "keystore:none",
                  env={**env, "SEPOLIA_RPC_URL": nodes.url_b})
    assert res.returncode == 1 and "11155111" in res.stderr and "31002" in res.stderr, res.stderr
    gov.close()
