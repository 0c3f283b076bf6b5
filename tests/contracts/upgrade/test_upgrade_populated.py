"""A populated register upgraded through the council: every read identical before and after.

The register: 1,000 rights filed in bulk (fileBatch of 100, status moves in batches) (published and registered ones among them), application requests
(accorded, refused, pending), assignments (recorded, pending), several pledges on one right, a licence tree
(licence, sublicence, a second offer) and anchors. The snapshot (``snapshot``) reads holder and status of every
right, every one-right view of the registry for every 25th and the active ones, the requests, pledges,
licences and open licences, ``isLicensed`` answers over a grid of parties, territories and times, and the
history (the decoded events) since the import.

Then: an incompatible next version is refused by the check before anything is deployed; the upgrade called
directly by the deployer, an office admin or the guardian reverts; the upgrade passed by the council (proposal,
the offices' votes, the timelock, execution) switches the proxy to IPRegistryNext (and LicenseRegistryNext
when the build has it), the snapshot is identical, and the new field works.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from eth_utils import keccak

import helpers
from helpers import World, assert_revert
from ipledger.bulk import Record, StatusEvent
from ipledger.domain import IPType, Status
from ipledger.errors import ContractRevert
from ipledger.sdk import IPLedger, LicenseTerms, upgrades

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # minutes under load: 1,000 rights, read twice

RIGHTS = 1_000
DAY = 86_400
T0 = 1_600_000_000
UPGRADES = (("IPRegistry", "IPRegistryNext"), ("LicenseRegistry", "LicenseRegistryNext"))


def sha(text: str) -> bytes:
    return keccak(text=text)


def _ready(ipl: IPLedger) -> str | None:
    """Why this checkout cannot run the test yet (None: it can)."""
    entry = ipl.deployment.contracts.get("IPRegistry")
    if entry is None or entry.implementation is None:
        return "IPRegistry is not behind a proxy in this checkout (registry v2 not merged)"
    if "IPRegistryNext" not in ipl.artifacts.artifacts:
        return "contracts/mocks/IPRegistryNext.sol is not in this checkout"
    return None


def _has_council(ipl: IPLedger) -> bool:
    try:
        return getattr(ipl, "council", None) is not None
    except Exception:  # noqa: BLE001 - the property raises when the deployment has no council
        return False


@dataclass
class Register:
    """What the population made: the ids every read of the snapshot goes through."""

    world: World
    rights: list[int]
    active: list[int] = field(default_factory=list)  # rights with more than a filing: their history is read too
    requests: list[int] = field(default_factory=list)
    licences: list[int] = field(default_factory=list)
    licensed_right: int = 0
    history_from: int = 0  # the first block after the bulk import
    history_to: int = 0  # the last block of the population
    seconds: float = 0.0


def _filing(r: Record) -> Any:
    from ipledger.sdk import Filing

    return Filing(r.office, r.ip_type, r.application_number, holder=r.holder, content_hash=r.content_hash,
                  metadata_uri=r.metadata_uri, metadata_hash=r.metadata_hash, filing_date=r.filing_date)


def _records(holders: list[str]) -> list[Record]:
    out = []
    for i in range(RIGHTS):
        events: list[StatusEvent] = []
        reg_no, reg_date, expiry = "", 0, 0
        if i % 3 >= 1:
            events.append(StatusEvent(Status.PUBLISHED, T0 + 30 * DAY))
        if i % 3 == 2:
            reg_no, reg_date, expiry = f"R{i}", T0 + 200 * DAY, T0 + 3850 * DAY
            events.append(StatusEvent(Status.REGISTERED, reg_date, sha(f"decision {i}"), expiry))
        out.append(Record(office="EM", ip_type=IPType.TRADE_MARK, application_number=f"U{i:07d}", filing_date=T0 + i,
                          holder=holders[i % len(holders)], content_hash=sha(f"mark {i}"),
                          metadata_uri=f"ipfs://bafkupgrade{i}" if i % 2 else "",
                          metadata_hash=sha(f"meta {i}") if i % 2 else b"\0" * 32,
                          registration_number=reg_no, registration_date=reg_date, expiry_date=expiry,
                          events=tuple(events)))
    return out


def populate(w: World) -> Register:
    started = time.monotonic()
    records = _records([w.alice.address, w.bob.address, w.carol.address, w.alice.address])
    # In bulk, as an office migrates its register: fileBatch of 100, then the status moves in batches.
    # (ipledger.bulk.import_records does the same; its preflight still reads the v1 officeInfo.)
    for start in range(0, RIGHTS, 100):
        w.registrar.file_batch([_filing(r) for r in records[start:start + 100]])
    for step in (Status.PUBLISHED, Status.REGISTERED):
        moved = [r for r in records if any(e.status == step for e in r.events)]
        for start in range(0, len(moved), 100):
            if step == Status.PUBLISHED:
                w.registrar.change_status_batch([(r.right_id, step) for r in moved[start:start + 100]])
            else:
                for r in moved[start:start + 100]:
                    w.registrar.register(r.right_id, r.registration_number, registration_date=r.registration_date,
                                         expiry_date=r.expiry_date)
    reg = Register(world=w, rights=[r.right_id for r in records], history_from=w.ipl.w3.eth.block_number + 1)
    registered = [r.right_id for r in records if r.registration_number and r.holder == w.alice.address]
    # application requests: accorded, refused, pending
    for k in range(3):
        reg.requests.append(w.dave.request_application("EM", "TM", content_hash=sha(f"request {k}")).request_id)
    accorded = w.registrar.accord_request(reg.requests[0], "Q0000001")
    reg.rights.append(accorded.right_id)
    reg.active.append(accorded.right_id)
    w.registrar.refuse_request(reg.requests[1], sha("refused"))
    # assignments: a recorded one (EM requires recordal), a pending one
    a, b = registered[0], registered[1]
    w.alice.request_assignment(a, w.bob.address, sha("deed a"))
    w.bob.accept_assignment(a)
    w.registrar.record_assignment(a)
    w.alice.request_assignment(b, w.dave.address, sha("deed b"))  # pending across the upgrade
    # several pledges on one right, one released
    p = registered[2]
    w.alice.record_pledge(p, w.carol.address, sha("loan 1"))
    w.alice.record_pledge(p, w.dave.address, sha("loan 2"))
    w.alice.record_pledge(p, w.bob.address, sha("loan 3"))
    w.dave.release_pledge(w.dave.pledge_of(p, w.dave.address))
    # a licence tree on a fourth right: licence to Bob, Bob's sublicence to Carol, a second licence to Dave
    lr = registered[3]
    terms = LicenseTerms(kind="non_exclusive", territories=("EM",), sublicensable=True, royalty_bps=250,
                         terms_hash=sha("terms"))
    main = w.alice.offer_license(lr, w.bob.address, terms).license_id
    w.bob.accept_license(main)
    sub = w.bob.offer_license(lr, w.carol.address, terms, parent_id=main).license_id
    w.carol.accept_license(sub)
    other = w.alice.offer_license(lr, w.dave.address, terms).license_id  # offered, not accepted
    reg.licences = [main, sub, other]
    reg.licensed_right = lr
    # anchors on two rights
    for rid, doc in ((registered[4], "priority document"), (registered[5], "evidence")):
        w.alice.anchor(rid, sha(doc), "document")
    reg.active += [a, b, p, lr, registered[4], registered[5]]
    reg.history_to = w.ipl.w3.eth.block_number
    reg.seconds = time.monotonic() - started
    return reg


def _right_views(ipl: IPLedger, contract: str) -> list[str]:
    """The views of ``contract``'s ABI that take one right id (``uint256``): what a client asks of a right."""
    return sorted(item["name"] for item in ipl.artifacts[contract].abi
                  if item["type"] == "function" and item["stateMutability"] in ("view", "pure")
                  and [i["type"] for i in item["inputs"]] == ["uint256"])


