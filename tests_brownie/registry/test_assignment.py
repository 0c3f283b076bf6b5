"""IPRegistry: assignment of title, with and without recordal by the office, and pledges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brownie
import pytest
from support import ZERO32, custom_error, now, sign_acceptance, sign_consent

from ipledger.domain import Status

DEED = b"\xde" * 32
REQUESTED, ACCEPTED = 1, 2  # IIPRegistry.AssignmentState


@pytest.fixture
def em_right(registered_tm: Callable[..., int]) -> int:
    """Alice's registered EM trade mark (EM requires recordal)."""
    return registered_tm("018234567")


@pytest.fixture
def ru_right(registered_tm: Callable[..., int]) -> int:
    """Alice's registered RU trade mark (no recordal: acceptance moves title)."""
    return registered_tm("2024700001", office="RU")


def test_assignment_with_recordal_moves_title_only_when_recorded(registry: Any, registrar: Any, alice: Any,
                                                                 bob: Any, em_right: int) -> None:
    requested = registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    assert requested.events["AssignmentRequested"]["holder"] == alice
    assert requested.events["AssignmentRequested"]["assignee"] == bob

    accepted = registry.acceptAssignment(em_right, {"from": bob})
    assert accepted.events["AssignmentAccepted"]["bySignature"] is False
    assert "AssignmentRecorded" not in accepted.events
    assert registry.ownerOf(em_right) == alice
    assert registry.pendingAssignment(em_right).dict()["state"] == ACCEPTED

    recorded = registry.recordAssignment(em_right, {"from": registrar})

    assert registry.ownerOf(em_right) == bob
    assert registry.pendingAssignment(em_right).dict()["state"] == 0
    event = recorded.events["AssignmentRecorded"]
    assert event["from"] == alice
    assert event["to"] == bob
    assert event["deedHash"] == "0x" + DEED.hex()
    assert event["recordedBy"] == registrar
    assert recorded.events["Transfer"]["to"] == bob


def test_assignment_without_recordal_moves_title_on_acceptance(registry: Any, alice: Any, bob: Any,
                                                               ru_right: int) -> None:
    registry.requestAssignment(ru_right, bob, DEED, {"from": alice})

    tx = registry.acceptAssignment(ru_right, {"from": bob})

    assert registry.ownerOf(ru_right) == bob
    assert tx.events["AssignmentRecorded"]["recordedBy"] == "0x" + "00" * 20


