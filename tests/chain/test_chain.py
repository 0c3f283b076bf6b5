"""Chains: embedded in process, anvil and Ganache as child processes, RPC URLs."""

from __future__ import annotations

import socket
import subprocess

import pytest

from helpers import node_pids, port_of
from ipledger.chain import DEV_ACCOUNTS, connect, free_port, launch_node
from ipledger.config import Config
from ipledger.errors import ConfigError, NetworkError


def test_connect_embedded_gives_funded_signers(config: Config) -> None:
    with connect("embedded", config) as chain:
        assert chain.backend == "embedded"
        assert len(chain.accounts) == DEV_ACCOUNTS  # the test parties, two office admins and the guardian
        assert chain.w3.eth.get_balance(chain.accounts[0].address) > 10**21


def test_connect_unknown_network_suggests_close_match(config: Config) -> None:
    with pytest.raises(ConfigError, match="Did you mean 'anvil'"):
        connect("anvli", config)


def test_connect_rpc_without_node_raises_network_error(config: Config) -> None:
    port = free_port()
    with pytest.raises(NetworkError, match=f"no node answers at http://127.0.0.1:{port}"):
        connect(f"http://127.0.0.1:{port}", config)


def test_connect_sepolia_without_url_names_the_variable(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEPOLIA_RPC_URL", raising=False)
    with pytest.raises(ConfigError, match="SEPOLIA_RPC_URL"):
        connect("sepolia", config)


@pytest.mark.nodes
@pytest.mark.parametrize("backend,chain_id", [("anvil", 31337), ("ganache", 1337)])
def test_connect_node_starts_answers_and_stops(config: Config, backend: str, chain_id: int) -> None:
    chain = connect(backend, config)
    try:
        assert chain.chain_id == chain_id
        assert chain.process is not None and chain.process.poll() is None
        assert chain.w3.eth.get_balance(chain.accounts[0].address) > 0
        assert chain.url and chain.url.startswith("http://127.0.0.1:")
    finally:
        chain.close()
    assert chain.process.poll() is not None
    assert node_pids(port_of(chain.url)) == set(), "the node must not outlive its chain"


@pytest.mark.nodes
def test_launch_node_on_busy_port_fails_clearly(config: Config) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(NetworkError, match="exited|no answer"):
            launch_node(config, "anvil", 31337, port=port, timeout=20)
        assert node_pids(port) == set()


@pytest.mark.nodes
def test_launch_node_stopped_even_when_caller_raises(config: Config) -> None:
    proc: subprocess.Popen[bytes] | None = None
    url = ""
    with pytest.raises(RuntimeError):
        with connect("anvil", config) as chain:
            proc, url = chain.process, str(chain.url)
            raise RuntimeError("boom")
    assert proc is not None and proc.poll() is not None
    assert node_pids(port_of(url)) == set()


def test_embedded_call_without_fee_fields_works_after_the_base_fee_rises(config: Config) -> None:
    """eth-tester prices a bare call at a 1 gwei fee cap; a node answers it whatever the base fee (chain.embedded)."""
    with connect("embedded", config) as chain:
        w3, sender = chain.w3, chain.accounts[0]
        for nonce in range(2):  # two blocks nearly full of calldata: the base fee rises 12.5 % per full block
            tx = {"to": chain.accounts[1].address, "value": 0, "data": b"\x01" * 1_790_000, "gas": 29_000_000,
                  "nonce": nonce, "chainId": chain.chain_id, "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 0}
            w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction))
        assert int(w3.eth.get_block("latest")["baseFeePerGas"]) > 10**9, "the base fee did not pass 1 gwei"
        bare = {"from": sender.address, "to": chain.accounts[1].address, "data": "0x"}
        assert w3.eth.call(bare) == b""
        assert w3.eth.estimate_gas(bare) == 21_000
