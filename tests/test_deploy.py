"""Deployment records: written atomically, checked against chain id and code."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from ipledger.chain import connect
from ipledger.build.compiler import CompileResult
from ipledger.config import Config
from ipledger.deploy import deploy_suite, load_record, record_path, write_record
from ipledger.errors import DeploymentError


@pytest.fixture(scope="module")
def anvil_chain(config: Config):  # type: ignore[no-untyped-def]
    chain = connect("anvil", config)
    try:
        yield chain
    finally:
        chain.close()


def _tmp_config(config: Config, tmp_path: Path) -> Config:
    return dataclasses.replace(config, root=tmp_path)


@pytest.mark.nodes
def test_deploy_writes_record_and_reloads_it(anvil_chain, config: Config, artifacts: CompileResult,
                                             tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    dep = deploy_suite(anvil_chain, anvil_chain.accounts[0], artifacts, config=cfg, persist=True)
    path = record_path(cfg, 31337)
    data = json.loads(path.read_text())
    assert data["chain_id"] == 31337 and data["deployer"] == anvil_chain.accounts[0].address
    assert set(data["contracts"]) >= {"IPRegistry", "PartyRegistry"}
    assert "0.8.28" in data["compiler"]
    for c in data["contracts"].values():
        assert c["tx_hash"].startswith("0x") and c["block"] >= 1
    assert load_record(cfg, anvil_chain, artifacts) == dep
    assert [p.name for p in path.parent.iterdir()] == ["31337.json"], "no temporary files left behind"


@pytest.mark.nodes
def test_load_record_refuses_other_chain_id(anvil_chain, config: Config, artifacts: CompileResult,
                                            tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    dep = deploy_suite(anvil_chain, anvil_chain.accounts[0], artifacts, config=cfg, persist=True)
    forged = dataclasses.replace(dep, chain_id=1)
    write_record(cfg, forged)
    os.replace(record_path(cfg, 1), record_path(cfg, 31337))
    with pytest.raises(DeploymentError, match="record is for chain 1 but the node is chain 31337"):
        load_record(cfg, anvil_chain, artifacts)


@pytest.mark.nodes
def test_load_record_refuses_code_mismatch(anvil_chain, config: Config, artifacts: CompileResult,
                                           tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    dep = deploy_suite(anvil_chain, anvil_chain.accounts[0], artifacts, config=cfg, persist=True)
    reg = dep.contracts["IPRegistry"]
    # point the record at an address with no code: a reset node looks like this
    bad = dataclasses.replace(dep, contracts={**dep.contracts, "IPRegistry": dataclasses.replace(
        reg, address="0x000000000000000000000000000000000000dEaD")})
    write_record(cfg, bad)
    with pytest.raises(DeploymentError, match="does not hold the recorded code"):
        load_record(cfg, anvil_chain, artifacts)


@pytest.mark.nodes
def test_load_record_refuses_changed_sources(anvil_chain, config: Config, artifacts: CompileResult,
                                             tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    dep = deploy_suite(anvil_chain, anvil_chain.accounts[0], artifacts, config=cfg, persist=True)
    reg = dep.contracts["IPRegistry"]
    bad = dataclasses.replace(dep, contracts={**dep.contracts, "IPRegistry": dataclasses.replace(
        reg, creation_code_hash="0x" + "00" * 32)})
    write_record(cfg, bad)
    with pytest.raises(DeploymentError, match="sources changed since it was deployed"):
        load_record(cfg, anvil_chain, artifacts)


def test_missing_record_names_the_fix(config: Config, tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    with connect("embedded", config) as chain:
        with pytest.raises(DeploymentError, match="run `ipledger deploy --network embedded`"):
            load_record(cfg, chain)


def test_write_record_crash_keeps_old_record(config: Config, artifacts: CompileResult, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _tmp_config(config, tmp_path)
    with connect("embedded", config) as chain:
        dep = deploy_suite(chain, chain.accounts[0], artifacts, config=cfg, persist=True)
    path = record_path(cfg, dep.chain_id)
    before = path.read_text()

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_record(cfg, dataclasses.replace(dep, deployer="0x" + "11" * 20))
    assert path.read_text() == before
    json.loads(path.read_text())


def test_embedded_deploy_is_not_recorded(config: Config, artifacts: CompileResult, tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    with connect("embedded", config) as chain:
        deploy_suite(chain, chain.accounts[0], artifacts, config=cfg)
    assert not (tmp_path / "deployments").exists()


@pytest.mark.nodes
def test_launched_node_deploy_is_not_recorded_by_default(anvil_chain, config: Config, artifacts: CompileResult,
                                                         tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    deploy_suite(anvil_chain, anvil_chain.accounts[0], artifacts, config=cfg)
    assert not (tmp_path / "deployments").exists(), "a throwaway node must not overwrite a persistent node's record"
