"""Security interests (the SecurityInterests contract) and the signed messages of an assignment.

Several pledges may stand on one right, ranked by recording order; an assignment takes effect
only when every active creditor consented to that very assignment (its id) at the right's
current pledge version. Signed messages name the pending action's own id instead of an ordered
nonce, so independent ones can be relayed in any order; a signer revokes an unused one by its
EIP-712 digest (``revoke_*``). Creditors and assignees may be contract wallets (ERC-1271): the
wallet's owner key signs, and the SDK signs with this account's key.
"""

from __future__ import annotations

from typing import Any

from ipledger import types
from ipledger.errors import InvalidInput, UsageError
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import PendingAssignment, PledgeInfo, PledgeResult, TxResult


def _positive_id(value: Any, what: str) -> int:
    """A pledge or assignment id (1 .. 2**256-1), or ``InvalidInput``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= types.MAX_UINT256:
        raise InvalidInput(f"{what} {value!r} is not an id (1, 2, ...)")
    return value


class InterestActions(ClientBase):
    """Pledges and consents, the pending assignment, and the signed acceptance and consent messages."""

    # ------------------------------------------------------------ reads

    def pending_assignment(self, right_id: int) -> PendingAssignment:
        """The right's pending assignment (state 0 when none; its id is then the last one used)."""
        a = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        return PendingAssignment(right_id=right_id, assignee=str(a[0]), state=int(a[1]), requested_at=int(a[2]),
                                 assignment_id=int(a[3]), deed_hash=bytes(a[4]))

    def _pending_id(self, right_id: int) -> int:
        pending = self.pending_assignment(right_id)
        if not pending.state:
            raise UsageError(f"right {right_id:#x} has no pending assignment; the holder requests one first "
                             "(`ipledger assign`)")
        return pending.assignment_id

    def pledges(self, right_id: int) -> list[PledgeInfo]:
        """The right's active pledges in rank order, each saying whether its creditor consented to the pending
        assignment (at the current pledge version)."""
        ids = self.call(self.interests.functions.pledgesOf(right_id), "pledges of the right")
        pending = self.pending_assignment(right_id)
        current = pending.assignment_id if pending.state else 0
        out = []
        for rank, pid in enumerate(ids, start=1):
            p = self.call(self.interests.functions.pledgeOf(pid), "pledge")
            consented = bool(current) and bool(self.call(self.interests.functions.hasConsented(pid, current),
                                                         "consent"))
            out.append(PledgeInfo(pledge_id=int(pid), right_id=int(p[0]), creditor=str(p[1]), rank=rank,
                                  recorded_at=int(p[2]), consented=consented))
        return out

    def pledge(self, pledge_id: int) -> PledgeInfo:
        """One pledge, active or released (a UsageError if there is none with this id)."""
        right_id = self._right_of_pledge(pledge_id)
        for p in self.pledges(right_id):
            if p.pledge_id == pledge_id:
                return p
        _, creditor, recorded_at, _ = self.call(self.interests.functions.pledgeOf(pledge_id), "pledge")
        return PledgeInfo(pledge_id=pledge_id, right_id=right_id, creditor=str(creditor), rank=0,
                          recorded_at=int(recorded_at), active=False)

    def pledges_version(self, right_id: int) -> int:
        """The right's pledge version (it grows at every recording and release; consents are bound to it)."""
        return int(self.call(self.interests.functions.pledgesVersionOf(right_id), "pledge version"))

    def pledge_of(self, right_id: int, creditor: str | None = None) -> int:
        """The id of ``creditor``'s (default: this account's) senior active pledge on the right."""
        who = types.address(creditor, "creditor") if creditor else self.address
        mine = [p.pledge_id for p in self.pledges(right_id) if p.creditor.lower() == who.lower()]
        if not mine:
            raise UsageError(f"{who} holds no active pledge on right {right_id:#x}; pass the pledge id")
        return mine[0]

    def _right_of_pledge(self, pledge_id: int) -> int:
        p = self.call(self.interests.functions.pledgeOf(_positive_id(pledge_id, "pledge id")), "pledge")
        if not int(p[3]):
            raise UsageError(f"no pledge {pledge_id} on this register; pledge ids count from 1")
        return int(p[0])

    # ------------------------------------------------------------ actions

    def record_pledge(self, right_id: int, creditor: str, agreement_hash: bytes | str | None = None) -> PledgeResult:
        """The holder records a security interest for ``creditor``, ranked after the active ones."""
        fn = self.interests.functions.recordPledge(right_id, types.address(creditor, "creditor"),
                                                   types.bytes32(agreement_hash, "agreement hash"))
        res = self.transact(fn, "record pledge")
        args = res.event("PledgeRecorded").args
        return PledgeResult(**res.__dict__, pledge_id=int(args["pledgeId"]), rank=int(args["rank"]))

    def consent_to_assignment(self, pledge_id: int, assignment_id: int | None = None) -> TxResult:
        """The creditor consents, for its pledge, to the right's pending assignment ``assignment_id`` (default:
        the one pending now)."""
        pid = _positive_id(pledge_id, "pledge id")
        aid = assignment_id if assignment_id is not None else self._pending_id(self._right_of_pledge(pid))
        fn = self.interests.functions.consentToAssignment(pid, _positive_id(aid, "assignment id"))
        return self.transact(fn, "consent to assignment")

    def consent_to_assignment_by_sig(self, pledge_id: int, deadline: int, signature: bytes | str, *,
                                     assignment_id: int | None = None, pledges_version: int | None = None) -> TxResult:
        """Relays a creditor's signed consent (anyone). The assignment id and pledge version default to the current
        ones: pass those the creditor signed for, or the contract refuses a stale one by name."""
        pid = _positive_id(pledge_id, "pledge id")
        sig = types.signature(signature)
        right_id = self._right_of_pledge(pid)
        aid = assignment_id if assignment_id is not None else self._pending_id(right_id)
        version = pledges_version if pledges_version is not None else self.pledges_version(right_id)
        fn = self.interests.functions.consentToAssignmentBySig(pid, _positive_id(aid, "assignment id"), int(version),
                                                               int(deadline), sig)
        return self.transact(fn, "relay creditor consent")

    def release_pledge(self, pledge_id: int) -> TxResult:
        """The creditor releases its pledge (voids every consent given to the pending assignment)."""
        fn = self.interests.functions.releasePledge(_positive_id(pledge_id, "pledge id"))
        return self.transact(fn, "release pledge")

    def release_pledge_by_court_order(self, pledge_id: int, court_order_hash: bytes | str) -> TxResult:
        """A registrar of the right's office records a release ordered by a court (the order's hash)."""
        h = types.bytes32(court_order_hash, "court order hash")
        if h == types.ZERO32:
            raise InvalidInput("a court-ordered release needs the order's hash; pass --court-order FILE or its hash")
        fn = self.interests.functions.releasePledgeByCourtOrder(_positive_id(pledge_id, "pledge id"), h)
        return self.transact(fn, "record court-ordered release")

    # ------------------------------------------------------------ signed messages

    def acceptance_message(self, right_id: int, deadline: int) -> dict[str, Any]:
        """The ``AcceptAssignment`` message for the right's pending assignment (it names the pending assignee)."""
        pending = self.pending_assignment(right_id)
        return {"rightId": right_id, "assignmentId": self._pending_id(right_id), "assignee": pending.assignee,
                "deedHash": pending.deed_hash, "deadline": int(deadline)}

    def sign_assignment_acceptance(self, right_id: int, deadline: int) -> bytes:
        """Signs the acceptance of the pending assignment with this account's key, off line; anyone relays it with
        its assignment id. Valid when this account is the assignee, or the owner key of the assignee's ERC-1271
        wallet."""
        return self.sign_typed(self.registry, "AcceptAssignment", self.acceptance_message(right_id, deadline))

    def consent_message(self, pledge_id: int, deadline: int) -> dict[str, Any]:
        """The ``ConsentToAssignment`` message for the pledge and the right's pending assignment, now."""
        pid = _positive_id(pledge_id, "pledge id")
        p = self.call(self.interests.functions.pledgeOf(pid), "pledge")
        right_id = int(p[0])
        pending = self.pending_assignment(right_id)
        return {"pledgeId": pid, "rightId": right_id, "creditor": str(p[1]), "assignmentId": self._pending_id(right_id),
                "assignee": pending.assignee, "deedHash": pending.deed_hash,
                "pledgesVersion": self.pledges_version(right_id), "deadline": int(deadline)}

    def sign_assignment_consent(self, pledge_id: int, deadline: int) -> bytes:
        """Signs the creditor's consent, for its pledge, to the right's pending assignment at the current pledge
        version. Valid when this account is the creditor, or the owner key of the creditor's ERC-1271 wallet."""
        return self.sign_typed(self.interests, "ConsentToAssignment", self.consent_message(pledge_id, deadline))

    # ------------------------------------------------------------ one-transaction assignments

    def assignment_sequence(self, right_id: int) -> int:
        """The right's assignment sequence number (what an ``AssignTitle`` message names; every assignment request
        and every one-transaction assignment takes the next one)."""
        return int(self.call(self.registry.functions.rightOf(right_id), "read right")[5])

    def title_message(self, right_id: int, assignee: str, deed_hash: bytes | str | None, deadline: int, *,
                      sequence: int | None = None) -> dict[str, Any]:
        """The ``AssignTitle`` message of assigning the right to ``assignee`` now: it names the current holder and
        the assignment sequence number (default: the current one), so it is good for one assignment only."""
        rec = self.call(self.registry.functions.rightOf(right_id), "read right")
        return {"rightId": right_id, "holder": str(rec[0]), "assignee": types.address(assignee, "assignee"),
                "deedHash": types.bytes32(deed_hash, "deed hash"),
                "sequence": int(rec[5]) if sequence is None else int(sequence), "deadline": int(deadline)}

    def sign_title_assignment(self, right_id: int, assignee: str, deed_hash: bytes | str | None, deadline: int, *,
                              sequence: int | None = None) -> bytes:
        """Signs the ``AssignTitle`` message with this account's key, off line: the assignee's acceptance for
        ``assign``, or either party's signature for ``record_assignment_by_sig``. Valid when this account is the
        party, or the owner key of the party's ERC-1271 wallet."""
        message = self.title_message(right_id, assignee, deed_hash, deadline, sequence=sequence)
        return self.sign_typed(self.registry, "AssignTitle", message)

    def assign(self, right_id: int, assignee: str, deadline: int, assignee_signature: bytes | str, *,
               deed_hash: bytes | str | None = None, sequence: int | None = None) -> TxResult:
        """The holder assigns the right in one transaction with the assignee's signed ``AssignTitle`` (offices
        without recordal; a pledged right takes the two-step path)."""
        message = self.title_message(right_id, assignee, deed_hash, deadline, sequence=sequence)
        fn = self.registry.functions.assign(right_id, message["assignee"], message["deedHash"], message["sequence"],
                                            int(deadline), types.signature(assignee_signature))
        return self.transact(fn, "assign")

    def record_assignment_by_sig(self, right_id: int, assignee: str, deadline: int, holder_signature: bytes | str,
                                 assignee_signature: bytes | str, *, deed_hash: bytes | str | None = None,
                                 sequence: int | None = None) -> TxResult:
        """A registrar of the right's office records its assignment in one transaction with both parties'
        signatures of the same ``AssignTitle`` message."""
        message = self.title_message(right_id, assignee, deed_hash, deadline, sequence=sequence)
        fn = self.registry.functions.recordAssignmentBySig(right_id, message["assignee"], message["deedHash"],
                                                           message["sequence"], int(deadline),
                                                           types.signature(holder_signature),
                                                           types.signature(assignee_signature))
        return self.transact(fn, "record assignment by signatures")

    def revoke_title_assignment(self, right_id: int, assignee: str, deed_hash: bytes | str | None, deadline: int, *,
                                sequence: int | None = None) -> TxResult:
        """Revokes this account's signed ``AssignTitle`` message (made with these values) before it is relayed."""
        message = self.title_message(right_id, assignee, deed_hash, deadline, sequence=sequence)
        return self.revoke_signature(self.typed_digest(self.registry, "AssignTitle", message), "IPRegistry")

    def revoke_signature(self, digest: bytes | str, contract: str = "IPRegistry") -> TxResult:
        """Revokes this account's signature of ``digest`` at ``contract`` (IPRegistry: acceptances;
        SecurityInterests: consents) before anyone relays it. A contract wallet revokes by making this call
        itself (its own transaction), since the revocation is the signer's."""
        if contract not in ("IPRegistry", "SecurityInterests"):
            raise InvalidInput(f"revoke at {contract!r}? signatures of assignments live at IPRegistry (acceptances) "
                               "or SecurityInterests (consents)")
        target = self.registry if contract == "IPRegistry" else self.interests
        fn = target.functions.revokeSignature(types.bytes32(digest, "signature digest"))
        return self.transact(fn, "revoke signature")

    def revoke_assignment_acceptance(self, right_id: int, deadline: int) -> TxResult:
        """Revokes this account's signed acceptance of the pending assignment made with ``deadline``."""
        message = self.acceptance_message(right_id, deadline)
        return self.revoke_signature(self.typed_digest(self.registry, "AcceptAssignment", message), "IPRegistry")

    def revoke_assignment_consent(self, pledge_id: int, deadline: int) -> TxResult:
        """Revokes this account's signed consent (for ``pledge_id``, to the pending assignment) made with
        ``deadline``."""
        message = self.consent_message(pledge_id, deadline)
        return self.revoke_signature(self.typed_digest(self.interests, "ConsentToAssignment", message),
                                     "SecurityInterests")
