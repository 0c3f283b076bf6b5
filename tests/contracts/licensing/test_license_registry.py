"""LicenseRegistry as a whole: deployment, size, pause, reads of unknown licenses, gas, and a run on real nodes.

One world per module (helpers.world), a snapshot per test; the `nodes` test deploys the same world on anvil
and Ganache processes it starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ALICE, BOB, CAROL, GOVERNOR, LicenseDriver, error_of, license_driver, make_world
from helpers.licensing import EXCLUSIVE, ZERO
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


def test_deploy_with_zero_registry_reverts_invalid_account(lg: LicenseDriver, artifacts: CompileResult) -> None:
    art = artifacts["LicenseRegistry"]
    factory = lg.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    with pytest.raises(EmbeddedRevert) as info:
        factory.constructor(ZERO).estimate_gas({"from": lg.a(GOVERNOR)})
    assert error_of(art.abi, info.value) == ("InvalidAccount", (ZERO,))
    assert lg.lic.functions.registry().call() == lg.reg.address


def test_compile_license_registry_fits_eip170_limit(artifacts: CompileResult) -> None:
    assert 0 < artifacts["LicenseRegistry"].code_size < 24_576


def test_license_actions_while_registry_paused_revert_enforced_pause(lg: LicenseDriver) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    lg.send(lg.reg.functions.pause(), GOVERNOR)
    assert lg.reverts(lg.offer_fn(CAROL), ALICE) == ("EnforcedPause", ())
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("EnforcedPause", ())
    assert lg.reverts(lg.lic.functions.withdrawOffer(lid), ALICE) == ("EnforcedPause", ())
    lg.send(lg.reg.functions.unpause(), GOVERNOR)
    lg.accept(BOB, lid)
    lg.send(lg.reg.functions.pause(), GOVERNOR)
    for fn, who in ((lg.lic.functions.terminateLicense(lid), ALICE), (lg.lic.functions.surrenderLicense(lid), BOB),
                    (lg.lic.functions.transferLicense(lid, lg.a(CAROL)), BOB)):
        assert lg.reverts(fn, who) == ("EnforcedPause", ())
    assert lg.licensed(BOB) == (True, lid)  # reads keep working


def test_read_unknown_license_reverts_license_not_found_or_false(lg: LicenseDriver) -> None:
    for fn in (lg.lic.functions.licenseOf(5), lg.lic.functions.parentOf(5), lg.lic.functions.acceptanceDigest(5, 1),
               lg.lic.functions.getLicenseRevoker(5), lg.lic.functions.getParentLicenseId(0)):
        assert lg.reverts(fn, ALICE) == ("LicenseNotFound", (fn.args[0],))
    assert not lg.active(5)
    assert lg.lic.functions.licensesHeldBy(lg.right, lg.a(BOB)).call() == []
    assert lg.lic.functions.openLicensesOf(lg.right, 5).call() == []


def test_measure_gas_of_lifecycle_stays_within_bounds(lg: LicenseDriver) -> None:
    lid, offer = lg.offer(ALICE, BOB, kind=EXCLUSIVE, territories=("EM", "US"), label="software", sub=True)
    accept = lg.accept(BOB, lid)
    sub, sub_offer = lg.offer(BOB, CAROL, parent=lid, territories=("US",), label="software")
    sub_accept = lg.accept(CAROL, sub)
    terminate = lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    used = {name: r["gasUsed"] for name, r in (("offer", offer), ("accept", accept), ("sublicense", sub_offer),
                                               ("sub_accept", sub_accept), ("terminate", terminate))}
    print("gas used:", used)
    assert used["offer"] < 400_000 and used["sublicense"] < 400_000
    # acceptance writes the licensee's held list (the sources isLicensed reads): a new slot the first time
    # (and both read the ST.27 key and national codes of the event from the register: three view calls)
    assert used["accept"] < 130_000 and used["terminate"] < 70_000
