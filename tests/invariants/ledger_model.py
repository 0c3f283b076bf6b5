"""The Python model the invariant fuzzing checks the contracts against (tests/invariants/test_invariants.py).

Plain data: rights (holder, status, pending assignment with its id, the ranked pledges and their consents),
licenses (tree, scope, state) and the
governance settings (the council's offices and their admins, registrars, recordal, pause, the registry's version),
plus the rules the contracts apply that do not depend on who calls: when a license is live or active, which
licenses may not coexist, what ``isLicensed`` answers, and how many for-votes pass a proposal.
Parties are the world's role indexes (helpers.world). The state machine predicts each action's outcome from
this model, sends it, and then updates the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

from helpers import GOVERNOR, REGISTRAR, RU_ADMIN, RU_REGISTRAR, US_ADMIN
from ipledger.domain import ENDED, RequestState, Status
from ipledger.domain.licensing import LicenseKind, LicenseState


MAX_PLEDGES_PER_RIGHT = 8  # SecurityInterests.MAX_PLEDGES_PER_RIGHT
OFFICE_POOL = ("EM", "RU", "US", "AU")  # the dev council's three offices and one the council may admit


def votes_needed(offices: int) -> int:
    """OfficeCouncil.quorum at the default threshold: ceil(2/3 x the offices seated at the snapshot), at least 1."""
    return max(-(-2 * offices // 3), 1)


@dataclass
class AssignmentM:
    """A pending assignment: to whom, accepted yet, and its id (the right's request number)."""

    assignee: int
    accepted: bool = False
    aid: int = 1


@dataclass
class PledgeM:
    """An active security interest: its id, its creditor, and the consent it gave: (assignment id, pledge version)."""

    pid: int
    creditor: int
    consent: tuple[int, int] | None = None


@dataclass
class RightM:
    """A right: office, holder, status, expiry, pending assignment, the last assignment id used, the active pledges
    in rank order and the pledge version (grows at every pledge recorded or released)."""

    rid: int
    office: str
    holder: int
    status: Status = Status.FILED
    expiry: int = 0
    assignment: AssignmentM | None = None
    pledges: list[PledgeM] = dc_field(default_factory=list)
    last_aid: int = 0
    version: int = 0

    def first_without_consent(self, aid: int) -> PledgeM | None:
        """SecurityInterests.firstWithoutConsent: the senior pledge whose consent to ``aid`` (at this version) does
        not stand; for 0, the senior pledge."""
        return next((p for p in self.pledges if not aid or p.consent != (aid, self.version)), None)

    def assignable(self) -> bool:
        """Filed and not ended, or lapsed (a lapsed right may still be restored): it may change hands or be pledged."""
        return self.status is not Status.NONE and (self.status not in ENDED or self.status is Status.LAPSED)


@dataclass
class LicenseM:
    """A license or offer: its right, parent, licensee, kind and scope, its state, and the offer's deadline."""

    lid: int
    rid: int
    parent: int
    licensee: int
    kind: LicenseKind
    territories: tuple[str, ...]
    field: str
    end: int
    sublicensable: bool
    transferable: bool
    depth: int
    state: LicenseState = LicenseState.OFFERED
    deadline: int = 0  # the last second the offer may be accepted


def overlaps(a: LicenseM | dict[str, Any], b: LicenseM | dict[str, Any]) -> bool:
    """LicenseRegistry._overlaps: period (closed; end 0 = open; start is 0 here), field, territory."""
    ga = (lambda k: a[k]) if isinstance(a, dict) else (lambda k: getattr(a, k))
    gb = (lambda k: b[k]) if isinstance(b, dict) else (lambda k: getattr(b, k))
    fa, fb = ga("field"), gb("field")
    if fa and fb and fa != fb:
        return False
    ta, tb = set(ga("territories")), set(gb("territories"))
    return "WO" in ta or "WO" in tb or bool(ta & tb)


@dataclass
class RequestM:
    """An application request: who asked which office, and its state (IIPRegistry.RequestState)."""

    applicant: int
    office: str
    state: RequestState = RequestState.PENDING


@dataclass
class Model:
    """What the register should hold, and the caller-independent rules of the license register."""

    rights: dict[int, RightM] = dc_field(default_factory=dict)
    licenses: dict[int, LicenseM] = dc_field(default_factory=dict)
    # the seated offices and their admins (dev-account indexes, up to 12); the registry knows the same offices
    offices: dict[str, int] = dc_field(default_factory=lambda: {"EM": GOVERNOR, "RU": RU_ADMIN, "US": US_ADMIN})
    registrars: dict[str, set[int]] = dc_field(
        default_factory=lambda: {"EM": {REGISTRAR}, "RU": {RU_REGISTRAR}, "US": set(), "AU": set()})
    # an office's recordal setting (it outlives the office's removal: it still describes its rights)
    recordal: dict[str, bool] = dc_field(default_factory=lambda: {"EM": True, "RU": False, "US": False})
    paused: bool = False
    upgraded: bool = False  # IPRegistry's proxy runs IPRegistryNext
    note: int = 0  # IPRegistryNext's new field
    license_count: int = 0
    pledge_count: int = 0
    requests: dict[int, RequestM] = dc_field(default_factory=dict)  # application requests by id (from 1)

    def licensor(self, lic: LicenseM) -> int:
        """Who granted ``lic``: the parent's licensee, or the right's holder for a root license."""
        if lic.parent:
            return self.licenses[lic.parent].licensee
        return self.rights[lic.rid].holder

    def ancestors(self, lic: LicenseM) -> list[int]:
        """The ids of the licenses above ``lic``, nearest first."""
        out, p = [], lic.parent
        while p:
            out.append(p)
            p = self.licenses[p].parent
        return out

    def live(self, lic: LicenseM, now: int) -> bool:
        """LicenseRegistry._isLive: not expired and every ancestor accepted (not ended)."""
        if lic.end and lic.end < now:
            return False
        return all(self.licenses[p].state is LicenseState.ACTIVE for p in self.ancestors(lic))

    def active(self, lic: LicenseM, now: int) -> bool:
        """isLicenseActive: accepted, live, and on a right that has not ended."""
        right = self.rights[lic.rid]
        return lic.state is LicenseState.ACTIVE and self.live(lic, now) and right.status not in ENDED

    def open(self, lic: LicenseM, now: int) -> bool:
        """LicenseRegistry._isOpen: a pending offer before its deadline or an accepted license, and live."""
        if lic.state is LicenseState.OFFERED:
            return now <= lic.deadline and self.live(lic, now)
        return lic.state is LicenseState.ACTIVE and self.live(lic, now)

    def conflicts(self, lic: LicenseM, now: int) -> set[int]:
        """Open licenses and offers of the right that ``lic`` may not coexist with, anywhere in the right's tree but
        its own ancestors. (The contract scans only ``lic``'s siblings; the exclusivity rules make that the same.)"""
        exempt = set(self.ancestors(lic)) | {lic.lid}
        out = set()
        for other in self.licenses.values():
            if other.rid != lic.rid or other.lid in exempt:
                continue
            if lic.kind is LicenseKind.NON_EXCLUSIVE and other.kind is LicenseKind.NON_EXCLUSIVE:
                continue
            if not self.open(other, now):
                continue
            if overlaps(lic, other):
                out.add(other.lid)
        return out

    def open_licensees_under(self, lid: int, now: int) -> set[int]:
        """The licensees of the open sublicenses of ``lid`` (a license may not be transferred to one of them)."""
        return {c.licensee for c in self.licenses.values() if c.parent == lid and self.open(c, now)}

    @staticmethod
    def covers(lic: LicenseM, territory: str, field: str, at: int) -> bool:
        """``lic``'s scope includes the whole of the question (territory, field) at time ``at``: a question for
        ``WO`` needs ``WO``, a question for all fields (``""``) needs a license for all fields."""
        if lic.end and at > lic.end:
            return False
        if lic.field and lic.field != field:
            return False
        return "WO" in lic.territories or (territory != "WO" and territory in lic.territories)

    @staticmethod
    def touches(lic: LicenseM, territory: str, field: str, at: int) -> bool:
        """``lic``'s scope shares some part of the question (territory, field) at time ``at``."""
        if lic.end and at > lic.end:
            return False
        if lic.field and field and lic.field != field:
            return False
        return territory == "WO" or "WO" in lic.territories or territory in lic.territories

    def is_licensed(self, rid: int, party: int, territory: str, field: str, at: int) -> bool:
        """What LicenseRegistry.isLicensed must answer for ``party``'s use of right ``rid``, from the rule itself
        (ILicenseRegistry): a source covering the whole question — the right for its holder, or an active license of
        the party — and no active exclusive license of another party touching the question, other than the
        licenses the source derives from (its ancestors). The contract looks only directly under each source."""
        right = self.rights.get(rid)
        if right is None or right.status in ENDED or (right.expiry and at > right.expiry):
            return False
        active = [lic for lic in self.licenses.values()
                  if lic.rid == rid and lic.state is LicenseState.ACTIVE and self.live(lic, at)]

        def excluded(ancestors: set[int]) -> bool:
            return any(e.kind is LicenseKind.EXCLUSIVE and e.licensee != party and e.lid not in ancestors
                       and self.touches(e, territory, field, at) for e in active)

        for lic in active:
            if lic.licensee == party and self.covers(lic, territory, field, at) \
                    and not excluded(set(self.ancestors(lic))):
                return True
        return party == right.holder and not excluded(set())
