"""The council's rules of the invariant machine (tests/invariants/test_invariants.py): votes, offices, an upgrade.

A mixin of ``LedgerMachine``: the council admits an office (AU, or one it removed before), removes one, and
replaces an office's admin, each by a passed vote; the proxy of IPRegistry is upgraded to the test-only
IPRegistryNext (its implementation deployed with the base state) by a passed vote in the middle of a sequence, and
the new version's field is then set and read. Anyone else's attempt is refused: a direct call of the council's
function (``GovernorOnlyExecutor``) or the registry's (``AccessManagedUnauthorized``), a proposal by an account
without a seat (``GovernorInsufficientProposerVotes``), a vote by one (``CouncilNoSeat``).

Every vote is proposed by a seated office's admin and gets exactly the for-votes the model says it needs,
``ceil(2/3 x offices at the snapshot)`` (ledger_model.votes_needed), one at a time: the proposal must still be
active one vote short and succeed at the last one. It is then queued, and its execution is the action predicted
(``act``): success, or the error the timelock bubbles up from the register (``EnforcedPause``, ``UnknownOffice``,
``InvalidInitialization``) or from the council (``CouncilOfficeExists``, ``CouncilAdminHoldsSeat``, ...).
Each passed change is followed at once by its consequences, predicted by the model too: a new office's admin
grants a registrar who files there; a removed office's former registrar may no longer file, nor its former admin
grant; a replaced admin may no longer grant, and the new one does. ``council_matches_the_model`` compares the
council's seats, the registry's offices, admins, recordal settings and registrars, the pass threshold and the
registry's implementation with the model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from eth_utils import keccak
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from helpers import EVE, GOVERNOR, MALLORY, RU_ADMIN, STRANGER, US_ADMIN
from ipledger import types
from ipledger.domain.governance import ProposalState
from ipledger.sdk import upgrades
from ipledger.sdk.council import Call, Council
from ledger_model import OFFICE_POOL, Model, votes_needed

ACCOUNTS = 13  # the dev council's chain: 13 dev accounts (helpers.world)
# who the council may seat: two parties without a role, the stranger, and admins that hold a seat at the start
ADMIN_POOL = (EVE, MALLORY, STRANGER, GOVERNOR, RU_ADMIN, US_ADMIN)
ZERO = "0x" + "00" * 20
HOW = st.sampled_from(("council", "registry", "propose", "vote"))  # how an attempt without a passed vote is made


class CouncilRules:
    """The council's and the upgrade's rules; the machine provides ``act``, ``check``, ``read``, ``count``,
    ``client``, ``model``, ``w`` and the base's ``next_implementation`` / ``first_implementation``."""

    model: Model
    w: Any
    next_implementation: str
    first_implementation: str
    proposals: int
    governance_changed: bool

    act: Callable[..., Any]
    check: Callable[[bool, str], None]
    read: Callable[[Any], Any]
    count: Callable[[str], None]
    client: Callable[[int], Any]
    council_of: Callable[[int], Council]
    addr: list[str]  # the actors' addresses
    govern: Callable[..., None]  # the machine's rules this mixin follows up with
    file: Callable[..., None]

    # ------------------------------------------------------------ voting

    def seated(self) -> list[tuple[str, int]]:
        """The seated offices and their admins, in a fixed order."""
        return sorted(self.model.offices.items())

    def passed(self, calls: Sequence[Call], what: str) -> Callable[[], Any]:
        """Proposes ``calls`` (the first seated office's admin), votes them through with exactly the for-votes the
        model needs, checking the proposal is still active one vote short, queues them; returns the execution."""
        seated = self.seated()
        proposer = self.council_of(seated[0][1])
        contract = proposer.contract.functions
        self.proposals += 1
        description = f"fuzz proposal {self.proposals}: {what}"
        pid = proposer.propose(list(calls), description).proposal_id
        needed = votes_needed(len(seated))
        snapshot = int(self.read(contract.proposalSnapshot(pid)))
        self.check(int(self.read(contract.quorum(snapshot))) == needed,
                   f"{what}: the council needs {int(self.read(contract.quorum(snapshot)))} for-votes of "
                   f"{len(seated)} offices, the model {needed}")
        for _, admin in seated[:needed]:
            state = ProposalState(int(self.read(contract.state(pid))))
            self.check(state in (ProposalState.PENDING, ProposalState.ACTIVE),
                       f"{what}: {state.name} before its {needed}th for-vote")
            self.council_of(admin).vote(pid, "for")
        state = ProposalState(int(self.read(contract.state(pid))))
        self.check(state is ProposalState.SUCCEEDED, f"{what}: {state.name} after {needed} of {len(seated)} votes")
        self.count("council votes passed")
        args = ([types.address(c.target, "target") for c in calls], [0] * len(calls), [c.data for c in calls],
                keccak(text=description))
        proposer.ipl.transact(contract.queue(*args), f"queue {what}")
        return functools.partial(proposer.ipl.transact, contract.execute(*args), f"execute {what}")

    def _outsider(self, account: int) -> bool:
        return account not in self.model.offices.values()

    # ------------------------------------------------------------ offices

    @staticmethod
    def _pick(i: int, options: Sequence[Any], others: Sequence[Any]) -> Any:
        """Pick ``i`` (0..9) of ``options``; 9, or no options, picks one of ``others`` (a refusal to predict)."""
        pool = others if i == 9 or not options else options
        return pool[i % len(pool)] if pool else options[i % len(options)]

    @rule(office=st.integers(0, 9), admin=st.integers(0, 9), recordal=st.booleans(), by_council=st.booleans(),
          caller=st.integers(0, ACCOUNTS - 1), how=HOW)
    def admit_office(self, office: int, admin: int, recordal: bool, by_council: bool, caller: int, how: str) -> None:
        """The council admits an office (AU, or one it removed): its admin may then grant registrars, who file."""
        self.office_action("admit", office, admin, recordal, by_council, caller, how)

    @rule(office=st.integers(0, 9), by_council=st.booleans(), caller=st.integers(0, ACCOUNTS - 1), how=HOW)
    def remove_office(self, office: int, by_council: bool, caller: int, how: str) -> None:
        """The council removes an office: its seat, its admin's power and its registrars go with it."""
        self.office_action("remove", office, 0, False, by_council, caller, how)

    @rule(office=st.integers(0, 9), admin=st.integers(0, 9), by_council=st.booleans(),
          caller=st.integers(0, ACCOUNTS - 1), how=HOW)
    def replace_admin(self, office: int, admin: int, by_council: bool, caller: int, how: str) -> None:
        """The council replaces an office's admin: the seat and the office's admin power move to the new one."""
        self.office_action("replace", office, admin, False, by_council, caller, how)

    def office_action(self, action: str, office_pick: int, admin_pick: int, recordal: bool, by_council: bool,
                      caller: int, how: str) -> None:
        """The council admits, removes or re-seats an office by a passed vote; anyone else's attempt is refused.
        In the contracts' order: the council's checks, then the registry's (admitting is paused with the rest;
        removing and re-seating are not: they take power away). Picks 0..8 choose what may succeed (an unseated
        code to admit, a seated one to remove or re-seat, an admin without a seat), 9 what must not."""
        m = self.model
        seats = m.offices
        unseated = [o for o in OFFICE_POOL if o not in seats]
        free = [a for a in ADMIN_POOL if a not in seats.values()]
        office: str = self._pick(office_pick, unseated if action == "admit" else sorted(seats),
                                 sorted(seats) if action == "admit" else unseated)
        admin: int = self._pick(admin_pick, free, sorted(seats.values()))
        expected: str | None
        if action == "admit":
            expected = ("CouncilOfficeExists" if office in seats else "CouncilAdminHoldsSeat" if admin in seats.values()
                        else "EnforcedPause" if m.paused else None)
        elif action == "remove":
            expected = "CouncilUnknownOffice" if office not in seats else "CouncilLastOffice" if len(seats) == 1 else None
        else:
            expected = ("CouncilUnknownOffice" if office not in seats else "CouncilAdminHoldsSeat"
                        if admin in seats.values() else None)
        what = f"{action} office {office}" + ("" if action == "remove" else f" (admin {admin})")
        council = self.council_of(GOVERNOR)
        address = self.w.ipl.chain.accounts[admin].address
        calls = {"admit": lambda: council.admit_office(office, address, recordal),
                 "remove": lambda: council.remove_office(office),
                 "replace": lambda: council.replace_admin(office, address)}
        if not by_council:
            self._refused_outside_the_council(calls[action](), office, address, recordal, action, caller, how, what)
            return
        if not self.act(expected, self.passed([calls[action]()], what), f"{what} by the council"):
            return
        self.governance_changed = True
        self.count({"admit": "offices admitted", "remove": "offices removed", "replace": "admins replaced"}[action])
        previous, registrars = seats.get(office), set(m.registrars[office])
        if action == "admit":
            seats[office] = admin
            m.recordal[office] = recordal
            m.registrars[office] = set()
        elif action == "remove":
            del seats[office]
            m.registrars[office] = set()  # the registry revokes its registrars with it
        else:
            seats[office] = admin
        self._consequences(action, office, previous, registrars, caller)

    def _consequences(self, action: str, office: str, previous: int | None, registrars: set[int], pick: int) -> None:
        """What the change means at once, each step predicted by the model: a new office's admin grants a registrar,
        who files there; a removed office's registrar may no longer file, nor its former admin grant; a replaced
        admin may no longer grant, and the new one does."""
        actor, number = pick % len(self.addr), ("A1", "A2", "A3")[pick % 3]
        if action == "admit":
            self.govern(actor, "grant", office, False, actor, True)  # by the new office's admin
            rights = len(self.model.rights)
            self.file(actor, office, number, None)
            if len(self.model.rights) > rights:
                self.count("filings at an office just admitted")
            return
        assert previous is not None
        if action == "remove":
            self.file(min(registrars, default=actor), office, number, None)
        self._grant_by(previous, office, actor)
        if action == "replace":
            self.govern(actor, "grant", office, False, actor, True)  # by the new admin

    def _grant_by(self, admin: int, office: str, account: int) -> None:
        """Dev account ``admin`` grants ``account`` the office's registrar role."""
        m = self.model
        expected = ("EnforcedPause" if m.paused else "NotOfficeAdmin" if m.offices.get(office) != admin
                    else "RegistrarExists" if account in m.registrars[office] else None)
        if self.act(expected, functools.partial(self.client(admin).grant_registrar, office, self.addr[account]),
                    f"grant ({office}, {account}) by {admin}"):
            m.registrars[office].add(account)

    def _refused_outside_the_council(self, call: Call, office: str, admin: str, recordal: bool, action: str,
                                     caller: int, how: str, what: str) -> None:
        """``caller`` tries the council's action without a passed vote: straight at the council or the registry,
        or by proposing it or voting on it without a seat (a seated caller calls the council instead)."""
        if how in ("propose", "vote") and not self._outsider(caller):
            how = "council"
        c = self.council_of(caller)
        code = types.office_bytes(office)
        expected = {"council": "GovernorOnlyExecutor", "registry": "AccessManagedUnauthorized",
                    "propose": "GovernorInsufficientProposerVotes", "vote": "CouncilNoSeat"}[how]
        if how == "council":
            fn = {"admit": lambda: c.contract.functions.admitOffice(code, admin, recordal),
                  "remove": lambda: c.contract.functions.removeOffice(code),
                  "replace": lambda: c.contract.functions.replaceOfficeAdmin(code, admin)}[action]()
            attempt: Callable[[], Any] = functools.partial(c.ipl.transact, fn, what)
        elif how == "registry":
            reg = self.w.ipl.registry.functions
            fn = {"admit": lambda: reg.addOffice(code, admin, recordal), "remove": lambda: reg.removeOffice(code),
                  "replace": lambda: reg.setOfficeAdmin(code, admin)}[action]()
            attempt = functools.partial(self.client(caller).transact, fn, what)
        elif how == "propose":
            attempt = functools.partial(c.propose, [call], f"fuzz: {what} by {caller}")
        else:  # a proposal a seated office made, and a vote without a seat on it
            self.proposals += 1
            pid = self.council_of(self.seated()[0][1]).propose([call], f"fuzz proposal {self.proposals}").proposal_id
            attempt = functools.partial(c.vote, pid, "for")
        self.act(expected, attempt, f"{what} by {caller} ({how})")

    # ------------------------------------------------------------ the upgrade

    def next_version(self) -> Any:
        """IPRegistry's proxy seen through IPRegistryNext's ABI."""
        ipl = self.w.ipl
        return ipl.w3.eth.contract(address=ipl.registry.address, abi=ipl.artifacts["IPRegistryNext"].abi)

    @rule(note=st.integers(1, 2**64), by_council=st.booleans(), caller=st.integers(0, ACCOUNTS - 1))
    def upgrade_registry(self, note: int, by_council: bool, caller: int) -> None:
        """The council upgrades IPRegistry to IPRegistryNext, its reinitializer setting the new field (paused or
        not: an upgrade is no register action). Once upgraded, the reinitializer cannot run again (tried by vote
        one time in four, else directly). Anyone calling ``upgradeToAndCall`` directly (an office admin, the
        guardian, a registrar, a party) is refused."""
        nxt = self.next_version()
        data = bytes.fromhex(nxt.encode_abi("initializeNext", [note])[2:])
        what = f"upgrade IPRegistry to IPRegistryNext (note {note})"
        if not by_council or (self.model.upgraded and note % 4):
            fn = nxt.functions.upgradeToAndCall(self.next_implementation, data)
            self.act("AccessManagedUnauthorized", functools.partial(self.client(caller).transact, fn, what),
                     f"{what} by {caller}")
            return
        call = self.council_of(GOVERNOR).call(nxt, "upgradeToAndCall", self.next_implementation, data,
                                              summary=what)
        expected = "InvalidInitialization" if self.model.upgraded else None
        if self.act(expected, self.passed([call], what), f"{what} by the council"):
            self.model.upgraded, self.model.note = True, note
            self.governance_changed = True
            self.count("upgrades")
            self.check(upgrades.current_implementation(self.w.ipl, "IPRegistry") == self.next_implementation,
                       "the proxy runs IPRegistryNext after the vote")

    @precondition(lambda self: self.model.upgraded)
    @rule(note=st.integers(0, 2**64), caller=st.integers(0, ACCOUNTS - 1), again=st.booleans())
    def use_the_next_version(self, note: int, caller: int, again: bool) -> None:
        """After the upgrade: anyone sets the new field (a test double's setter); its initializer is spent."""
        m = self.model
        nxt = self.next_version().functions
        fn = nxt.initializeNext(note) if again else nxt.setNote(note)
        expected = "InvalidInitialization" if again else None
        if self.act(expected, functools.partial(self.client(caller).transact, fn, "note"),
                    f"{'initializeNext' if again else 'setNote'}({note}) by {caller}"):
            m.note = note
            self.governance_changed = True

    # ------------------------------------------------------------ the invariant

    def council_matches_the_model(self) -> None:
        """The council seats the model's offices (their admins vote in ``passed``); the registry knows the same offices
        with the model's admins, recordal settings and registrars; the threshold is 2/3 of the seats; the proxy runs
        the model's version, and IPRegistryNext's field holds the model's value."""
        m = self.model
        accounts = self.w.ipl.chain.accounts
        council = self.council_of(GOVERNOR).contract.functions
        reg = self.w.ipl.registry.functions
        seated = {bytes(o).decode() for o in self.read(council.offices())}
        self.check(seated == set(m.offices), f"the council seats {sorted(seated)}, the model {sorted(m.offices)}")
        for office in OFFICE_POOL:
            code = types.office_bytes(office)
            want = accounts[m.offices[office]].address if office in m.offices else ZERO
            exists, recordal, admin = self.read(reg.officeInfo(code))
            self.check(bool(exists) == (office in m.offices) and admin.lower() == want.lower(),
                       f"{office}: the registry's office (exists {exists}, admin {admin}) differs from the model's")
            if office in m.recordal:
                self.check(bool(recordal) == m.recordal[office], f"{office}: recordal setting differs")
            registrars = {a.lower() for a in self.read(reg.registrarsOf(code))}
            self.check(registrars == {accounts[i].address.lower() for i in m.registrars[office]},
                       f"{office}: registrars differ from the model's {sorted(m.registrars[office])}")
        block = self.w.ipl.w3.eth.block_number
        self.check(int(self.read(council.quorum(block))) == votes_needed(len(m.offices)),
                   f"the pass threshold of {len(m.offices)} offices differs")
        running = upgrades.current_implementation(self.w.ipl, "IPRegistry")
        self.check(running == (self.next_implementation if m.upgraded else self.first_implementation),
                   f"IPRegistry runs {running}")
        if m.upgraded:
            nxt = self.next_version().functions
            self.check(int(self.read(nxt.version())) == 2 and int(self.read(nxt.note())) == m.note,
                       "IPRegistryNext's version or note differs")


__all__ = ["ACCOUNTS", "ADMIN_POOL", "CouncilRules"]
