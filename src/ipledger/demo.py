"""The demo: a trade mark's life on a fresh chain, end to end.

Compile, start the chain, deploy, add the EUIPO (recordal required), file a trade mark for
Alice, publish and register it, assign it to Bob (Bob accepts by an EIP-712 signature that
the registrar relays, the registrar records it), license it, and read back the right, its
chain of title and its legal-status history.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from .client import History, IPLedger, RightInfo


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


def run_demo(network: str | None = None, *, ipl: IPLedger | None = None) -> DemoResult:
    """Runs the demo on ``network`` (a fresh deployment) and returns what it made."""
    owns = ipl is None
    ipl = ipl or IPLedger.connect(network or "embedded", 0, deploy=True)
    try:
        governor, registrar, alice, bob, carol, dave = (ipl.as_account(i) for i in range(6))
        names = {governor.address: "governor", registrar.address: "EM registrar", alice.address: "Alice",
                 bob.address: "Bob", carol.address: "Carol", dave.address: "Dave"}
        gas: dict[str, int] = {}
        governor.add_office("EM", recordal_required=True)
        governor.grant_registrar("EM", registrar.address)
        mark = b"ACME - word mark, Nice classes 9 and 42"
        filed = alice.file("EM", "TM", "018234567", content_hash=hashlib.sha256(mark).digest(),
                           metadata_uri="https://register.example/EM/018234567.json")
        rid = filed.right_id
        gas["file"] = filed.gas_used
        gas["publish"] = registrar.publish(rid).gas_used
        now = int(time.time())
        gas["register"] = registrar.register(rid, "018234567", registration_date=now,
                                             expiry_date=now + 10 * 365 * 86400).gas_used
        deed = hashlib.sha256(b"Deed of assignment ACME Alice -> Bob").digest()
        gas["request assignment"] = alice.request_assignment(rid, bob.address, deed).gas_used
        deadline = now + 3600
        signature = bob.sign_assignment_acceptance(rid, deadline)
        gas["accept by signature (relayed)"] = registrar.accept_assignment_by_sig(rid, deadline, signature).gas_used
        gas["record assignment"] = registrar.record_assignment(rid).gas_used
        tree: tuple[Any, ...] = ()
        if "LicenseRegistry" in ipl.contracts:
            tree = _license_demo(bob, carol, dave, rid, gas)
        return DemoResult(
            network=ipl.chain.name, chain_id=ipl.chain.chain_id,
            contracts={k: v.address for k, v in ipl.deployment.contracts.items()},
            right=ipl.right(rid), history=ipl.history(rid), names=names, gas=gas, license_tree=tree,
        )
    finally:
        if owns:
            ipl.close()


def _license_demo(bob: IPLedger, carol: IPLedger, dave: IPLedger, rid: int, gas: dict[str, int]) -> tuple[Any, ...]:
    """Bob licenses Carol (exclusive in DE, FR and IT, software, sublicensable); Carol sublicenses Dave in DE."""
    from .licensing import LicenseTerms

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