def _ask(fn: Any) -> Any:
    try:
        return fn.call()
    except Exception as exc:  # noqa: BLE001 - a view that refuses answers the same refusal before and after
        return f"reverted: {type(exc).__name__}"


def snapshot(reg: Register) -> dict[str, Any]:
    """Every read of the register, as plain values: holder, status and office of every right, every
    one-right view of the registry's ABI (record, holder, status, ST.27 state, token URI...) for every 25th right
    and the active ones, balances, requests, pledges, pending assignments, licences, open licences, isLicensed
    over a grid, the history since the import, the offices."""
    ipl = reg.world.ipl
    registry = ipl.registry
    sample = sorted(set(reg.rights[::25] + reg.active))
    # holder, status and office of every right (ipledger.bulk's batch reader still decodes the v1 answer)
    out: dict[str, Any] = {"states": [_ask(registry.functions.holderStatusOffice(rid)) for rid in reg.rights]}
    out["views"] = {(name, rid): _ask(getattr(registry.functions, name)(rid))
                    for name in _right_views(ipl, "IPRegistry") for rid in sample}
    out["balances"] = [ipl.call(registry.functions.balanceOf(a), "balanceOf")
                       for a in (reg.world.alice.address, reg.world.bob.address, reg.world.carol.address)]
    out["requests"] = [_ask(registry.functions.requestOf(q)) for q in reg.requests]  # (ipl.request reads logs)
    out["pledges"] = [ipl.pledges(rid) for rid in reg.active]
    out["pending"] = [ipl.pending_assignment(rid) for rid in reg.active]
    out["licences"] = [ipl.license(lid) for lid in reg.licences]
    out["open"] = [ipl.open_licenses(reg.licensed_right, parent) for parent in (0, *reg.licences)]
    now = int(ipl.w3.eth.get_block(reg.history_to)["timestamp"])  # fixed times: the same questions after
    parties = [reg.world.alice, reg.world.bob, reg.world.carol, reg.world.dave, reg.world.stranger]
    out["licensed"] = [ipl.is_licensed(reg.licensed_right, p.address, territory, "", at)
                       for p in parties for territory in ("EM", "RU", "WO") for at in (now, now + 400 * DAY)]
    # History: the events since the bulk import (the requests, assignments, pledges, licences and anchors), read
    # once and decoded with the ABIs. (The SDK's per-right history reads every block from the deployment on, which
    # the embedded chain's log filter takes minutes over for 1,000 rights; the logs themselves never change.)
    addresses = [c.address for c in ipl.contracts.values()]
    logs = ipl.w3.eth.get_logs({"address": addresses, "fromBlock": reg.history_from, "toBlock": reg.history_to})
    out["history"] = [(e.contract, e.name, e.block, e.log_index, e.args) for e in ipl.decode_logs(logs)]
    out["offices"] = ipl.offices()
    return out


