"""The gas model of bulk work: a gas limit for each batch and move without asking the node.

The numbers are upper bounds of what the registry does (measured on anvil; benchmarks/gas.py
keeps them honest), times ``MODEL_HEADROOM`` for what the model does not count. A limit is
only a cap (unused gas is not paid), but it decides how many filings fit in a block, so it is
kept tight. A batch that runs out anyway fails alone and is planned again in the next round
with the node's estimate (plus the sender's ``GAS_MARGIN``, ``ipledger.tx.gas_limit``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ipledger.bulk.records import Record, StatusEvent
from ipledger.domain import Status

TX_BASE_GAS = 21_000
FILE_EXEC_GAS = 42_000         # one filing after the first for its holder: 1 new slot (the right's record), the
#                                holder's balance update, cold reads, 4 logs, calldata copies (the URI is not stored)
NEW_HOLDER_GAS = 22_500        # the first filing for a holder: its ERC-721 balance slot is new (and its account cold)
STRING_BYTE_GAS = 24           # copying, hashing and logging each byte of the strings
BATCH_OVERHEAD_GAS = 30_000
MOVE_EXEC_GAS = 30_000         # changeStatus: the proxy, cold reads, one slot update, the StatusChanged log
REGISTER_EXEC_GAS = 60_000     # register: the same plus dates and the RightRegistered log
REGISTRATION_BYTE_GAS = 16     # each byte of a registration number
ARRAY_HEAD_GAS = 16 * 32       # the offset word of each filing in the batch's calldata
EMPTY_BATCH_CALLDATA_GAS = 16 * 128  # selector, offsets, flag and length of an empty batch
TX_GAS_CAP = 2**24             # EIP-7825 (Osaka) per-transaction cap, honoured on live networks
BLOCK_SHARE = 0.95             # a batch fills at most this share of a block
MODEL_HEADROOM = 1.05          # what the upper bounds above may still miss


def calldata_gas(data: bytes) -> int:
    """Intrinsic calldata cost: 16 gas per non-zero byte, 4 per zero byte."""
    zeros = data.count(0)
    return 4 * zeros + 16 * (len(data) - zeros)


def filing_exec_gas(rec: Record, new_holder: bool = False) -> int:
    """What filing ``rec`` costs inside a batch (execution only); ``new_holder``: the holder's first title."""
    strings = len(rec.application_number.encode()) + len(rec.metadata_uri.encode())
    return FILE_EXEC_GAS + NEW_HOLDER_GAS * new_holder + STRING_BYTE_GAS * strings


def empty_batch_gas() -> int:
    """The gas limit of a batch before its first filing."""
    return int((TX_BASE_GAS + BATCH_OVERHEAD_GAS + EMPTY_BATCH_CALLDATA_GAS) * MODEL_HEADROOM)


def filing_gas(rec: Record, encoded: bytes, new_holder: bool) -> int:
    """What one more filing adds to a batch's gas limit, from its encoded bytes."""
    return int((filing_exec_gas(rec, new_holder) + calldata_gas(encoded) + ARRAY_HEAD_GAS) * MODEL_HEADROOM)


def batch_gas_limit(records: Sequence[Record], data: bytes, new_holders: Iterable[str] = ()) -> int:
    """A gas limit for ``fileBatch(records)`` with calldata ``data``; ``new_holders`` get their first title."""
    fresh = set(new_holders)
    body = BATCH_OVERHEAD_GAS
    for r in records:
        first = r.holder in fresh
        fresh.discard(r.holder)
        body += filing_exec_gas(r, first)
    return int((TX_BASE_GAS + calldata_gas(data) + body) * MODEL_HEADROOM)


def move_gas_limit(rec: Record, ev: StatusEvent, data: bytes) -> int:
    """A gas limit for the status move ``ev`` with calldata ``data``."""
    execution = REGISTER_EXEC_GAS + REGISTRATION_BYTE_GAS * len(rec.registration_number.encode()) \
        if ev.status is Status.REGISTERED else MOVE_EXEC_GAS
    return int((TX_BASE_GAS + calldata_gas(data) + execution) * MODEL_HEADROOM)


def batch_cap(block_gas_limit: int, live: bool) -> int:
    """The most gas one batch may ask for: a share of the block, and on live networks the per-transaction cap."""
    cap = int(block_gas_limit * BLOCK_SHARE)
    return min(cap, TX_GAS_CAP) if live else cap
