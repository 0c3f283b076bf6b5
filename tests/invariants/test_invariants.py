"""Stateful invariant fuzzing: random sequences of register and license actions against a Python model.

The model (its data and the caller-independent license rules) is in ledger_model.py; this module is the state
machine. A hypothesis ``RuleBasedStateMachine`` drives the SDK on the embedded chain: filings by the office,
application requests (asked by anyone; accorded or refused by the office, withdrawn by the applicant), legal-status
moves (legal
and illegal), several pledges per right (record / consent, also by relayed signature / release by the creditor or on
a court order), assignments (request / accept / relayed acceptance, which its signer may first revoke / record /
cancel / reject), license
offers, acceptances, sublicenses, withdrawals, terminations, surrenders and transfers, pausing and registrar
grants, and the council's votes (recordal, unpausing, admitting / removing an office, replacing an office's admin,
upgrading IPRegistry to the test-only IPRegistryNext in the middle of a sequence: tests/invariants/council_rules.py),
by random actors including unauthorised ones. Every action is first predicted by the model (success,
or the name of the Solidity error the contract must revert with, in the contract's order of checks), then sent;
after every step the invariants below are checked against the chain.

Invariants (each assertion is counted; the totals are printed and written to build/fuzz-stats.json):
  * every right has exactly one holder, the model's, and the model's status (ERC-721 balances add up too);
  * every application request has the model's applicant, office and state; a request never files a right;
  * only legal status moves happen (every StatusChanged event follows ipledger.domain.TRANSITIONS);
  * no two active licenses of a right violate exclusivity (computed from chain reads alone);
  * no license is active under an ended parent or on an ended right (chain reads alone);
  * each license's state, activity, licensee and licensor agree with the model;
  * ``isLicensed`` agrees with the model for sampled (party, territory, field) at the current block time;
  * every refused action (unauthorised ones included) reverted with the predicted error name and changed nothing;
  * the council seats the model's offices and admins, the registry knows the same offices, admins, recordal settings
    and registrars, a vote passes at exactly ceil(2/3 x offices at its snapshot) for-votes, and the registry's proxy
    runs the model's version (after the upgrade, every invariant above holds on IPRegistryNext, and its field too).

The module's world (tests/conftest.py) is deployed once; each sequence starts from an eth-tester snapshot of a
small base state and is reverted in ``teardown``. Transactions are sent with a fixed gas limit so that refusals are
mined as failed transactions (and decoded by replay) — faster than estimation and a test of the Sender's nonce
bookkeeping after on-chain reverts. Profiles: ``ipledger-ci`` (default, ~25 sequences) and ``ipledger-long``
(IPLEDGER_FUZZ_PROFILE=long, 500 sequences: ``make fuzz``).
"""

from __future__ import annotations

import copy
import functools
import json
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_abi import decode as abi_decode
from eth_utils import to_canonical_address
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from council_rules import ACCOUNTS, CouncilRules
from helpers import ALICE, BOB, CAROL, DAVE, GUARDIAN, World, eip712
from ipledger import domain, types
from ipledger.abi import canonical_type
from ipledger.domain import ENDED, HOLDER_MOVES, TRANSITIONS, RequestState, Status
from ipledger.domain.licensing import LicenseKind, LicenseState, field_hash
from ipledger.errors import ContractRevert
from ipledger.sdk import LicenseTerms, upgrades
from ipledger.sdk.council import Council
from ledger_model import MAX_PLEDGES_PER_RIGHT, AssignmentM, LicenseM, Model, PledgeM, RequestM, RightM, overlaps

# ---------------------------------------------------------------- profiles

_COMMON: dict[str, Any] = dict(deadline=None, print_blob=True,
                               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                      HealthCheck.data_too_large])
# CI: derandomized (the same sequences every run, so its runtime is steady); long: random, 500+ sequences
settings.register_profile("ipledger-ci", max_examples=25, stateful_step_count=20, derandomize=True, **_COMMON)
settings.register_profile("ipledger-long", max_examples=500, stateful_step_count=30, **_COMMON)
PROFILE_NAME = "ipledger-long" if os.environ.get("IPLEDGER_FUZZ_PROFILE") == "long" else "ipledger-ci"
PROFILE = settings.get_profile(PROFILE_NAME)
if os.environ.get("IPLEDGER_FUZZ_EXAMPLES"):  # a quick look: IPLEDGER_FUZZ_EXAMPLES=3
    PROFILE = settings(PROFILE, max_examples=int(os.environ["IPLEDGER_FUZZ_EXAMPLES"]))

# ---------------------------------------------------------------- constants

ACTORS = 8  # the world's roles: governor, EM registrar, Alice, Bob, Carol, Dave, RU registrar, stranger
YEAR = 365 * 86_400
GAS = 3_000_000  # fixed: skips estimation, so refusals are mined (status 0) and decoded by replay
APP_NUMBERS = ("A1", "A2", "A3")
TERRITORIES = ("DE", "FR", "WO")
USE_TERRITORIES = ("DE", "FR", "IT", "WO")
FIELDS = ("", "software", "hardware")
GHOST_RIGHT = domain.right_id("EM", "TM", "NEVER-FILED")
GHOST_LICENSE = 999
MAX_TIME_TRAVELS = 1
AUTH_ERRORS = frozenset({"NotApplicant", "NotHolder", "NotRegistrar", "StatusMoveNotAllowed", "NotAssignee", "NotCreditor",
                         "NotLicensor", "NotLicensee", "NotHolderOrRegistrar", "AccessManagedUnauthorized", "NotOfficeAdmin",
                         "InvalidSignature", "GovernorOnlyExecutor", "GovernorInsufficientProposerVotes",
                         "CouncilNoSeat"})
STATS: Counter[str] = Counter()
REFUSALS: Counter[str] = Counter()
TIMES: defaultdict[str, float] = defaultdict(float)
LENGTHS: Counter[int] = Counter()
OUTCOMES: Counter[str] = Counter()
STATS_FILE = Path(__file__).resolve().parents[2] / "build" / "fuzz-stats.json"


# ---------------------------------------------------------------- fast reads


def _reader(world: World) -> Callable[[Any], Any]:
    """Calls a view function straight on eth-tester (a third of web3's overhead) and decodes its outputs."""
    tester = world.tester
    sender = world.ipl.address

    def call(fn: Any) -> Any:
        types = [canonical_type(o) for o in fn.abi["outputs"]]
        out = tester.call({"from": sender, "to": fn.address, "data": fn._encode_transaction_data()}, "latest")
        values = abi_decode(types, bytes.fromhex(out[2:]) if isinstance(out, str) else bytes(out))
        return values[0] if len(values) == 1 else values

    return call


# ---------------------------------------------------------------- the base state


@dataclass
class Base:
    """The state every sequence starts from (one deployment per module, snapshot per sequence)."""

    world: World
    model: Model
    snapshot: Any
    now: int
    first_implementation: str  # IPRegistry's, as deployed
    next_implementation: str  # IPRegistryNext's, deployed (inert) for the upgrade rule


