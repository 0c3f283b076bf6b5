"""Fault injection: nodes that die or hang in the middle of an SDK call, a node restarted from its state file,
a crash while the deployment record is written, and transactions that revert or are refused, none of which may
leave the toolkit hanging, half-written or with its nonce bookkeeping wrong.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ALICE, BOB, CAROL, RU_ADMIN, World
from helpers import ROOT
from ipledger.chain import Chain, http_web3, dev_accounts, free_port, launch_node, stop_process
from ipledger.sdk import Filing, IPLedger
from ipledger.config import Config
from ipledger.deploy import RECORDED, DeployedContract, Deployment, load_record, record_path, write_record
from ipledger.errors import ContractRevert, IPLedgerError, NetworkError

ZERO32 = "0x" + "00" * 32


# ---------------------------------------------------------------- helpers


class AnvilNode:
    """An anvil the test owns, keeping its chain in a state file, restartable on the same port."""

    def __init__(self, config: Config, tmp: Path, *, interval: int | None = None) -> None:
        self.config = config
        self.port = free_port()
        self.chain_id = 880_000 + self.port % 10_000
        self.state = tmp / "anvil-state.json"
        self.extra = ("--state-interval", str(interval)) if interval else ()
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc, url = launch_node(self.config, "anvil", self.chain_id, port=self.port, state_file=self.state,
                                     extra_args=self.extra)
        assert url == self.url

    def kill(self) -> None:
        """SIGKILL: no chance to save state."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        stop_process(self.proc)  # forget it

    def stop(self) -> None:
        """SIGTERM: anvil saves its state and exits."""
        if self.proc is not None:
            stop_process(self.proc)

    def rpc(self, method: str, *params: object) -> object:
        from web3 import HTTPProvider, Web3

        return Web3(HTTPProvider(self.url)).provider.make_request(method, list(params))


@pytest.fixture
def anvil(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AnvilNode]:
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(tmp_path / "deployments"))
    node = AnvilNode(config, tmp_path)
    node.start()
    try:
        yield node
    finally:
        if node.proc is not None and node.proc.poll() is None:
            os.killpg(node.proc.pid, signal.SIGCONT)  # in case a test stopped it
        node.stop()


def _register(node: AnvilNode, config: Config, *, timeout: float | None = None) -> tuple[IPLedger, IPLedger]:
    """Deploys on the node (the dev council seeds RU, no recordal, its admin RU_ADMIN): (RU admin, Alice) clients.
    RU's admin makes Alice a registrar of RU, so that she files (for herself): only the office files, and these
    tests are about her sender."""
    chain = None
    if timeout is not None:
        chain = Chain(name=node.url, backend="rpc", w3=http_web3(node.url, timeout), accounts=dev_accounts(),
                      settings=config.network(node.url), url=node.url)
    gov = IPLedger.connect(node.url, RU_ADMIN, config=config, chain=chain, deploy=True)
    alice = gov.as_account(ALICE)
    gov.grant_registrar("RU", alice.address)
    return gov, alice


def _killer(node: AnvilNode, after: float, sig: int = signal.SIGKILL) -> threading.Timer:
    assert node.proc is not None
    pid = node.proc.pid
    timer = threading.Timer(after, lambda: os.killpg(pid, sig))
    timer.start()
    return timer


# ---------------------------------------------------------------- nodes that die or hang


@pytest.mark.nodes
def test_node_killed_while_the_sdk_waits_for_a_receipt_raises_network_error(anvil: AnvilNode, config: Config) -> None:
    gov, alice = _register(anvil, config)
    anvil.rpc("evm_setAutomine", False)  # the filing waits in the mempool ...
    timer = _killer(anvil, 1.0)  # ... until the node dies under it
    started = time.monotonic()
    try:
        with pytest.raises(NetworkError) as exc_info:
            alice.file("RU", "TM", "2024-000001", holder=alice.address)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"the SDK took {elapsed:.1f} s to notice the dead node"
    assert "did not answer" in str(exc_info.value) and "\n" not in str(exc_info.value)
    with pytest.raises(NetworkError):  # and every later call says the same, promptly
        gov.offices()
    gov.close()


