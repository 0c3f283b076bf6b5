"""The registry flow on real nodes: anvil and Ganache launched by the test, decoded reverts included (the office
accords the applicant's request, a future correction is refused, a stranger's anchor reads as third party)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ALICE, BOB, GOVERNOR, REGISTRAR, STRANGER, assert_revert
from ipledger.sdk import IPLedger
from ipledger.config import Config
from ipledger.domain import St27State, Status
from ipledger.errors import ContractRevert

pytestmark = pytest.mark.nodes

DEED = "0x" + "de" * 32


@pytest.mark.parametrize("backend", ["anvil", "ganache"])
def test_registry_flow_on_node_files_registers_assigns_and_decodes_refusal(
        backend: str, config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPLEDGER_DEPLOYMENTS_DIR", str(tmp_path))  # keep the node's record out of the project
    ipl = IPLedger.connect(backend, GOVERNOR, config=config, deploy=True)
    try:
        assert ipl.chain.process is not None and ipl.chain.process.poll() is None
        gov, reg, alice, bob, stranger = (ipl.as_account(i) for i in (GOVERNOR, REGISTRAR, ALICE, BOB, STRANGER))
        # the deployment seeded the dev council's EM (recordal required, its admin GOVERNOR); the deployer, now
        # without a role, cannot add an office, and only EM's admin names its registrar
        em = next(o for o in ipl.offices() if o["office"] == "EM")
        assert (em["recordal_required"], em["admin"]) == (True, gov.address)
        with pytest.raises(ContractRevert) as exc_info:
            gov.add_office("AU")
        assert_revert(exc_info, "AccessManagedUnauthorized", caller=gov.address)
        with pytest.raises(ContractRevert) as exc_info:
            stranger.grant_registrar("EM", stranger.address)
        assert_revert(exc_info, "NotOfficeAdmin")
        gov.grant_registrar("EM", reg.address)

        with pytest.raises(ContractRevert) as exc_info:  # only the office files
            alice.file("EM", "TM", "018234567", holder=alice.address)
        assert_revert(exc_info, "NotRegistrar", office="EM", account=alice.address)
        request = alice.request_application("EM", "TM", content_hash="0x" + "ab" * 32)
        rid = reg.accord_request(request.request_id, "018234567").right_id
        assert ipl.request(request.request_id).right_id == rid
        reg.publish(rid)
        now = int(ipl.w3.eth.get_block("latest")["timestamp"])
        with pytest.raises(ContractRevert) as exc_info:
            reg.correct_filing_date(rid, now + 86400 * 30)
        assert_revert(exc_info, "FilingDateInFuture", filingDate=now + 86400 * 30)
        res = reg.register(rid, "018234567", registration_date=now, expiry_date=now + 10 * 365 * 86400)
        assert res.event("StatusChanged").args["keyEventCode"] == "F10"
        stranger.anchor(rid, DEED, "court-order")
        assert [a.role.name for a in ipl.anchors(rid)] == ["THIRD_PARTY"]

        with pytest.raises(ContractRevert) as exc_info:
            stranger.request_assignment(rid, stranger.address, DEED)
        assert_revert(exc_info, "NotHolder", rightId=rid, caller=stranger.address)

        alice.request_assignment(rid, bob.address, DEED)
        bob.accept_assignment(rid)
        recorded = reg.record_assignment(rid).event("AssignmentRecorded").args
        assert (recorded["from"], recorded["to"], recorded["recordedBy"]) == (alice.address, bob.address,
                                                                              reg.address)
        assert ipl.registry.functions.ownerOf(rid).call() == bob.address
        info = ipl.right(rid)
        assert (info.status, info.holder, info.registration_number) == (Status.REGISTERED, bob.address, "018234567")
        assert info.st27_state is St27State.IN_FORCE
    finally:
        ipl.close()
    assert ipl.chain.process.poll() is not None, "the node must stop with the client"