@pytest.fixture(scope="module")
def base(module_world: World) -> Base:
    """The module's world with three rights and three licenses, its senders on a fixed gas limit."""
    w = module_world
    model = Model()
    now = w.now() + 3600  # registration dates: not before the filings below (the contract checks)
    for office, owner, registrar, number in (("EM", ALICE, w.registrar, "BASE-EM"),
                                             ("RU", BOB, w.ru_registrar, "BASE-RU")):
        rid = w.file(number, w.as_(owner), office)  # only the office files
        registrar.publish(rid)
        registrar.register(rid, "R-" + number, registration_date=now, expiry_date=now + 10 * YEAR)
        model.rights[rid] = RightM(rid, office, owner, Status.REGISTERED, now + 10 * YEAR)
    em, ru = domain.right_id("EM", "TM", "BASE-EM"), domain.right_id("RU", "TM", "BASE-RU")
    # license 1: Alice -> Carol, exclusive, DE, software, sublicensable, active
    terms = LicenseTerms(kind="exclusive", territories=("DE",), field="software", sublicensable=True)
    lid = w.alice.offer_license(em, w.carol.address, terms).license_id
    w.carol.accept_license(lid)
    model.licenses[lid] = LicenseM(lid, em, 0, CAROL, LicenseKind.EXCLUSIVE, ("DE",), "software", 0, True, False,
                                   1, LicenseState.ACTIVE)
    # license 2: Bob -> Dave, non-exclusive, worldwide, sublicensable and transferable, active
    terms = LicenseTerms(kind="non-exclusive", territories=("WO",), sublicensable=True, transferable=True)
    lid = w.bob.offer_license(ru, w.dave.address, terms).license_id
    w.dave.accept_license(lid)
    model.licenses[lid] = LicenseM(lid, ru, 0, DAVE, LicenseKind.NON_EXCLUSIVE, ("WO",), "", 0, True, True, 1,
                                   LicenseState.ACTIVE)
    # license 3: Bob -> Carol, non-exclusive, FR, hardware, offered (not yet accepted)
    terms = LicenseTerms(kind="non-exclusive", territories=("FR",), field="hardware")
    lid = w.bob.offer_license(ru, w.carol.address, terms).license_id
    model.licenses[lid] = LicenseM(lid, ru, 0, CAROL, LicenseKind.NON_EXCLUSIVE, ("FR",), "hardware", 0, False,
                                   False, 1)
    model.license_count = lid
    # a third right: Dave's, pledged to Carol, with an assignment to Bob requested
    rid = w.file("BASE-EM2", w.dave)
    w.registrar.publish(rid)
    w.registrar.register(rid, "R-BASE-EM2", registration_date=now, expiry_date=now + 10 * YEAR)
    pid = w.dave.record_pledge(rid, w.carol.address).pledge_id
    w.dave.request_assignment(rid, w.bob.address)
    model.rights[rid] = RightM(rid, "EM", DAVE, Status.REGISTERED, now + 10 * YEAR, AssignmentM(BOB, aid=1),
                               [PledgeM(pid, CAROL)], last_aid=1, version=1)
    model.pledge_count = pid
    for lic in model.licenses.values():  # every offer has a deadline (the SDK's default: 30 days)
        lic.deadline = w.ipl.license(lic.lid).deadline
    # the next version of the registry, deployed (inert) for the upgrade rule; upgrades-core's check of its layout
    # against IPRegistry is tests/build/test_upgrade_safety.py's and tests/contracts/upgrade/'s (2 s of node here)
    first = upgrades.current_implementation(w.ipl, "IPRegistry")
    following = upgrades.deploy_implementation(w.ipl, "IPRegistryNext")
    for i in range(ACCOUNTS):  # every dev account's sender, so that all of them get the fixed gas limit
        w.as_(i)
    for sender in list(w.ipl._senders.values()):
        sender.send = functools.partial(type(sender).send, sender, gas=GAS)  # type: ignore[method-assign]
    return Base(world=w, model=model, snapshot=w.tester.take_snapshot(), now=w.now(),
                first_implementation=first, next_implementation=following)


# ---------------------------------------------------------------- the machine


