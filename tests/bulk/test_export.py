"""Export (ipledger.bulk.export): records rebuilt from the registry's events, decoded from the ABI, and the
current state; export → import on a fresh chain → export gives the same bytes."""

from __future__ import annotations

import json

import pytest

from bulk_helpers import EXAMPLES, make_records, office_registrar, sha
from conftest import REGISTRAR, World
from helpers import RU_ADMIN
from ipledger import bulk
from ipledger.config import Config
from ipledger.domain import Status
from ipledger.errors import InvalidInput
from ipledger.sdk import IPLedger


def test_export_import_export_is_byte_identical(world: World, config: Config) -> None:
    ipl = office_registrar(world)
    ours = make_records(2, [world.alice.address], prefix="A", moves=1)[1]  # EM (recordal), published, Alice
    records = bulk.load_records(EXAMPLES / "records.json") + bulk.load_records(EXAMPLES / "records.csv") + [ours]
    assert bulk.import_records(ipl, records).complete
    # life goes on after the import: an assignment, new metadata, a status move dated by the block
    world.alice.request_assignment(ours.right_id, world.dave.address, sha("deed"))
    world.dave.accept_assignment(ours.right_id)
    ipl.record_assignment(ours.right_id)
    ipl.update_metadata(ours.right_id, "ipfs://bafk-new", sha("new metadata"))
    ipl.change_status(ours.right_id, Status.OPPOSED)
    exported = bulk.dumps(bulk.export_records(ipl))
    assert exported != bulk.dumps(records)
    doc = json.loads(exported)
    moved = next(r for r in doc["records"] if r["applicationNumber"] == ours.application_number)
    assert moved["holder"] == world.dave.address and moved["metadataURI"] == "ipfs://bafk-new"
    assert moved["legalStatusEvents"][-1]["effectiveDate"].endswith("Z"), "a block-time date keeps its seconds"
    assert "filedAt" not in exported and "blockNumber" not in exported

    with IPLedger.connect("embedded", 0, config=config, deploy=True) as fresh:
        # the dev council seeded EM (its admin account 0) and RU (RU_ADMIN); each admin names the registrar
        fresh.grant_registrar("EM", fresh.chain.accounts[REGISTRAR].address)
        fresh.as_account(RU_ADMIN).grant_registrar("RU", fresh.chain.accounts[REGISTRAR].address)
        registrar = fresh.as_account(REGISTRAR)
        report = bulk.import_records(registrar, bulk.parse_records(exported, "json"))
        assert report.complete
        assert bulk.dumps(bulk.export_records(registrar)) == exported
        assert bulk.dumps(bulk.export_records(registrar, "RU")) == bulk.dumps(
            [r for r in bulk.parse_records(exported, "json") if r.office == "RU"])


def test_export_decodes_every_field_the_events_carry(world: World) -> None:
    """Each value of a record (strings of any length, hashes, dates, renewals) comes back from the event logs."""
    from dataclasses import replace

    from ipledger.bulk import StatusEvent

    ipl = office_registrar(world)
    (base,) = make_records(1, [world.bob.address], prefix="X", moves=2, uri=True)
    rec = replace(base, application_number="X-" + "9" * 30, metadata_uri="ipfs://ü-Ω/" + "q" * 300,
                  events=(*base.events, StatusEvent(Status.RENEWED, 0, sha("renewal"), base.expiry_date + 3650 * 86400)),
                  expiry_date=base.expiry_date + 3650 * 86400)
    assert bulk.import_records(ipl, [rec]).complete
    (back,) = bulk.export_records(ipl)
    assert back == rec


def test_export_in_small_spans_gives_the_same_records(world: World) -> None:
    ipl = office_registrar(world)
    records = make_records(9, [world.alice.address, world.bob.address], prefix="S")
    assert bulk.import_records(ipl, records, bulk.ImportOptions(batch_size=2)).complete
    assert bulk.dumps(bulk.export_records(ipl, chunk=3)) == bulk.dumps(bulk.export_records(ipl)) == bulk.dumps(records)


def test_export_of_an_unknown_office_is_bad_input(world: World) -> None:
    with pytest.raises(InvalidInput, match="not a WIPO ST.3 code"):
        bulk.export_records(world.registrar, "XX")
