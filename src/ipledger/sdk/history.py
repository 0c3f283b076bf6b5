"""A right's history and record built from its events alone: pure functions, shared by the chain and the index.

``history_of`` is what ``IPLedger.history`` returns, made from the right's events (its registry and security
interest events, oldest first), its licence events and their blocks' times; ``record_of`` folds the same events
into the ``RightInfo`` that ``IPLedger.right`` reads from the contract's views — the holder, status, dates,
pending assignment, pledges and assignment sequence exactly as the register keeps them (tests/index/test_local.py
compares both on a register with assignments, pledges and licences). ``ipledger show``/``history`` read from a
fresh index with these, without web3.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ipledger import types
from ipledger.domain import (
    KEY_EVENT_CODES,
    AnchorRole,
    IPType,
    LegalEvent,
    St27State,
    Status,
    legal_event_of,
    national_code_text,
    st27_state,
)
from ipledger.sdk.results import (
    AnchorInfo,
    Event,
    History,
    LegalEventEntry,
    RightInfo,
    TitleEntry,
)

# Events that carry an ST.27 key event code, and the legal event each records (StatusChanged: by its target).
CODED: dict[str, LegalEvent] = {
    "FilingDateCorrected": LegalEvent.FILING_DATE_CORRECTED,
    "AssignmentRecorded": LegalEvent.ASSIGNMENT_RECORDED,
    "PledgeRecorded": LegalEvent.SECURITY_INTEREST_RECORDED,
    "PledgeReleased": LegalEvent.SECURITY_INTEREST_RELEASED,
    "LicenseAccepted": LegalEvent.LICENCE_RECORDED,
    "LicenseTerminated": LegalEvent.LICENCE_ENDED,
    "LicenseSurrendered": LegalEvent.LICENCE_ENDED,
}
ZERO_HASH = "0x" + "00" * 32


def event_of(row: Mapping[str, Any]) -> Event:
    """An ``Event`` from a mapping of its fields (an index row)."""
    return Event(name=row["name"], args=dict(row["args"]), contract=row["contract"], block=int(row["block"]),
                 log_index=int(row["log_index"]), tx_hash=row["tx_hash"])


def anchor_of(args: Mapping[str, Any], block: int, time: int) -> AnchorInfo:
    """An anchor from the arguments of its ``DocumentAnchored`` event (decoded by the SDK or by ``ContractCodec``)."""
    doc, tag = args["documentHash"], args["tag"]
    return AnchorInfo(right_id=int(args["rightId"]), document_hash=doc if isinstance(doc, str) else types.hex32(doc),
                      tag=types.untag(tag), anchored_by=types.checksum(args["anchoredBy"]), role=AnchorRole(args["role"]),
                      block=block, anchored_at=time)


def legal_event_entry(e: Event, time: int) -> LegalEventEntry | None:
    """The legal event an event records, with its ST.27 key event code and national code (None: not a legal one)."""
    if "keyEventCode" not in e.args:
        return None
    if e.name == "StatusChanged":
        kind = legal_event_of(Status(e.args["to"]))
        detail = f"{Status(e.args['from']).name.lower()} → {Status(e.args['to']).name.lower()}"
    else:
        code = e.args["keyEventCode"]
        kind = CODED.get(e.name) or next((k for k, c in KEY_EVENT_CODES.items() if c == code), LegalEvent.FILED)
        detail = e.name
        if "from" in e.args and "to" in e.args:  # a party change: from one holder to another
            detail = f"{e.args['from']} → {e.args['to']}"
        elif "licenseId" in e.args:
            detail = f"licence #{e.args['licenseId']} ({e.name.removeprefix('License').lower()})"
        if e.name == "FilingDateCorrected":
            detail = f"filing date {types.format_date(int(e.args['oldDate']))} → {types.format_date(int(e.args['newDate']))}"
    national = e.args.get("nationalCode", "")
    return LegalEventEntry(kind=kind, key_event_code=str(e.args["keyEventCode"]),
                           national_code=national_code_text(national) if national else "", block=e.block, time=time,
                           event=e.name, detail=detail)


def history_of(right_id: int, events: Sequence[Event], licenses: Sequence[Event], times: Mapping[int, int]) -> History:
    """The right's chain of title, legal events, anchors and licences from its events (``events``: the registry's
    and security interests', oldest first; ``times``: every block's timestamp)."""
    title: list[TitleEntry] = []
    for e in events:
        if e.name == "RightFiled":
            title.append(TitleEntry(holder=e.args["holder"], since_block=e.block, since_time=times[e.block],
                                    how="filing", tx_hash=e.tx_hash))
        elif e.name == "AssignmentRecorded":
            title.append(TitleEntry(holder=e.args["to"], since_block=e.block, since_time=times[e.block],
                                    how="assignment", deed_hash=e.args["deedHash"],
                                    recorded_by=e.args["recordedBy"], tx_hash=e.tx_hash))
    coded = sorted(list(events) + list(licenses), key=lambda e: (e.block, e.log_index))
    return History(
        right_id=right_id, title=tuple(title),
        status_events=tuple(e for e in events if e.name == "StatusChanged"),
        anchors=tuple(anchor_of(e.args, e.block, times[e.block]) for e in events if e.name == "DocumentAnchored"),
        events=tuple(events), licenses=tuple(licenses),
        legal_events=tuple(x for x in (legal_event_entry(e, times[e.block]) for e in coded) if x is not None),
    )


def _renders(office: str, right_id: int, base_uris: Iterable[Event]) -> str:
    """The token URI as ``TitleMetadataRenderer`` gives it when the office has a base URI ("" when it has none:
    the document is then rendered on chain, from the record)."""
    base = next((e.args["uri"] for e in reversed(list(base_uris)) if e.args.get("office") == office), "")
    return f"{base}{right_id}" if base else ""


def record_of(right_id: int, events: Sequence[Event], times: Mapping[int, int],
              base_uris: Iterable[Event] = ()) -> RightInfo | None:
    """The right's record folded from its events (oldest first), as the register's views give it; None if the
    events hold no filing. ``token_uri`` is "" when the office has no base URI (the on-chain document)."""
    filed = next((e for e in events if e.name == "RightFiled"), None)
    if filed is None:
        return None
    a = filed.args
    status, holder, filing_date = Status.FILED, a["holder"], int(a["filingDate"])
    registration = ("", 0, 0)
    metadata = a.get("metadataURI", "")
    pending: str | None = None
    sequence = 0
    pledges: dict[int, str] = {}  # active pledge id → creditor, in rank order (recording order; gaps close)
    for e in events:
        x = e.args
        if e.name == "StatusChanged":
            status = Status(int(x["to"]))
        elif e.name == "RightRegistered":
            registration = (x["registrationNumber"], int(x["registrationDate"]), int(x["expiryDate"]))
        elif e.name == "RightRenewed":
            registration = (registration[0], registration[1], int(x["expiryDate"]))
        elif e.name == "FilingDateCorrected":
            filing_date = int(x["newDate"])
        elif e.name == "MetadataChanged":
            metadata = x["metadataURI"]
        elif e.name == "AssignmentRequested":
            pending, sequence = x["assignee"], int(x["assignmentId"])
        elif e.name in ("AssignmentCancelled", "AssignmentRejected"):
            pending = None
        elif e.name == "AssignmentRecorded":
            holder = x["to"]
            if pending is None:  # one transaction (no request before it) takes the next number itself
                sequence += 1
            pending = None
        elif e.name == "PledgeRecorded":
            pledges[int(x["pledgeId"])] = x["creditor"]
        elif e.name == "PledgeReleased":
            pledges.pop(int(x["pledgeId"]), None)
    creditors = tuple(pledges.values())
    content = a.get("contentHash") or ZERO_HASH
    return RightInfo(
        right_id=right_id, office=a["office"], ip_type=IPType(int(a["ipType"])), application_number=a["applicationNumber"],
        status=status, holder=holder, filed_at=times[filed.block], filing_date=filing_date,
        registration_date=registration[1], expiry_date=registration[2], content_hash=content, metadata_uri=metadata,
        registration_number=registration[0], pending_assignee=pending,
        pledge_creditor=creditors[0] if creditors else None, creditors=creditors,
        st27_state=St27State(st27_state(status)), assignment_sequence=sequence, pledge_count=len(creditors),
        token_uri=_renders(a["office"], right_id, base_uris),
    )
