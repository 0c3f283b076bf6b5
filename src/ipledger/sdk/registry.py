"""Register actions: offices and roles, filing, legal status, anchors, assignments and pledges."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ipledger import types
from ipledger.domain import IPType, Status, format_right_id
from ipledger.errors import InvalidInput
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import BatchResult, Filing, FilingResult, TxResult
from ipledger.tx.sender import translated


class RegistryActions(ClientBase):
    """The IPRegistry's actions, one method each."""

    # ------------------------------------------------------------ offices and roles

    def add_office(self, office: str, recordal_required: bool = False) -> TxResult:
        """Adds an office by ST.3 code (governor)."""
        return self.transact(self.registry.functions.addOffice(types.office_bytes(office), recordal_required),
                              f"add office {office}")

    def set_recordal_required(self, office: str, required: bool) -> TxResult:
        """Sets whether the office's assignments need recordal (governor)."""
        return self.transact(self.registry.functions.setRecordalRequired(types.office_bytes(office), required),
                              f"set recordal for {office}")

    def grant_registrar(self, office: str, account: str) -> TxResult:
        """Grants an office's registrar role (governor)."""
        return self.transact(self.registry.functions.grantRegistrar(types.office_bytes(office),
                                                                     types.address(account, "registrar")),
                              f"grant registrar of {office}")

    def pause(self) -> TxResult:
        return self.transact(self.registry.functions.pause(), "pause")

    def unpause(self) -> TxResult:
        return self.transact(self.registry.functions.unpause(), "unpause")

    def offices(self) -> list[dict[str, Any]]:
        """Every office with its recordal setting."""
        codes = self.call(self.registry.functions.offices(), "list offices")
        out = []
        for code in codes:
            _, recordal = self.call(self.registry.functions.officeInfo(code), "office info")
            out.append({"office": bytes(code).decode(), "recordal_required": bool(recordal)})
        return out

    def is_registrar(self, office: str, account: str) -> bool:
        return bool(self.call(self.registry.functions.isRegistrar(types.office_bytes(office),
                                                                   types.address(account)), "is registrar"))

    # ------------------------------------------------------------ filing and status

    def filing_tuple(self, f: Filing) -> tuple[Any, ...]:
        """The contract's ``Filing`` tuple for ``f`` (validated; the holder defaults to this account)."""
        types.application_number(f.application_number)
        holder = types.address(f.holder, "holder") if f.holder else self.address
        return (types.office_bytes(f.office), int(f.ip_type), holder, int(f.filing_date),
                types.bytes32(f.content_hash, "content hash"), types.bytes32(f.metadata_hash, "metadata hash"),
                f.application_number, f.metadata_uri)

    def file(self, office: str, ip_type: str | int | IPType, application_number: str, *, holder: str | None = None,
             content_hash: bytes | str | None = None, metadata_uri: str = "", metadata_hash: bytes | str | None = None,
             filing_date: int = 0) -> FilingResult:
        """Files a right (as the applicant, or as registrar for ``holder``)."""
        types.application_number(application_number)
        f = Filing(office=types.office(office), ip_type=types.ip_type(ip_type),
                   application_number=application_number, holder=holder,
                   content_hash=types.bytes32(content_hash, "content hash"), metadata_uri=metadata_uri,
                   metadata_hash=types.bytes32(metadata_hash, "metadata hash"), filing_date=filing_date)
        res = self.transact(self.registry.functions.file(self.filing_tuple(f)),
                             f"file {office}/{application_number}")
        return FilingResult(**res.__dict__, right_id=int(res.event("RightFiled").args["rightId"]))

    def file_batch(self, filings: Sequence[Filing], *, skip_existing: bool = True) -> BatchResult:
        """Files many rights in one transaction; existing ones are skipped unless ``skip_existing`` is False."""
        if not filings:
            raise InvalidInput("the batch is empty; give at least one filing")
        fn = self.registry.functions.fileBatch([self.filing_tuple(f) for f in filings], skip_existing)
        res = self.transact(fn, f"file a batch of {len(filings)}")
        ids = tuple(int(e.args["rightId"]) for e in res.all("RightFiled"))
        return BatchResult(**res.__dict__, right_ids=ids)

    def change_status(self, right_id: int, to: str | int | Status, *, effective_date: int = 0,
                      document_hash: bytes | str | None = None) -> TxResult:
        """Records a legal-status move (use ``register``/``renew`` for those)."""
        target = types.status(to)
        fn = self.registry.functions.changeStatus(right_id, int(target), int(effective_date),
                                                  types.bytes32(document_hash, "document hash"))
        return self.transact(fn, f"move {format_right_id(right_id)[:12]}… to {target.name.lower()}")

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
        fn = self.registry.functions.updateMetadata(right_id, uri, types.bytes32(metadata_hash, "metadata hash"))
        return self.transact(fn, "update metadata")

    def anchor(self, right_id: int, document_hash: bytes | str, tag: str = "document") -> TxResult:
        """Anchors a document hash against a right (proof of existence at the block time)."""
        fn = self.registry.functions.anchorDocument(right_id, types.bytes32(document_hash, "document hash"), types.tag32(tag))
        return self.transact(fn, "anchor document")

    # ------------------------------------------------------------ assignments

    def request_assignment(self, right_id: int, assignee: str, deed_hash: bytes | str | None = None) -> TxResult:
        fn = self.registry.functions.requestAssignment(right_id, types.address(assignee, "assignee"),
                                                       types.bytes32(deed_hash, "deed hash"))
        return self.transact(fn, "request assignment")

    def accept_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.acceptAssignment(right_id), "accept assignment")

    def accept_assignment_by_sig(self, right_id: int, deadline: int, signature: bytes | str) -> TxResult:
        sig = types.signature(signature)
        return self.transact(self.registry.functions.acceptAssignmentBySig(right_id, int(deadline), sig),
                              "relay assignment acceptance")

    def record_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.recordAssignment(right_id), "record assignment")

    def cancel_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.cancelAssignment(right_id), "cancel assignment")

    def reject_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.rejectAssignment(right_id), "reject assignment")

    def record_pledge(self, right_id: int, creditor: str, agreement_hash: bytes | str | None = None) -> TxResult:
        fn = self.registry.functions.recordPledge(right_id, types.address(creditor, "creditor"),
                                                  types.bytes32(agreement_hash, "agreement hash"))
        return self.transact(fn, "record pledge")

    def consent_to_assignment(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.consentToAssignment(right_id), "consent to assignment")

    def consent_to_assignment_by_sig(self, right_id: int, deadline: int, signature: bytes | str) -> TxResult:
        sig = types.signature(signature)
        return self.transact(self.registry.functions.consentToAssignmentBySig(right_id, int(deadline), sig),
                              "relay creditor consent")

    def release_pledge(self, right_id: int) -> TxResult:
        return self.transact(self.registry.functions.releasePledge(right_id), "release pledge")

    # ------------------------------------------------------------ signed assignment messages

    def sign_assignment_acceptance(self, right_id: int, deadline: int) -> bytes:
        """The assignee (this account) signs its acceptance of the pending assignment, off line; anyone relays it."""
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        message = {"rightId": right_id, "assignee": self.address, "deedHash": bytes(pending[4]),
                   "nonce": self.nonce_of(self.address), "deadline": int(deadline)}
        return self.sign_typed(self.registry, "AcceptAssignment", message)

    def sign_assignment_consent(self, right_id: int, deadline: int) -> bytes:
        """The creditor (this account) signs its consent to the pending assignment."""
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        message = {"rightId": right_id, "creditor": self.address, "assignee": pending[0],
                   "deedHash": bytes(pending[4]), "nonce": self.nonce_of(self.address), "deadline": int(deadline)}
        return self.sign_typed(self.registry, "ConsentToAssignment", message)