def test_accept_by_signature_relayed_by_registrar_counts_as_acceptance(registry: Any, registrar: Any,
                                                                       alice: Any, bob: Any, em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    signature = sign_acceptance(registry, bob, em_right, DEED, deadline)

    tx = registry.acceptAssignmentBySig(em_right, deadline, signature, {"from": registrar})

    assert tx.events["AssignmentAccepted"]["bySignature"] is True
    assert registry.nonces(bob) == 1
    registry.recordAssignment(em_right, {"from": registrar})
    assert registry.ownerOf(em_right) == bob


def test_accept_by_signature_of_someone_else_reverts_invalid_signature(registry: Any, registrar: Any, alice: Any,
                                                                       bob: Any, carol: Any, em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    forged = sign_acceptance(registry, carol, em_right, DEED, deadline)

    with brownie.reverts(revert_pattern=rf"InvalidSignature: {str(bob).lower()}, 0x[0-9a-f]{{40}}"):
        registry.acceptAssignmentBySig(em_right, deadline, forged, {"from": registrar})


def test_request_by_non_holder_reverts_not_holder(registry: Any, stranger: Any, bob: Any, em_right: int) -> None:
    with brownie.reverts(custom_error("NotHolder", em_right, stranger)):
        registry.requestAssignment(em_right, bob, DEED, {"from": stranger})


@pytest.mark.parametrize("assignee", ["zero", "holder"])
def test_request_to_zero_or_holder_reverts_invalid_account(registry: Any, alice: Any, em_right: int,
                                                           assignee: str) -> None:
    target = "0x" + "00" * 20 if assignee == "zero" else str(alice)
    with brownie.reverts(custom_error("InvalidAccount", target)):
        registry.requestAssignment(em_right, target, DEED, {"from": alice})


def test_second_request_reverts_assignment_pending(registry: Any, alice: Any, bob: Any, carol: Any,
                                                   em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    with brownie.reverts(custom_error("AssignmentPending", em_right, bob)):
        registry.requestAssignment(em_right, carol, DEED, {"from": alice})


def test_accept_by_other_account_reverts_not_assignee(registry: Any, alice: Any, bob: Any, carol: Any,
                                                      em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    with brownie.reverts(custom_error("NotAssignee", em_right, carol)):
        registry.acceptAssignment(em_right, {"from": carol})


def test_record_before_acceptance_reverts_no_pending_assignment(registry: Any, registrar: Any, alice: Any,
                                                                bob: Any, em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    with brownie.reverts(custom_error("NoPendingAssignment", em_right, REQUESTED)):
        registry.recordAssignment(em_right, {"from": registrar})


def test_record_by_stranger_reverts_not_registrar(registry: Any, alice: Any, bob: Any, stranger: Any,
                                                  em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    with brownie.reverts(custom_error("NotRegistrar", b"EM", stranger)):
        registry.recordAssignment(em_right, {"from": stranger})


def test_reject_by_registrar_clears_request_and_keeps_title(registry: Any, registrar: Any, alice: Any, bob: Any,
                                                            em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})

    tx = registry.rejectAssignment(em_right, {"from": registrar})

    assert tx.events["AssignmentRejected"]["assignee"] == bob
    assert registry.ownerOf(em_right) == alice
    assert registry.pendingAssignment(em_right).dict()["state"] == 0


def test_request_on_refused_application_reverts_not_assignable(registry: Any, registrar: Any, alice: Any,
                                                               bob: Any, file_tm: Callable[..., int]) -> None:
    rid = file_tm("999")
    registry.changeStatus(rid, Status.REFUSED, 0, ZERO32, {"from": registrar})
    with brownie.reverts(custom_error("NotAssignable", rid, Status.REFUSED)):
        registry.requestAssignment(rid, bob, DEED, {"from": alice})


def test_pledged_right_needs_creditor_consent_before_recordal(registry: Any, registrar: Any, alice: Any, bob: Any,
                                                              carol: Any, em_right: int) -> None:
    registry.recordPledge(em_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    with brownie.reverts(custom_error("CreditorConsentRequired", em_right, carol)):
        registry.recordAssignment(em_right, {"from": registrar})

    consent = registry.consentToAssignment(em_right, {"from": carol})
    registry.recordAssignment(em_right, {"from": registrar})

    assert consent.events["AssignmentConsented"]["creditor"] == carol
    assert registry.ownerOf(em_right) == bob
    assert registry.pledgeOf(em_right).dict()["creditor"] == carol  # the pledge follows the right


def test_consent_by_stranger_reverts_not_creditor(registry: Any, alice: Any, carol: Any, stranger: Any,
                                                  em_right: int) -> None:
    registry.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("NotCreditor", em_right, stranger)):
        registry.consentToAssignment(em_right, {"from": stranger})


def test_cancel_assignment_by_holder_clears_request(registry: Any, alice: Any, bob: Any, em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})

    tx = registry.cancelAssignment(em_right, {"from": alice})

    assert tx.events["AssignmentCancelled"]["assignee"] == bob
    assert registry.pendingAssignment(em_right).dict()["state"] == 0
    with brownie.reverts(custom_error("NoPendingAssignment", em_right, 0)):
        registry.acceptAssignment(em_right, {"from": bob})


def test_cancel_assignment_by_assignee_reverts_not_holder(registry: Any, alice: Any, bob: Any,
                                                          em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    with brownie.reverts(custom_error("NotHolder", em_right, bob)):
        registry.cancelAssignment(em_right, {"from": bob})


def test_consent_by_signature_relayed_unblocks_recordal(registry: Any, registrar: Any, alice: Any, bob: Any,
                                                         carol: Any, stranger: Any, em_right: int) -> None:
    registry.recordPledge(em_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    deadline = now() + 3600
    signature = sign_consent(registry, carol, em_right, deadline)

    tx = registry.consentToAssignmentBySig(em_right, deadline, signature, {"from": stranger})

    assert tx.events["AssignmentConsented"]["creditor"] == carol
    assert tx.events["AssignmentConsented"]["assignee"] == bob
    assert registry.nonces(carol) == 1
    registry.recordAssignment(em_right, {"from": registrar})
    assert registry.ownerOf(em_right) == bob


def test_consent_by_signature_of_someone_else_reverts_invalid_signature(registry: Any, alice: Any, bob: Any,
                                                                        carol: Any, dave: Any, stranger: Any,
                                                                        em_right: int) -> None:
    registry.recordPledge(em_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    forged = sign_consent(registry, dave, em_right, deadline)  # Dave is not the creditor
    with brownie.reverts(revert_pattern=rf"InvalidSignature: {str(carol).lower()}, 0x[0-9a-f]{{40}}"):
        registry.consentToAssignmentBySig(em_right, deadline, forged, {"from": stranger})


def test_release_pledge_by_creditor_clears_pledge(registry: Any, registrar: Any, alice: Any, bob: Any,
                                                  carol: Any, em_right: int) -> None:
    registry.recordPledge(em_right, carol, ZERO32, {"from": alice})

    tx = registry.releasePledge(em_right, {"from": carol})

    assert tx.events["PledgeReleased"]["creditor"] == carol
    assert registry.pledgeOf(em_right).dict()["creditor"] == "0x" + "00" * 20
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    registry.recordAssignment(em_right, {"from": registrar})  # no consent needed any more
    assert registry.ownerOf(em_right) == bob


def test_release_pledge_by_holder_reverts_not_creditor(registry: Any, alice: Any, carol: Any,
                                                       em_right: int) -> None:
    registry.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("NotCreditor", em_right, alice)):
        registry.releasePledge(em_right, {"from": alice})
