"""The story of one trade mark, end to end, and of the council that governs the register; the demo tells both.

The deployment seated three offices in the council (EM with recordal required, RU and US; ``ipledger.deploy``).
The EUIPO's admin (account 0) makes account 1 its registrar;
Alice (account 2) requests an application for a trade mark (its block time is her proof of
existence), the office accords it an application number and a filing date (the right is filed
for Alice), then publishes and registers it; Alice assigns
it to Bob (account 3), Bob accepts by an EIP-712 signature that the registrar relays, and the
registrar records it; Bob licenses Carol (account 4: exclusive in DE, FR and IT, software,
sublicensable), who sublicenses Dave (account 5) in DE.

Then the council (``council_story``): EM proposes to admit IP Australia (AU), EM and RU vote for (2 of 3 pass at
once), anyone executes it; the guardian pauses every register; the offices vote to unpause (3 of the 4 now).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ipledger.sdk import History, IPLedger, RequestInfo, RightInfo

OFFICE = "EM"
GOVERNOR, REGISTRAR, ALICE, BOB, CAROL, DAVE = range(6)


@dataclass(frozen=True)
class StoryResult:
    """What the story made."""

    right_id: int
    names: dict[str, str]
    gas: dict[str, int]
    license_tree: tuple[Any, ...] = field(default=())
    request_id: int = 0


@dataclass(frozen=True)
class DemoResult:
    """What the demo made."""

    network: str
    chain_id: int
    contracts: dict[str, str]
    right: RightInfo
    history: History
    names: dict[str, str]
    gas: dict[str, int]
    license_tree: tuple[Any, ...] = ()
    request: RequestInfo | None = None  # the applicant's request the office accorded
    council: tuple[dict[str, Any], ...] = ()  # the council story's proposals (id, description, state, votes)


def trade_mark_story(ipl: IPLedger, application_number: str = "018234567") -> StoryResult:
    """Tells the story on a deployed register (offices and roles are set up only where missing)."""
    governor, registrar, alice, bob, carol, dave = (ipl.as_account(i) for i in range(6))
    names = {governor.address: "governor", registrar.address: f"{OFFICE} registrar", alice.address: "Alice",
             bob.address: "Bob", carol.address: "Carol", dave.address: "Dave"}
    gas: dict[str, int] = {}
    if not governor.is_registrar(OFFICE, registrar.address):
        governor.grant_registrar(OFFICE, registrar.address)

    mark = f"ACME word mark, Nice classes 9 and 42 ({application_number})".encode()
    request = alice.request_application(OFFICE, "TM", content_hash=hashlib.sha256(mark).digest())
    gas["request application"] = request.gas_used
    accorded = registrar.accord_request(request.request_id, application_number,
                                        metadata_uri=f"https://register.example/{OFFICE}/{application_number}.json")
    rid = accorded.right_id
    gas["accord (office files)"] = accorded.gas_used
    gas["publish"] = registrar.publish(rid).gas_used
    now = int(ipl.w3.eth.get_block("latest")["timestamp"])
    gas["register"] = registrar.register(rid, application_number, registration_date=now,
                                         expiry_date=now + 10 * 365 * 86400).gas_used

    deed = hashlib.sha256(f"Deed of assignment {application_number}: Alice -> Bob".encode()).digest()
    gas["request assignment"] = alice.request_assignment(rid, bob.address, deed).gas_used
    deadline = now + 3600
    signature = bob.sign_assignment_acceptance(rid, deadline)
    gas["accept by signature (relayed)"] = registrar.accept_assignment_by_sig(rid, deadline, signature).gas_used
    gas["record assignment"] = registrar.record_assignment(rid).gas_used

    tree: tuple[Any, ...] = ()
    if "LicenseRegistry" in ipl.contracts:
        tree = _licenses(bob, carol, dave, rid, gas)
    return StoryResult(right_id=rid, names=names, gas=gas, license_tree=tree, request_id=request.request_id)


def _licenses(bob: IPLedger, carol: IPLedger, dave: IPLedger, rid: int, gas: dict[str, int]) -> tuple[Any, ...]:
    """Bob licenses Carol (exclusive in DE, FR and IT, software, sublicensable); Carol sublicenses Dave in DE."""
    from ipledger.sdk import LicenseTerms

    root = bob.offer_license(rid, carol.address, LicenseTerms(kind="exclusive", territories=("DE", "FR", "IT"),
                                                               field="software", royalty_bps=500, sublicensable=True))
    gas["license offer"] = root.gas_used
    gas["license accept"] = carol.accept_license(root.license_id).gas_used
    sub = carol.offer_license(rid, dave.address, LicenseTerms(kind="non_exclusive", territories=("DE",),
                                                               field="software", royalty_bps=200),
                              parent_id=root.license_id)
    gas["sublicense offer"] = sub.gas_used
    gas["sublicense accept"] = dave.accept_license(sub.license_id).gas_used
    coverage = bob.is_licensed(rid, dave.address, "DE", "software")
    if not coverage.licensed or coverage.license_id != sub.license_id:  # pragma: no cover - a broken register
        raise AssertionError(f"Dave's sublicense should cover DE/software, got {coverage}")
    return tuple(bob.license_tree(rid))


def council_story(ipl: IPLedger, gas: dict[str, int]) -> tuple[dict[str, Any], ...]:
    """The dev council at work: admit AU by a 2-of-3 vote, the guardian pauses, 3 of the 4 offices vote to unpause.

    Needs the dev council (EM: account 0, RU: 10, US: 11, guardian: 12) and a registry behind the authority."""
    from ipledger.sdk.council import Council

    em, ru, us, guardian = ipl.as_account(0), ipl.as_account(10), ipl.as_account(11), ipl.as_account(12)
    au_admin = ipl.chain.accounts[9].address
    done = []
    c: Council = em.council
    proposal = c.propose([c.admit_office("AU", au_admin, recordal=False)], "Admit IP Australia (AU)")
    gas["council: propose"] = proposal.gas_used
    gas["council: vote"] = em.council.vote(proposal.proposal_id, "for").gas_used
    ru.council.vote(proposal.proposal_id, "for")  # 2 of 3: passed at once
    gas["council: queue + execute"] = c.execute(proposal.proposal_id).gas_used
    done.append(proposal.proposal_id)
    gas["guardian: pause (each register)"] = guardian.pause().gas_used
    unpause = c.propose(c.unpause(), "Resume the register after the guardian's pause")
    for admin in (em, ru, us):  # four offices now: 3 of 4 pass
        admin.council.vote(unpause.proposal_id, "for")
    c.execute(unpause.proposal_id)
    done.append(unpause.proposal_id)
    out = []
    for pid in done:
        p = c.show(pid)
        out.append({"id": pid, "description": p.description, "state": p.state.name.lower(), "votes": p.votes,
                    "needed": p.needed, "actions": list(p.actions)})
    return tuple(out)


def run_demo(network: str | None = None, *, ipl: IPLedger | None = None) -> DemoResult:
    """Deploys afresh on ``network`` (not recorded), tells the story, and reads back what it made (the request,
    the right, its history)."""
    owns = ipl is None
    ipl = ipl or IPLedger.connect(network or "embedded", 0, deploy=True, persist=False)
    try:
        story = trade_mark_story(ipl)
        council: tuple[dict[str, Any], ...] = ()
        if "IPRegistry" in ipl.governed_registers():  # the registry answers to the council (issue #13)
            council = council_story(ipl, story.gas)
        return DemoResult(
            network=ipl.chain.name, chain_id=ipl.chain.chain_id,
            contracts={k: v.address for k, v in ipl.deployment.contracts.items()},
            right=ipl.right(story.right_id), history=ipl.history(story.right_id), names=story.names,
            gas=story.gas, license_tree=story.license_tree, request=ipl.request(story.request_id), council=council,
        )
    finally:
        if owns:
            ipl.close()
