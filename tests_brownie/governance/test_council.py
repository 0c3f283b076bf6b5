"""OfficeCouncil: one seat per office admin, proposals passed by vote (directly or by signature, with a reason and
params), queued in the CouncilTimelock and executed; the council's own settings change only by its vote. Every
function only the council's execution may call is refused to anyone else (GovernorOnlyExecutor), deposits are
refused, and an account without a seat can neither propose nor vote."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from support import ACTIVE, AGAINST, FOR, SUCCEEDED, call, council_vote, custom_error, filing, propose, sign_ballot

from ipledger.domain import IPType, right_id


def bitmap(*states: int) -> bytes:
    """The ``bytes32`` state bitmap OpenZeppelin's Governor and TimelockController report in their errors."""
    return sum(1 << s for s in states).to_bytes(32, "big")


@pytest.fixture
def proposal(council: Any, registry: Any) -> tuple[int, list[Any]]:
    """An active proposal (the council sets RU's recordal rule) with no vote yet: (its id, queue/execute args)."""
    proposal_id, args, _ = propose(council, call(registry, "setRecordalRequired", b"RU", True))
    return proposal_id, args


def test_council_is_seeded_with_the_dev_offices_and_a_two_thirds_threshold(council: Any, timelock: Any,
                                                                           registry: Any, em_admin: Any) -> None:
    assert [str(c) for c in council.offices()] == ["0x454d", "0x5255", "0x5553"]
    assert council.officeOf(em_admin) == "0x454d"
    assert tuple(council.threshold()) == (2, 3)
    assert council.registry() == registry
    assert council.timelock() == timelock
    assert (council.votingDelay(), council.votingPeriod(), timelock.getMinDelay()) == (0, 20, 0)


def test_votes_by_signature_and_with_a_reason_pass_the_proposal(council: Any, registry: Any,
                                                                proposal: tuple[int, list[Any]], em_admin: Any,
                                                                ru_admin: Any, stranger: Any) -> None:
    proposal_id, args = proposal
    signature = sign_ballot(council, em_admin, proposal_id, FOR)

    relayed = council.castVoteBySig(proposal_id, FOR, em_admin, signature, {"from": stranger})
    reasoned = council.castVoteWithReason(proposal_id, FOR, "RU asked for recordal", {"from": ru_admin})

    assert relayed.events["VoteCast"]["voter"] == em_admin
    assert reasoned.events["VoteCast"]["reason"] == "RU asked for recordal"
    assert council.hasVoted(proposal_id, em_admin) and council.hasVoted(proposal_id, ru_admin)
    assert council.state(proposal_id) == SUCCEEDED  # two of three seats: the super-quorum ends the vote
    council.queue(*args, {"from": stranger})
    council.execute(*args, {"from": stranger})  # the timelock's executor role is open to anyone
    assert tuple(registry.officeInfo(b"RU")) == (True, True, ru_admin)


def test_votes_with_params_directly_and_by_signature_count(council: Any, proposal: tuple[int, list[Any]],
                                                           us_admin: Any, ru_admin: Any, stranger: Any) -> None:
    proposal_id, _ = proposal
    council.castVoteWithReasonAndParams(proposal_id, AGAINST, "not now", b"", {"from": us_admin})
    signature = sign_ballot(council, ru_admin, proposal_id, FOR, reason="yes", params=b"")

    tx = council.castVoteWithReasonAndParamsBySig(proposal_id, FOR, ru_admin, "yes", b"", signature,
                                                  {"from": stranger})

    assert tx.events["VoteCast"]["voter"] == ru_admin
    assert tuple(council.proposalVotes(proposal_id)) == (1, 1, 0)
    assert council.state(proposal_id) == ACTIVE


def test_vote_by_signature_of_someone_else_reverts_governor_invalid_signature(council: Any,
                                                                               proposal: tuple[int, list[Any]],
                                                                               em_admin: Any, stranger: Any) -> None:
    proposal_id, _ = proposal
    forged = sign_ballot(council, stranger, proposal_id, FOR)  # the stranger signs a ballot naming EM's admin
    with brownie.reverts(custom_error("GovernorInvalidSignature", em_admin)):
        council.castVoteBySig(proposal_id, FOR, em_admin, forged, {"from": stranger})
    with brownie.reverts(custom_error("GovernorInvalidSignature", em_admin)):
        council.castVoteWithReasonAndParamsBySig(proposal_id, FOR, em_admin, "", b"", forged, {"from": stranger})


def test_vote_without_a_seat_reverts_council_no_seat(council: Any, proposal: tuple[int, list[Any]],
                                                     stranger: Any, deployer: Any) -> None:
    proposal_id, _ = proposal
    for voter in (stranger, deployer):
        with brownie.reverts(custom_error("CouncilNoSeat", proposal_id, voter)):
            council.castVote(proposal_id, FOR, {"from": voter})


def test_propose_without_a_seat_reverts_insufficient_proposer_votes(council: Any, registry: Any,
                                                                     stranger: Any) -> None:
    with brownie.reverts(custom_error("GovernorInsufficientProposerVotes", stranger, 0, 1)):
        propose(council, call(registry, "unpause"), proposer=stranger)


