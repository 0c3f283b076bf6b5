"""Imports on the embedded chain (ipledger.bulk.importer): each record filed and moved once, partial states
resumed without repeating, diverged and conflicting rights left alone and reported, refusals decoded and nothing
sent twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from eth_utils import keccak

from bulk_helpers import EXAMPLES, filing_of, make_records, office_registrar, on_chain
from conftest import World
from ipledger import bulk
from ipledger.bulk import ImportOptions
from ipledger.domain import Status
from ipledger.errors import NetworkError, UsageError


def test_import_on_embedded_files_and_moves_each_record_once(world: World) -> None:
    ipl = office_registrar(world)
    records = make_records(200, [world.alice.address, world.bob.address, world.carol.address])
    report = bulk.import_records(ipl, records, ImportOptions(batch_size=50))
    assert report.complete and report.filed == 200 and report.moves == sum(len(r.events) for r in records)
    assert report.rounds == 1 and report.stalls == 0
    assert report.transactions == 4 + report.moves, "4 batches of at most 50, then one tx per move"
    states = on_chain(ipl, records)
    assert all(states[r.right_id] == (r.holder.lower(), r.status) for r in records)
    assert bulk.dumps(bulk.export_records(ipl)) == bulk.dumps(records)

    again = bulk.import_records(ipl, records)
    assert (again.filed, again.moves, again.transactions, again.already_filed) == (0, 0, 0, 200)


def test_import_resumes_a_partial_state_without_repeating(world: World) -> None:
    ipl = office_registrar(world)
    records = make_records(30, [world.alice.address], moves=2)
    # an earlier run filed the first 20 and published 10 of them
    ipl.file_batch([filing_of(r) for r in records[:20]])
    for r in records[:10]:
        ipl.change_status(r.right_id, Status.PUBLISHED, effective_date=r.events[0].effective_date)
    report = bulk.import_records(ipl, records, ImportOptions(batch_size=8))
    assert (report.already_filed, report.filed, report.already_moved, report.moves) == (20, 10, 10, 50)
    logs = ipl.w3.eth.get_logs({"address": ipl.registry.address, "fromBlock": 0,
                                "topics": [keccak(text="RightFiled(uint256,bytes2,address,uint8,string,uint40,"
                                                       "bytes32,string,bytes32)")]})
    per_right = Counter(int.from_bytes(bytes(lg["topics"][1]), "big") for lg in logs)
    assert sorted(per_right.values()) == [1] * 30


def test_import_leaves_a_diverged_right_alone_and_reports_it(world: World) -> None:
    ipl = office_registrar(world)
    records = make_records(3, [world.alice.address], moves=2)
    ipl.file_batch([filing_of(records[1])])
    ipl.change_status(records[1].right_id, Status.REFUSED)  # the office refused it since the export
    report = bulk.import_records(ipl, records)
    assert not report.complete
    (problem,) = report.problems
    assert problem.record == 2 and "refused on chain" in problem.reason
    assert on_chain(ipl, records)[records[1].right_id][1] is Status.REFUSED
    assert on_chain(ipl, records)[records[2].right_id][1] is Status.REGISTERED


def test_import_places_a_recurring_status_by_counting_its_events(world: World) -> None:
    """lapsed → restored → lapsed: the second lapse is found by counting the right's StatusChanged events."""
    from ipledger.bulk import StatusEvent

    ipl = office_registrar(world)
    (base,) = make_records(1, [world.alice.address], prefix="L", moves=2)
    day = 86400
    events = (*base.events, StatusEvent(Status.LAPSED, base.registration_date + 400 * day),
              StatusEvent(Status.RESTORED, base.registration_date + 500 * day),
              StatusEvent(Status.LAPSED, base.registration_date + 900 * day))
    rec = replace(base, events=events)
    half = replace(base, events=events[:3])  # an earlier import got as far as the first lapse
    assert bulk.import_records(ipl, [half]).complete
    report = bulk.import_records(ipl, [rec])
    assert report.complete and (report.already_moved, report.moves) == (3, 2)
    assert bulk.status_event_count(ipl, rec.right_id) == 1 + len(events)
    assert bulk.import_records(ipl, [rec]).transactions == 0, "the second lapse is recognised as done"


def test_import_on_a_paused_register_names_the_refusal_for_every_record(world: World) -> None:
    ipl = office_registrar(world)
    records = bulk.load_records(EXAMPLES / "records.json")
    world.guardian.pause()  # the guardian pauses every register
    report = bulk.import_records(ipl, records)
    assert not report.complete and report.filed == 0 and report.rounds == 2
    assert [p.record for p in report.problems] == list(range(1, 9))
    assert all("filing refused by the register: EnforcedPause()" in p.reason for p in report.problems)
    batches_and_moves = 1 + sum(len(r.events) for r in records)
    assert report.transactions == batches_and_moves, "the second round asks the node first and sends nothing"


