"""Export: the register (or one office) as records, rebuilt from the registry's events and current state.

Events are read with ``ipledger.rpc.get_logs`` (bounded spans, halved when a node refuses)
and decoded by name and type from the registry's ABI (``ContractCodec.decode_log``). The
holder and status come from the chain state (``ipledger.bulk.reader``), so an assignment
shows its current holder, and a status the events do not explain is an error, not a guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipledger import types
from ipledger.abi import ContractCodec
from ipledger.bulk.reader import read_states
from ipledger.bulk.records import Record, StatusEvent
from ipledger.domain import IPType, Status
from ipledger.errors import IPLedgerError
from ipledger.rpc import get_logs, retry

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger

EXPORT_EVENTS = ("RightFiled", "StatusChanged", "RightRegistered", "RightRenewed", "MetadataChanged",
                 "FilingDateCorrected")


def status_event_count(ipl: IPLedger, right_id: int) -> int:
    """How many StatusChanged events the right has (its filing included)."""
    codec = ContractCodec(ipl.registry.abi)
    logs = get_logs(ipl.w3, ipl.registry.address, [codec.event_topic("StatusChanged"), right_id.to_bytes(32, "big")],
                    ipl.deployment.first_block, int(retry(lambda: ipl.w3.eth.block_number, "reading the block number")))
    return len(logs)


class _Rebuild:
    """Folds the registry's events, oldest first, into the fields of each right's record."""

    def __init__(self, office: str | None) -> None:
        self.office = office
        self.filed: dict[int, dict[str, Any]] = {}
        self.order: list[int] = []

    def apply(self, name: str, args: dict[str, Any]) -> None:
        """Folds one decoded event (``name``, its arguments by name) into the right's fields."""
        rid = int(args["rightId"])
        if name == "RightFiled":
            code = bytes(args["office"]).decode("ascii")
            if self.office and code != self.office:
                return
            self.filed[rid] = {"office": code, "ip_type": IPType(args["ipType"]),
                               "application_number": args["applicationNumber"], "filing_date": int(args["filingDate"]),
                               "content_hash": bytes(args["contentHash"]), "metadata_uri": args["metadataURI"],
                               "metadata_hash": bytes(args["metadataHash"]), "registration_number": "",
                               "registration_date": 0, "expiry_date": 0, "events": []}
            self.order.append(rid)
            return
        rec = self.filed.get(rid)
        if rec is None:
            return
        events: list[dict[str, Any]] = rec["events"]
        if name == "StatusChanged":
            status = Status(args["to"])
            if status is not Status.FILED:
                events.append({"status": status, "effective_date": int(args["effectiveDate"]),
                               "document_hash": bytes(args["documentHash"]), "expiry_date": 0})
        elif name == "RightRegistered":
            expiry = int(args["expiryDate"])
            rec["registration_number"] = args["registrationNumber"]
            rec["registration_date"], rec["expiry_date"] = int(args["registrationDate"]), expiry
            if events and events[-1]["status"] is Status.REGISTERED:
                events[-1]["expiry_date"] = expiry
        elif name == "RightRenewed":
            expiry = int(args["expiryDate"])
            rec["expiry_date"] = expiry
            if events and events[-1]["status"] is Status.RENEWED:
                events[-1]["expiry_date"] = expiry
                events[-1]["effective_date"] = 0  # recorded at the block time: not part of the record
        elif name == "MetadataChanged":
            rec["metadata_uri"], rec["metadata_hash"] = args["metadataURI"], bytes(args["metadataHash"])
        elif name == "FilingDateCorrected":  # the office's recorded correction (ST.27 category Y) is the date now
            rec["filing_date"] = int(args["newDate"])


def _mismatch(w3: Any, latest: int, record: Record, status: Status) -> IPLedgerError:
    """Why a right's events (read up to block ``latest``) and its state (read after) disagree.

    If blocks were added meanwhile, the register changed while it was read (an import or other
    transactions running): that is what happened, and a re-run once they are done will agree.
    Only on a chain that stood still do the events miss something the state has.
    """
    now = int(retry(lambda: w3.eth.block_number, "reading the block number"))
    said = (f"{types.escape(record.ref)}: its events end at {record.status.name.lower()} but the register now says "
            f"{status.name.lower()}")
    if now > latest:
        return IPLedgerError(f"{said}: the register changed while it was read (blocks {latest + 1}..{now} were added, "
                             "e.g. by an import that is running); nothing was written. Run the export again once "
                             "the other transactions are done")
    return IPLedgerError(f"{said}; the node's event index looks incomplete (try another node)")


def export_records(ipl: IPLedger, office: str | None = None, *, chunk: int | None = None) -> list[Record]:
    """Every right on the register (or one office's) as records, from events and current state.

    Chain-specific values (block numbers, transaction hashes, ``filedAt``) are left out, and
    so is a renewal's date (the register records it at the block time), so that an export,
    imported on a fresh chain and exported again, gives the same bytes. ``chunk`` is the most
    blocks one ``eth_getLogs`` request spans.
    """
    w3 = ipl.w3
    office = types.office(office) if office else None
    codec = ContractCodec(ipl.registry.abi)
    topics = [codec.event_topic(n) for n in EXPORT_EVENTS]
    latest = int(retry(lambda: w3.eth.block_number, "reading the block number"))
    logs = get_logs(w3, ipl.registry.address, [topics], ipl.deployment.first_block, latest,
                    span=chunk or ipl.chain.settings.max_log_span)
    logs.sort(key=lambda lg: (lg.block, lg.index))
    rebuild = _Rebuild(office)
    for lg in logs:
        decoded = codec.decode_log(lg.topics, lg.data)
        if decoded is not None:
            rebuild.apply(decoded.name, decoded.args)
    states = read_states(ipl, rebuild.order)
    out: list[Record] = []
    for rid in rebuild.order:
        fields = rebuild.filed[rid]
        holder, status = states[rid]
        events = tuple(StatusEvent(**e) for e in fields.pop("events"))
        record = Record(holder=types.checksum(holder), events=events, **fields)
        if record.status is not status:
            raise _mismatch(w3, latest, record, status)
        out.append(record)
    return sorted(out, key=Record.sort_key)
