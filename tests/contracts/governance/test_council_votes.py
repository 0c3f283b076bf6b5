"""The council's vote: who may vote on what (the snapshot decides), the threshold and its math, early success,
defeat at the deadline, cancel, the timelock delay, ERC-1271 admins voting by signature (the council rig)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from helpers import assert_revert
from helpers.council import (
    ALICE,
    BOB,
    EVE,
    GOVERNOR,
    MALLORY,
    RU_ADMIN,
    STRANGER,
    US_ADMIN,
    Rig,
)

from ipledger.domain import governance as gov
from ipledger.domain.governance import ProposalState
from ipledger.errors import ContractRevert, InvalidInput, UsageError

S = ProposalState


def _propose(rig: Rig, who: int = GOVERNOR, description: str | None = None) -> int:
    c = rig.as_(who).council
    pid = c.propose([c.set_recordal("US", True)], description).proposal_id
    rig.mine()
    return pid


def test_early_success_with_two_of_three_and_execution(rig: Rig) -> None:
    pid = _propose(rig)
    assert rig.ipl.council.state(pid) == S.ACTIVE
    rig.as_(GOVERNOR).council.vote(pid, "for")
    assert rig.ipl.council.state(pid) == S.ACTIVE  # 1 of 3: not yet
    rig.as_(RU_ADMIN).council.vote(pid, "for")
    p = rig.ipl.council.show(pid)
    assert p.state == S.SUCCEEDED and p.votes == {"for": 2, "against": 0, "abstain": 0}
    assert p.needed == 2 and p.offices == 3 and p.threshold == "2/3"
    assert p.actions == ("IPRegistry.setRecordalRequired(US, True)",)
    with pytest.raises(ContractRevert) as exc:  # the vote is over once it passed
        rig.as_(US_ADMIN).council.vote(pid, "against")
    assert type(exc.value).__name__ == "GovernorUnexpectedProposalState"
    res = rig.as_(STRANGER).council.execute(pid)  # anyone executes a passed proposal
    assert res.event("RecordalRequirementSet").args == {"office": "US", "recordalRequired": True}
    assert rig.ipl.council.state(pid) == S.EXECUTED


def test_defeated_at_the_deadline_without_enough_for_votes(rig: Rig) -> None:
    pid = _propose(rig)
    rig.as_(GOVERNOR).council.vote(pid, "for")
    rig.as_(RU_ADMIN).council.vote(pid, "against")
    rig.as_(US_ADMIN).council.vote(pid, "abstain")
    assert rig.ipl.council.state(pid) == S.ACTIVE  # one for-vote: waits for the deadline
    rig.mine(25)
    assert rig.ipl.council.state(pid) == S.DEFEATED
    with pytest.raises(UsageError, match="defeated"):
        rig.ipl.council.execute(pid)
    with pytest.raises(ContractRevert) as exc:
        rig.ipl.council.queue(pid)
    assert type(exc.value).__name__ == "GovernorUnexpectedProposalState"


def test_abstentions_never_pass(rig: Rig) -> None:
    pid = _propose(rig)
    for who in (GOVERNOR, RU_ADMIN, US_ADMIN):
        rig.as_(who).council.vote(pid, "abstain")
    rig.mine(25)
    assert rig.ipl.council.state(pid) == S.DEFEATED


def test_stranger_cannot_vote(rig: Rig) -> None:
    pid = _propose(rig)
    with pytest.raises(ContractRevert) as exc:
        rig.as_(STRANGER).council.vote(pid, "for")
    assert_revert(exc, "CouncilNoSeat", proposalId=pid, voter=rig.address(STRANGER))


def test_office_admitted_after_the_snapshot_cannot_vote_on_it(rig: Rig) -> None:
    early = _propose(rig, description="before AU")
    c = rig.as_(GOVERNOR).council
    c.pass_(c.admit_office("AU", rig.address(EVE)))
    assert rig.ipl.council.state(early) == S.ACTIVE
    with pytest.raises(ContractRevert) as exc:
        rig.as_(EVE).council.vote(early, "for")
    assert_revert(exc, "CouncilNoSeat", proposalId=early, voter=rig.address(EVE))
    assert rig.ipl.council.show(early).needed == 2  # still 2 of the 3 offices at its snapshot
    late = _propose(rig, description="after AU")
    assert rig.ipl.council.show(late).needed == 3  # ceil(2/3 x 4)
    rig.as_(EVE).council.vote(late, "for")


def test_replaced_admin_cannot_vote_twice(rig: Rig) -> None:
    pid = _propose(rig)
    rig.as_(RU_ADMIN).council.vote(pid, "for")
    council = rig.contract("OfficeCouncil").functions
    rig.as_(RU_ADMIN).transact(council.transferOfficeAdmin(b"RU", rig.address(EVE)), "offer RU's seat")
    res = rig.as_(EVE).transact(council.acceptOfficeAdmin(b"RU"), "take RU's seat")
    assert res.event("OfficeAdminChanged").args == {"office": "RU", "previousAdmin": rig.address(RU_ADMIN),
                                                    "newAdmin": rig.address(EVE)}
    assert res.event("OfficeAdminSet").args["newAdmin"] == rig.address(EVE)  # the registry follows
    with pytest.raises(ContractRevert) as exc:  # the new key held no seat at the snapshot
        rig.as_(EVE).council.vote(pid, "for")
    assert_revert(exc, "CouncilNoSeat", proposalId=pid, voter=rig.address(EVE))
    with pytest.raises(ContractRevert) as exc:  # and the old key has voted already
        rig.as_(RU_ADMIN).council.vote(pid, "for")
    assert type(exc.value).__name__ == "GovernorAlreadyCastVote"
    assert rig.ipl.council.show(pid).votes["for"] == 1


def test_replacement_by_vote_moves_the_seat(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    c.pass_(c.replace_admin("US", rig.address(BOB)))
    assert rig.contract("OfficeCouncil").functions.officeAdmin(b"US").call() == rig.address(BOB)
    assert rig.contract("IPRegistry").functions.officeInfo(b"US").call()[2] == rig.address(BOB)
    rig.mine()
    with pytest.raises(ContractRevert) as exc:  # the lost key proposes no more
        rig.as_(US_ADMIN).council.propose([c.set_recordal("US", True)], "lost key")
    assert type(exc.value).__name__ == "GovernorInsufficientProposerVotes"
    _propose(rig, BOB)


def test_key_rotation_refuses_strangers_and_seated_accounts(rig: Rig) -> None:
    council = rig.contract("OfficeCouncil").functions
    ru = rig.as_(RU_ADMIN)
    with pytest.raises(ContractRevert) as exc:
        ru.transact(council.transferOfficeAdmin(b"RU", rig.address(US_ADMIN)), "offer to US's admin")
    assert_revert(exc, "CouncilAdminHoldsSeat", admin=rig.address(US_ADMIN), office="US")
    ru.transact(council.transferOfficeAdmin(b"RU", rig.address(EVE)), "offer to Eve")
    assert council.pendingOfficeAdmin(b"RU").call() == rig.address(EVE)
    with pytest.raises(ContractRevert) as exc:
        rig.as_(MALLORY).transact(council.acceptOfficeAdmin(b"RU"), "steal")
    assert_revert(exc, "CouncilNotPendingAdmin", office="RU", caller=rig.address(MALLORY))
    ru.transact(council.transferOfficeAdmin(b"RU", "0x" + "00" * 20), "withdraw")
    with pytest.raises(ContractRevert) as exc:
        rig.as_(EVE).transact(council.acceptOfficeAdmin(b"RU"), "too late")
    assert_revert(exc, "CouncilNotPendingAdmin", office="RU", caller=rig.address(EVE))


def test_one_account_cannot_admin_two_offices(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    with pytest.raises(ContractRevert) as exc:  # the vote passes, the execution refuses
        c.pass_(c.admit_office("AU", rig.address(RU_ADMIN)))
    assert_revert(exc, "CouncilAdminHoldsSeat", admin=rig.address(RU_ADMIN), office="RU")
    with pytest.raises(ContractRevert) as exc:
        c.pass_(c.replace_admin("US", rig.address(GOVERNOR)))
    assert_revert(exc, "CouncilAdminHoldsSeat", admin=rig.address(GOVERNOR), office="EM")


def test_admit_and_remove_an_office(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    res = c.pass_(c.admit_office("AU", rig.address(EVE), recordal=True))
    assert rig.contract("IPRegistry").functions.officeInfo(b"AU").call() == [True, True, rig.address(EVE)]
    assert rig.ipl.council.show(res.proposal_id).state == S.EXECUTED
    with pytest.raises(ContractRevert) as exc:
        c.pass_(c.admit_office("AU", rig.address(ALICE)))
    assert_revert(exc, "CouncilOfficeExists", office="AU")
    c.pass_(c.remove_office("AU"))
    assert rig.contract("IPRegistry").functions.officeInfo(b"AU").call()[0] is False
    assert rig.contract("OfficeCouncil").functions.officeOf(rig.address(EVE)).call() == b"\0\0"
    rig.mine()
    with pytest.raises(ContractRevert) as exc:
        rig.as_(EVE).council.propose([c.set_recordal("EM", False)], "removed")
    assert type(exc.value).__name__ == "GovernorInsufficientProposerVotes"


def test_the_last_office_cannot_be_removed(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    c.pass_(c.remove_office("US"))
    c.pass_(c.remove_office("RU"))  # 2 of 2 needed, RU's admin votes for its own removal
    with pytest.raises(ContractRevert) as exc:
        c.pass_(c.remove_office("EM"))
    assert_revert(exc, "CouncilLastOffice", office="EM")


def test_cancel_by_the_proposer_while_pending(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    c.pass_(c.set_voting_delay(5))
    pid = c.propose([c.set_recordal("US", True)], "to be cancelled").proposal_id
    assert c.state(pid) == S.PENDING
    with pytest.raises(ContractRevert) as exc:
        rig.as_(RU_ADMIN).council.cancel(pid)
    assert type(exc.value).__name__ == "GovernorUnableToCancel"
    c.cancel(pid)
    assert c.state(pid) == S.CANCELED
    rig.mine(6)
    with pytest.raises(ContractRevert) as exc:
        rig.as_(RU_ADMIN).council.vote(pid, "for")
    assert type(exc.value).__name__ == "GovernorUnexpectedProposalState"


def test_threshold_never_at_or_below_one_half(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    for bad in ("1/2", "50%", "0.4", "3/2", "0/1", "half"):
        with pytest.raises(InvalidInput):
            gov.threshold(bad)
    with pytest.raises(ContractRevert) as exc:  # a raw call past the SDK's check: the contract refuses it
        c.pass_(c.call(c.contract, "setThreshold", 1, 2))
    assert_revert(exc, "CouncilInvalidThreshold", numerator=1, denominator=2)
    with pytest.raises(ContractRevert) as exc:
        c.pass_(c.call(c.contract, "setThreshold", 4, 3))
    assert_revert(exc, "CouncilInvalidThreshold", numerator=4, denominator=3)
    res = c.pass_(c.set_threshold("3/3"))
    assert c.threshold() == Fraction(1)
    assert rig.ipl.council.show(res.proposal_id).state == S.EXECUTED
    pid = _propose(rig, description="unanimity now")
    assert rig.ipl.council.show(pid).needed == 3


@pytest.mark.parametrize(("offices", "threshold", "needed"), [
    (1, "2/3", 1), (2, "2/3", 2), (3, "2/3", 2), (4, "2/3", 3), (5, "2/3", 4),
    (1, "3/4", 1), (2, "3/4", 2), (3, "3/4", 3), (4, "3/4", 3), (5, "3/4", 4),
    (1, "51/100", 1), (2, "51/100", 2), (3, "51/100", 2), (4, "51/100", 3), (5, "51/100", 3),
])
def test_threshold_math_with_one_to_five_offices(rig: Rig, offices: int, threshold: str, needed: int) -> None:
    """The contract's quorum and the SDK's votes_needed agree with ceil(threshold x offices)."""
    c = rig.as_(GOVERNOR).council
    assert gov.votes_needed(offices, gov.threshold(threshold)) == needed
    if threshold != "2/3":
        c.pass_(c.set_threshold(threshold))
    if offices < 3:
        c.pass_([c.remove_office(code) for code in ("US", "RU")[: 3 - offices]])
    else:
        c.pass_([c.admit_office(code, rig.address(i)) for code, i in (("AU", EVE), ("JP", ALICE))[: offices - 3]]
                or [c.set_recordal("US", True)])
    block = rig.ipl.w3.eth.block_number
    assert c.contract.functions.officeCountAt(block).call() == offices
    assert c.contract.functions.quorum(block).call() == needed


def test_timelock_delay_enforced(rig: Rig) -> None:
    c = rig.as_(GOVERNOR).council
    c.pass_(c.set_timelock_delay("1h"))
    assert c.settings()["timelock_delay"] == 3600
    pid = _propose(rig, description="waits an hour")
    c.vote(pid, "for")
    rig.as_(RU_ADMIN).council.vote(pid, "for")
    with pytest.raises(UsageError, match="runs 3[56][0-9][0-9] s more"):
        c.execute(pid)  # queues, then says how long the delay still runs
    assert c.state(pid) == S.QUEUED
    with pytest.raises(ContractRevert) as exc:  # past the SDK: the timelock refuses it
        targets, values, datas, dhash = c._parts(pid)
        rig.ipl.transact(c.contract.functions.execute(targets, values, datas, dhash), "execute early")
    assert type(exc.value).__name__ == "TimelockUnexpectedOperationState"
    rig.tester.time_travel(c.show(pid).eta + 1)
    c.execute(pid)
    assert c.state(pid) == S.EXECUTED


def test_zero_timelock_delay_refused_off_dev_chains() -> None:
    from ipledger.deploy import GovernanceOptions

    opts = GovernanceOptions(offices={"EM": ("0x" + "11" * 20, True)}, timelock_delay=0)
    with pytest.raises(InvalidInput, match="local dev chains only"):
        opts.checked(11155111)
    opts.checked(31337)
    GovernanceOptions(offices=opts.offices, timelock_delay=0, allow_zero_delay=True).checked(11155111)
    with pytest.raises(InvalidInput, match="at most one office"):
        GovernanceOptions(offices={"EM": ("0x" + "11" * 20, True), "RU": ("0x" + "11" * 20, False)}).checked(1)


def test_contract_wallet_admin_votes_by_signature(rig: Rig, artifacts) -> None:  # type: ignore[no-untyped-def]
    art = artifacts["CouncilWalletMock"]
    factory = rig.ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    wallet_address = rig.as_(EVE).sender.send(factory.constructor(rig.address(EVE)), label="wallet")["contractAddress"]
    c = rig.as_(GOVERNOR).council
    c.pass_(c.admit_office("AU", wallet_address))
    pid = _propose(rig, description="the wallet votes")
    bad = rig.as_(MALLORY).council.sign_vote(pid, "for", voter=wallet_address)
    with pytest.raises(ContractRevert) as exc:
        rig.as_(STRANGER).council.vote_by_sig(pid, "for", wallet_address, bad)
    assert_revert(exc, "GovernorInvalidSignature", voter=wallet_address)
    signature = rig.as_(EVE).council.sign_vote(pid, "for", voter=wallet_address)
    res = rig.as_(STRANGER).council.vote_by_sig(pid, "for", wallet_address, signature)
    assert res.event("VoteCast").args["voter"] == wallet_address and res.event("VoteCast").args["weight"] == 1
    with pytest.raises(ContractRevert):  # the nonce moved on: a replay is refused
        rig.as_(STRANGER).council.vote_by_sig(pid, "for", wallet_address, signature)
    assert rig.ipl.council.show(pid).votes["for"] == 1
    # the wallet proposes through its owner
    wallet = rig.ipl.w3.eth.contract(address=wallet_address, abi=art.abi)
    call = c.set_recordal("AU", False)
    data = c.contract.encode_abi("propose", [[call.target], [0], [call.data], "from the wallet"])
    res = rig.as_(EVE).transact(wallet.functions.execute(c.contract.address, data), "wallet proposes")
    assert res.event("ProposalCreated").args["proposer"] == wallet_address


def test_seed_lists_must_match(rig: Rig, artifacts) -> None:  # type: ignore[no-untyped-def]
    art = artifacts["OfficeCouncil"]
    factory = rig.ipl.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    tl, reg = rig.contract("CouncilTimelock").address, rig.contract("IPRegistry").address
    cases = [([b"EM", b"RU"], [rig.address(ALICE)], "CouncilSeedMismatch"),
             ([b"EM", b"RU"], [rig.address(ALICE)] * 2, "CouncilAdminHoldsSeat"),
             ([b"EM", b"EM"], [rig.address(ALICE), rig.address(BOB)], "CouncilOfficeExists"),
             ([b"e1"], [rig.address(ALICE)], "CouncilInvalidOffice"),
             ([b"EM"], ["0x" + "00" * 20], "CouncilInvalidAdmin")]
    for offices, admins, expected in cases:
        with pytest.raises(ContractRevert) as exc:
            rig.ipl.transact(factory.constructor(tl, reg, offices, admins, 0, 20), "deploy a council")
        assert type(exc.value).__name__ == expected
