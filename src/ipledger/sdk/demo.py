"""The story of one trade mark, end to end; the demo and scripts/register_and_transfer.py tell it.

The EUIPO (EM, recordal required) is added if missing and account 1 made its registrar;
Alice (account 2) requests an application for a trade mark (its block time is her proof of
existence), the office accords it an application number and a filing date (the right is filed
for Alice), then publishes and registers it; Alice assigns
it to Bob (account 3), Bob accepts by an EIP-712 signature that the registrar relays, and the
registrar records it; Bob licenses Carol (account 4: exclusive in DE, FR and IT, software,
sublicensable), who sublicenses Dave (account 5) in DE.
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


def trade_mark_story(ipl: IPLedger, application_number: str = "018234567") -> StoryResult:
    """Tells the story on a deployed register (offices and roles are set up only where missing)."""
    governor, registrar, alice, bob, carol, dave = (ipl.as_account(i) for i in range(6))
    names = {governor.address: "governor", registrar.address: f"{OFFICE} registrar", alice.address: "Alice",
             bob.address: "Bob", carol.address: "Carol", dave.address: "Dave"}
    gas: dict[str, int] = {}
    if not any(o["office"] == OFFICE for o in governor.offices()):
        governor.add_office(OFFICE, recordal_required=True)
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


def run_demo(network: str | None = None, *, ipl: IPLedger | None = None) -> DemoResult:
    """Deploys afresh on ``network`` (not recorded), tells the story, and reads back what it made (the request,
    the right, its history)."""
    owns = ipl is None
    ipl = ipl or IPLedger.connect(network or "embedded", 0, deploy=True, persist=False)
    try:
        story = trade_mark_story(ipl)
        return DemoResult(
            network=ipl.chain.name, chain_id=ipl.chain.chain_id,
            contracts={k: v.address for k, v in ipl.deployment.contracts.items()},
            right=ipl.right(story.right_id), history=ipl.history(story.right_id), names=story.names,
            gas=story.gas, license_tree=story.license_tree, request=ipl.request(story.request_id),
        )
    finally:
        if owns:
            ipl.close()