def test_execute_or_queue_before_the_vote_passed_reverts_unexpected_state(council: Any, stranger: Any,
                                                                          proposal: tuple[int, list[Any]]) -> None:
    proposal_id, args = proposal
    with brownie.reverts(custom_error("GovernorUnexpectedProposalState", proposal_id, ACTIVE, bitmap(4, 5))):
        council.execute(*args, {"from": stranger})
    with brownie.reverts(custom_error("GovernorUnexpectedProposalState", proposal_id, ACTIVE, bitmap(4))):
        council.queue(*args, {"from": stranger})


def test_cancel_by_a_stranger_or_after_voting_started_reverts(council: Any, proposal: tuple[int, list[Any]],
                                                              em_admin: Any, stranger: Any) -> None:
    proposal_id, args = proposal
    with brownie.reverts(custom_error("GovernorUnableToCancel", proposal_id, stranger)):
        council.cancel(*args, {"from": stranger})
    with brownie.reverts(custom_error("GovernorUnableToCancel", proposal_id, em_admin)):
        council.cancel(*args, {"from": em_admin})  # no delay on a dev chain: the vote is open from the next block
    assert council.state(proposal_id) == ACTIVE


@pytest.mark.parametrize("function,args", [
    ("admitOffice", (b"FR", "stranger", False)), ("removeOffice", (b"US",)),
    ("replaceOfficeAdmin", (b"US", "stranger")),
    ("setThreshold", (3, 4)), ("setVotingDelay", (5,)), ("setVotingPeriod", (100,)), ("updateTimelock", ("stranger",)),
    ("relay", ("stranger", 0, b"")),
])
def test_council_only_functions_by_a_stranger_revert_governor_only_executor(council: Any, stranger: Any,
                                                                            function: str,
                                                                            args: tuple[Any, ...]) -> None:
    values = [stranger if a == "stranger" else a for a in args]
    with brownie.reverts(custom_error("GovernorOnlyExecutor", stranger)):
        getattr(council, function)(*values, {"from": stranger})


@pytest.mark.parametrize("function,args", [
    ("onERC721Received", ("stranger", "stranger", 1, b"")),
    ("onERC1155Received", ("stranger", "stranger", 1, 1, b"")),
    ("onERC1155BatchReceived", ("stranger", "stranger", [1], [1], b"")),
])
def test_token_deposits_to_the_council_revert_governor_disabled_deposit(council: Any, stranger: Any, function: str,
                                                                        args: tuple[Any, ...]) -> None:
    """The council executes through its timelock: tokens sent to the council itself would be stuck."""
    values = [stranger if a == "stranger" else a for a in args]
    with brownie.reverts(custom_error("GovernorDisabledDeposit")):
        getattr(council, function)(*values, {"from": stranger})


def test_council_vote_changes_threshold_and_voting_settings(council: Any) -> None:
    tx = council_vote(council, call(council, "setThreshold", 3, 4), call(council, "setVotingPeriod", 40),
                      call(council, "setVotingDelay", 1))

    assert tuple(tx.events["ThresholdSet"].values()) == (2, 3, 3, 4)
    assert tuple(council.threshold()) == (3, 4)
    assert (council.votingDelay(), council.votingPeriod()) == (1, 40)


def test_council_vote_with_a_threshold_of_half_reverts_council_invalid_threshold(council: Any) -> None:
    with brownie.reverts(custom_error("CouncilInvalidThreshold", 1, 2)):
        council_vote(council, call(council, "setThreshold", 1, 2))


def test_council_vote_replaces_an_office_admin_in_council_and_registry(council: Any, registry: Any, us_admin: Any,
                                                                       eve: Any, dave: Any, alice: Any) -> None:
    tx = council_vote(council, call(council, "replaceOfficeAdmin", b"US", eve))

    changed = tx.events["OfficeAdminChanged"]
    assert (changed["previousAdmin"], changed["newAdmin"]) == (us_admin, eve)
    assert tuple(registry.officeInfo(b"US"))[2] == eve
    assert council.officeOf(us_admin) == "0x0000"
    registry.grantRegistrar(b"US", dave, {"from": eve})
    registry.file(filing("US", "97000001", alice), {"from": dave})
    assert registry.ownerOf(right_id("US", IPType.TRADE_MARK, "97000001")) == alice


def test_council_vote_relays_a_call_as_the_council_itself(council: Any, registry: Any, eve: Any) -> None:
    """``relay``: the council (holder of COUNCIL_ROLE) calls the registry itself, as its timelock asked."""
    data = registry.addOffice.encode_input(b"JP", eve, False)

    tx = council_vote(council, call(council, "relay", registry, 0, data))

    assert tx.events["OfficeAdded"]["admin"] == eve
    assert tuple(registry.officeInfo(b"JP")) == (True, False, eve)


def test_council_vote_hands_the_council_to_a_new_timelock(council: Any, timelock: Any, stranger: Any) -> None:
    """``updateTimelock`` passes by vote only; here to the stranger's address, the worst a vote could do."""
    tx = council_vote(council, call(council, "updateTimelock", stranger))

    assert tx.events["TimelockChange"]["newTimelock"] == stranger
    assert council.timelock() == stranger
    assert timelock.getMinDelay() == 0