@pytest.mark.nodes
def test_hung_node_times_out_instead_of_hanging(anvil: AnvilNode, config: Config) -> None:
    gov, alice = _register(anvil, config, timeout=2.0)
    rid = alice.file("RU", "TM", "2024-000002", holder=alice.address).right_id
    assert anvil.proc is not None
    os.killpg(anvil.proc.pid, signal.SIGSTOP)  # alive, port open, never answers
    try:
        for what, call in (("read", lambda: alice.right(rid)), ("write", lambda: alice.anchor(rid, "0x" + "ab" * 32)),
                           ("nonce", lambda: alice.sender.next_nonce())):
            alice.sender.reset_nonce()
            started = time.monotonic()
            with pytest.raises(NetworkError):
                call()
            elapsed = time.monotonic() - started
            # one request timeout, not web3's five retries of it
            assert elapsed < 8, f"{what}: {elapsed:.1f} s against a 2 s request timeout"
    finally:
        os.killpg(anvil.proc.pid, signal.SIGCONT)
    assert alice.right(rid).holder == alice.address  # and it carries on once the node answers again
    gov.close()


@pytest.mark.nodes
def test_node_restarted_from_its_state_file_keeps_the_register(config: Config, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(tmp_path / "deployments"))
    node = AnvilNode(config, tmp_path, interval=1)
    node.start()
    try:
        gov, alice = _register(node, config)
        rid = alice.file("RU", "TM", "2024-000003", holder=alice.address).right_id
        time.sleep(2.5)  # --state-interval 1: the filing is on disk by now
        node.kill()
        with pytest.raises(NetworkError):
            alice.right(rid)
        node.start()
        with IPLedger.connect(node.url, BOB, config=config) as fresh:  # the record still matches the chain
            assert fresh.right(rid).holder == alice.address
            assert fresh.deployment == gov.deployment
        rid2 = alice.file("RU", "TM", "2024-000004", holder=alice.address).right_id  # the old client carries on
        assert gov.right(rid2).holder == alice.address
        gov.close()
    finally:
        node.stop()


@pytest.mark.nodes
def test_client_resyncs_its_nonce_after_a_restart_lost_its_last_transaction(anvil: AnvilNode,
                                                                              config: Config) -> None:
    gov, alice = _register(anvil, config)
    kept = alice.file("RU", "TM", "2024-000005", holder=alice.address).right_id
    anvil.stop()  # SIGTERM: saved
    anvil.start()
    lost = alice.file("RU", "TM", "2024-000006", holder=alice.address).right_id
    anvil.kill()  # SIGKILL before any dump: the last filing is gone
    anvil.start()
    assert not gov.exists(lost) and gov.exists(kept)
    # Alice's cached nonce is now one ahead of the chain; a stale cache would leave this stuck in the mempool
    res = alice.file("RU", "TM", "2024-000007", holder=alice.address)
    assert gov.right(res.right_id).holder == alice.address
    gov.close()


# ---------------------------------------------------------------- reverts and refusals vs. the nonce


def _nonce_in_step(client: IPLedger) -> None:
    chain_nonce = client.w3.eth.get_transaction_count(client.address)
    assert client.sender.next_nonce() == chain_nonce


