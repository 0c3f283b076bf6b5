"""Register actions: offices, roles and national codes, filing and application requests, legal status, anchors,
assignments (pledges and signed messages: ``ipledger.sdk.interests``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ipledger import types
from ipledger.domain import IPType, LegalEvent, Status, format_right_id
from ipledger.errors import InvalidInput
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import AccordResult, BatchResult, Filing, FilingResult, RequestResult, TxResult
from ipledger.tx.sender import translated


class RegistryActions(ClientBase):
    """The IPRegistry's actions, one method each."""

    # ------------------------------------------------------------ offices and roles

    def add_office(self, office: str, recordal_required: bool = False, *, admin: str | None = None) -> TxResult:
        """Admits an office by ST.3 code with its admin account (default: this account). Restricted: the council
        (COUNCIL_ROLE) once the deployment is handed over; the deployer before that."""
        who = types.address(admin, "office admin") if admin else self.address
        return self.transact(self.registry.functions.addOffice(types.office_bytes(office), who, recordal_required),
                              f"add office {office}")

    def remove_office(self, office: str) -> TxResult:
        """Removes an office (restricted: the council); its registrars stop at once, its rights stay."""
        return self.transact(self.registry.functions.removeOffice(types.office_bytes(office)), f"remove office {office}")

    def set_office_admin(self, office: str, admin: str) -> TxResult:
        """Replaces an office's admin (restricted: the council)."""
        fn = self.registry.functions.setOfficeAdmin(types.office_bytes(office), types.address(admin, "office admin"))
        return self.transact(fn, f"set the admin of {office}")

    def set_recordal_required(self, office: str, required: bool) -> TxResult:
        """Sets whether the office's assignments need recordal (restricted: the council's timelock)."""
        return self.transact(self.registry.functions.setRecordalRequired(types.office_bytes(office), required),
                              f"set recordal for {office}")

    def grant_registrar(self, office: str, account: str) -> TxResult:
        """Grants an office's registrar role (the office's admin; at most 16 per office)."""
        return self.transact(self.registry.functions.grantRegistrar(types.office_bytes(office),
                                                                     types.address(account, "registrar")),
                              f"grant registrar of {office}")

    def revoke_registrar(self, office: str, account: str) -> TxResult:
        """Revokes an office's registrar (the office's admin; allowed while paused)."""
        return self.transact(self.registry.functions.revokeRegistrar(types.office_bytes(office),
                                                                      types.address(account, "registrar")),
                              f"revoke registrar of {office}")

    def set_base_uri(self, office: str, uri: str) -> TxResult:
        """Sets the base URI of the office's rights' metadata (the office's admin): ``tokenURI`` becomes the base
        URI and the decimal right id; "" restores the on-chain JSON document."""
        return self.transact(self.registry.functions.setBaseURI(types.office_bytes(office), types.uri(uri)),
                             f"set the base URI of {office}")

    def _registers(self) -> list[Any]:
        """The register contracts of the deployment that have their own pause (Governed)."""
        names = ("IPRegistry", "SecurityInterests", "PartyRegistry", "LicenseRegistry")
        return [self.contracts[n] for n in names if n in self.contracts
                and any(item.get("name") == "pause" for item in self.contracts[n].abi)]

    def pause(self) -> TxResult:
        """Pauses every register (the guardian): one transaction per register, the last one's result."""
        res = None
        for c in self._registers():
            res = self.transact(c.functions.pause(), "pause")
        assert res is not None
        return res

    def unpause(self) -> TxResult:
        """Lifts every register's pause (the authority's admin: the council's timelock after deployment)."""
        res = None
        for c in self._registers():
            res = self.transact(c.functions.unpause(), "unpause")
        assert res is not None
        return res

    def offices(self) -> list[dict[str, Any]]:
        """Every office with its recordal setting and admin."""
        codes = self.call(self.registry.functions.offices(), "list offices")
        out = []
        for code in codes:
            _, recordal, admin = self.call(self.registry.functions.officeInfo(code), "office info")
            out.append({"office": bytes(code).decode(), "recordal_required": bool(recordal), "admin": str(admin)})
        return out

    def office_admin(self, office: str) -> str | None:
        """The office's admin account (None if the office does not exist)."""
        exists, _, admin = self.call(self.registry.functions.officeInfo(types.office_bytes(office)), "office info")
        return str(admin) if exists else None

    def registrars_of(self, office: str) -> list[str]:
        """The office's registrars (at most 16)."""
        return [str(a) for a in self.call(self.registry.functions.registrarsOf(types.office_bytes(office)),
                                          "registrars")]

    def is_registrar(self, office: str, account: str) -> bool:
        return bool(self.call(self.registry.functions.isRegistrar(types.office_bytes(office),
                                                                   types.address(account)), "is registrar"))

    def set_national_code(self, office: str, kind: str | int | LegalEvent, code: str) -> TxResult:
        """Sets the office's own code for a legal event (the office's admin); "" restores the default, the ST.27
        key event code."""
        event = types.legal_event(kind)
        fn = self.registry.functions.setNationalCode(types.office_bytes(office), int(event), types.national_code(code))
        return self.transact(fn, f"set {office}'s code for {event.name.lower()}")

    # ------------------------------------------------------------ filing (the office accords numbers and dates)

    def filing_tuple(self, f: Filing) -> tuple[Any, ...]:
        """The contract's ``Filing`` tuple for ``f`` (validated; ``f.holder`` is required: the office files for it)."""
        types.application_number(f.application_number)
        if not f.holder:
            raise InvalidInput(f"filing {f.office}/{f.application_number} names no holder; the office files for a "
                               "holder (give holder=...)")
        return (types.office_bytes(f.office), int(f.ip_type), types.address(f.holder, "holder"), int(f.filing_date),
                types.bytes32(f.content_hash, "content hash"), types.bytes32(f.metadata_hash, "metadata hash"),
                f.application_number, types.uri(f.metadata_uri))

    def file(self, office: str, ip_type: str | int | IPType, application_number: str, *, holder: str,
             content_hash: bytes | str | None = None, metadata_uri: str = "", metadata_hash: bytes | str | None = None,
             filing_date: int = 0) -> FilingResult:
        """Files a right for ``holder`` (a registrar of ``office``: only the office accords application numbers and
        filing dates). ``filing_date`` in unix seconds, 0 = now; never in the future. Applicants use
        ``request_application``."""
        types.application_number(application_number)
        f = Filing(office=types.office(office), ip_type=types.ip_type(ip_type),
                   application_number=application_number, holder=holder,
                   content_hash=types.bytes32(content_hash, "content hash"), metadata_uri=metadata_uri,
                   metadata_hash=types.bytes32(metadata_hash, "metadata hash"), filing_date=_seconds(filing_date))
        res = self.transact(self.registry.functions.file(self.filing_tuple(f)),
                             f"file {office}/{application_number}")
        return FilingResult(**res.__dict__, right_id=int(res.event("RightFiled").args["rightId"]))

    def file_batch(self, filings: Sequence[Filing], *, skip_existing: bool = True) -> BatchResult:
        """Files many rights in one transaction (a registrar of every office in it); existing ones are skipped
        unless ``skip_existing`` is False."""
        if not filings:
            raise InvalidInput("the batch is empty; give at least one filing")
        fn = self.registry.functions.fileBatch([self.filing_tuple(f) for f in filings], skip_existing)
        res = self.transact(fn, f"file a batch of {len(filings)}")
        ids = tuple(int(e.args["rightId"]) for e in res.all("RightFiled"))
        return BatchResult(**res.__dict__, right_ids=ids)

    def request_application(self, office: str, ip_type: str | int | IPType, *, content_hash: bytes | str | None = None,
                            metadata_hash: bytes | str | None = None) -> RequestResult:
        """Asks ``office`` to accord an application number and a filing date (anyone). The request's block time is
        its proof of existence; it occupies no office number."""
        fn = self.registry.functions.requestApplication(types.office_bytes(office), int(types.ip_type(ip_type)),
                                                        types.bytes32(content_hash, "content hash"),
                                                        types.bytes32(metadata_hash, "metadata hash"))
        res = self.transact(fn, f"request an application at {office}")
        with translated(self.decoder, "reading the block time"):
            at = int(self.w3.eth.get_block(res.block)["timestamp"])
        return RequestResult(**res.__dict__, request_id=int(res.event("ApplicationRequested").args["requestId"]),
                             requested_at=at)

    def accord_request(self, request_id: int, application_number: str, *, filing_date: int = 0,
                       metadata_uri: str = "", metadata_hash: bytes | str | None = None) -> AccordResult:
        """The office accords a pending request a number and a filing date (a registrar of its office): the right is
        filed for the applicant. The date is not in the future nor before the request's day (UTC); 0 = now."""
        fn = self.registry.functions.accordRequest(_request_id(request_id), types.application_number(application_number),
                                                   _seconds(filing_date), types.uri(metadata_uri),
                                                   types.bytes32(metadata_hash, "metadata hash"))
        res = self.transact(fn, f"accord request {request_id} as {application_number}")
        return AccordResult(**res.__dict__, right_id=int(res.event("RightFiled").args["rightId"]),
                            request_id=int(request_id))

    def refuse_request(self, request_id: int, reason_hash: bytes | str | None = None) -> TxResult:
        """The office refuses a pending request (a registrar of its office); no number is accorded."""
        fn = self.registry.functions.refuseRequest(_request_id(request_id), types.bytes32(reason_hash, "reason hash"))
        return self.transact(fn, f"refuse request {request_id}")

    def withdraw_request(self, request_id: int) -> TxResult:
        """The applicant withdraws its pending request."""
        return self.transact(self.registry.functions.withdrawRequest(_request_id(request_id)),
                             f"withdraw request {request_id}")

    def correct_filing_date(self, right_id: int, filing_date: int, document_hash: bytes | str | None = None) -> TxResult:
        """The office corrects a right's filing date (a registrar of its office): a recorded ST.27 category Y event
        with the old and the new date and the decision's hash."""
        fn = self.registry.functions.correctFilingDate(right_id, _seconds(filing_date),
                                                       types.bytes32(document_hash, "document hash"))
        return self.transact(fn, f"correct the filing date of {format_right_id(right_id)[:12]}…")

    # ------------------------------------------------------------ legal status

    def change_status(self, right_id: int, to: str | int | Status, *, effective_date: int = 0,
                      document_hash: bytes | str | None = None) -> TxResult:
        """Records a legal-status move (use ``register``/``renew`` for those)."""
        target = types.status(to)
        fn = self.registry.functions.changeStatus(right_id, int(target), int(effective_date),
                                                  types.bytes32(document_hash, "document hash"))
        return self.transact(fn, f"move {format_right_id(right_id)[:12]}… to {target.name.lower()}")

    def change_status_batch(self, moves: Sequence[tuple[int, str | int | Status] | tuple[int, str | int | Status, int]],
                            *, document_hash: bytes | str | None = None) -> TxResult:
        """Records many legal-status moves in one transaction (at most ``MAX_BATCH``): each move is
        ``(right_id, to)`` or ``(right_id, to, effective_date)`` (0 = now), all with ``document_hash``."""
        if not moves:
            raise InvalidInput("the batch is empty; give at least one status move")
        doc = types.bytes32(document_hash, "document hash")
        rows = []
        for move in moves:
            right_id, to, *rest = move
            rows.append((int(right_id), int(types.status(to)), _seconds(rest[0] if rest else 0), doc))
        return self.transact(self.registry.functions.changeStatusBatch(rows), f"move {len(rows)} rights")

    def publish(self, right_id: int, **kw: Any) -> TxResult:
        return self.change_status(right_id, Status.PUBLISHED, **kw)

    def register(self, right_id: int, registration_number: str, *, registration_date: int | None = None,
                 expiry_date: int | None = None, document_hash: bytes | str | None = None,
                 term_years: int = 10) -> TxResult:
        """Registers (grants) a right: sets its registration number and dates (office registrar).

        The registration date defaults to the chain's latest block time, the expiry to ``term_years`` later.
        """
        if registration_date is None:
            with translated(self.decoder, "reading the chain time"):
                registration_date = int(self.w3.eth.get_block("latest")["timestamp"])
        reg = int(registration_date)
        exp = int(expiry_date if expiry_date is not None else reg + term_years * 365 * 86400)
        fn = self.registry.functions.register(right_id, registration_number, reg, exp,
                                              types.bytes32(document_hash, "document hash"))
        return self.transact(fn, f"register {registration_number}")

    def renew(self, right_id: int, expiry_date: int, *, document_hash: bytes | str | None = None) -> TxResult:
        fn = self.registry.functions.renew(right_id, int(expiry_date), types.bytes32(document_hash, "document hash"))
        return self.transact(fn, "renew")

    def update_metadata(self, right_id: int, uri: str, metadata_hash: bytes | str | None = None) -> TxResult:
        fn = self.registry.functions.updateMetadata(right_id, types.uri(uri),
                                                    types.bytes32(metadata_hash, "metadata hash"))
        return self.transact(fn, "update metadata")

    def anchor(self, right_id: int, document_hash: bytes | str, tag: str = "document") -> TxResult:
        """Anchors a document hash against a right (anyone: proof of existence at the block time). The event
        records whether the holder, the office or a third party anchored it; nothing is stored."""
        fn = self.registry.functions.anchorDocument(right_id, types.bytes32(document_hash, "document hash"), types.tag32(tag))
        return self.transact(fn, "anchor document")

    # ------------------------------------------------------------ assignments

    def request_assignment(self, right_id: int, assignee: str, deed_hash: bytes | str | None = None) -> TxResult:
        fn = self.registry.functions.requestAssignment(right_id, types.address(assignee, "assignee"),
                                                       types.bytes32(deed_hash, "deed hash"))
        return self.transact(fn, "request assignment")

    def accept_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.acceptAssignment(right_id), "accept assignment")

    def accept_assignment_by_sig(self, right_id: int, deadline: int, signature: bytes | str, *,
                                 assignment_id: int | None = None) -> TxResult:
        """Relays the assignee's signed acceptance (anyone). ``assignment_id`` is the request it was signed for
        (default: the pending one); the contract refuses another request's signature by name (StaleAssignment)."""
        sig = types.signature(signature)
        if assignment_id is None:
            assignment_id = int(self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")[3])
        fn = self.registry.functions.acceptAssignmentBySig(right_id, int(assignment_id), int(deadline), sig)
        return self.transact(fn, "relay assignment acceptance")

    def record_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.recordAssignment(right_id), "record assignment")

    def cancel_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.cancelAssignment(right_id), "cancel assignment")

    def reject_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.rejectAssignment(right_id), "reject assignment")


def _seconds(value: Any) -> int:
    """A date argument in unix seconds (an int; 0 = now where the contract allows it), or ``InvalidInput``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"date {value!r} is a {type(value).__name__}; give unix seconds (types.date('2024-01-01'))")
    if not 0 <= value <= types.MAX_DATE:
        raise InvalidInput(f"date {value} is out of range (0 .. {types.MAX_DATE} unix seconds)")
    return value


def _request_id(value: Any) -> int:
    """An application request id (1 .. 2**256-1), or ``InvalidInput``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= types.MAX_UINT256:
        raise InvalidInput(f"request id {value!r} is not a request number (1, 2, ...)")
    return value
