"""The one world of the tests: a deployed register with one SDK client per role.

``make_world`` turns a fresh deployment (embedded chain or a real node) into the standard cast. The deployment
seeded the dev council (``ipledger.deploy.dev_governance``): EM (assignments need recordal by the office; its
admin is GOVERNOR, dev account 0), RU (acceptance moves title; admin RU_ADMIN) and US (admin US_ADMIN), guardian
GUARDIAN; each office's admin grants its own registrar. Roles are dev-account indexes, so a test can also act as
``world.as_(ALICE)``.
tests/conftest.py deploys one world per module and snapshots it per test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipledger.sdk import IPLedger

GOVERNOR, REGISTRAR, ALICE, BOB, CAROL, DAVE, RU_REGISTRAR, STRANGER = range(8)
EVE, MALLORY = 8, 9  # two more parties without a role (dev accounts 8 and 9)
RU_ADMIN, US_ADMIN, GUARDIAN = 10, 11, 12  # the RU and US office admins and the guardian of the dev council
TEN_YEARS = 10 * 365 * 86400


@dataclass
class World:
    """A deployed register on one chain with one client per role."""

    ipl: IPLedger
    governor: IPLedger
    registrar: IPLedger  # EM registrar
    alice: IPLedger
    bob: IPLedger
    carol: IPLedger
    dave: IPLedger
    ru_registrar: IPLedger
    stranger: IPLedger
    ru_admin: IPLedger
    us_admin: IPLedger
    guardian: IPLedger

    def as_(self, index: int) -> IPLedger:
        """The client of dev account ``index`` (a role constant of this module)."""
        return self.ipl.as_account(index)

    @property
    def tester(self) -> Any:
        """eth-tester behind the embedded chain (snapshots, time travel); embedded worlds only."""
        provider: Any = self.ipl.w3.provider
        return provider.ethereum_tester

    def now(self) -> int:
        """The latest block's timestamp."""
        return int(self.ipl.w3.eth.get_block("latest")["timestamp"])

    def vote(self, *calls: Any) -> Any:
        """The council passes ``calls`` (dev chain: EM's admin proposes, every seated office's admin votes for) and
        executes them; returns the execution's TxResult (its events are the registers' and the council's)."""
        from ipledger.domain.governance import ProposalState

        c = self.governor.council
        flat = [x for call in calls for x in (call if isinstance(call, list) else [call])]
        pid = c.propose(flat).proposal_id
        by_address = {a.address.lower(): a for a in self.ipl.chain.accounts}
        for office in c.offices():
            if c.state(pid) not in (ProposalState.PENDING, ProposalState.ACTIVE):
                break
            admin = by_address.get(office["admin"].lower())
            if admin is not None:
                self.ipl.as_account(admin).council.vote(pid, "for")
        return c.execute(pid)

    def registrar_of(self, office: str) -> IPLedger:
        """The registrar client of ``office`` (EM or RU)."""
        return self.registrar if office == "EM" else self.ru_registrar

    def file(self, number: str = "018234567", holder: IPLedger | str | None = None, office: str = "EM",
             ip_type: str = "TM", **kw: Any) -> int:
        """The office's registrar files ``number`` for ``holder`` (Alice): only the office accords numbers and dates."""
        holder = holder or self.alice
        address = holder if isinstance(holder, str) else holder.address
        return self.registrar_of(office).file(office, ip_type, number, holder=address, **kw).right_id

    def file_registered(self, number: str = "018234567", holder: IPLedger | None = None, office: str = "EM") -> int:
        """The office files a trade mark for ``holder`` (Alice) and moves it to Registered (ten years from now)."""
        registrar = self.registrar_of(office)
        rid = self.file(number, holder, office, content_hash="0x" + "ab" * 32)
        registrar.publish(rid)
        now = self.now()
        registrar.register(rid, "R-" + number, registration_date=now, expiry_date=now + TEN_YEARS)
        return rid


def make_world(ipl: IPLedger) -> World:
    """The standard cast on ``ipl``'s fresh deployment (the dev council's offices EM, RU and US): each office's
    admin grants one registrar of EM and RU."""
    g = ipl.as_account(GOVERNOR)
    ru_admin = ipl.as_account(RU_ADMIN)
    # A registry still constructor-based (during the v2 change) has one governor that grants every registrar.
    governed = bool(ipl.governed_registers()) and "IPRegistry" in ipl.governed_registers()
    g.grant_registrar("EM", ipl.chain.accounts[REGISTRAR].address)
    (ru_admin if governed else g).grant_registrar("RU", ipl.chain.accounts[RU_REGISTRAR].address)
    return World(ipl=ipl, governor=g, registrar=ipl.as_account(REGISTRAR), alice=ipl.as_account(ALICE),
                 bob=ipl.as_account(BOB), carol=ipl.as_account(CAROL), dave=ipl.as_account(DAVE),
                 ru_registrar=ipl.as_account(RU_REGISTRAR), stranger=ipl.as_account(STRANGER), ru_admin=ru_admin,
                 us_admin=ipl.as_account(US_ADMIN), guardian=ipl.as_account(GUARDIAN))
