"""Reads of a right: its record, chain of title, legal-status events, anchors, licence events."""

from __future__ import annotations

from typing import Any

from ipledger import types
from ipledger.domain import IPType, Status, format_right_id
from ipledger.errors import UsageError
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import History, RightInfo, TitleEntry


class RegisterReads(ClientBase):
    """What the register says of a right, from its views and its events."""

    # ------------------------------------------------------------ reads

    def exists(self, right_id: int) -> bool:
        return bool(self.call(self.registry.functions.exists(right_id), "exists"))

    def right(self, right_id: int) -> RightInfo:
        """The right's record, its holder, and what only its events carry (application and registration number)."""
        rec = self.call(self.registry.functions.rightOf(right_id), f"read right {format_right_id(right_id)}")
        holder, _ = self.call(self.registry.functions.holderAndStatus(right_id), "holder")
        uri = self.call(self.registry.functions.tokenURI(right_id), "token URI")
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        pledge = self.call(self.registry.functions.pledgeOf(right_id), "pledge")
        events = self.right_events(right_id, {"RightFiled", "RightRegistered"})
        app_no = next((e.args["applicationNumber"] for e in events if e.name == "RightFiled"), "")
        reg_no = next((e.args["registrationNumber"] for e in reversed(events) if e.name == "RightRegistered"), "")
        return RightInfo(
            right_id=right_id, office=bytes(rec[0]).decode(), ip_type=IPType(rec[1]), application_number=app_no,
            status=Status(rec[2]), holder=holder, filed_at=int(rec[3]), filing_date=int(rec[4]),
            registration_date=int(rec[5]), expiry_date=int(rec[6]), content_hash="0x" + bytes(rec[7]).hex(),
            metadata_uri=uri, registration_number=reg_no,
            pending_assignee=pending[0] if int(pending[1]) else None,
            pledge_creditor=pledge[0] if int(pledge[0], 16) else None,
        )

    def history(self, right_id: int) -> History:
        """Chain of title, legal-status events, anchors and licenses of a right, oldest first."""
        events = self.right_events(right_id)
        if not any(e.name == "RightFiled" for e in events):
            if not self.exists(right_id):
                raise UsageError(f"no right {format_right_id(right_id)} on this register; check the id or office/type/number")
        times = self.block_times({e.block for e in events})
        title: list[TitleEntry] = []
        for e in events:
            if e.name == "RightFiled":
                title.append(TitleEntry(holder=e.args["holder"], since_block=e.block, since_time=times[e.block],
                                        how="filing", tx_hash=e.tx_hash))
            elif e.name == "AssignmentRecorded":
                title.append(TitleEntry(holder=e.args["to"], since_block=e.block, since_time=times[e.block],
                                        how="assignment", deed_hash=e.args["deedHash"],
                                        recorded_by=e.args["recordedBy"], tx_hash=e.tx_hash))
        licenses = tuple(self.license_events(right_id)) if "LicenseRegistry" in self.contracts else ()
        return History(
            right_id=right_id, title=tuple(title),
            status_events=tuple(e for e in events if e.name == "StatusChanged"),
            anchors=tuple(e for e in events if e.name == "DocumentAnchored"),
            events=tuple(events), licenses=licenses,
        )

    def anchors(self, right_id: int) -> list[dict[str, Any]]:
        rows = self.call(self.registry.functions.anchorsOf(right_id), "anchors")
        return [{"document_hash": "0x" + bytes(r[0]).hex(), "tag": types.untag(bytes(r[1])), "anchored_by": r[2],
                 "anchored_at": int(r[3])} for r in rows]

    def event_code(self, status: Status) -> str:
        return bytes(self.call(self.registry.functions.eventCodeOf(int(status)), "event code")).decode()