def test_reverts_on_chain_and_refusals_keep_the_nonce_bookkeeping_right(world: World) -> None:
    w = world
    rid = w.file_registered()
    w.governor.grant_registrar("EM", w.bob.address)  # EM's admin: Bob files below: only the office files
    # 1. reverted on chain (fixed gas skips estimation): the nonce is used, the error still decoded
    with pytest.raises(ContractRevert) as exc_info:
        w.bob.sender.send(w.bob.registry.functions.requestAssignment(rid, w.carol.address, ZERO32), gas=300_000)
    assert type(exc_info.value).__name__ == "NotHolder"
    _nonce_in_step(w.bob)
    w.bob.file("EM", "TM", "NONCE-1", holder=w.bob.address)
    # 2. a batch that reverts on chain half-way (the second filing exists): nothing of it stays
    batch = [Filing("EM", 2, "NONCE-2", holder=w.bob.address), Filing("EM", 2, "018234567", holder=w.bob.address)]
    fn = w.bob.registry.functions.fileBatch([w.bob.filing_tuple(f) for f in batch], False)
    with pytest.raises(ContractRevert) as exc_info:
        w.bob.sender.send(fn, gas=1_000_000)
    assert type(exc_info.value).__name__ == "RightExists"
    assert not w.bob.exists(batch[0].right_id)
    _nonce_in_step(w.bob)
    # 3. refused by the node before it is mined (more gas than a block holds): no nonce used
    with pytest.raises(IPLedgerError):
        w.bob.sender.send(w.bob.registry.functions.anchorDocument(rid, b"\x01" * 32, b"\x00" * 32), gas=10**10)
    _nonce_in_step(w.bob)
    # 4. another tool sends from the same account behind the SDK's back
    acct = w.ipl.chain.accounts[BOB]
    raw = acct.sign_transaction({"to": w.carol.address, "value": 1, "gas": 21_000, "gasPrice": 10**10,
                                 "nonce": w.ipl.w3.eth.get_transaction_count(acct.address), "chainId": w.ipl.chain.chain_id})
    w.ipl.w3.eth.send_raw_transaction(raw.raw_transaction)
    w.bob.file("EM", "TM", "NONCE-3", holder=w.bob.address)  # goes through: the SDK asks the node (nothing in flight)
    _nonce_in_step(w.bob)
    assert w.bob.right(batch[1].right_id).holder == w.alice.address


@pytest.mark.nodes
def test_reverts_on_anvil_keep_the_nonce_bookkeeping_right(anvil: AnvilNode, config: Config) -> None:
    gov, alice = _register(anvil, config)
    carol = gov.as_account(CAROL)
    gov.grant_registrar("RU", carol.address)  # RU's admin: her filing below: only the office files
    rid = alice.file("RU", "TM", "2024-000008", holder=alice.address).right_id
    with pytest.raises(ContractRevert) as exc_info:  # mined with status 0, decoded by replay
        carol.sender.send(carol.registry.functions.requestAssignment(rid, gov.address, ZERO32), gas=300_000)
    assert type(exc_info.value).__name__ == "NotHolder" and exc_info.value.args_by_name["caller"] == carol.address
    _nonce_in_step(carol)
    assert carol.file("RU", "TM", "2024-000009", holder=carol.address).right_id
    gov.close()


# ---------------------------------------------------------------- the deployment record


def _deployment(chain_id: int, tag: str) -> Deployment:
    c = DeployedContract(address="0x" + tag * 40, tx_hash="0x" + tag * 64, block=1, creation_code_hash=ZERO32,
                         runtime_code_hash=ZERO32)
    return Deployment(chain_id=chain_id, network="local", deployer="0x" + tag * 40, compiler="test",
                      contracts={name: c for name in RECORDED})  # every contract


_CRASH_WRITER = """
import json, os, signal, sys
import ipledger.deploy as deploy
from ipledger.config import load_config

def crashing_dump(obj, fh, **kw):
    text = json.dumps(obj, **kw)
    fh.write(text[: len(text) // 2])  # half the record reaches the file ...
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # ... then the process dies

deploy.json.dump = crashing_dump
old = deploy.Deployment.from_json(json.loads(sys.stdin.read()))
deploy.write_record(load_config(), deploy.Deployment(old.chain_id, "crashed", old.deployer, "new", old.contracts))
"""