def test_import_by_a_non_registrar_is_refused_before_sending(world: World) -> None:
    records = make_records(3, [world.alice.address])
    records.append(replace(records[1], office="AU", application_number="AU0000001"))  # AU is not on the register
    nonce = world.stranger.w3.eth.get_transaction_count(world.stranger.address)
    with pytest.raises(bulk.ImportRefused, match="is not a registrar of EM") as exc_info:
        bulk.import_records(world.stranger, records)
    text = str(exc_info.value)  # each fault with the command that fixes it, by whom may run it
    assert f"the office's admin grants it: ipledger office registrar grant EM {world.stranger.address}" in text
    assert "office AU is not on the register; the council admits it by a vote: " \
           "ipledger council propose admit-office AU ADMIN" in text
    assert world.stranger.w3.eth.get_transaction_count(world.stranger.address) == nonce


def test_import_for_another_chain_is_refused_before_sending(world: World) -> None:
    ipl = office_registrar(world)
    records = make_records(2, [world.alice.address])
    nonce = ipl.w3.eth.get_transaction_count(ipl.address)
    bound = ipl.sender.expected_chain_id
    ipl.sender.expected_chain_id = 4_242_424  # as if the deployment record named another chain
    try:
        with pytest.raises(NetworkError, match="4242424"):
            bulk.import_records(ipl, records)
    finally:
        ipl.sender.expected_chain_id = bound
    assert ipl.w3.eth.get_transaction_count(ipl.address) == nonce


def test_import_of_nothing_is_a_usage_error(world: World) -> None:
    with pytest.raises(UsageError, match="no records"):
        bulk.import_records(world.registrar, [])


def test_journal_records_runs_transactions_and_outcome(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ipl = office_registrar(world)
    records = make_records(12, [world.alice.address], prefix="J", moves=1)
    journal = tmp_path / "import.journal"
    report = bulk.import_records(ipl, records, ImportOptions(batch_size=5, journal=journal))
    assert report.complete
    entries = bulk.Journal.read(journal)
    assert [e["event"] for e in entries][:2] == ["start", "round"] and entries[-1]["event"] == "done"
    sent = [e for e in entries if e["event"] == "sent"]
    assert len(sent) == report.transactions == 3 + 12
    mined = [e for e in entries if e["event"] == "mined"]
    assert [m["filed"] for m in mined] == [5, 5, 2] and all(m["ok"] for m in mined)
    assert bulk.Journal.earlier_runs(journal, ipl.address, ipl.chain.chain_id) == (15, max(e["nonce"] for e in sent))


# ---------------------------------------------------------------- conflicts: a right on chain with other data


CONFLICTS = {
    "holder": lambda rec, w: replace(rec, holder=w.bob.address),
    "filingDate": lambda rec, w: replace(rec, filing_date=rec.filing_date - 86400),
    "contentHash": lambda rec, w: replace(rec, content_hash=b"\x11" * 32),
}


@pytest.mark.parametrize("field", list(CONFLICTS))
def test_import_lists_a_conflicting_right_files_nothing_for_it_and_is_not_complete(world: World, field: str) -> None:
    """Issue #12: a right already on chain with other data (someone else's right under that number, or an old
    record) is a conflict: listed, nothing filed or moved for it; the rest is imported; not complete unless told."""
    ipl = office_registrar(world)
    records = make_records(4, [world.alice.address], moves=2)
    squat = CONFLICTS[field](records[1], world)
    ipl.file_batch([filing_of(squat)])
    report = bulk.import_records(ipl, records)
    assert not report.complete and report.problems == ()
    (conflict,) = report.conflicts
    assert (conflict.record, conflict.field) == (2, field)
    assert records[1].ref in conflict.reason and "nothing was filed or moved" in conflict.reason
    states = on_chain(ipl, records)
    assert states[records[1].right_id] == (squat.holder.lower(), Status.FILED), "left as it was: not published"
    assert all(states[r.right_id] == (r.holder.lower(), r.status) for r in records if r is not records[1])
    assert report.filed == 3 and report.already_filed == 0
    again = bulk.import_records(ipl, records, ImportOptions(skip_conflicts=True))
    assert again.complete and again.transactions == 0 and len(again.conflicts) == 1
    assert ("conflicts (on chain with other data; left alone)", "1") in bulk.summary_rows(again)


def test_import_conflict_on_registration_date_and_several_fields_at_once(world: World) -> None:
    ipl = office_registrar(world)
    (rec,) = make_records(1, [world.alice.address], moves=2, prefix="RG")
    assert bulk.import_records(ipl, [rec]).complete
    other = replace(rec, registration_date=rec.registration_date + 86400, holder=world.carol.address,
                    events=(rec.events[0], replace(rec.events[1], effective_date=rec.registration_date + 86400)))
    (conflict,) = bulk.import_records(ipl, [other]).conflicts
    assert conflict.field == "holder, registrationDate"
    assert world.alice.address in conflict.reason and world.carol.address in conflict.reason


def test_import_same_data_is_done_already_not_a_conflict(world: World) -> None:
    ipl = office_registrar(world)
    records = make_records(6, [world.alice.address, world.bob.address])
    ipl.file_batch([filing_of(r) for r in records[:3]])  # an earlier run, the same data
    report = bulk.import_records(ipl, records)
    assert report.complete and report.conflicts == () and report.already_filed == 3
