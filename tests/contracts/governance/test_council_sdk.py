"""The council SDK and the demo's council story on the rig: proposals read back from events, decoded actions,
the guardian's pause of every register and the vote that resumes them."""

from __future__ import annotations

import pytest
from helpers.council import GOVERNOR, RU_ADMIN, STRANGER, Rig

from ipledger.domain.governance import ProposalState
from ipledger.errors import InvalidInput, UsageError


def test_council_story_admits_au_pauses_and_unpauses(rig: Rig) -> None:
    from ipledger.sdk.demo import council_story

    gas: dict[str, int] = {}
    story = council_story(rig.as_(GOVERNOR), gas)
    assert [p["state"] for p in story] == ["executed", "executed"]
    assert story[0]["votes"] == {"for": 2, "against": 0, "abstain": 0} and story[0]["needed"] == 2
    assert story[0]["actions"][0].startswith("OfficeCouncil.admitOffice(AU, ")
    assert rig.contract("IPRegistry").functions.officeInfo(b"AU").call()[0] is True
    assert rig.contract("IPRegistry").functions.paused().call() is False
    assert {"council: propose", "council: vote", "guardian: pause (each register)"} <= set(gas)


def test_proposals_are_read_back_from_events(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    first = c.propose([c.set_recordal("US", True), c.set_voting_period(40)])
    second = c.propose(c.set_threshold("3/4"), "three quarters")
    listed = c.proposals()
    assert [p.proposal_id for p in listed] == [first.proposal_id, second.proposal_id] == [1, 2]
    assert listed[0].description == "#1: recordal required for US; voting period 40 blocks"
    assert listed[0].actions == ("IPRegistry.setRecordalRequired(US, True)", "OfficeCouncil.setVotingPeriod(40)")
    assert listed[1].actions == ("OfficeCouncil.setThreshold(3, 4)",) and listed[1].state == ProposalState.PENDING
    with pytest.raises(InvalidInput, match="no proposal 9"):
        c.show(9)
    with pytest.raises(InvalidInput, match="at least one action"):
        c.propose([])


def test_execute_says_why_not(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    pid = c.propose(c.set_recordal("US", True)).proposal_id
    with pytest.raises(UsageError, match="pending; only a passed proposal executes"):
        rig.as_(STRANGER).council.execute(pid)
    c.vote(pid, "for")  # opens the vote on the dev chain first
    with pytest.raises(UsageError, match="active; only a passed proposal executes"):
        c.execute(pid)
    rig.as_(RU_ADMIN).council.vote(pid, "for")
    c.execute(pid)


def test_guardian_named_and_removed_by_vote(rig: Rig) -> None:
    from helpers.council import EVE, GUARDIAN

    from ipledger.errors import ContractRevert

    c = rig.as_(GOVERNOR).council
    c.pass_([c.set_guardian(rig.address(EVE)), c.unset_guardian(rig.address(GUARDIAN))])
    rig.as_(EVE).pause()
    assert rig.contract("IPRegistry").functions.paused().call() is True
    with pytest.raises(ContractRevert) as exc:
        rig.as_(GUARDIAN).pause()
    assert type(exc.value).__name__ == "AccessManagedUnauthorized"


def test_threshold_change_emits_the_old_and_the_new(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    pid = c.pass_(c.set_threshold("0.75")).proposal_id
    logs = c.contract.events.ThresholdSet().get_logs(from_block=0)
    assert dict(logs[-1]["args"]) == {"oldNumerator": 2, "oldDenominator": 3, "newNumerator": 3, "newDenominator": 4}
    assert c.show(pid).state == ProposalState.EXECUTED and str(c.threshold()) == "3/4"


def test_council_fits_eip170(artifacts) -> None:  # type: ignore[no-untyped-def]
    assert artifacts["OfficeCouncil"].code_size < 24_576
    assert artifacts["CouncilTimelock"].code_size < 24_576
