"""Deployment records: written atomically, checked against chain id and code."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

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


# ---------------------------------------------------------------- malformed records (issue #12, item 6)


def _corrupt(record: dict[str, Any], change: str) -> Any:
    """A copy of a valid record with one thing wrong (``change`` names it)."""
    rec = json.loads(json.dumps(record))
    first = next(iter(rec["contracts"]))
    if change == "no-contracts":
        rec["contracts"] = {}
    elif change == "integer-address":
        rec["contracts"][first]["address"] = 1234
    elif change == "contracts-a-list":
        rec["contracts"] = []
    elif change == "missing-contract":
        rec["contracts"].pop(first)
    elif change == "unknown-contract":
        rec["contracts"]["Evil"] = rec["contracts"][first]
    elif change == "block-text":
        rec["contracts"][first]["block"] = "one"
    elif change == "short-hash":
        rec["contracts"][first]["runtime_code_hash"] = "0x12"
    elif change == "chain-id-text":
        rec["chain_id"] = "31337"
    elif change == "not-an-object":
        return [rec]
    elif change == "extra-field":
        rec["contracts"][first]["owner"] = "me"
    elif change == "no-deployer":
        rec.pop("deployer")
    elif change == "renounced-text":
        rec["deployer_renounced"] = "yes"
    return rec


CORRUPTIONS = {
    "no-contracts": "'contracts' names no RegisterAuthority, IPRegistry", "integer-address": ".address is 1234, not an address",
    "contracts-a-list": "'contracts' is a list, not an object", "missing-contract": "'contracts' names no ",
    "unknown-contract": "'Evil', which the suite does not have", "block-text": ".block is 'one', not a whole number",
    "short-hash": ".runtime_code_hash is '0x12', not 0x and 64 hex digits",
    "chain-id-text": "chain_id is '31337', not a whole number", "not-an-object": "the record is a list, not an object",
    "extra-field": "has unknown field(s) 'owner'", "no-deployer": "the record has no 'deployer'",
    "renounced-text": "deployer_renounced is 'yes', not true or false",
}


@pytest.mark.parametrize("change", sorted(CORRUPTIONS))
def test_a_malformed_record_is_a_deployment_error_naming_the_field(config: Config, artifacts: CompileResult,
                                                                   tmp_path: Path, change: str) -> None:
    """Was: ``"contracts": {}`` or an integer address ended in "internal error" (KeyError, TypeError)."""
    cfg = _tmp_config(config, tmp_path)
    with connect("embedded", config) as chain:
        dep = deploy_suite(chain, chain.accounts[0], artifacts, config=cfg, persist=True)
        path = record_path(cfg, dep.chain_id)
        path.write_text(json.dumps(_corrupt(json.loads(path.read_text()), change)))
        with pytest.raises(DeploymentError) as exc:
            load_record(cfg, chain, artifacts)
    message = str(exc.value)
    assert CORRUPTIONS[change] in message, message
    assert "is not a valid deployment record" in message and "delete it and redeploy" in message
    assert "\n" not in message


@pytest.mark.parametrize("text, words", [
    ('{"chain_id": 1, "chain_id": 2}', "the field 'chain_id' is given twice in one object"),
    ("[" * 100_000 + "]" * 100_000, "nested more than 64 deep"),
    ('{"chain_id": ', "Expecting value"),
])
def test_duplicate_keys_deep_nesting_and_broken_json_in_a_record_are_refused(config: Config, tmp_path: Path,
                                                                             text: str, words: str) -> None:
    cfg = _tmp_config(config, tmp_path)
    with connect("embedded", config) as chain:
        path = record_path(cfg, chain.chain_id)
        path.parent.mkdir(parents=True)
        path.write_text(text)
        with pytest.raises(DeploymentError, match=words):
            load_record(cfg, chain)


def test_a_valid_record_reads_back_equal(config: Config, artifacts: CompileResult, tmp_path: Path) -> None:
    cfg = _tmp_config(config, tmp_path)
    with connect("embedded", config) as chain:
        dep = deploy_suite(chain, chain.accounts[0], artifacts, config=cfg, persist=True)
        assert load_record(cfg, chain, artifacts) == dep


@pytest.mark.parametrize("network", ["embedded", pytest.param("anvil", marks=pytest.mark.nodes)])
def test_deploy_wires_security_interests_to_the_registry(config: Config, artifacts: CompileResult,
                                                         network: str) -> None:
    """SecurityInterests is deployed with the suite and wired once (``WIRING``), by the deployer as first governor."""
    from eth_utils import to_checksum_address

    with connect(network, config) as chain:
        dep = deploy_suite(chain, chain.accounts[0], artifacts, config=config, persist=False)
        registry = chain.w3.eth.contract(address=to_checksum_address(dep.address("IPRegistry")),
                                         abi=artifacts["IPRegistry"].abi)
        interests = chain.w3.eth.contract(address=to_checksum_address(dep.address("SecurityInterests")),
                                          abi=artifacts["SecurityInterests"].abi)
        assert registry.functions.securityInterests().call() == interests.address
        assert interests.functions.registry().call() == registry.address
        assert list(dep.contracts)[:3] == ["RegisterAuthority", "IPRegistry", "SecurityInterests"]


# ---------------------------------------------------------------- governance hand-over (issue #13)


@pytest.mark.parametrize("network", ["embedded", pytest.param("anvil", marks=pytest.mark.nodes)])
def test_deploy_hands_governance_to_the_council(config: Config, artifacts: CompileResult, tmp_path: Path,
                                                network: str) -> None:
    """The record names the timelock and the council; the chain shows the deployer holds no authority or timelock
    role, the timelock is the authority's admin, the council its COUNCIL role, the dev council seated EM/RU/US."""
    from eth_utils import to_checksum_address

    from ipledger.deploy import dev_governance
    from ipledger.domain import governance as gov

    cfg = _tmp_config(config, tmp_path)
    with connect(network, config) as chain:
        dep = deploy_suite(chain, chain.accounts[1], artifacts, config=cfg, persist=True)
        assert load_record(cfg, chain, artifacts) == dep
        data = json.loads(record_path(cfg, dep.chain_id).read_text())
        assert {"CouncilTimelock", "OfficeCouncil"} <= set(data["contracts"])
        assert data["deployer"] == chain.accounts[1].address and data["deployer_renounced"] is dep.deployer_renounced

        def at(name: str) -> Any:
            return chain.w3.eth.contract(address=to_checksum_address(dep.address(name)), abi=artifacts[name].abi)

        auth, tl, council = at("RegisterAuthority"), at("CouncilTimelock"), at("OfficeCouncil")
        deployer = chain.accounts[1].address
        assert not any(auth.functions.hasRole(r, deployer).call()[0]
                       for r in (gov.ADMIN_ROLE, gov.GUARDIAN_ROLE, gov.COUNCIL_ROLE))
        assert not any(tl.functions.hasRole(getattr(tl.functions, r)().call(), deployer).call()
                       for r in ("DEFAULT_ADMIN_ROLE", "PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE"))
        assert auth.functions.hasRole(gov.ADMIN_ROLE, tl.address).call()[0]
        assert auth.functions.hasRole(gov.COUNCIL_ROLE, council.address).call()[0]
        assert auth.functions.hasRole(gov.GUARDIAN_ROLE, chain.accounts[12].address).call()[0]
        assert tl.functions.hasRole(tl.functions.PROPOSER_ROLE().call(), council.address).call()
        assert tl.functions.getMinDelay().call() == 0  # a dev chain
        expected = dev_governance(chain.accounts).offices
        assert {bytes(c).decode(): council.functions.officeAdmin(c).call()
                for c in council.functions.offices().call()} == {k: v[0] for k, v in expected.items()}
        assert council.functions.registry().call() == dep.address("IPRegistry")


def test_deploy_on_a_live_chain_needs_its_council(config: Config, artifacts: CompileResult) -> None:
    from ipledger.errors import InvalidInput

    with connect("embedded", config) as chain:
        live = dataclasses.replace(chain, settings=dataclasses.replace(chain.settings, live=True))
        with pytest.raises(InvalidInput, match="needs its council"):
            deploy_suite(live, chain.accounts[0], artifacts, persist=False)
