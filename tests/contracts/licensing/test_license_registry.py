"""LicenseRegistry as a whole: initialization behind its proxy, the ERC-7201 slot, size, governance (upgrade, pause),
reads of unknown licenses, gas, and a run on real nodes.

One world per module (helpers.world), a snapshot per test; the `nodes` test deploys the same world on anvil
and Ganache processes it starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak

from helpers import (
    ALICE, BOB, CAROL, DAVE, GOVERNOR, GUARDIAN, MALLORY, REGISTRAR, STRANGER, LicenseDriver, error_of, license_driver,
    make_world,
)
from helpers.licensing import DAY, EXCLUSIVE, ZERO
from ipledger.build.compiler import CompileResult
from ipledger.chain import EmbeddedRevert
from ipledger.config import Config
from ipledger.sdk import IPLedger


@pytest.mark.nodes
@pytest.mark.parametrize("backend", ["anvil", "ganache"])
def test_offer_accept_terminate_on_node_updates_is_licensed(backend: str, config: Config, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(tmp_path))  # keep the node's record out of the project
    ipl = IPLedger.connect(backend, GOVERNOR, config=config, deploy=True)
    try:
        assert ipl.chain.process is not None and ipl.chain.process.poll() is None
        lg = license_driver(make_world(ipl), gas=None)  # the node estimates gas
        lid, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE, territories=("EM", "US"), label="software")
        assert lg.reverts(lg.lic.functions.acceptLicense(lid), CAROL) == ("NotLicensee", (lid, lg.a(CAROL)))
        lg.accept(BOB, lid)
        assert lg.licensed(BOB, "US", "software") == (True, lid)
        assert lg.licensed(ALICE, "US", "software") == (False, 0)  # excluded by the exclusive license
        receipt = lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
        assert lg.lic.events.LicenseTerminated().process_receipt(receipt)[0]["args"]["licensee"] == lg.a(BOB)
        assert lg.licensed(BOB, "US", "software") == (False, 0)
        assert lg.licensed(ALICE, "US", "software") == (True, 0)
    finally:
        ipl.close()
    assert ipl.chain.process.poll() is not None, "the node must stop with the client"


def _proxy_init(lg: LicenseDriver, artifacts: CompileResult, registry: str) -> Any:
    """The deployment of a second RegisterProxy over the deployed implementation, initialized with ``registry``."""
    impl = lg.world.ipl.deployment.contracts["LicenseRegistry"].implementation
    authority = lg.world.ipl.deployment.contracts["RegisterAuthority"].address
    init = lg.w3.eth.contract(abi=artifacts["LicenseRegistry"].abi).encode_abi("initialize", [authority, registry])
    proxy = artifacts["RegisterProxy"]
    return lg.w3.eth.contract(abi=proxy.abi, bytecode=proxy.bytecode).constructor(impl, init)


def test_initialize_with_zero_registry_reverts_invalid_account(lg: LicenseDriver, artifacts: CompileResult) -> None:
    with pytest.raises(EmbeddedRevert) as info:
        _proxy_init(lg, artifacts, ZERO).estimate_gas({"from": lg.a(STRANGER)})
    assert error_of(artifacts["LicenseRegistry"].abi, info.value) == ("InvalidAccount", (ZERO,))
    assert lg.lic.functions.registry().call() == lg.reg.address


def test_initialize_again_or_on_implementation_reverts_invalid_initialization(lg: LicenseDriver) -> None:
    """Nobody takes over the register (its proxy) or the logic contract behind it (its implementation)."""
    authority = lg.world.ipl.deployment.contracts["RegisterAuthority"].address
    assert lg.reverts(lg.lic.functions.initialize(authority, lg.a(MALLORY)), MALLORY) == ("InvalidInitialization", ())
    impl = lg.w3.eth.contract(address=lg.world.ipl.deployment.contracts["LicenseRegistry"].implementation,
                              abi=lg.lic.abi)
    assert lg.reverts(impl.functions.initialize(authority, lg.reg.address), MALLORY) == ("InvalidInitialization", ())
    assert impl.functions.registry().call() == ZERO  # the implementation's own storage stays empty


def test_storage_namespace_is_erc7201_slot_of_license_registry(lg: LicenseDriver) -> None:
    """The slot constant in LicenseRegistry.sol is the ERC-7201 formula; the first field is the registry."""
    inner = int.from_bytes(keccak(text="ipledger.storage.LicenseRegistry"), "big") - 1
    slot = int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF
    assert hex(slot) in Path("contracts/licensing/LicenseRegistry.sol").read_text()
    lg.offer(ALICE, BOB)
    word = int.from_bytes(lg.w3.eth.get_storage_at(lg.lic.address, slot), "big")
    assert word & (2**160 - 1) == int(lg.reg.address, 16)  # registry, then licenseCount (uint32) and termsCount
    assert (word >> 160) & 0xFFFFFFFF == 1 and (word >> 192) & 0xFFFFFFFF == 1


def test_compile_license_registry_fits_eip170_limit(artifacts: CompileResult) -> None:
    assert 0 < artifacts["LicenseRegistry"].code_size < 24_576


def test_upgrade_or_unpause_by_deployerless_outsider_reverts_unauthorized(lg: LicenseDriver) -> None:
    """Upgrading and unpausing are the authority's admin's (the council's timelock after deployment)."""
    impl = lg.world.ipl.deployment.contracts["LicenseRegistry"].implementation
    for who in (STRANGER, ALICE, REGISTRAR):
        assert lg.reverts(lg.lic.functions.upgradeToAndCall(impl, b""), who) == (
            "AccessManagedUnauthorized", (lg.a(who),))
        assert lg.reverts(lg.lic.functions.pause(), who) == ("AccessManagedUnauthorized", (lg.a(who),))
    lg.pause()
    assert lg.reverts(lg.lic.functions.unpause(), STRANGER) == ("AccessManagedUnauthorized", (lg.a(STRANGER),))


def test_every_state_change_while_paused_reverts_enforced_pause(lg: LicenseDriver) -> None:
    terms_id, _ = lg.register_terms()
    offered, _ = lg.offer(ALICE, BOB)
    active = lg.grant(ALICE, CAROL, territories=("US",), transfer=True)
    deadline = lg.now() + DAY
    accept_sig = lg.sign_acceptance(BOB, offered, deadline)
    grant_sig = lg.sign_grant(DAVE, DAVE, terms_id, deadline)
    lg.pause()
    f = lg.lic.functions
    for fn, who in ((lg.register_terms_fn(label="new"), ALICE), (lg.offer_fn(DAVE), ALICE),
                    (lg.offer_id_fn(DAVE, terms_id), ALICE),
                    (lg.grant_fn(lg.a(DAVE), terms_id, deadline, grant_sig), ALICE),
                    (f.acceptLicense(offered), BOB), (f.acceptLicenseBySig(offered, deadline, accept_sig), STRANGER),
                    (f.withdrawOffer(offered), ALICE), (f.terminateLicense(active), ALICE),
                    (f.surrenderLicense(active), CAROL), (f.transferLicense(active, lg.a(DAVE)), CAROL)):
        assert lg.reverts(fn, who) == ("EnforcedPause", ()), fn.fn_name
    assert lg.licensed(CAROL, "US") == (True, active)  # reads keep working
    lg.send(f.revokeSignature(lg.lic.functions.acceptanceDigest(offered, deadline).call()), BOB)  # only takes power
    lg.unpause()
    lg.accept(BOB, offered)
    assert lg.active(offered)
    lg.send(f.terminateLicense(active), ALICE)
    assert not lg.active(active)


def test_registry_pause_does_not_stop_licenses_each_register_has_its_own(lg: LicenseDriver) -> None:
    lg.send(lg.reg.functions.pause(), GUARDIAN)
    assert lg.reg.functions.paused().call()
    lid = lg.grant(ALICE, BOB)
    assert lg.active(lid) and not lg.lic.functions.paused().call()


def test_read_unknown_license_reverts_license_not_found_or_false(lg: LicenseDriver) -> None:
    for fn in (lg.lic.functions.licenseOf(5), lg.lic.functions.acceptanceDigest(5, 1),
               lg.lic.functions.getLicenseRevoker(5), lg.lic.functions.getParentLicenseId(0)):
        assert lg.reverts(fn, ALICE) == ("LicenseNotFound", (fn.args[0],))
    assert not lg.active(5)
    assert lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call() == []
    assert lg.lic.functions.openLicensesOf(lg.right, 5).call() == []


def test_measure_gas_of_lifecycle_stays_within_bounds(lg: LicenseDriver) -> None:
    """Regression bounds on receipts (the figures and their floors: docs/licensing.md, benchmarks/)."""
    lid, offer = lg.offer(ALICE, BOB, kind=EXCLUSIVE, territories=("EM", "US"), label="software", sub=True)
    accept = lg.accept(BOB, lid)
    sub, sub_offer = lg.offer(BOB, CAROL, parent=lid, territories=("US",), label="software")
    sub_accept = lg.accept(CAROL, sub)
    terms_id = lg.license(sub)["termsId"]
    by_id, _ = lg.offer(ALICE, DAVE, territories=("RU",))  # another root licence, new terms
    offer_by_id = lg.send(lg.offer_id_fn(DAVE, lg.license(by_id)["termsId"], deadline=lg.now() + DAY), ALICE)
    _, grant = lg.grant_by_sig(BOB, DAVE, terms_id, parent=lid)  # a sublicence granted at once, terms interned
    terminate = lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    used = {name: r["gasUsed"] for name, r in (("offer", offer), ("accept", accept), ("sublicense", sub_offer),
                                               ("sub_accept", sub_accept), ("offer_by_id", offer_by_id),
                                               ("grant", grant), ("terminate", terminate))}
    print("gas used:", used)
    # an offer with new terms writes the terms' key, slot and field hash, the licence slot and its deadline (and,
    # first on a right, the right's number): 5 to 7 new slots
    assert used["offer"] < 250_000 and used["sublicense"] < 250_000
    assert used["offer_by_id"] < 130_000  # the licence slot and its deadline (and a scan: an exclusive sibling)
    # acceptance writes the licensee's held list the first time (the sources isLicensed reads)
    assert used["accept"] < 90_000 and used["sub_accept"] < 90_000
    assert used["grant"] < 145_000 and used["terminate"] < 75_000