class LedgerMachine(CouncilRules, RuleBasedStateMachine):
    """One random sequence of actions on a fresh copy of the base state."""

    base: Base  # set by the test

    def __init__(self) -> None:
        super().__init__()
        b = self.base
        self.w = b.world
        self.snapshot = self.w.tester.take_snapshot()
        self.model: Model = copy.deepcopy(b.model)
        self.clients = [self.w.as_(i) for i in range(ACTORS)]
        self.addr = [c.address for c in self.clients]
        self.accounts = [self.w.as_(i) for i in range(ACCOUNTS)]  # the actors, office admins, guardian, others
        self.councils: dict[int, Council] = {}
        self.first_implementation, self.next_implementation = b.first_implementation, b.next_implementation
        self.proposals = 0
        self.governance_changed = STATS["sequences"] == 0  # the council's invariant on the base state, once
        self.read = _reader(self.w)
        self.contract_addresses = [to_canonical_address(c.address) for c in self.w.ipl.contracts.values()]
        self.near = b.now + 2 * YEAR
        self.far = b.now + 60 * YEAR
        self.travels = 0
        self.steps = 0
        self.touched: set[int] = set()
        self.changed = True
        STATS["sequences"] += 1

    def teardown(self) -> None:
        LENGTHS[self.steps] += 1
        self.w.tester.revert_to_snapshot(self.snapshot)
        self.w.ipl.reset_nonces()

    # ------------------------------------------------------------ helpers

    def count(self, what: str) -> None:
        STATS[what] += 1

    def client(self, index: int) -> Any:
        """Dev account ``index``'s client (0..12)."""
        return self.accounts[index]

    def council_of(self, index: int) -> Council:
        """The council as dev account ``index``."""
        if index not in self.councils:
            self.councils[index] = self.accounts[index].council
        return self.councils[index]

    def check(self, ok: bool, message: str) -> None:
        STATS["invariant checks"] += 1
        assert ok, message

    def fingerprint(self) -> tuple[bytes, ...]:
        """The storage roots of the three contracts at the head: equal roots, equal contract state."""
        state = self.w.tester.backend.chain.get_vm().state
        return tuple(state._account_db._get_storage_root(a) for a in self.contract_addresses)

    def now(self) -> int:
        """The timestamp the next transaction will see."""
        return int(self.w.tester.get_block_by_number("pending")["timestamp"])

    def pick_right(self, i: int, prefer: Callable[[RightM], bool] | None = None) -> int:
        """Right number ``i`` (0..9); 9 is a right never filed. With ``prefer``, one it holds for if any."""
        if i == 9:
            return GHOST_RIGHT
        options = [rid for rid, r in self.model.rights.items() if prefer is None or prefer(r)]
        options = options or list(self.model.rights)
        return options[i % len(options)]

    def pick_license(self, i: int, prefer: Callable[[LicenseM], bool] | None = None) -> int:
        """License number ``i`` (0..9); 9 is a license never offered. With ``prefer``, one it holds for if any."""
        options = [lid for lid, lic in self.model.licenses.items() if prefer is None or prefer(lic)]
        options = options or list(self.model.licenses)
        return GHOST_LICENSE if i == 9 or not options else options[i % len(options)]

    def act(self, expected: str | frozenset[str] | None, call: Callable[[], Any], what: str) -> Any:
        """Runs ``call``; it must succeed if ``expected`` is None, else revert with that error name."""
        self.steps += 1
        self.changed = False
        STATS["actions"] += 1
        if self.model.upgraded:
            STATS["actions on IPRegistryNext"] += 1
        t0 = time.perf_counter()
        before = self.fingerprint()
        try:
            result = call()
        except ContractRevert as exc:
            TIMES["refused actions"] += time.perf_counter() - t0
            self.check(self.fingerprint() == before, f"{what}: refused, yet contract storage changed")
            name = type(exc).__name__
            self.check(expected is not None, f"{what}: the model expected success, the chain refused: {exc}")
            names = expected if isinstance(expected, frozenset) else frozenset({expected or ""})
            self.check(name in names, f"{what}: expected {sorted(names)}, got {exc}")
            STATS["refused as predicted"] += 1
            REFUSALS[name] += 1
            OUTCOMES[f"{what.split()[0]} refused"] += 1
            if name in AUTH_ERRORS:
                STATS["unauthorised calls refused"] += 1
            return None
        TIMES["successful actions"] += time.perf_counter() - t0
        self.check(expected is None, f"{what}: expected {expected}, but it succeeded")
        STATS["succeeded as predicted"] += 1
        OUTCOMES[f"{what.split()[0]} ok"] += 1
        self.changed = True
        for e in result.events:
            if e.name == "StatusChanged":
                src, dst = Status(e.args["from"]), Status(e.args["to"])
                legal = (src is Status.NONE and dst is Status.FILED) or dst in TRANSITIONS.get(src, frozenset())
                self.check(legal, f"{what}: illegal status move {src.name} -> {dst.name} happened")
        return result

    # ------------------------------------------------------------ governance

    @rule(caller=st.integers(0, ACTORS - 1), action=st.sampled_from(("recordal", "grant", "pause", "unpause")),
          office=st.sampled_from(("EM", "RU", "AU")), flag=st.booleans(), account=st.integers(0, ACTORS - 1),
          authorised=st.booleans())
    def govern(self, caller: int, action: str, office: str, flag: bool, account: int, authorised: bool) -> None:
        """Governance (issue #13): the council's vote sets recordal and unpauses, the guardian pauses, each office's
        admin grants its registrars; anyone else calling directly is refused. A passed vote's execution is refused
        as the register refuses the call (paused, an office the council removed or never admitted, not paused)."""
        m = self.model
        admin = m.offices.get(office)  # None: no such office (never admitted, or removed)
        council = self.council_of(GUARDIAN)  # builds the actions only
        expected: str | None
        if authorised:
            if action == "grant":
                c = self.client(caller if admin is None else admin)
                expected = ("EnforcedPause" if m.paused else "NotOfficeAdmin" if admin is None
                            else "RegistrarExists" if account in m.registrars[office] else None)
                call: Callable[[], Any] = functools.partial(c.grant_registrar, office, self.addr[account])
            elif action == "pause":
                expected = "EnforcedPause" if m.paused else None
                call = self.client(GUARDIAN).pause
            elif action == "recordal":
                expected = "EnforcedPause" if m.paused else "UnknownOffice" if admin is None else None
                call = self.passed([council.set_recordal(office, flag)], f"recordal of {office}: {flag}")
            else:
                expected = None if m.paused else "ExpectedPause"
                call = self.passed(council.unpause(), "unpause")
            who = "the council" if action in ("recordal", "unpause") else "its role"
        else:
            c = self.clients[caller]
            # The authority answers before the pause; the pause before the office-admin check.
            if action == "grant":
                expected = ("EnforcedPause" if m.paused else "NotOfficeAdmin" if caller != admin
                            else "RegistrarExists" if account in m.registrars[office] else None)
            else:
                expected = "AccessManagedUnauthorized"
            call = {"recordal": functools.partial(c.set_recordal_required, office, flag),
                    "grant": functools.partial(c.grant_registrar, office, self.addr[account]),
                    "pause": c.pause, "unpause": c.unpause}[action]
            who = str(caller)
        if self.act(expected, call, f"{action} ({office}, {flag}, {account}) by {who}"):
            self.governance_changed = action in ("recordal", "grant")  # the pause is checked by every action
            if action == "recordal":
                m.recordal[office] = flag
            elif action == "grant":
                m.registrars[office].add(account)
            else:
                m.paused = action == "pause"

    @precondition(lambda self: self.model.paused)
    @rule()
    def unpause_by_vote(self) -> None:
        """Pausing blocks almost everything: the council also votes to unpause often."""
        if self.act(None, self.passed(self.council_of(GUARDIAN).unpause(), "unpause"), "unpause by vote"):
            self.model.paused = False

    @precondition(lambda self: self.travels < MAX_TIME_TRAVELS)
    @rule()
    def time_travel(self) -> None:
        """Three years pass: licenses ending 'near' expire (rights run ten years)."""
        self.travels += 1
        self.w.tester.time_travel(self.now() + 3 * YEAR)
        self.w.tester.mine_blocks(1)
        self.changed = True

    # ------------------------------------------------------------ rights

    @rule(caller=st.integers(0, ACTORS - 1), office=st.sampled_from(("EM", "EM", "RU", "AU")),
          number=st.sampled_from(APP_NUMBERS), for_other=st.one_of(st.none(), st.integers(0, ACTORS - 1)))
    def file(self, caller: int, office: str, number: str, for_other: int | None) -> None:
        m = self.model
        holder = caller if for_other is None else for_other
        rid = domain.right_id(office, "TM", number)
        if m.paused:
            expected: str | None = "EnforcedPause"
        elif office not in m.offices or caller not in m.registrars[office]:
            expected = "NotRegistrar"  # only the office accords numbers and dates (an unknown one has no registrars)
        elif rid in m.rights:
            expected = "RightExists"
        else:
            expected = None
        res = self.act(expected, lambda: self.clients[caller].file(office, "TM", number, holder=self.addr[holder]),
                       f"file {office}/{number} for {holder} by {caller}")
        if res:
            self.check(res.right_id == rid, "the filed right id is the deterministic one")
            m.rights[rid] = RightM(rid, office, holder)
            self.touched.add(rid)

    @rule(caller=st.integers(0, ACTORS - 1), office=st.sampled_from(("EM", "RU", "AU")))
    def request_application(self, caller: int, office: str) -> None:
        """Anyone asks an office for a number; the request occupies none (no right appears)."""
        m = self.model
        expected = "EnforcedPause" if m.paused else "UnknownOffice" if office not in m.offices else None
        res = self.act(expected, lambda: self.clients[caller].request_application(office, "TM"),
                       f"apply at {office} by {caller}")
        if res:
            qid = len(m.requests) + 1
            self.check(res.request_id == qid, "request ids count from 1")
            self.check(not any(e.name == "RightFiled" for e in res.events), "a request files nothing")
            m.requests[qid] = RequestM(caller, office)

    @rule(caller=st.integers(0, ACTORS - 1), pick=st.integers(0, 9),
          action=st.sampled_from(("accord", "accord", "refuse", "withdraw")), number=st.sampled_from(APP_NUMBERS),
          authorised=st.booleans())
    def answer_request(self, caller: int, pick: int, action: str, number: str, authorised: bool) -> None:
        """The office accords (files the right for the applicant) or refuses a request; the applicant withdraws it.
        In the contract's order: the pause, a pending request, then who may."""
        m = self.model
        pending = [i for i, q in m.requests.items() if q.state is RequestState.PENDING] or list(m.requests)
        qid = pending[pick % len(pending)] if pending and pick != 9 else len(m.requests) + 1  # 9: never made
        q = m.requests.get(qid)
        if authorised and q is not None:
            caller = q.applicant if action == "withdraw" else min(m.registrars[q.office], default=caller)
        rid = domain.right_id(q.office if q else "EM", "TM", number)
        if m.paused:
            expected: str | None = "EnforcedPause"
        elif q is None or q.state is not RequestState.PENDING:
            expected = "RequestNotPending"
        elif action == "withdraw":
            expected = None if caller == q.applicant else "NotApplicant"
        elif caller not in m.registrars[q.office]:
            expected = "NotRegistrar"  # only the office accords or refuses
        elif action == "accord" and rid in m.rights:
            expected = "RightExists"
        else:
            expected = None
        client = self.clients[caller]
        call = {"accord": lambda: client.accord_request(qid, number), "refuse": lambda: client.refuse_request(qid),
                "withdraw": lambda: client.withdraw_request(qid)}[action]
        res = self.act(expected, call, f"{action} request {qid} by {caller}")
        if res and q is not None:
            q.state = {"accord": RequestState.ACCORDED, "refuse": RequestState.REFUSED,
                       "withdraw": RequestState.WITHDRAWN}[action]
            if action == "accord":
                self.check(res.right_id == rid, "the accorded right's id is the deterministic one")
                m.rights[rid] = RightM(rid, q.office, q.applicant)
                self.touched.add(rid)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), status=st.integers(1, 13),
          legal=st.booleans(), authorised=st.booleans())
    def move_status(self, caller: int, right: int, status: int, legal: bool, authorised: bool) -> None:
        m = self.model
        rid = self.pick_right(right)
        r = m.rights.get(rid)
        to = Status(status)
        if r is not None and legal and TRANSITIONS.get(r.status):
            options = sorted(TRANSITIONS[r.status])
            to = options[status % len(options)]
        if r is not None and authorised:
            caller = r.holder if to in HOLDER_MOVES and status % 2 else min(m.registrars[r.office], default=caller)
        client = self.clients[caller]
        now = self.now()
        is_registrar = r is not None and caller in m.registrars[r.office]
        allowed = r is not None and to in TRANSITIONS.get(r.status, frozenset())
        expiry = (max(r.expiry, now) + YEAR) if r is not None else now + YEAR
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif r is None:
            expected = "RightNotFound"
        elif to in (Status.REGISTERED, Status.RENEWED):
            expected = "NotRegistrar" if not is_registrar else None if allowed else "InvalidTransition"
        elif not is_registrar and not (to in HOLDER_MOVES and r.holder == caller):
            expected = "StatusMoveNotAllowed"
        elif to in HOLDER_MOVES and r.pledges:
            expected = "PledgeActive"  # withdrawal or surrender would wipe out the security interests
        else:
            expected = None if allowed else "InvalidTransition"
        if to is Status.REGISTERED:
            call = functools.partial(client.register, rid, "R-1", registration_date=now, expiry_date=expiry)
        elif to is Status.RENEWED:
            call = functools.partial(client.renew, rid, expiry)
        else:
            call = functools.partial(client.change_status, rid, to)
        if self.act(expected, call, f"move {rid:#x} to {to.name} by {caller}"):
            assert r is not None
            r.status = to
            if to in (Status.REGISTERED, Status.RENEWED):
                r.expiry = expiry
            self.touched.add(rid)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), authorised=st.booleans())
    def update_metadata(self, caller: int, right: int, authorised: bool) -> None:
        m = self.model
        rid = self.pick_right(right)
        r = m.rights.get(rid)
        if r is not None and authorised:
            caller = r.holder
        expected = ("EnforcedPause" if m.paused else "RightNotFound" if r is None else
                    None if caller == r.holder or caller in m.registrars[r.office] else "NotHolderOrRegistrar")
        self.act(expected, lambda: self.clients[caller].update_metadata(rid, "ipfs://meta"),
                 f"update metadata of {rid:#x} by {caller}")

    # ------------------------------------------------------------ assignments and pledges

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), assignee=st.integers(0, ACTORS - 1),
          authorised=st.booleans())
    def request_assignment(self, caller: int, right: int, assignee: int, authorised: bool) -> None:
        m = self.model
        rid = self.pick_right(right, (lambda r: r.assignment is None and r.assignable()) if authorised else None)
        r = m.rights.get(rid)
        if r is not None and authorised:
            caller = r.holder
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif r is None:
            expected = "RightNotFound"
        elif r.holder != caller:
            expected = "NotHolder"
        elif not r.assignable():
            expected = "NotAssignable"
        elif assignee == r.holder:
            expected = "InvalidAccount"
        elif r.assignment is not None:
            expected = "AssignmentPending"
        else:
            expected = None
        deed = "0x" + "de" * 32
        if self.act(expected, lambda: self.clients[caller].request_assignment(rid, self.addr[assignee], deed),
                    f"request assignment of {rid:#x} to {assignee} by {caller}"):
            assert r is not None
            r.last_aid += 1
            r.assignment = AssignmentM(assignee, aid=r.last_aid)
            self.touched.add(rid)

    def _accept_outcome(self, r: RightM | None) -> str | None:
        """What _accept does after the caller / signature checks: NotAssignable, or the effect's consent check."""
        assert r is not None and r.assignment is not None
        if not r.assignable():
            return "NotAssignable"
        if not self.model.recordal[r.office] and r.first_without_consent(r.assignment.aid) is not None:
            return "CreditorConsentRequired"
        return None

    def _accepted(self, r: RightM) -> None:
        assert r.assignment is not None
        if self.model.recordal[r.office]:
            r.assignment.accepted = True
        else:
            r.holder = r.assignment.assignee
            r.assignment = None
        self.touched.add(r.rid)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), authorised=st.booleans())
    def accept_assignment(self, caller: int, right: int, authorised: bool) -> None:
        m = self.model
        rid = self.pick_right(right, (lambda r: r.assignment is not None and not r.assignment.accepted)
                              if authorised else None)
        r = m.rights.get(rid)
        a = r.assignment if r is not None else None
        if a is not None and authorised:
            caller = a.assignee
        if m.paused:
            expected: str | None = "EnforcedPause"
        elif a is None or a.accepted:
            expected = "NoPendingAssignment"
        elif a.assignee != caller:
            expected = "NotAssignee"
        else:
            expected = self._accept_outcome(r)
        if self.act(expected, lambda: self.clients[caller].accept_assignment(rid),
                    f"accept assignment of {rid:#x} by {caller}"):
            assert r is not None
            self._accepted(r)

    @rule(relayer=st.integers(0, ACTORS - 1), signer=st.integers(0, ACTORS - 1), right=st.integers(0, 9),
          authorised=st.booleans(), revoke=st.booleans())
    def accept_assignment_by_signature(self, relayer: int, signer: int, right: int, authorised: bool,
                                       revoke: bool) -> None:
        """A relayed acceptance, bound to the pending request's id, which its signer may first revoke (only the
        assignee's own revocation counts; revoking works while paused)."""
        m = self.model
        rid = self.pick_right(right, (lambda r: r.assignment is not None and not r.assignment.accepted)
                              if authorised else None)
        r = m.rights.get(rid)
        a = r.assignment if r is not None else None
        if a is not None and authorised:
            signer = a.assignee
        deadline = self.now() + 86_400
        sig = b"\x01" * 65  # nothing pending: the contract refuses before it looks at the signature
        revoked = False
        if a is not None:
            sig = self.clients[signer].sign_assignment_acceptance(rid, deadline)
            if revoke:
                self.clients[signer].revoke_assignment_acceptance(rid, deadline)
                revoked = signer == a.assignee
                STATS["signatures revoked"] += 1
        if m.paused:
            expected: str | None = "EnforcedPause"
        elif a is None or a.accepted:
            expected = "NoPendingAssignment"
        elif revoked:
            expected = "RevokedSignature"
        elif a.assignee != signer:
            expected = "InvalidSignature"
        else:
            expected = self._accept_outcome(r)
        aid = a.aid if a is not None else 1
        if self.act(expected, lambda: self.clients[relayer].accept_assignment_by_sig(rid, deadline, sig,
                                                                                     assignment_id=aid),
                    f"relay acceptance of {rid:#x} signed by {signer} via {relayer}"):
            assert r is not None
            self._accepted(r)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), authorised=st.booleans())
    def record_assignment(self, caller: int, right: int, authorised: bool) -> None:
        m = self.model
        rid = self.pick_right(right, (lambda r: r.assignment is not None and r.assignment.accepted)
                              if authorised else None)
        r = m.rights.get(rid)
        if r is not None and authorised:
            caller = min(m.registrars[r.office], default=caller)
        a = r.assignment if r is not None else None
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif r is None:
            expected = "RightNotFound"
        elif caller not in m.registrars[r.office]:
            expected = "NotRegistrar"
        elif a is None or not a.accepted:
            expected = "NoPendingAssignment"
        elif not r.assignable():
            expected = "NotAssignable"
        elif r.first_without_consent(a.aid) is not None:
            expected = "CreditorConsentRequired"
        else:
            expected = None
        if self.act(expected, lambda: self.clients[caller].record_assignment(rid),
                    f"record assignment of {rid:#x} by {caller}"):
            assert r is not None and a is not None
            r.holder, r.assignment = a.assignee, None
            self.touched.add(rid)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), by_office=st.booleans(),
          authorised=st.booleans())
    def cancel_or_reject_assignment(self, caller: int, right: int, by_office: bool, authorised: bool) -> None:
        m = self.model
        rid = self.pick_right(right, (lambda r: r.assignment is not None) if authorised else None)
        r = m.rights.get(rid)
        if r is not None and authorised:
            caller = min(m.registrars[r.office], default=caller) if by_office else r.holder
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif r is None:
            expected = "RightNotFound"
        elif by_office and caller not in m.registrars[r.office]:
            expected = "NotRegistrar"
        elif not by_office and caller != r.holder:
            expected = "NotHolder"
        elif r.assignment is None:
            expected = "NoPendingAssignment"
        else:
            expected = None
        c = self.clients[caller]
        call = functools.partial(c.reject_assignment if by_office else c.cancel_assignment, rid)
        if self.act(expected, call, f"{'reject' if by_office else 'cancel'} assignment of {rid:#x} by {caller}"):
            assert r is not None
            r.assignment = None
            self.touched.add(rid)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), creditor=st.integers(0, ACTORS - 1),
          authorised=st.booleans())
    def record_pledge(self, caller: int, right: int, creditor: int, authorised: bool) -> None:
        """A new pledge ranks after the active ones (several per right, at most MAX_PLEDGES_PER_RIGHT) and bumps the
        right's pledge version, which voids every consent given before."""
        m = self.model
        rid = self.pick_right(right, (lambda r: len(r.pledges) < MAX_PLEDGES_PER_RIGHT and r.assignable())
                              if authorised else None)
        r = m.rights.get(rid)
        if r is not None and authorised:
            caller = r.holder
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif r is None:
            expected = "RightNotFound"
        elif r.holder != caller:
            expected = "NotHolder"
        elif not r.assignable():
            expected = "NotAssignable"
        elif creditor == r.holder:
            expected = "InvalidAccount"
        elif len(r.pledges) >= MAX_PLEDGES_PER_RIGHT:
            expected = "TooManyPledges"
        else:
            expected = None
        res = self.act(expected, lambda: self.clients[caller].record_pledge(rid, self.addr[creditor]),
                       f"pledge {rid:#x} to {creditor} by {caller}")
        if res:
            assert r is not None
            m.pledge_count += 1
            self.check(res.pledge_id == m.pledge_count and res.rank == len(r.pledges) + 1,
                       f"pledge {res.pledge_id} (rank {res.rank}) is the next one, ranked last")
            r.pledges.append(PledgeM(res.pledge_id, creditor))
            r.version += 1
            STATS["pledges recorded"] += 1
            self.touched.add(rid)

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), pick=st.integers(0, 7),
          action=st.sampled_from(("consent", "consent", "consent by signature", "release", "court release")),
          authorised=st.booleans())
    def consent_or_release(self, caller: int, right: int, pick: int, action: str, authorised: bool) -> None:
        """A creditor consents for its pledge to the pending assignment (by a transaction or a relayed signature),
        releases its pledge, or the office records a court-ordered release; an unknown pledge id is refused."""
        m = self.model
        rid = self.pick_right(right, (lambda r: bool(r.pledges) and (action.endswith("release")
                                                                     or r.assignment is not None))
                              if authorised else None)
        r = m.rights.get(rid)
        p = r.pledges[pick % len(r.pledges)] if r is not None and r.pledges else None
        pid = p.pid if p is not None else m.pledge_count + 1  # no such pledge (or a released one)
        if p is not None and authorised:
            caller = min(m.registrars[r.office], default=caller) if action == "court release" else p.creditor
        a = r.assignment if r is not None else None
        aid = a.aid if a is not None else max(r.last_aid if r is not None else 0, 1)
        signed = action == "consent by signature" and p is not None and a is not None
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif p is None:
            expected = "PledgeNotActive"
        elif action == "court release":
            expected = None if caller in m.registrars[r.office] else "NotRegistrar"
        elif not signed and p.creditor != caller:
            expected = "NotCreditor"
        elif action.startswith("consent") and a is None:
            expected = "StaleAssignment"
        elif signed and p.creditor != caller:
            expected = "InvalidSignature"  # ``caller`` signs, someone else relays
        else:
            expected = None
        c = self.clients[caller]
        if action == "release":
            call = functools.partial(c.release_pledge, pid)
        elif action == "court release":
            call = functools.partial(c.release_pledge_by_court_order, pid, "0x" + "c0" * 32)
        elif signed:
            sig = c.sign_assignment_consent(pid, self.now() + 86_400)
            call = functools.partial(self.clients[(caller + 1) % ACTORS].consent_to_assignment_by_sig, pid,
                                     self.now() + 86_400, sig, assignment_id=aid, pledges_version=r.version)
        else:
            call = functools.partial(c.consent_to_assignment, pid, aid)
        if self.act(expected, call, f"{action} of pledge {pid} on {rid:#x} by {caller}"):
            assert r is not None and p is not None
            if action.endswith("release"):
                r.pledges.remove(p)
                r.version += 1
                STATS["pledges released"] += 1
            else:
                p.consent = (aid, r.version)
                STATS["consents"] += 1
            self.touched.add(rid)

    # ------------------------------------------------------------ licenses

    @rule(caller=st.integers(0, ACTORS - 1), right=st.integers(0, 9), sub=st.booleans(), parent=st.integers(0, 9),
          licensee=st.integers(0, ACTORS - 1), kind=st.sampled_from(list(LicenseKind)),
          territories=st.sets(st.sampled_from(TERRITORIES), min_size=1, max_size=2),
          field=st.sampled_from(FIELDS), end=st.sampled_from(("open", "near", "far")),
          sublicensable=st.booleans(), transferable=st.booleans(), authorised=st.booleans())
    def offer_license(self, caller: int, right: int, sub: bool, parent: int, licensee: int, kind: LicenseKind,
                      territories: set[str], field: str, end: str, sublicensable: bool, transferable: bool,
                      authorised: bool) -> None:
        """A license offer by anyone; 'authorised' offers come from the licensor and keep within the parent."""
        m = self.model
        parent_id = 0 if not sub else self.pick_license(parent, (lambda lic: lic.sublicensable and lic.state is
                                                                 LicenseState.ACTIVE and m.rights[lic.rid].status
                                                                 not in ENDED) if authorised else None)
        p = m.licenses.get(parent_id)
        rid = p.rid if p is not None and right % 4 else self.pick_right(right, lambda r: r.status not in ENDED)
        r = m.rights.get(rid)
        end_at = {"open": 0, "near": self.near, "far": self.far}[end]
        if authorised:
            if end_at and end_at < self.now():
                end_at = self.far  # a licensor offers terms that have not already run out
            if parent_id == 0 and r is not None:
                caller = r.holder
            elif p is not None:
                caller = p.licensee
                # within the parent's scope (the contract checks it all the same)
                kind = max(kind, p.kind)
                field = p.field or field
                if "WO" not in p.territories:
                    territories = (territories & set(p.territories)) or set(p.territories)
                if p.end and (end_at == 0 or end_at > p.end):
                    end_at = p.end
        terr = tuple(sorted(territories))
        now = self.now()
        new = LicenseM(m.license_count + 1, rid, parent_id, licensee, kind, terr, field, end_at, sublicensable,
                       transferable, 1 if p is None else p.depth + 1)
        expected: str | None = None
        if m.paused:
            expected = "EnforcedPause"
        elif r is None:
            expected = "RightNotFound"
        elif r.status in ENDED:
            expected = "RightEnded"
        elif parent_id == 0:
            expected = "NotHolder" if r.holder != caller else None
        elif p is None:
            expected = "LicenseNotFound"
        elif p.rid != rid:
            expected = "ParentOfOtherRight"
        elif p.state is not LicenseState.ACTIVE or not self.model.live(p, now):
            expected = "LicenseNotActive"
        elif p.licensee != caller:
            expected = "NotLicensee"
        elif not p.sublicensable:
            expected = "NotSublicensable"
        elif p.depth >= 8:
            expected = "TreeTooDeep"
        elif kind < p.kind:
            expected = "ExceedsParentKind"
        elif p.field and p.field != field:
            expected = "ExceedsParentField"
        elif p.end and (end_at == 0 or end_at > p.end):
            expected = "ExceedsParentPeriod"
        if expected is None:
            if licensee == caller:
                expected = "InvalidAccount"
            elif end_at and end_at < now:
                expected = "InvalidPeriod"
            elif p is not None and "WO" not in p.territories and not set(terr) <= set(p.territories):
                expected = "ExceedsParentTerritory"
            elif self.model.conflicts(new, now):
                expected = "LicenseConflict"
        terms = LicenseTerms(kind=kind, territories=terr, field=field, end=end_at, sublicensable=sublicensable,
                             transferable=transferable, royalty_bps=250)
        res = self.act(expected, lambda: self.clients[caller].offer_license(rid, self.addr[licensee], terms,
                                                                            parent_id=parent_id),
                       f"offer {kind.name} {terr} '{field}' on {rid:#x} under {parent_id} to {licensee} by {caller}")
        if res:
            self.check(res.license_id == new.lid, f"license id {res.license_id} is the next one ({new.lid})")
            new.deadline = int(res.event("LicenseOffered").args["deadline"])
            self.check(now <= new.deadline <= (min(now + 30 * 86_400, end_at) if end_at else now + 30 * 86_400),
                       f"offer {new.lid}: deadline {new.deadline} within the SDK's default window")
            m.licenses[new.lid] = new
            m.license_count = new.lid

    def _accept_license_outcome(self, lic: LicenseM) -> str | None:
        now = self.now()
        if self.model.rights[lic.rid].status in ENDED:
            return "RightEnded"
        if now > lic.deadline:  # the deadline is never after the license's end
            return "OfferExpired"
        if lic.parent and not self.model.live(lic, now):
            return "LicenseNotActive"
        return "LicenseConflict" if self.model.conflicts(lic, now) else None

    @rule(caller=st.integers(0, ACTORS - 1), license=st.integers(0, 9), by_signature=st.booleans(),
          relayer=st.integers(0, ACTORS - 1), authorised=st.booleans(), revoke=st.booleans())
    def accept_license(self, caller: int, license: int, by_signature: bool, relayer: int, authorised: bool,
                       revoke: bool) -> None:
        """Acceptance by the licensee or by anyone, directly or by a relayed signature (bound to the offer), which
        the signer may first revoke (then only the licensee's own revocation counts)."""
        m = self.model
        lid = self.pick_license(license, (lambda lic: lic.state is LicenseState.OFFERED) if authorised else None)
        lic = m.licenses.get(lid)
        if lic is not None and authorised:
            caller = lic.licensee
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif lic is None:
            expected = "LicenseNotFound"
        elif lic.state is not LicenseState.OFFERED:
            expected = "NotOffered"
        elif lic.licensee != caller:
            expected = "InvalidSignature" if by_signature else "NotLicensee"
        else:
            expected = self._accept_license_outcome(lic)
        if by_signature:
            deadline = self.now() + 86_400
            if revoke and lic is not None:
                self.act(None, functools.partial(self.clients[caller].revoke_license_acceptance, lid, deadline),
                         f"revoke the signed acceptance of license {lid} by {caller}")
                if not m.paused and lic.state is LicenseState.OFFERED and lic.licensee == caller:
                    expected = "RevokedSignature"  # checked before the offer's own state is
            if lic is not None:  # the SDK signs the message naming the offer (its licensee and terms hash)
                sig = self.clients[caller].sign_license_acceptance(lid, deadline)
            else:  # an offer that does not exist: sign some message for it (the relay must name the error)
                message = {"licenseId": lid, "licensee": self.addr[caller], "termsId": 0,
                           "deadline": deadline}
                sig = eip712.sign(self.w.ipl.licenses, "AcceptLicense", message, self.clients[caller].account)
            call = functools.partial(self.clients[relayer].accept_license_by_sig, lid, deadline, sig)
        else:
            call = functools.partial(self.clients[caller].accept_license, lid)
        if self.act(expected, call, f"accept license {lid} by {caller} (signature: {by_signature})"):
            assert lic is not None
            lic.state = LicenseState.ACTIVE

    @rule(caller=st.integers(0, ACTORS - 1), license=st.integers(0, 9),
          action=st.sampled_from(("withdraw", "terminate", "surrender")), authorised=st.booleans())
    def end_license(self, caller: int, license: int, action: str, authorised: bool) -> None:
        m = self.model
        wanted = LicenseState.OFFERED if action == "withdraw" else LicenseState.ACTIVE
        lid = self.pick_license(license, (lambda lic: lic.state is wanted) if authorised else None)
        lic = m.licenses.get(lid)
        if lic is not None and authorised:
            caller = lic.licensee if action == "surrender" else self.model.licensor(lic)
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif lic is None:
            expected = "LicenseNotFound"
        elif action == "withdraw":
            expected = ("NotOffered" if lic.state is not LicenseState.OFFERED else
                        "NotLicensor" if self.model.licensor(lic) != caller else None)
        elif not self.model.active(lic, self.now()):
            expected = "LicenseNotActive"
        elif action == "terminate":
            expected = "NotLicensor" if self.model.licensor(lic) != caller else None
        else:
            expected = "NotLicensee" if lic.licensee != caller else None
        c = self.clients[caller]
        method = {"withdraw": c.withdraw_offer, "terminate": c.terminate_license, "surrender": c.surrender_license}
        if self.act(expected, functools.partial(method[action], lid), f"{action} license {lid} by {caller}"):
            assert lic is not None
            lic.state = {"withdraw": LicenseState.WITHDRAWN, "terminate": LicenseState.TERMINATED,
                         "surrender": LicenseState.SURRENDERED}[action]

    @rule(caller=st.integers(0, ACTORS - 1), license=st.integers(0, 9), to=st.integers(0, ACTORS - 1),
          authorised=st.booleans())
    def transfer_license(self, caller: int, license: int, to: int, authorised: bool) -> None:
        m = self.model
        lid = self.pick_license(license, (lambda lic: lic.transferable and lic.state is LicenseState.ACTIVE)
                                if authorised else None)
        lic = m.licenses.get(lid)
        if lic is not None and authorised:
            caller = lic.licensee
        expected: str | None
        if m.paused:
            expected = "EnforcedPause"
        elif lic is None:
            expected = "LicenseNotFound"
        elif not self.model.active(lic, self.now()):
            expected = "LicenseNotActive"
        elif lic.licensee != caller:
            expected = "NotLicensee"
        elif not lic.transferable:
            expected = "NotTransferable"
        elif to in (lic.licensee, self.model.licensor(lic)) or to in self.model.open_licensees_under(lid, self.now()):
            expected = "InvalidAccount"
        else:
            expected = None
        if self.act(expected, lambda: self.clients[caller].transfer_license(lid, self.addr[to]),
                    f"transfer license {lid} to {to} by {caller}"):
            assert lic is not None
            lic.licensee = to

    # ------------------------------------------------------------ invariants

    @invariant()
    def invariants_hold(self) -> None:
        """After every step (and before the first): rights, then licenses, then isLicensed samples."""
        STATS["invariant rounds"] += 1
        if not self.changed:
            # the step was refused and act() proved the contracts' storage unchanged, so every invariant of the
            # previous round still holds; sample isLicensed once more at the new block time
            t0 = time.perf_counter()
            self.is_licensed_agrees()
            TIMES["isLicensed"] += time.perf_counter() - t0
            return
        STATS["full invariant rounds"] += 1
        t0 = time.perf_counter()
        statuses = self.rights_match_the_model()
        t1 = time.perf_counter()
        self.licenses_are_consistent(statuses)
        t2 = time.perf_counter()
        self.is_licensed_agrees()
        t3 = time.perf_counter()
        if self.governance_changed:  # offices, admins, registrars, threshold, version (the base's: test start)
            self.council_matches_the_model()
            self.governance_changed = False
        TIMES["rights"] += t1 - t0
        TIMES["licenses"] += t2 - t1
        TIMES["isLicensed"] += t3 - t2
        TIMES["council"] += time.perf_counter() - t3

    def rights_match_the_model(self) -> dict[int, Status]:
        reg = self.w.ipl.registry
        statuses: dict[int, Status] = {}
        for rid, r in self.model.rights.items():
            holder, status = self.read(reg.functions.holderAndStatus(rid))
            statuses[rid] = Status(status)
            self.check(holder.lower() == self.addr[r.holder].lower(),
                       f"{rid:#x}: holder {holder} on chain, {self.addr[r.holder]} in the model")
            self.check(Status(status) is r.status, f"{rid:#x}: status {Status(status).name} on chain, {r.status.name}")
        interests = self.w.ipl.interests
        for rid in self.touched:  # pending assignment and pledges of the rights this step touched
            r = self.model.rights[rid]
            assignee, state, _, aid, _ = self.read(reg.functions.pendingAssignment(rid))
            a = r.assignment
            want = (0, self.addr[0]) if a is None else (2 if a.accepted else 1, self.addr[a.assignee])
            self.check(int(state) == want[0] and (a is None or assignee.lower() == want[1].lower())
                       and int(aid) == r.last_aid, f"{rid:#x}: pending assignment differs")
            ranked = [int(x) for x in self.read(interests.functions.pledgesOf(rid))]
            self.check(ranked == [p.pid for p in r.pledges], f"{rid:#x}: pledges {ranked} on chain, ranked by "
                                                             f"recording order {[p.pid for p in r.pledges]}")
            self.check(int(self.read(interests.functions.pledgesVersionOf(rid))) == r.version,
                       f"{rid:#x}: pledge version differs")
            for p in r.pledges:
                _, creditor, _, _ = self.read(interests.functions.pledgeOf(p.pid))
                self.check(creditor.lower() == self.addr[p.creditor].lower(), f"pledge {p.pid}: creditor differs")
                if a is not None:
                    consented = bool(self.read(interests.functions.hasConsented(p.pid, a.aid)))
                    self.check(consented == (p.consent == (a.aid, r.version)),
                               f"pledge {p.pid}: consent to assignment {a.aid} differs")
        self.touched.clear()
        for qid, q in self.model.requests.items():  # every request's state and applicant, as the model says
            applicant, office, _, state, _, _ = self.read(reg.functions.requestOf(qid))
            self.check(applicant.lower() == self.addr[q.applicant].lower() and bytes(office).decode() == q.office
                       and RequestState(state) is q.state, f"request {qid}: {RequestState(state).name} on chain, "
                                                           f"{q.state.name} in the model")
        if self.steps % 5 == 0:  # every title token is accounted for: balances add up to the model's
            held = Counter(r.holder for r in self.model.rights.values())
            for i in range(ACTORS):
                self.check(int(self.read(reg.functions.balanceOf(self.addr[i]))) == held[i],
                           f"actor {i} holds {held[i]} rights in the model")
        return statuses

    def licenses_are_consistent(self, statuses: dict[int, Status]) -> None:
        lic_reg = self.w.ipl.licenses
        now = int(self.w.tester.get_block_by_number("latest")["timestamp"])
        count = int(self.read(lic_reg.functions.licenseCount()))
        self.check(count == self.model.license_count,
                   f"{count} licenses on chain, {self.model.license_count} in the model")
        chain: dict[int, dict[str, Any]] = {}
        for lid, lic in self.model.licenses.items():
            (rid, parent, licensor, licensee, kind, state, active, _depth, territories, fhash, _start, end, *_
             ) = self.read(lic_reg.functions.licenseOf(lid))
            chain[lid] = {"rid": rid, "parent": parent, "kind": LicenseKind(kind), "state": LicenseState(state),
                          "active": bool(active), "field": fhash, "end": end,
                          "territories": tuple(bytes(t).decode() for t in territories)}
            self.check(LicenseState(state) is lic.state, f"license {lid}: state {LicenseState(state).name} on chain, "
                                                         f"{lic.state.name} in the model")
            self.check(bool(active) == self.model.active(lic, now), f"license {lid}: active={bool(active)} on chain")
            self.check(licensee.lower() == self.addr[lic.licensee].lower(), f"license {lid}: licensee differs")
            self.check(licensor.lower() == self.addr[self.model.licensor(lic)].lower(),
                       f"license {lid}: licensor differs")
        # from chain data alone: no active license under an ended parent or on an ended right ...
        active = [lid for lid, c in chain.items() if c["active"]]
        for lid in active:
            c = chain[lid]
            self.check(statuses[c["rid"]] not in ENDED, f"license {lid} is active on an ended right")
            p = c["parent"]
            while p:
                self.check(chain[p]["state"] is LicenseState.ACTIVE, f"license {lid} is active under ended {p}")
                p = chain[p]["parent"]
        # ... and no two active licenses of a right violate exclusivity (ancestors are exempt)
        for i, a in enumerate(active):
            for b in active[i + 1:]:
                ca, cb = chain[a], chain[b]
                if ca["rid"] != cb["rid"]:
                    continue
                if ca["kind"] is LicenseKind.NON_EXCLUSIVE and cb["kind"] is LicenseKind.NON_EXCLUSIVE:
                    continue
                related = self._is_ancestor(chain, a, b) or self._is_ancestor(chain, b, a)
                zero = b"\x00" * 32
                overlap = overlaps(
                    {"field": ca["field"] if ca["field"] != zero else "", "territories": ca["territories"]},
                    {"field": cb["field"] if cb["field"] != zero else "", "territories": cb["territories"]})
                self.check(related or not overlap, f"active licenses {a} and {b} violate exclusivity")

    @staticmethod
    def _is_ancestor(chain: dict[int, dict[str, Any]], anc: int, lid: int) -> bool:
        p = chain[lid]["parent"]
        while p:
            if p == anc:
                return True
            p = chain[p]["parent"]
        return False

    def is_licensed_agrees(self) -> None:
        if not self.model.rights:
            return
        now = int(self.w.tester.get_block_by_number("latest")["timestamp"])
        rng = random.Random(self.steps * 7919 + len(self.model.licenses))
        rights = sorted(self.model.rights)
        licensed_rights = sorted({lic.rid for lic in self.model.licenses.values()}) or rights
        for _ in range(2 if self.changed else 1):  # a refused step changed nothing: one sample will do
            rid = rng.choice(licensed_rights if rng.random() < 0.8 else rights)
            party, territory, fld = rng.randrange(ACTORS), rng.choice(USE_TERRITORIES), rng.choice(FIELDS)
            if STATS["isLicensed samples"] % 4 == 0:  # through the SDK; the others straight on eth-tester
                cov = self.w.ipl.is_licensed(rid, self.addr[party], territory, fld, now)
                licensed, license_id = cov.licensed, cov.license_id
            else:
                licensed, license_id = self.read(self.w.ipl.licenses.functions.isLicensed(
                    rid, self.addr[party], types.office_bytes(territory), field_hash(fld), now))
            want = self.model.is_licensed(rid, party, territory, fld, now)
            STATS["isLicensed samples"] += 1
            self.check(licensed == want, f"isLicensed({rid:#x}, {party}, {territory}, '{fld}') = {licensed}, "
                                         f"the model says {want}")
            if license_id:
                lic = self.model.licenses[license_id]
                self.check(lic.licensee == party and self.model.covers(lic, territory, fld, now),
                           f"isLicensed names license {license_id}, which does not cover the use")


