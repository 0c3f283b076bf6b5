"""Who may not do what: every state-changing registry and party function against every role it must refuse.

Each row stages the call so that only the caller's role is wrong (a positive control per row shows the
permitted caller succeeds), then asserts the exact error and its arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from helpers import World, assert_revert, eip712
from ipledger.sdk import Filing, IPLedger
from ipledger.domain import IPType, Status
from ipledger.errors import ContractRevert

DEED = "0x" + "de" * 32
ROLES = ("governor", "registrar", "ru_registrar", "alice", "bob", "carol", "stranger")
# governor: the deployer, with no power left but EM's admin seat; ru_admin / us_admin: the other offices' admins;
# guardian: may pause only; "council": a passed vote of the offices, executed by the timelock; alice: holder
# of every staged right; bob: pending assignee; carol: creditor; registrar: EM (the rights' office)

# Functions anyone may call: nothing to refuse (revokeSignature: each caller revokes only its own signatures).
# requestApplication: anyone may ask an office for a number (only the office accords one).
OPEN_TO_ALL = {"anchorDocument", "publishProfile", "revokeSignature", "requestApplication"}


@dataclass(frozen=True)
class Stage:
    filed: int
    published: int
    registered: int
    requested: int  # Alice -> Bob requested
    accepted: int  # Alice -> Bob accepted, awaiting EM recordal
    pledged: int  # pledged to Carol, Alice -> Bob requested
    deadline: int
    pledge_id: int = 0  # Carol's pledge on ``pledged``
    request_id: int = 0  # Alice's pending application request at EM
    ru_registered: int = 0  # Alice's registered RU right (no recordal: `assign` applies)


@pytest.fixture(scope="module")
def stage(module_world: World) -> Stage:
    w = module_world
    filed = w.file("M-FILED")
    published = w.file("M-PUB")
    w.registrar.publish(published)
    registered = w.file_registered("M-REG")
    requested = w.file_registered("M-REQ")
    w.alice.request_assignment(requested, w.bob.address, DEED)
    accepted = w.file_registered("M-ACC")
    w.alice.request_assignment(accepted, w.bob.address, DEED)
    w.bob.accept_assignment(accepted)
    pledged = w.file_registered("M-PLEDGE")
    pledge_id = w.alice.record_pledge(pledged, w.carol.address).pledge_id
    w.alice.request_assignment(pledged, w.bob.address, DEED)
    w.alice.publish_profile("Alice GmbH", "DE")
    w.bob.publish_profile("Bob Ltd", "GB")
    w.registrar.verify_profile(w.bob.address, "EM")
    request_id = w.alice.request_application("EM", "TM").request_id
    ru_registered = w.file_registered("M-RU", office="RU")
    return Stage(filed, published, registered, requested, accepted, pledged, deadline=w.now() + 86400,
                 pledge_id=pledge_id, request_id=request_id, ru_registered=ru_registered)


def raw(actor: IPLedger, fn: Any) -> Any:
    return actor.sender.send(fn)


def title_sig(w: World, signer: IPLedger, rid: int, s: Stage) -> bytes:
    """``signer``'s ``AssignTitle`` signature of assigning ``rid`` (Alice's) to Carol."""
    return signer.sign_title_assignment(rid, w.carol.address, DEED, s.deadline)


def signed(w: World, signer: IPLedger, rid: int, s: Stage, consent: bool) -> bytes:
    """``signer`` signs the acceptance (assignee Bob) or consent (creditor Carol) that someone else must sign."""
    deed = bytes.fromhex(DEED[2:])
    if consent:
        message = {"pledgeId": s.pledge_id, "rightId": rid, "creditor": w.carol.address, "assignmentId": 1,
                   "assignee": w.bob.address, "deedHash": deed, "pledgesVersion": 1, "deadline": s.deadline}
        return eip712.sign(w.ipl.interests, "ConsentToAssignment", message, signer.account)
    message = {"rightId": rid, "assignmentId": 1, "assignee": w.bob.address, "deedHash": deed, "deadline": s.deadline}
    return eip712.sign(w.ipl.registry, "AcceptAssignment", message, signer.account)


Call = Callable[[World, Stage, IPLedger], Any]
Expect = Callable[[World, Stage, IPLedger], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    """One function: the roles it must refuse, the error they get, and who may call it."""

    function: str  # contract function; a suffix in parentheses names the variant
    refused: tuple[str, ...]
    error: str
    expect: Expect
    call: Call
    permitted: str  # positive control: this role succeeds with the same call


def _unauthorized(w: World, s: Stage, a: IPLedger) -> dict[str, Any]:
    return {"caller": a.address}


def _not_admin(w: World, s: Stage, a: IPLedger) -> dict[str, Any]:
    return {"office": "EM", "caller": a.address}


def _not_registrar(w: World, s: Stage, a: IPLedger) -> dict[str, Any]:
    return {"office": "EM", "account": a.address}


def _rid_caller(attr: str) -> Expect:
    return lambda w, s, a: {"rightId": getattr(s, attr), "caller": a.address}


def _pledge_caller(w: World, s: Stage, a: IPLedger) -> dict[str, Any]:
    return {"pledgeId": s.pledge_id, "caller": a.address}


def _move(attr: str, to: Status) -> Expect:
    return lambda w, s, a: {"rightId": getattr(s, attr), "caller": a.address, "to": to}


# Everyone but a passed vote: the deployer, every office admin, the guardian, registrars, parties, strangers.
NOT_COUNCIL = ("governor", "ru_admin", "us_admin", "guardian", "registrar", "ru_registrar", "alice", "stranger")
NOT_GUARDIAN = ("governor", "ru_admin", "us_admin", "registrar", "ru_registrar", "alice", "stranger")
NOT_EM_REGISTRAR = ("governor", "ru_registrar", "alice", "bob", "stranger")
NOT_EM_ADMIN = ("ru_admin", "us_admin", "guardian", "registrar", "ru_registrar", "alice", "stranger")


def _restricted(contract: str, function: str, args: Callable[[World], list[Any]], permitted: str = "") -> Row:
    """A function the authority guards: every account but the permitted one gets AccessManagedUnauthorized."""
    prefix = {"IPRegistry": "", "SecurityInterests": "interests.", "PartyRegistry": "parties."}[contract]
    return Row(prefix + function, NOT_GUARDIAN if permitted == "guardian" else NOT_COUNCIL, "AccessManagedUnauthorized", _unauthorized,
               lambda w, s, a: raw(a, getattr(a.contracts[contract].functions, function)(*args(w))), permitted)


def _initialize(contract: str, args: Callable[[World], list[Any]]) -> Row:
    """`initialize` runs once, through the proxy at deployment: every later call reverts InvalidInitialization."""
    prefix = {"IPRegistry": "", "SecurityInterests": "interests.", "PartyRegistry": "parties."}[contract]
    return Row(prefix + "initialize", ROLES, "InvalidInitialization", lambda w, s, a: {},
               lambda w, s, a: raw(a, a.contracts[contract].functions.initialize(*args(w))), "")


def _authority(w: World) -> str:
    return w.ipl.contracts["RegisterAuthority"].address


REGISTERS = ("IPRegistry", "SecurityInterests", "PartyRegistry")

ROWS: list[Row] = [
    # ------------------------------------------------ governance (the authority: council, timelock, guardian)
    Row("addOffice", NOT_COUNCIL, "AccessManagedUnauthorized", _unauthorized,
        lambda w, s, a: a.add_office("AU", admin=w.dave.address), "council"),
    Row("removeOffice", NOT_COUNCIL, "AccessManagedUnauthorized", _unauthorized,
        lambda w, s, a: a.remove_office("RU"), "council"),
    Row("setOfficeAdmin", NOT_COUNCIL, "AccessManagedUnauthorized", _unauthorized,
        lambda w, s, a: a.set_office_admin("RU", w.dave.address), "council"),
    Row("setRecordalRequired", NOT_COUNCIL, "AccessManagedUnauthorized", _unauthorized,
        lambda w, s, a: a.set_recordal_required("EM", False), "council"),
    Row("setSecurityInterests", NOT_COUNCIL, "AccessManagedUnauthorized", _unauthorized,
        lambda w, s, a: raw(a, a.registry.functions.setSecurityInterests(w.ipl.interests.address)),
        ""),  # wired once at deployment: see test_signatures
    *[_restricted(c, "pause", lambda w: [], "guardian") for c in REGISTERS],
    *[_restricted(c, "unpause", lambda w: []) for c in REGISTERS],  # the positive case needs a pause: test_offices
    *[_restricted(c, "upgradeToAndCall", lambda w: [w.dave.address, b""]) for c in REGISTERS],
    # setAuthority answers only the authority itself (an AccessManager's updateAuthority), never an account
    *[Row(p + "setAuthority", ROLES, "AccessManagedUnauthorized", _unauthorized,
          lambda w, s, a, c=c: raw(a, a.contracts[c].functions.setAuthority(w.dave.address)), "")
      for c, p in (("IPRegistry", ""), ("SecurityInterests", "interests."), ("PartyRegistry", "parties."))],
    _initialize("IPRegistry", lambda w: [_authority(w)]),
    _initialize("SecurityInterests", lambda w: [_authority(w), w.ipl.registry.address]),
    _initialize("PartyRegistry", lambda w: [_authority(w), w.ipl.registry.address]),
    # ------------------------------------------------ inside an office: its admin only
    Row("grantRegistrar", NOT_EM_ADMIN, "NotOfficeAdmin", _not_admin,
        lambda w, s, a: a.grant_registrar("EM", w.dave.address), "governor"),
    Row("revokeRegistrar", NOT_EM_ADMIN, "NotOfficeAdmin", _not_admin,
        lambda w, s, a: a.revoke_registrar("EM", w.registrar.address), "governor"),
    Row("setNationalCode", NOT_EM_ADMIN, "NotOfficeAdmin", _not_admin,
        lambda w, s, a: a.set_national_code("EM", "registered", "EM-REG"), "governor"),
    Row("setBaseURI", NOT_EM_ADMIN, "NotOfficeAdmin", _not_admin,
        lambda w, s, a: a.set_base_uri("EM", "https://register.example/em/"), "governor"),
    Row("setPledgeCount", ROLES, "NotSecurityInterests", _unauthorized,
        lambda w, s, a: raw(a, a.registry.functions.setPledgeCount(s.registered, 0)), ""),  # SecurityInterests only
    # ------------------------------------------------ filing and status
    Row("file(for another holder)", NOT_EM_REGISTRAR, "NotRegistrar",
        _not_registrar, lambda w, s, a: a.file("EM", "TM", "M-NEW", holder=w.carol.address), "registrar"),
    Row("file(for itself)", NOT_EM_REGISTRAR, "NotRegistrar",
        _not_registrar, lambda w, s, a: a.file("EM", "TM", "M-NEW", holder=a.address), "registrar"),
    Row("fileBatch(for another holder)", NOT_EM_REGISTRAR, "NotRegistrar",
        _not_registrar,
        lambda w, s, a: a.file_batch([Filing("EM", IPType.TRADE_MARK, "M-NEW", holder=w.carol.address)]),
        "registrar"),
    Row("fileBatch(for itself, skipping existing)", NOT_EM_REGISTRAR, "NotRegistrar",
        _not_registrar,
        lambda w, s, a: a.file_batch([Filing("EM", IPType.TRADE_MARK, "M-NEW", holder=a.address)],
                                     skip_existing=True), "registrar"),
    Row("accordRequest", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.accord_request(s.request_id, "M-ACCORD"), "registrar"),
    Row("refuseRequest", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.refuse_request(s.request_id, DEED), "registrar"),
    Row("withdrawRequest", ("governor", "registrar", "ru_registrar", "bob", "stranger"), "NotApplicant",
        lambda w, s, a: {"requestId": s.request_id, "caller": a.address},
        lambda w, s, a: a.withdraw_request(s.request_id), "alice"),
    Row("correctFilingDate", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.correct_filing_date(s.filed, 1_600_000_000, DEED), "registrar"),
    Row("register", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.register(s.published, "R-M", registration_date=w.now(), expiry_date=w.now() + 10),
        "registrar"),
    Row("renew", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.renew(s.registered, 2**39), "registrar"),
    Row("changeStatus(publish)", NOT_EM_REGISTRAR, "StatusMoveNotAllowed", _move("filed", Status.PUBLISHED),
        lambda w, s, a: a.change_status(s.filed, Status.PUBLISHED), "registrar"),
    Row("changeStatus(refuse)", NOT_EM_REGISTRAR, "StatusMoveNotAllowed", _move("published", Status.REFUSED),
        lambda w, s, a: a.change_status(s.published, Status.REFUSED), "registrar"),
    Row("changeStatus(revoke)", NOT_EM_REGISTRAR, "StatusMoveNotAllowed", _move("registered", Status.REVOKED),
        lambda w, s, a: a.change_status(s.registered, Status.REVOKED), "registrar"),
    Row("changeStatusBatch", NOT_EM_REGISTRAR, "StatusMoveNotAllowed", _move("filed", Status.PUBLISHED),
        lambda w, s, a: a.change_status_batch([(s.filed, Status.PUBLISHED)]), "registrar"),
    Row("changeStatus(withdraw)", ("governor", "ru_registrar", "bob", "stranger"), "StatusMoveNotAllowed",
        _move("filed", Status.WITHDRAWN), lambda w, s, a: a.change_status(s.filed, Status.WITHDRAWN), "alice"),
    Row("changeStatus(surrender)", ("governor", "ru_registrar", "bob", "stranger"), "StatusMoveNotAllowed",
        _move("registered", Status.SURRENDERED), lambda w, s, a: a.change_status(s.registered, Status.SURRENDERED),
        "alice"),
    Row("updateMetadata", ("governor", "ru_registrar", "bob", "stranger"), "NotHolderOrRegistrar",
        _rid_caller("filed"), lambda w, s, a: a.update_metadata(s.filed, "ipfs://x"), "alice"),
    # ------------------------------------------------ assignments
    Row("requestAssignment", ("governor", "registrar", "ru_registrar", "bob", "stranger"), "NotHolder",
        _rid_caller("registered"), lambda w, s, a: a.request_assignment(s.registered, w.carol.address, DEED),
        "alice"),
    Row("acceptAssignment", ("governor", "registrar", "alice", "carol", "stranger"), "NotAssignee",
        _rid_caller("requested"), lambda w, s, a: a.accept_assignment(s.requested), "bob"),
    Row("acceptAssignmentBySig(signed by)", ("governor", "registrar", "alice", "carol", "stranger"),
        "InvalidSignature", lambda w, s, a: {"expected": w.bob.address, "recovered": a.address},
        lambda w, s, a: w.stranger.accept_assignment_by_sig(s.requested, s.deadline,
                                                            signed(w, a, s.requested, s, consent=False)), "bob"),
    Row("recordAssignment", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.record_assignment(s.accepted), "registrar"),
    Row("assign", ("governor", "registrar", "ru_registrar", "bob", "stranger"), "NotHolder",
        _rid_caller("ru_registered"),
        lambda w, s, a: a.assign(s.ru_registered, w.carol.address, s.deadline, title_sig(w, w.carol, s.ru_registered, s),
                                 deed_hash=DEED), "alice"),
    Row("assign(signed by)", ("governor", "registrar", "alice", "bob", "stranger"), "InvalidSignature",
        lambda w, s, a: {"expected": w.carol.address, "recovered": a.address},
        lambda w, s, a: w.alice.assign(s.ru_registered, w.carol.address, s.deadline,
                                       title_sig(w, a, s.ru_registered, s), deed_hash=DEED), "carol"),
    Row("recordAssignmentBySig", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.record_assignment_by_sig(s.registered, w.carol.address, s.deadline,
                                                   title_sig(w, w.alice, s.registered, s),
                                                   title_sig(w, w.carol, s.registered, s), deed_hash=DEED),
        "registrar"),
    Row("recordAssignmentBySig(holder signed by)", ("governor", "registrar", "bob", "carol", "stranger"),
        "InvalidSignature", lambda w, s, a: {"expected": w.alice.address, "recovered": a.address},
        lambda w, s, a: w.registrar.record_assignment_by_sig(s.registered, w.carol.address, s.deadline,
                                                             title_sig(w, a, s.registered, s),
                                                             title_sig(w, w.carol, s.registered, s), deed_hash=DEED),
        "alice"),
    Row("cancelAssignment", ("governor", "registrar", "bob", "stranger"), "NotHolder", _rid_caller("requested"),
        lambda w, s, a: a.cancel_assignment(s.requested), "alice"),
    Row("rejectAssignment", NOT_EM_REGISTRAR, "NotRegistrar", _not_registrar,
        lambda w, s, a: a.reject_assignment(s.requested), "registrar"),
    # ------------------------------------------------ security interests (SecurityInterests)
    Row("interests.recordPledge", ("governor", "registrar", "carol", "stranger"), "NotHolder",
        _rid_caller("registered"), lambda w, s, a: a.record_pledge(s.registered, w.carol.address), "alice"),
    Row("interests.consentToAssignment", ("governor", "registrar", "alice", "bob", "stranger"), "NotCreditor",
        _pledge_caller, lambda w, s, a: a.consent_to_assignment(s.pledge_id, 1), "carol"),
    Row("interests.consentToAssignmentBySig(signed by)", ("governor", "registrar", "alice", "bob", "stranger"),
        "InvalidSignature", lambda w, s, a: {"expected": w.carol.address, "recovered": a.address},
        lambda w, s, a: w.stranger.consent_to_assignment_by_sig(s.pledge_id, s.deadline,
                                                                signed(w, a, s.pledged, s, consent=True)), "carol"),
    Row("interests.releasePledge", ("governor", "registrar", "alice", "bob", "stranger"), "NotCreditor",
        _pledge_caller, lambda w, s, a: a.release_pledge(s.pledge_id), "carol"),
    Row("interests.releasePledgeByCourtOrder", NOT_EM_REGISTRAR + ("carol",), "NotRegistrar", _not_registrar,
        lambda w, s, a: a.release_pledge_by_court_order(s.pledge_id, DEED), "registrar"),
    # ------------------------------------------------ ERC-721: nobody moves title by transfer
    Row("transferFrom", ROLES, "TitleLocked", lambda w, s, a: {"rightId": s.registered},
        lambda w, s, a: raw(a, a.registry.functions.transferFrom(w.alice.address, w.bob.address, s.registered)), ""),
    Row("safeTransferFrom", ROLES, "TitleLocked", lambda w, s, a: {"rightId": s.registered},
        lambda w, s, a: raw(a, a.registry.functions.safeTransferFrom(w.alice.address, w.bob.address,
                                                                     s.registered)), ""),
    Row("approve", ROLES, "TitleLocked", lambda w, s, a: {"rightId": s.registered},
        lambda w, s, a: raw(a, a.registry.functions.approve(w.bob.address, s.registered)), ""),
    Row("setApprovalForAll", ROLES, "TitleLocked", lambda w, s, a: {"rightId": 0},
        lambda w, s, a: raw(a, a.registry.functions.setApprovalForAll(w.bob.address, True)), ""),
    # ------------------------------------------------ parties
    Row("parties.verifyProfile", ("governor", "ru_registrar", "alice", "stranger"), "NotRegistrar",
        _not_registrar, lambda w, s, a: a.verify_profile(w.alice.address, "EM"), "registrar"),
    Row("parties.revokeVerification", ("governor", "ru_registrar", "alice", "bob", "stranger"), "NotRegistrar",
        _not_registrar, lambda w, s, a: a.revoke_verification(w.bob.address, "EM"), "registrar"),
]
BY_NAME = {r.function: r for r in ROWS}
CASES = [(r.function, role) for r in ROWS for role in r.refused]


@pytest.mark.parametrize("function,role", CASES, ids=[f"{f}-{r}" for f, r in CASES])
def test_call_by_refused_role_reverts_with_exact_error(world: World, stage: Stage, function: str, role: str) -> None:
    row = BY_NAME[function]
    actor = getattr(world, role)
    with pytest.raises(ContractRevert) as exc_info:
        row.call(world, stage, actor)
    assert_revert(exc_info, row.error, **row.expect(world, stage, actor))


POSITIVE = [r.function for r in ROWS if r.permitted]


@pytest.mark.parametrize("function", POSITIVE)
def test_call_by_permitted_role_succeeds(world: World, stage: Stage, function: str) -> None:
    row = BY_NAME[function]
    assert row.permitted not in row.refused
    if row.permitted == "council":  # a passed vote of the offices, executed by the timelock
        res = world.vote(COUNCIL_ACTIONS[function](world))
        assert res.events, f"{function} by the council emitted nothing"
        return
    res = row.call(world, stage, getattr(world, row.permitted))
    assert res is not None


COUNCIL_ACTIONS: dict[str, Callable[[World], Any]] = {
    "addOffice": lambda w: w.governor.council.admit_office("AU", w.dave.address),
    "removeOffice": lambda w: w.governor.council.remove_office("RU"),
    "setOfficeAdmin": lambda w: w.governor.council.replace_admin("RU", w.dave.address),
    "setRecordalRequired": lambda w: w.governor.council.set_recordal("EM", False),
}


def _state_changing(abi: list[dict[str, Any]]) -> set[str]:
    return {i["name"] for i in abi if i.get("type") == "function"
            and i.get("stateMutability") in ("nonpayable", "payable")}


PREFIXES = {"IPRegistry": "", "PartyRegistry": "parties.", "SecurityInterests": "interests."}


@pytest.mark.parametrize("contract", list(PREFIXES))
def test_access_matrix_covers_every_state_changing_function(world: World, contract: str) -> None:
    prefix = PREFIXES[contract]
    others = tuple(p for p in PREFIXES.values() if p and p != prefix)
    covered = {r.function.split("(")[0].removeprefix(prefix) for r in ROWS
               if r.function.startswith(prefix) and not r.function.startswith(others)}
    missing = _state_changing(world.ipl.contracts[contract].abi) - covered - OPEN_TO_ALL
    assert not missing, f"add rows for {sorted(missing)}"


@pytest.mark.parametrize("function", ["anchorDocument", "publishProfile", "revokeSignature",
                                      "interests.revokeSignature", "requestApplication"])
def test_open_function_by_every_role_succeeds(world: World, stage: Stage, function: str) -> None:
    for role in ROLES:
        actor = getattr(world, role)
        if function.endswith("revokeSignature"):
            res = actor.revoke_signature("0x" + role.encode().hex().ljust(64, "0"),
                                         "SecurityInterests" if function.startswith("interests.") else "IPRegistry")
            assert res.event("SignatureRevoked").args["signer"] == actor.address
        elif function == "requestApplication":
            res = actor.request_application("EM", "PT")
            assert res.event("ApplicationRequested").args["applicant"] == actor.address
        elif function == "anchorDocument":
            res = actor.anchor(stage.registered, DEED, role)
            assert res.event("DocumentAnchored").args["anchoredBy"] == actor.address
        else:
            res = actor.publish_profile(role, "EM")
            assert res.event("ProfilePublished").args["party"] == actor.address
