"""What the importer sends: calldata from the registry ABI (equal to web3's own encoding), the gas model's
limits, and locally signed transactions (equal to eth-account's bytes)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from eth_utils import keccak, to_checksum_address

from bulk_helpers import DAY, T0, filing_of, make_records, office_registrar, sha
from conftest import World
from ipledger.bulk import RegistryCalls, StatusEvent, gas
from ipledger.domain import Status, right_id
from ipledger.tx import FastSigner
from ipledger.types import ZERO32


def _web3(fn: Any) -> bytes:
    return bytes.fromhex(fn._encode_transaction_data()[2:])


def test_eth_keys_backend_is_coincurve() -> None:
    from eth_keys import KeyAPI
    from eth_keys.backends import CoinCurveECCBackend

    assert isinstance(KeyAPI().backend, CoinCurveECCBackend)


@pytest.mark.parametrize("dynamic", [True, False], ids=["eip1559", "legacy"])
def test_fast_signer_makes_the_same_bytes_as_eth_account(dynamic: bool) -> None:
    from eth_account import Account

    acct = Account.from_key(keccak(text="bulk signer"))
    signer = FastSigner(acct, 31337)
    to = bytes.fromhex("5FbDB2315678afecb367f032d93F642f64180aa3")
    fees: dict[str, Any] = ({"maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9, "type": 2} if dynamic
                            else {"gasPrice": 2 * 10**9})
    for nonce, data in ((0, b""), (7, b"\x12\x00" * 300), (1234, keccak(b"x") * 9)):
        tx = {"to": to_checksum_address(to), "data": data, "gas": 123_456, "nonce": nonce, "chainId": 31337, "value": 0, **fees}
        expected = acct.sign_transaction(tx)
        raw, tx_hash = signer.sign(nonce=nonce, to=to, data=data, gas=123_456,
                                   max_fee=fees.get("maxFeePerGas"), tip=fees.get("maxPriorityFeePerGas"),
                                   gas_price=fees.get("gasPrice"))
        assert raw == bytes(expected.raw_transaction)
        assert tx_hash == bytes(expected.hash)


def test_calldata_matches_web3s_encoding(world: World) -> None:
    ipl = world.registrar
    calls = RegistryCalls(ipl.registry.abi)
    holders = [world.alice.address, world.bob.address]
    recs = make_records(5, holders, uri=True) + [replace(make_records(1, holders)[0], application_number="A-42/7.x",
                                                         metadata_uri="ipfs://ü-Ω-" + "x" * 70)]
    fn = ipl.registry.functions
    tuples = [ipl.filing_tuple(filing_of(r)) for r in recs]
    assert calls.file_batch(recs) == _web3(fn.fileBatch(tuples, True))
    assert calls.file_batch(recs[:1], False) == _web3(fn.fileBatch(tuples[:1], False))
    assert calls.file_batch([]) == _web3(fn.fileBatch([], True))
    encoded = [calls.encode_filing(r) for r in recs]
    assert calls.file_batch(recs, encoded=encoded) == calls.file_batch(recs), "pre-encoded filings give the same bytes"
    assert calls.file(recs[0]) == _web3(fn.file(tuples[0]))
    rec = recs[2]
    reg, pub = rec.events[1], rec.events[0]
    assert calls.move(rec, reg) == _web3(fn.register(rec.right_id, rec.registration_number, reg.effective_date,
                                                     reg.expiry_date, reg.document_hash))
    assert calls.move(rec, pub) == _web3(fn.changeStatus(rec.right_id, 2, pub.effective_date, ZERO32))
    renewal = StatusEvent(Status.RENEWED, 0, sha("renewal"), T0 + 9000 * DAY)
    assert calls.move(rec, renewal) == _web3(fn.renew(rec.right_id, renewal.expiry_date, sha("renewal")))
    lapse = StatusEvent(Status.LAPSED, T0 + 4000 * DAY, sha("lapse"))
    assert calls.move(rec, lapse) == _web3(fn.changeStatus(rec.right_id, int(Status.LAPSED), lapse.effective_date,
                                                           sha("lapse")))
    for r in recs:
        assert r.right_id == right_id(r.office, r.ip_type, r.application_number)


def test_calldata_refuses_an_abi_without_the_registry_calls(world: World) -> None:
    with pytest.raises(KeyError, match="fileBatch"):
        RegistryCalls(world.ipl.artifacts["PartyRegistry"].abi)


def test_gas_model_covers_what_a_batch_uses(world: World) -> None:
    """The model's limit is at least what the chain uses (else every batch would run out and be planned again)."""
    ipl = office_registrar(world)
    calls = RegistryCalls(ipl.registry.abi)
    recs = make_records(12, [world.alice.address, world.bob.address, world.carol.address], prefix="GM", uri=True,
                        moves=0)
    data = calls.file_batch(recs)
    limit = gas.batch_gas_limit(recs, data, {r.holder for r in recs})
    used = ipl.file_batch([filing_of(r) for r in recs]).gas_used
    assert used <= limit < 1.5 * used, (used, limit)
    assert gas.calldata_gas(b"\x00\x01" * 10) == 10 * 4 + 10 * 16
    assert gas.batch_cap(30_000_000, live=False) == 28_500_000 and gas.batch_cap(60_000_000, live=True) == 2**24
