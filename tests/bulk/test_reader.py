"""The chain-state reader (ipledger.bulk.reader, contracts/periphery/RightStateReader.sol): the answers of the
never-deployed batch reader equal ``holderAndStatus`` right by right, across chunks, for rights that exist and
rights that do not; its bound is enforced; a node that cannot run it is read right by right."""

from __future__ import annotations

import pytest

from bulk_helpers import make_records, office_registrar
from conftest import World
from ipledger import bulk
from ipledger.bulk import reader
from ipledger.domain import Status, right_id
from ipledger.rpc import eth_calls


def _per_id(world: World, ids: list[int]) -> list[tuple[str, Status]]:
    fn = world.registrar.registry.functions
    return [(holder.lower(), Status(status)) for holder, status in (fn.holderAndStatus(i).call() for i in ids)]


@pytest.fixture
def filed(world: World) -> list[int]:
    """40 rights on chain (all statuses of make_records, one assigned away), then 380 ids never filed."""
    ipl = office_registrar(world)
    records = make_records(40, [world.alice.address, world.bob.address], prefix="RD")
    assert bulk.import_records(ipl, records).complete
    ids = [r.right_id for r in records]
    ids += [right_id("EM", "TM", f"never-{i}") for i in range(377)] + [0, 1, 2**256 - 1]
    return ids


def test_reader_answers_equal_holder_and_status_per_id(world: World, filed: list[int]) -> None:
    assert len(filed) > 384, "more answers than fit in EIP-170 code, the old reader's limit"
    expected = _per_id(world, filed)
    ipl = world.registrar
    assert reader.reader_states(ipl, filed) == expected
    assert reader.reader_states(ipl, filed, chunk=97) == expected, "chunk boundaries change nothing"
    assert reader.call_states(ipl, filed) == expected
    states = bulk.read_states(ipl, filed)
    assert [states[i] for i in filed] == expected
    assert states[2**256 - 1] == ("0x" + "00" * 20, Status.NONE)
    assert {s for _, s in expected[:40]} == {Status.FILED, Status.PUBLISHED, Status.REGISTERED}


def test_reader_is_one_call_per_chunk(world: World, filed: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def counting(w3, batch, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(batch))
        return eth_calls(w3, batch, **kw)

    monkeypatch.setattr(reader, "eth_calls", counting)
    reader.reader_states(world.registrar, filed, chunk=200)
    assert calls == [3], "420 ids in 3 calls of at most 200, sent together"


def test_reader_bound_is_enforced_by_the_contract(world: World, filed: list[int]) -> None:
    """More than MAX_IDS ids: the constructor reverts with TooManyIds (decoded from the ABI), and the read falls
    back to one call per right, with the same answers."""
    ipl = world.registrar
    code = reader._Reader(ipl.artifacts[reader.READER].abi, ipl.artifacts[reader.READER].bytecode)
    ids = (filed * 4)[:reader.READER_CHUNK + 1]
    (result,) = eth_calls(ipl.w3, [{"from": ipl.address, "data": code.calldata(ipl.registry.address, ids)}])
    assert result.reverted and code.answers(result.output) is None
    error = ipl.decoder.decode(result.output)
    assert error.error_name == "TooManyIds" and error.args_by_name == {"given": 1401, "max": 1400}
    try:
        assert reader.reader_states(ipl, ids, chunk=len(ids)) is None
        assert world.registrar.w3 in reader._NO_READER
        fast = reader.reader_states(ipl, filed)
        assert fast is None, "remembered for the connection"
        states = bulk.read_states(ipl, filed)  # right by right now
        reader._NO_READER.discard(ipl.w3)
        assert [states[i] for i in filed] == reader.reader_states(ipl, filed)
    finally:
        reader._NO_READER.discard(ipl.w3)


def test_reader_is_never_deployed(world: World) -> None:
    assert reader.READER in world.ipl.artifacts.artifacts, "compiled with the project"
    assert reader.READER not in world.ipl.deployment.contracts


def test_reader_filing_data_equals_right_of_per_id(world: World, filed: list[int]) -> None:
    """The filing data the importer compares records with (conflicts): rightOf's filing and registration dates for
    each filed right, zeros for the others, by the reader and right by right alike; the content hash (not stored)
    from the right's RightFiled event."""
    fn = world.registrar.registry.functions
    expected = _per_id(world, filed)
    rights = reader.reader_rights(world.registrar, filed, chunk=150)
    assert rights is not None and [r.state for r in rights] == expected
    assert reader.call_rights(world.registrar, filed) == rights
    full = reader.read_rights(world.registrar, filed)
    for rid, r in zip(filed, rights):
        if r.status is Status.NONE:
            assert (r.filing_date, r.registration_date, full[rid].content_hash) == (0, 0, b"\x00" * 32)
        else:
            rec = fn.rightOf(rid).call()
            assert (r.filing_date, r.registration_date) == (rec[4], rec[7])
            content = world.ipl.right(rid).content_hash
            assert full[rid].content_hash == bytes.fromhex(content[2:])
    assert any(r.registration_date for r in rights), "some of them are registered"
