"""Chain state of many rights at once: the holder, status and filing data of each, before and after an import.

The importer reads every record's right before planning and after each round, so this read
must cost a few node calls, not one per right. ``contracts/periphery/RightStateReader.sol``
does it without being deployed: its creation code, with the registry address and up to
``READER_CHUNK`` right ids as constructor arguments, is sent as an ``eth_call`` without
``to``; the constructor calls ``holderAndStatus`` for each id (and ``rightOf`` for those filed)
and reverts with the custom error ``RightStates(holders, statuses, filingDates,
registrationDates)``. The content hash is not stored on chain (only in ``RightFiled``): it is read
from those events, in bounded block spans, for the rights found filed. The filing data lets the importer tell a right filed with
the record's data (done already) from one filed with other data (a conflict). Revert data is not capped the way
returned code is (EIP-170: 24,576 bytes, 384 answers); the ids travel in the creation data,
which EIP-3860 caps at 49,152 bytes, hence 1,400 ids per call (the contract's ``MAX_IDS``). The
answers are decoded with eth-abi from the error's ABI item; the calls of a read go in one
JSON-RPC batch (``ipledger.rpc.eth_calls``).

A node that cannot run the reader (it refuses creation calls, or answers with anything but
``RightStates``) is asked ``holderAndStatus`` right by right instead, in batches; that is
remembered for the connection.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from eth_abi import decode, encode

from ipledger.abi import ContractCodec, canonical_type, selector
from ipledger.domain import Status
from ipledger.errors import IPLedgerError, NetworkError
from ipledger.rpc import eth_calls, get_logs, retry

if TYPE_CHECKING:
    from web3 import Web3

    from ipledger.sdk import IPLedger

log = logging.getLogger(__name__)

READER = "RightStateReader"
READER_ERROR = "RightStates"
READER_CHUNK = 1_400  # ids per reader call: the contract's MAX_IDS (EIP-3860 caps its creation data)
CALL_BATCH = 1_000  # holderAndStatus calls per JSON-RPC batch when the reader cannot run
ZERO_ADDRESS = "0x" + "00" * 20
_NO_READER: weakref.WeakSet[Web3] = weakref.WeakSet()  # connections whose node cannot run the reader

State = tuple[str, Status]  # holder (lower-case hex; the zero address if not filed) and status (NONE if not filed)


class RightState(NamedTuple):
    """What the register holds of a right: holder (lower-case hex), status, and its filing data (zero if not filed)."""

    holder: str
    status: Status
    filing_date: int = 0
    registration_date: int = 0
    content_hash: bytes = b"\x00" * 32

    @property
    def state(self) -> State:
        """Holder and status."""
        return (self.holder, self.status)


class _Reader:
    """The reader contract's creation code, constructor types and answer error, from its compiled artifact."""

    def __init__(self, abi: list[dict[str, Any]], bytecode: str) -> None:
        self.code = bytes.fromhex(bytecode.removeprefix("0x"))
        constructor = next(i for i in abi if i.get("type") == "constructor")
        self.arg_types = [canonical_type(i) for i in constructor["inputs"]]
        error = next(i for i in abi if i.get("type") == "error" and i["name"] == READER_ERROR)
        self.selector = selector(error)
        self.answer_types = [canonical_type(i) for i in error["inputs"]]

    def calldata(self, registry: str, right_ids: Sequence[int]) -> bytes:
        """The ``eth_call`` data that reads ``right_ids``: creation code, then the constructor arguments."""
        return self.code + encode(self.arg_types, [registry, list(right_ids)])

    def answers(self, revert: bytes) -> list[RightState] | None:
        """The states in the reader's revert data; None if it reverted with anything else."""
        if revert[:4] != self.selector:
            return None
        holders, statuses, filed, registered = decode(self.answer_types, revert[4:])
        members = list(Status)
        return [RightState(h.lower(), members[s], int(f), int(r))
                for h, s, f, r in zip(holders, statuses, filed, registered)]


def _reader_of(ipl: IPLedger) -> _Reader | None:
    """The reader from the client's compiled artifacts (None if this build has none)."""
    artifacts = ipl.artifacts.artifacts
    if READER not in artifacts:
        return None
    return _Reader(artifacts[READER].abi, artifacts[READER].bytecode)


def reader_rights(ipl: IPLedger, right_ids: Sequence[int], *, chunk: int = READER_CHUNK) -> list[RightState] | None:
    """States and filing data of ``right_ids`` in order, by the deployless reader; None if the node cannot run it."""
    w3 = ipl.w3
    reader = _reader_of(ipl)
    if reader is None or w3 in _NO_READER:
        return None
    if not right_ids:
        return []
    calls = [{"from": ipl.address, "data": reader.calldata(ipl.registry.address, right_ids[start:start + chunk])}
             for start in range(0, len(right_ids), chunk)]
    try:
        results = eth_calls(w3, calls, what="reading the register")
    except NetworkError:
        raise
    except Exception as exc:  # noqa: BLE001 - any refusal: fall back to one call per right
        log.info("the deployless reader failed (%s); reading right by right", exc)
        _NO_READER.add(w3)
        return None
    out: list[RightState] = []
    for result in results:
        answers = reader.answers(result.output) if result.reverted else None
        if answers is None:
            log.info("the deployless reader did not answer (%s); reading right by right", result.output[:4].hex())
            _NO_READER.add(w3)
            return None
        out.extend(answers)
    if len(out) != len(right_ids):
        _NO_READER.add(w3)
        return None
    return out


