"""IPRegistry and SecurityInterests: assignment of title, with and without recordal by the office, signatures bound
to the assignment request (and revocable), and pledges (several per right, consent of every creditor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brownie
import pytest
from helpers import eip712
from support import (
    ZERO32,
    acceptance_message,
    assign_title_message,
    call,
    consent_message,
    council_vote,
    custom_error,
    now,
    register_right,
    sign_acceptance,
    sign_assign_title,
    sign_consent,
)

from ipledger.domain import Status

DEED = b"\xde" * 32
REQUESTED, ACCEPTED = 1, 2  # IIPRegistry.AssignmentState
COURT_ORDER = b"\xc0" * 32


@pytest.fixture(scope="module")
def em_right(registry: Any, registrar: Any, alice: Any) -> int:
    """Alice's registered EM trade mark (EM requires recordal), made once for the module."""
    return register_right(registry, registrar, "EM", "018234567", alice)


@pytest.fixture(scope="module")
def ru_right(registry: Any, ru_registrar: Any, alice: Any) -> int:
    """Alice's registered RU trade mark (no recordal: acceptance moves title), made once for the module."""
    return register_right(registry, ru_registrar, "RU", "2024700001", alice)


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

    tx = registry.acceptAssignmentBySig(em_right, 1, deadline, signature, {"from": registrar})

    assert tx.events["AssignmentAccepted"]["bySignature"] is True
    registry.recordAssignment(em_right, {"from": registrar})
    assert registry.ownerOf(em_right) == bob


def test_accept_by_signature_of_someone_else_reverts_invalid_signature(registry: Any, registrar: Any, alice: Any,
                                                                       bob: Any, carol: Any, em_right: int) -> None:
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    forged = sign_acceptance(registry, carol, em_right, DEED, deadline)

    with brownie.reverts(custom_error("InvalidSignature", bob, carol)):
        registry.acceptAssignmentBySig(em_right, 1, deadline, forged, {"from": registrar})


