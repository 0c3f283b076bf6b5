"""Reads of a right: its record and ST.27 state, chain of title, legal events, anchors, licence events; requests.

Anchors live in events only (``DocumentAnchored``, indexed by right, document hash and
anchoring account): ``anchors`` reads them with ``ipledger.rpc.get_logs``, a bounded span of
blocks per request, so no read grows with the number of anchors the way a view over a
stored list would.
"""

from __future__ import annotations

from typing import Any

from ipledger import types
from ipledger.abi import ContractCodec
from ipledger.domain import (
    IPType,
    LegalEvent,
    RequestState,
    St27State,
    Status,
    format_right_id,
    national_code_text,
)
from ipledger.errors import UsageError
from ipledger.rpc import get_logs, retry
from ipledger.sdk.base import ClientBase
from ipledger.sdk.history import anchor_of, history_of
from ipledger.sdk.results import AnchorInfo, History, RequestInfo, RightInfo


class RegisterReads(ClientBase):
    """What the register says of a right, from its views and its events."""

    # ------------------------------------------------------------ a right

    def exists(self, right_id: int) -> bool:
        return bool(self.call(self.registry.functions.exists(right_id), "exists"))

    def right(self, right_id: int) -> RightInfo:
        """The right's record, its holder and ST.27 state, and what only its events carry (application and
        registration number, content hash, filing time, metadata URI: the register stores none of them)."""
        rec = self.call(self.registry.functions.rightOf(right_id), f"read right {format_right_id(right_id)}")
        uri = self.call(self.registry.functions.tokenURI(right_id), "token URI")
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        creditors = tuple(str(self.call(self.interests.functions.pledgeOf(pid), "pledge")[1])
                          for pid in self.call(self.interests.functions.pledgesOf(right_id), "pledges")
                          ) if int(rec[6]) and "SecurityInterests" in self.contracts else ()
        state = St27State(self.call(self.registry.functions.st27StateOf(right_id), "ST.27 state"))
        events = self.right_events(right_id, {"RightFiled", "RightRegistered", "MetadataChanged"})
        filed = next((e for e in events if e.name == "RightFiled"), None)
        reg_no = next((e.args["registrationNumber"] for e in reversed(events) if e.name == "RightRegistered"), "")
        metadata = next((e.args["metadataURI"] for e in reversed(events) if e.name == "MetadataChanged"),
                        filed.args["metadataURI"] if filed else "")
        filed_at = self.block_times({filed.block})[filed.block] if filed else 0
        content = filed.args["contentHash"] if filed else b"\x00" * 32
        return RightInfo(
            right_id=right_id, office=bytes(rec[1]).decode(), ip_type=IPType(rec[2]),
            application_number=filed.args["applicationNumber"] if filed else "", status=Status(rec[3]),
            holder=str(rec[0]), filed_at=filed_at, filing_date=int(rec[4]), registration_date=int(rec[7]),
            expiry_date=int(rec[8]), content_hash=content if isinstance(content, str) else "0x" + bytes(content).hex(),
            metadata_uri=metadata, registration_number=reg_no,
            pending_assignee=pending[0] if int(pending[1]) else None,
            pledge_creditor=creditors[0] if creditors else None, creditors=creditors,
            st27_state=state, assignment_sequence=int(rec[5]), pledge_count=int(rec[6]), token_uri=uri,
        )

    def st27_state(self, right_id: int) -> St27State:
        """The right's WIPO ST.27 state (pending, in force, not in force; unknown if never filed)."""
        return St27State(self.call(self.registry.functions.st27StateOf(right_id), "ST.27 state"))

    def history(self, right_id: int) -> History:
        """Chain of title, legal events (ST.27 codes), anchors and licences of a right, oldest first."""
        events = self.right_events(right_id)
        if not any(e.name == "RightFiled" for e in events):
            if not self.exists(right_id):
                raise UsageError(f"no right {format_right_id(right_id)} on this register; check the id or office/type/number")
        licenses = tuple(self.license_events(right_id)) if "LicenseRegistry" in self.contracts else ()
        times = self.block_times({e.block for e in events} | {e.block for e in licenses})
        return history_of(right_id, events, licenses, times)

    # ------------------------------------------------------------ anchors (events only)

    def anchors(self, right_id: int | None = None, *, document_hash: bytes | str | None = None,
                anchored_by: str | None = None, from_block: int | None = None, to_block: int | None = None,
                span: int | None = None) -> list[AnchorInfo]:
        """Documents anchored against ``right_id`` (or anywhere, by ``document_hash``), oldest first.

        Read from ``DocumentAnchored`` events in spans of ``span`` blocks (default: the network's
        ``max_log_span``; halved when a node
        refuses): pass ``from_block``/``to_block`` to page through a long register. Each anchor
        says whether the holder, the office or a third party made it.
        """
        if right_id is None and document_hash is None and anchored_by is None:
            raise UsageError("name a right, a document hash or an anchoring account to read anchors of")
        codec = ContractCodec(self.registry.abi)
        topics: list[Any] = [codec.event_topic("DocumentAnchored"),
                             None if right_id is None else int(right_id).to_bytes(32, "big"),
                             None if document_hash is None else types.bytes32(document_hash, "document hash"),
                             None if anchored_by is None else bytes(12) + bytes.fromhex(
                                 types.address(anchored_by, "anchoring account")[2:])]
        while topics and topics[-1] is None:
            topics.pop()
        first = self.deployment.first_block if from_block is None else int(from_block)
        last = int(retry(lambda: self.w3.eth.block_number, "reading the block number")) if to_block is None \
            else int(to_block)
        logs = get_logs(self.w3, self.registry.address, topics, first, last,
                        span=span or self.chain.settings.max_log_span)
        times = self.block_times({lg.block for lg in logs})
        out = []
        for lg in logs:
            decoded = codec.decode_log(lg.topics, lg.data)
            if decoded is not None:
                out.append(anchor_of(decoded.args, lg.block, times[lg.block]))
        return out

    # ------------------------------------------------------------ requests and codes

    def request(self, request_id: int) -> RequestInfo:
        """An application request; ``right_id`` is the right accorded from it (0 while none)."""
        q = self.call(self.registry.functions.requestOf(int(request_id)), f"read request {request_id}")
        state = RequestState(q[3])
        if state is RequestState.NONE:
            raise UsageError(f"no application request {request_id} on this register; request ids count from 1")
        right_id = 0
        if state is RequestState.ACCORDED:
            codec = ContractCodec(self.registry.abi)
            latest = int(retry(lambda: self.w3.eth.block_number, "reading the block number"))
            logs = get_logs(self.w3, self.registry.address,
                            [codec.event_topic("ApplicationAccorded"), int(request_id).to_bytes(32, "big")],
                            self.deployment.first_block, latest, span=self.chain.settings.max_log_span)
            for lg in logs:
                decoded = codec.decode_log(lg.topics, lg.data)
                if decoded is not None:
                    right_id = int(decoded.args["rightId"])
        return RequestInfo(request_id=int(request_id), applicant=q[0], office=bytes(q[1]).decode(), ip_type=IPType(q[2]),
                           state=state, requested_at=int(q[4]), content_hash="0x" + bytes(q[5]).hex(),
                           right_id=right_id)

    def key_event_code(self, kind: str | int | LegalEvent) -> str:
        """The WIPO ST.27 key event code the contract records for a legal event (e.g. F10 for registered)."""
        event = types.legal_event(kind)
        return bytes(self.call(self.registry.functions.keyEventCodeOf(int(event)), "key event code")).decode()

    def national_code(self, office: str, kind: str | int | LegalEvent) -> str:
        """The office's own code for a legal event (by default the ST.27 key event code)."""
        event = types.legal_event(kind)
        raw = self.call(self.registry.functions.nationalCodeOf(types.office_bytes(office), int(event)), "national code")
        return national_code_text(bytes(raw))

    def national_codes(self, office: str) -> dict[LegalEvent, str]:
        """Every legal event's national code at ``office`` (one call per event: 19)."""
        return {kind: self.national_code(office, kind) for kind in LegalEvent}