def _write_stats(elapsed: float) -> None:
    STATS_FILE.parent.mkdir(parents=True, exist_ok=True)
    data = {"profile": PROFILE_NAME, "seconds": round(elapsed, 1), **dict(STATS),
            "refusals by error": dict(REFUSALS.most_common()),
            "seconds by phase": {k: round(v, 1) for k, v in TIMES.items()},
            "sequence lengths": dict(sorted(LENGTHS.items())),
            "actions by outcome": dict(sorted(OUTCOMES.items()))}
    STATS_FILE.write_text(json.dumps(data, indent=2))
    print("\nfuzz:", ", ".join(f"{k} {v}" for k, v in data.items()))


@pytest.mark.timeout(4 * 3600 if PROFILE_NAME == "ipledger-long" else 300)
def test_register_and_licenses_keep_their_invariants(base: Base) -> None:
    LedgerMachine.base = base
    STATS.clear()
    REFUSALS.clear()
    TIMES.clear()
    LENGTHS.clear()
    OUTCOMES.clear()
    started = time.monotonic()
    try:
        run_state_machine_as_test(LedgerMachine, settings=PROFILE)
    finally:
        _write_stats(time.monotonic() - started)
    assert STATS["sequences"] >= PROFILE.max_examples
    assert STATS["unauthorised calls refused"] > 0 and STATS["succeeded as predicted"] > 0
    # the council's part ran: an office admitted, removed or re-seated, the registry upgraded mid-sequence
    assert STATS["offices admitted"] + STATS["offices removed"] + STATS["admins replaced"] > 0
    assert STATS["upgrades"] > 0 and STATS["actions on IPRegistryNext"] > 0