@pytest.fixture(scope="module")
def register(module_world: World) -> Register:
    why = _ready(module_world.ipl)
    if why:
        pytest.skip(why)
    return populate(module_world)


@pytest.fixture
def reg(register: Register) -> Iterator[Register]:
    w = register.world
    snap = w.tester.take_snapshot()
    deployment = w.ipl.deployment
    try:
        yield register
    finally:
        w.tester.revert_to_snapshot(snap)
        w.ipl.reset_nonces()
        w.ipl.deployment = deployment


def _office_admins(ipl: IPLedger) -> list[IPLedger]:
    """The office admins of the council (who propose and vote); without a council (a deployment of this checkout
    before the council is merged) the deployer, who still holds the authority's admin role."""
    if not _has_council(ipl):
        return [ipl]
    by_address = {a.address.lower(): a for a in ipl.chain.accounts}
    return [ipl.as_account(by_address[o["admin"].lower()]) for o in ipl.council.offices()
            if o["admin"].lower() in by_address]


def test_incompatible_next_version_is_refused_by_the_check(reg: Register) -> None:
    admin = _office_admins(reg.world.ipl)[0]
    with pytest.raises(upgrades.UpgradeRefused) as exc:
        upgrades.prepare(admin, "IPRegistry", artifact="IPRegistryBroken")
    assert any("IPRegistryBroken" in line and "immutable" in line for line in exc.value.details), exc.value.details