def reader_states(ipl: IPLedger, right_ids: Sequence[int], *, chunk: int = READER_CHUNK) -> list[State] | None:
    """Holder and status of ``right_ids`` in order, by the deployless reader; None if the node cannot run it."""
    rights = reader_rights(ipl, right_ids, chunk=chunk)
    return None if rights is None else [r.state for r in rights]


def call_rights(ipl: IPLedger, right_ids: Sequence[int]) -> list[RightState]:
    """States and filing data of ``right_ids`` in order: ``holderAndStatus`` per right, then ``rightOf`` per filed
    right (JSON-RPC batches)."""
    codec = ContractCodec(ipl.registry.abi)
    states = call_states(ipl, right_ids)
    filed = [rid for rid, (_, status) in zip(right_ids, states) if status is not Status.NONE]
    calls = [{"from": ipl.address, "to": ipl.registry.address, "data": codec.encode_call("rightOf", [rid])}
             for rid in filed]
    data: dict[int, tuple[int, int]] = {}
    for rid, result in zip(filed, eth_calls(ipl.w3, calls, batch=CALL_BATCH, what="reading the register")):
        if result.reverted:
            raise IPLedgerError(f"rightOf(0x{rid:064x}) reverted although the right is filed")
        (rec,) = codec.decode_output("rightOf", result.output)
        data[rid] = (int(rec[4]), int(rec[7]))
    return [RightState(h, s, *data.get(rid, (0, 0))) for rid, (h, s) in zip(right_ids, states)]


def call_states(ipl: IPLedger, right_ids: Sequence[int]) -> list[State]:
    """States of ``right_ids`` in order, one ``holderAndStatus`` call per right (in JSON-RPC batches)."""
    codec = ContractCodec(ipl.registry.abi)
    calls = [{"from": ipl.address, "to": ipl.registry.address, "data": codec.encode_call("holderAndStatus", [rid])}
             for rid in right_ids]
    out: list[State] = []
    for rid, result in zip(right_ids, eth_calls(ipl.w3, calls, batch=CALL_BATCH, what="reading the register")):
        if result.reverted:
            raise IPLedgerError(f"holderAndStatus(0x{rid:064x}) reverted; is {ipl.registry.address} the registry?")
        holder, status = codec.decode_output("holderAndStatus", result.output)
        out.append((holder.lower(), Status(status)))
    return out


def content_hashes(ipl: IPLedger, right_ids: Sequence[int]) -> dict[int, bytes]:
    """The content hash each of ``right_ids`` was filed with, from its ``RightFiled`` event (read in bounded spans
    from the deployment's first block; rights without one are left out)."""
    wanted = set(right_ids)
    if not wanted:
        return {}
    codec = ContractCodec(ipl.registry.abi)
    latest = int(retry(lambda: ipl.w3.eth.block_number, "reading the block number"))
    out: dict[int, bytes] = {}
    for lg in get_logs(ipl.w3, ipl.registry.address, [codec.event_topic("RightFiled")],
                       ipl.deployment.first_block, latest):
        decoded = codec.decode_log(lg.topics, lg.data)
        if decoded is not None and int(decoded.args["rightId"]) in wanted:
            out[int(decoded.args["rightId"])] = bytes(decoded.args["contentHash"])
    return out


def read_rights(ipl: IPLedger, right_ids: Sequence[int], *, chunk: int = READER_CHUNK) -> dict[int, RightState]:
    """Holder, status and filing data of each right (zeros and Status.NONE when not filed); the content hash of a
    filed right comes from its ``RightFiled`` event."""
    rights = reader_rights(ipl, right_ids, chunk=chunk)
    if rights is None:
        rights = call_rights(ipl, right_ids)
    filed = [rid for rid, r in zip(right_ids, rights) if r.status is not Status.NONE]
    contents = content_hashes(ipl, filed)
    return {rid: r._replace(content_hash=contents.get(rid, r.content_hash)) for rid, r in zip(right_ids, rights)}


def read_states(ipl: IPLedger, right_ids: Sequence[int], *, chunk: int = READER_CHUNK) -> dict[int, State]:
    """Holder (lower-case hex) and status of each right (the zero address and Status.NONE when not filed)."""
    states = reader_states(ipl, right_ids, chunk=chunk)
    if states is None:
        states = call_states(ipl, right_ids)
    return dict(zip(right_ids, states))