def test_deployment_record_is_never_half_written(config: Config, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "deployments"
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(folder))
    old = _deployment(31337, "a")
    path = write_record(config, old)
    assert path == record_path(config, 31337)

    # 1. the writing process is killed half-way: the old record stays whole
    proc = subprocess.run([sys.executable, "-c", _CRASH_WRITER], input=json.dumps(old.to_json()), text=True,
                          capture_output=True, env={**os.environ, "IPLEDGER_DEPLOYMENTS_DIR": str(folder)},
                          cwd=ROOT, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert Deployment.from_json(json.loads(path.read_text())) == old
    leftovers = [p for p in folder.iterdir() if p != path]
    assert leftovers and all(p.name.startswith(".") for p in leftovers), "the half record is a hidden temp file"

    # 2. a write that fails (disk full) raises and leaves the old record
    import ipledger.deploy as deploy

    def full_disk(obj: object, fh: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deploy.json, "dump", full_disk)
    with pytest.raises(OSError):
        write_record(config, _deployment(31337, "b"))
    monkeypatch.undo()
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(folder))
    assert Deployment.from_json(json.loads(path.read_text())) == old

    # 3. a reader racing a writer only ever sees a whole record, old or new
    stop = threading.Event()
    seen: set[str] = set()
    errors: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add(Deployment.from_json(json.loads(path.read_text())).compiler)
            except (ValueError, KeyError) as exc:
                errors.append(repr(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(200):
            write_record(config, Deployment(31337, "local", old.deployer, f"v{i}", old.contracts))
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[:3]
    assert len(seen) > 1


def test_corrupt_deployment_record_is_refused_with_the_fix(world: World, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(tmp_path))
    path = record_path(world.ipl.config or pytest.fail("no config"), world.ipl.chain.chain_id)
    path.write_text('{"chain_id": 61, "network": "local", "deployer": "0x')  # what a non-atomic writer leaves
    with pytest.raises(IPLedgerError) as exc_info:
        load_record(world.ipl.config, world.ipl.chain)
    assert "not a valid deployment record" in str(exc_info.value) and "redeploy" in str(exc_info.value)


# ---------------------------------------------------------------- what a node answers


def test_malformed_revert_data_decodes_to_an_error_never_a_crash(world: World) -> None:
    """Whatever bytes a node (or a contract that is not ours) returns as revert data, the decoder names an error."""
    from eth_abi import encode
    from eth_utils import keccak

    from ipledger.abi import ERROR_STRING, PANIC, revert_data

    not_holder = keccak(text="NotHolder(uint256,address)")[:4]
    cases = {
        b"": "Reverted", b"\x01\x02": "Reverted",
        ERROR_STRING + encode(["string"], ["plain reason"]): "Error", ERROR_STRING: "Error",
        ERROR_STRING + b"\xff" * 40: "Error", PANIC + encode(["uint256"], [0x11]): "Panic", PANIC + b"\x01": "Panic",
        b"\xde\xad\xbe\xef" + b"\x00" * 64: "UnknownError",
        not_holder + encode(["uint256", "address"], [7, world.alice.address]): "NotHolder",
        not_holder + b"\x00" * 5: "NotHolder",
    }
    for data, name in cases.items():
        err = world.ipl.decoder.decode(data)
        assert isinstance(err, ContractRevert) and type(err).__name__ == name, (data.hex(), err)
        assert str(err) and "\n" not in str(err) and err.data == "0x" + data.hex()
    decoded = world.ipl.decoder.decode(not_holder + encode(["uint256", "address"], [7, world.alice.address]))
    assert decoded.args_by_name == {"rightId": 7, "caller": world.alice.address}

    class Carrier(Exception):
        def __init__(self, data: object) -> None:
            super().__init__("revert")
            self.data = data

    assert revert_data(Carrier({"data": "0x" + not_holder.hex()})) == not_holder
    assert revert_data(Carrier({"message": "no data"})) is None
    assert revert_data(Carrier("0xzz")) is None  # malformed hex from a node: not a revert we can read
    assert revert_data(Carrier(b"\x01")) == b"\x01"
    assert revert_data(ValueError("unrelated")) is None