def test_upgrade_not_passed_by_the_council_reverts(reg: Register) -> None:
    ipl = reg.world.ipl
    plan = upgrades.prepare(_office_admins(ipl)[0], "IPRegistry", artifact="IPRegistryNext")
    w = reg.world
    callers = [("stranger", w.stranger), ("registrar", w.registrar), ("holder", w.alice)]
    if _has_council(ipl):  # once the council holds the admin role, nobody else may upgrade
        callers += [("deployer", ipl.as_account(ipl.deployment.deployer)), ("office admin", _office_admins(ipl)[0])]
        guardian = getattr(helpers, "GUARDIAN", None)
        if guardian is not None:
            callers.append(("guardian", ipl.as_account(guardian)))
    for who, client in callers:
        with pytest.raises(ContractRevert) as info:
            client.transact(ipl.registry.functions.upgradeToAndCall(plan.implementation, b""), f"upgrade by {who}")
        assert_revert(info, "AccessManagedUnauthorized", caller=client.address)
    assert upgrades.current_implementation(ipl, "IPRegistry") == plan.current


def test_upgrade_through_the_council_keeps_every_read(reg: Register) -> None:
    ipl = reg.world.ipl
    before = snapshot(reg)
    assert len(before["states"]) >= RIGHTS + 1 and len(before["views"]) >= RIGHTS // 25
    admins = _office_admins(ipl)
    started = time.monotonic()
    targets = [(c, n) for c, n in UPGRADES if n in ipl.artifacts.artifacts and c in upgrades.upgradeable(ipl)]
    for contract, artifact in targets:
        init = ipl.w3.eth.contract(abi=ipl.artifacts[artifact].abi)
        data = bytes.fromhex(init.encode_abi("initializeNext", [7])[2:]) if artifact == "IPRegistryNext" else b""
        plan = upgrades.prepare(admins[0], contract, artifact=artifact, data=data)
        if _has_council(ipl):
            proposal = upgrades.propose(admins[0], plan)
            _pass(ipl, admins, proposal.proposal_id)
        else:  # no council in this checkout: the deployer, the authority's admin, makes the timelock's call
            ipl.transact(ipl.contracts[contract].functions.upgradeToAndCall(plan.implementation, plan.data),
                         "upgrade")
        assert upgrades.current_implementation(ipl, contract) == plan.implementation
        upgrades.record(ipl, contract, artifact)
    upgrade_seconds = time.monotonic() - started
    after = snapshot(reg)
    for key in before:
        assert after[key] == before[key], key
    nxt = ipl.w3.eth.contract(address=ipl.registry.address, abi=ipl.artifacts["IPRegistryNext"].abi)
    assert nxt.functions.version().call() == 2 and nxt.functions.note().call() == 7  # set by the upgrade's call
    ipl.transact(nxt.functions.setNote(8), "note")
    assert nxt.functions.note().call() == 8
    # the register keeps working: the pending assignment completes, a new right is filed
    pending = reg.active[2]  # the assignment requested to Dave and still pending (active: accorded, a, b, ...)
    reg.world.dave.accept_assignment(pending)
    reg.world.registrar.record_assignment(pending)
    assert ipl.right(pending).holder.lower() == reg.world.dave.address.lower()
    how = "through the council" if _has_council(ipl) else "by the authority's admin (no council in this checkout)"
    print(f"\npopulated {len(reg.rights)} rights in {reg.seconds:.1f} s; upgraded {len(targets)} register(s) "
          f"{how} in {upgrade_seconds:.1f} s")


def _pass(ipl: IPLedger, admins: list[IPLedger], proposal_id: int) -> None:
    """Every office admin votes for (as many as it takes), then the proposal is queued and executed."""
    from ipledger.domain import governance as gov

    council = ipl.council
    while council.state(proposal_id) == gov.ProposalState.PENDING:
        reg_tester(ipl).mine_blocks(1)
    for admin in admins:
        if council.state(proposal_id) != gov.ProposalState.ACTIVE:
            break
        admin.council.vote(proposal_id, "for")
    council.execute(proposal_id)


def reg_tester(ipl: IPLedger) -> Any:
    provider: Any = ipl.w3.provider
    return provider.ethereum_tester