def test_accept_by_signature_after_rerequest_reverts_stale_assignment(registry: Any, alice: Any, bob: Any,
                                                                     stranger: Any, ru_right: int) -> None:
    registry.requestAssignment(ru_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    old = sign_acceptance(registry, bob, ru_right, DEED, deadline)
    registry.cancelAssignment(ru_right, {"from": alice})
    tx = registry.requestAssignment(ru_right, bob, DEED, {"from": alice})
    assert tx.events["AssignmentRequested"]["assignmentId"] == 2
    with brownie.reverts(custom_error("StaleAssignment", ru_right, 1, 2)):
        registry.acceptAssignmentBySig(ru_right, 1, deadline, old, {"from": stranger})
    assert registry.ownerOf(ru_right) == alice


def test_revoked_acceptance_reverts_revoked_signature(registry: Any, alice: Any, bob: Any, stranger: Any,
                                                      ru_right: int) -> None:
    registry.requestAssignment(ru_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    signature = sign_acceptance(registry, bob, ru_right, DEED, deadline)
    digest = eip712.digest(registry, "AcceptAssignment", acceptance_message(registry, ru_right, DEED, deadline))
    tx = registry.revokeSignature(digest, {"from": bob})
    assert tx.events["SignatureRevoked"]["signer"] == bob
    with brownie.reverts(custom_error("RevokedSignature", bob, digest)):
        registry.acceptAssignmentBySig(ru_right, 1, deadline, signature, {"from": stranger})


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


def test_pledged_right_needs_creditor_consent_before_recordal(registry: Any, interests: Any, registrar: Any,
                                                              alice: Any, bob: Any, carol: Any, em_right: int) -> None:
    pledge = interests.recordPledge(em_right, carol, ZERO32, {"from": alice}).events["PledgeRecorded"]
    assert (pledge["pledgeId"], pledge["rank"], bytes.fromhex(str(pledge["keyEventCode"])[2:])) == (1, 1, b"R20")
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    with brownie.reverts(custom_error("CreditorConsentRequired", em_right, 1, carol)):
        registry.recordAssignment(em_right, {"from": registrar})

    consent = interests.consentToAssignment(1, 1, {"from": carol})
    registry.recordAssignment(em_right, {"from": registrar})

    assert consent.events["AssignmentConsented"]["creditor"] == carol
    assert registry.ownerOf(em_right) == bob
    assert [int(x) for x in interests.pledgesOf(em_right)] == [1]  # the pledge follows the right


def test_consent_then_release_then_new_pledge_reverts_naming_the_new_creditor(
        registry: Any, interests: Any, alice: Any, bob: Any, carol: Any, dave: Any, ru_right: int) -> None:
    """The issue's attack: Carol's consent does not carry over to Dave's later pledge."""
    interests.recordPledge(ru_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(ru_right, bob, DEED, {"from": alice})
    interests.consentToAssignment(1, 1, {"from": carol})
    interests.releasePledge(1, {"from": carol})
    interests.recordPledge(ru_right, dave, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("CreditorConsentRequired", ru_right, 2, dave)):
        registry.acceptAssignment(ru_right, {"from": bob})
    assert registry.ownerOf(ru_right) == alice


def test_consent_by_stranger_reverts_not_creditor(registry: Any, interests: Any, alice: Any, carol: Any,
                                                  stranger: Any, em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("NotCreditor", 1, stranger)):
        interests.consentToAssignment(1, 1, {"from": stranger})


def test_ninth_pledge_reverts_too_many_pledges(interests: Any, alice: Any, carol: Any, em_right: int) -> None:
    for _ in range(8):
        interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("TooManyPledges", em_right, 8)):
        interests.recordPledge(em_right, carol, ZERO32, {"from": alice})


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


def test_consent_by_signature_relayed_unblocks_recordal(registry: Any, interests: Any, registrar: Any, alice: Any,
                                                         bob: Any, carol: Any, stranger: Any, em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    deadline = now() + 3600
    signature = sign_consent(interests, registry, carol, 1, deadline)

    tx = interests.consentToAssignmentBySig(1, 1, 1, deadline, signature, {"from": stranger})

    assert tx.events["AssignmentConsented"]["creditor"] == carol
    assert tx.events["AssignmentConsented"]["assignee"] == bob
    assert tx.events["AssignmentConsented"]["bySignature"] is True
    registry.recordAssignment(em_right, {"from": registrar})
    assert registry.ownerOf(em_right) == bob


def test_consent_by_signature_of_someone_else_reverts_invalid_signature(registry: Any, interests: Any, alice: Any,
                                                                        bob: Any, carol: Any, dave: Any,
                                                                        stranger: Any, em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    forged = sign_consent(interests, registry, dave, 1, deadline)  # Dave is not the creditor
    with brownie.reverts(custom_error("InvalidSignature", carol, dave)):
        interests.consentToAssignmentBySig(1, 1, 1, deadline, forged, {"from": stranger})


def test_revoked_consent_reverts_revoked_signature(registry: Any, interests: Any, alice: Any, bob: Any, carol: Any,
                                                   stranger: Any, em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    deadline = now() + 3600
    signature = sign_consent(interests, registry, carol, 1, deadline)
    digest = eip712.digest(interests, "ConsentToAssignment", consent_message(interests, registry, 1, deadline))
    interests.revokeSignature(digest, {"from": carol})
    with brownie.reverts(custom_error("RevokedSignature", carol, digest)):
        interests.consentToAssignmentBySig(1, 1, 1, deadline, signature, {"from": stranger})


def test_release_pledge_by_creditor_clears_pledge(registry: Any, interests: Any, registrar: Any, alice: Any,
                                                  bob: Any, carol: Any, em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})

    tx = interests.releasePledge(1, {"from": carol})

    assert tx.events["PledgeReleased"]["creditor"] == carol
    assert tx.events["PledgeReleased"]["releasedBy"] == carol
    assert len(interests.pledgesOf(em_right)) == 0
    registry.requestAssignment(em_right, bob, DEED, {"from": alice})
    registry.acceptAssignment(em_right, {"from": bob})
    registry.recordAssignment(em_right, {"from": registrar})  # no consent needed any more
    assert registry.ownerOf(em_right) == bob


def test_release_pledge_by_holder_reverts_not_creditor(interests: Any, alice: Any, carol: Any,
                                                       em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("NotCreditor", 1, alice)):
        interests.releasePledge(1, {"from": alice})


def test_release_by_court_order_recorded_by_registrar(interests: Any, registrar: Any, alice: Any, carol: Any,
                                                      stranger: Any, em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("NotRegistrar", b"EM", stranger)):
        interests.releasePledgeByCourtOrder(1, COURT_ORDER, {"from": stranger})
    tx = interests.releasePledgeByCourtOrder(1, COURT_ORDER, {"from": registrar})
    assert tx.events["PledgeReleased"]["releasedBy"] == registrar
    assert tx.events["PledgeReleased"]["courtOrderHash"] == "0x" + COURT_ORDER.hex()


def test_surrender_with_active_pledge_reverts_pledge_active(registry: Any, interests: Any, alice: Any, carol: Any,
                                                            em_right: int) -> None:
    interests.recordPledge(em_right, carol, ZERO32, {"from": alice})
    with brownie.reverts(custom_error("PledgeActive", em_right, 1, carol)):
        registry.changeStatus(em_right, Status.SURRENDERED, 0, ZERO32, {"from": alice})


def test_security_interests_wired_once(registry: Any, interests: Any, council: Any, em_admin: Any) -> None:
    """The deployment wired them; a council vote to wire them again is refused, and no office admin may."""
    assert registry.securityInterests() == interests
    assert interests.registry() == registry
    with brownie.reverts(custom_error("SecurityInterestsSet", interests)):
        council_vote(council, call(registry, "setSecurityInterests", interests))
    with brownie.reverts(custom_error("AccessManagedUnauthorized", em_admin)):
        registry.setSecurityInterests(interests, {"from": em_admin})


def test_assign_in_one_transaction_with_the_assignee_signature_moves_title(registry: Any, alice: Any, bob: Any,
                                                                          stranger: Any, ru_right: int) -> None:
    message = assign_title_message(registry, ru_right, bob, DEED, now() + 3600)
    signature = sign_assign_title(registry, bob, message)
    with brownie.reverts(custom_error("NotHolder", ru_right, stranger)):
        registry.assign(ru_right, bob, DEED, message["sequence"], message["deadline"], signature, {"from": stranger})

    tx = registry.assign(ru_right, bob, DEED, message["sequence"], message["deadline"], signature, {"from": alice})

    assert registry.ownerOf(ru_right) == bob
    assert tx.events["AssignmentRecorded"]["to"] == bob
    with brownie.reverts(custom_error("NotHolder", ru_right, alice)):  # the signature is spent with the title
        registry.assign(ru_right, bob, DEED, message["sequence"], message["deadline"], signature, {"from": alice})


def test_assign_in_one_transaction_where_recordal_is_required_reverts(registry: Any, alice: Any, bob: Any,
                                                                      em_right: int) -> None:
    message = assign_title_message(registry, em_right, bob, DEED, now() + 3600)
    signature = sign_assign_title(registry, bob, message)
    with brownie.reverts(custom_error("RecordalRequired", b"EM")):
        registry.assign(em_right, bob, DEED, message["sequence"], message["deadline"], signature, {"from": alice})


def test_record_assignment_by_signatures_relayed_by_the_registrar_moves_title(registry: Any, registrar: Any,
                                                                             alice: Any, bob: Any, carol: Any,
                                                                             em_right: int) -> None:
    message = assign_title_message(registry, em_right, bob, DEED, now() + 3600)
    holder_sig, assignee_sig = sign_assign_title(registry, alice, message), sign_assign_title(registry, bob, message)
    args = (em_right, bob, DEED, message["sequence"], message["deadline"])
    with brownie.reverts(custom_error("InvalidSignature", alice, carol)):
        registry.recordAssignmentBySig(*args, sign_assign_title(registry, carol, message), assignee_sig,
                                       {"from": registrar})

    tx = registry.recordAssignmentBySig(*args, holder_sig, assignee_sig, {"from": registrar})

    assert registry.ownerOf(em_right) == bob
    assert tx.events["AssignmentRecorded"]["recordedBy"] == registrar
