"""Following a deployment into the index: complete, resumable, bounded, and undone on a reorganisation.

The embedded chain gives the complete-and-resumable checks; anvil (snapshots and reverts) the reorganisation,
and the range-limiting proxy in front of anvil the bounded reads on a chain much longer than the limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import World, make_world
from helpers.postgres import index_db, pg_server  # noqa: F401 - fixtures
from helpers.rangeproxy import RangeLimitedProxy
from ipledger import rpc
from ipledger.chain import http_web3
from ipledger.config import Config
from ipledger.domain import right_id
from ipledger.index import Decoder, Store, sync
from ipledger.index import schema
from ipledger.sdk import IPLedger


def decoder_of(ipl: IPLedger) -> Decoder:
    return Decoder({name: (c.address, c.abi) for name, c in ipl.contracts.items()})


def chain_rows(ipl: IPLedger, decoder: Decoder) -> list[tuple[int, int, str]]:
    """(block, log index, event) of every log of the deployment, read straight from the chain."""
    logs = rpc.get_logs(ipl.w3, decoder.addresses, [], ipl.deployment.first_block, ipl.w3.eth.block_number)
    return [(r["block"], r["log_index"], r["name"]) for r in (decoder.row(lg) for lg in logs) if r is not None]


def index_rows(store: Store) -> list[tuple[int, int, str]]:
    e = schema.events
    with store.engine.connect() as conn:
        return [(r.block, r.log_index, r.name) for r in conn.execute(e.select().order_by(e.c.block, e.c.log_index))]


def assert_rights_match_chain(ipl: IPLedger, store: Store, numbers: list[str]) -> None:
    """The index's record of each right (holder, status, number) is what the chain says now, and it holds no
    other right."""
    from ipledger.domain import right_id

    r = schema.rights
    with store.engine.connect() as conn:
        rows = {row.right_id: row for row in conn.execute(r.select())}
    assert sorted(row.number for row in rows.values()) == sorted(numbers)
    for number in numbers:
        rid = right_id("EM", "TM", number)
        holder, status = ipl.registry.functions.holderAndStatus(rid).call()
        row = rows[f"0x{rid:064x}"]
        assert (row.holder, row.status, row.office) == (holder, status, "EM")


def file_some(world: World, first: int, n: int) -> None:
    for i in range(first, first + n):
        world.file(f"IX{i:05d}")


def test_sync_indexes_every_event_once_and_resumes_where_it_stopped(world: World, index_db: str) -> None:
    ipl = world.ipl
    file_some(world, 0, 6)
    decoder = decoder_of(ipl)
    store = Store(index_db)
    try:
        first = ipl.deployment.first_block
        part = sync(ipl.w3, store, decoder, first, span=3, until=first + 10)
        assert part.to_block == first + 10 and part.spans == 4
        rest = sync(ipl.w3, store, decoder, first, span=3)
        assert rest.from_block == first + 11 and rest.to_block == ipl.w3.eth.block_number
        assert index_rows(store) == chain_rows(ipl, decoder)
        again = sync(ipl.w3, store, decoder, first, span=3)
        assert again.events == 0 and again.spans == 0
        file_some(world, 100, 2)
        more = sync(ipl.w3, store, decoder, first, span=3)
        assert more.events > 0 and index_rows(store) == chain_rows(ipl, decoder)
        world.registrar.publish(right_id("EM", "TM", "IX00001"))
        world.alice.anchor(right_id("EM", "TM", "IX00002"), document_hash="0x" + "cd" * 32, tag="deed")
        sync(ipl.w3, store, decoder, first, span=3)
        assert_rights_match_chain(ipl, store, [f"IX{i:05d}" for i in [*range(6), 100, 101]])
        with store.engine.connect() as conn:
            found = conn.execute(schema.hashes.select().where(schema.hashes.c.hash == "0x" + "cd" * 32)).fetchall()
        assert [(h.name, h.field) for h in found] == [("DocumentAnchored", "documentHash")]
    finally:
        store.close()


def test_confirmations_keep_the_newest_blocks_out(world: World, tmp_path: Path) -> None:
    ipl = world.ipl
    file_some(world, 0, 3)
    store = Store(tmp_path / "i.sqlite")
    try:
        head = ipl.w3.eth.block_number
        done = sync(ipl.w3, store, decoder_of(ipl), ipl.deployment.first_block, confirmations=2)
        assert done.to_block == head - 2
        assert max(b for b, _, _ in index_rows(store)) <= head - 2
    finally:
        store.close()


@pytest.fixture(scope="module")
def anvil_world(config: Config) -> Iterator[World]:
    ipl = IPLedger.connect("anvil", 0, config=config, deploy=True)
    try:
        yield make_world(ipl)
    finally:
        ipl.close()


@pytest.mark.nodes
def test_a_reorganisation_is_undone_back_to_the_fork_point(anvil_world: World, index_db: str) -> None:
    """anvil reverts to a snapshot and mines other blocks at the same heights: the index rewinds and re-reads."""
    ipl = anvil_world.ipl
    decoder = decoder_of(ipl)
    store = Store(index_db)
    outer = ipl.w3.provider.make_request("evm_snapshot", [])["result"]  # each backend's run starts alike
    try:
        file_some(anvil_world, 0, 2)
        fork = sync(ipl.w3, store, decoder, ipl.deployment.first_block).to_block
        snap = ipl.w3.provider.make_request("evm_snapshot", [])["result"]
        file_some(anvil_world, 10, 3)  # the branch the index sees first
        sync(ipl.w3, store, decoder, ipl.deployment.first_block)
        seen = index_rows(store)
        ipl.w3.provider.make_request("evm_revert", [snap])
        ipl.reset_nonces()
        file_some(anvil_world, 20, 4)  # the branch that wins, longer, at the same heights
        again = sync(ipl.w3, store, decoder, ipl.deployment.first_block)
        assert again.rewound_to == fork
        assert index_rows(store) == chain_rows(ipl, decoder) != seen
        assert_rights_match_chain(ipl, store, ["IX00000", "IX00001", "IX00020", "IX00021", "IX00022", "IX00023"])
    finally:
        store.close()
        ipl.w3.provider.make_request("evm_revert", [outer])
        ipl.reset_nonces()


@pytest.mark.nodes
def test_sync_through_an_endpoint_that_refuses_long_spans(anvil_world: World, tmp_path: Path) -> None:
    """300 empty blocks, a proxy refusing more than 100 per request, a sync asking 500: all read (a public
    endpoint's limit is 10 to 10,000 blocks; small numbers keep anvil quick, whose mining slows as it grows)."""
    ipl = anvil_world.ipl
    file_some(anvil_world, 50, 2)
    ipl.w3.provider.make_request("anvil_mine", [hex(300)])
    file_some(anvil_world, 60, 2)
    decoder = decoder_of(ipl)
    with RangeLimitedProxy(str(ipl.chain.url), 100) as proxy:
        store = Store(tmp_path / "i.sqlite")
        try:
            sync(http_web3(proxy.url, 30), store, decoder, ipl.deployment.first_block, span=500)
            assert index_rows(store) == chain_rows(ipl, decoder)
            assert proxy.refused and max(s for s in proxy.spans if s not in proxy.refused) <= 100
        finally:
            store.close()
