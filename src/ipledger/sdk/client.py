"""The typed SDK: ``IPLedger``, one method per contract action.

    from ipledger.sdk.client import IPLedger
    with IPLedger.connect("embedded", deploy=True) as ipl:
        ipl.add_office("EM")
        r = ipl.file("EM", "TM", "018234567", content_hash=sha256_of_file)
        print(ipl.right(r.right_id))

Actions return frozen ``TxResult`` values (hash, gas used, decoded events). A revert raises
the exception named after the Solidity custom error, with its arguments as attributes
(``except revert_class("NotHolder") as e: e.caller``), the same on every backend.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from eth_utils import keccak, to_checksum_address

from ipledger import domain, types
from ipledger.build.compiler import CompileResult, compile_project
from ipledger.config import Config, load_config
from ipledger.deploy import Deployment, deploy_suite, load_record
from ipledger.domain import IPType, Status, format_right_id
from ipledger.errors import DeploymentError, UsageError
from ipledger.sdk.licensing import LicensingMixin
from ipledger.sdk.results import (
    BatchResult,
    Event,
    Filing,
    FilingResult,
    History,
    RightInfo,
    TitleEntry,
    TxResult,
)
from ipledger.abi import ErrorDecoder, canonical_type
from ipledger.tx.sender import Sender, translated

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from ipledger.chain import Chain



# ---------------------------------------------------------------- values


# ---------------------------------------------------------------- helpers


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        if len(value) in (2, 3) and all(0x20 < b < 0x7F for b in value):
            return bytes(value).decode()
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- the client


class IPLedger(LicensingMixin):
    """A connection to a deployed IP Ledger, acting as one account."""

    def __init__(self, chain: Chain, deployment: Deployment, artifacts: CompileResult, account: LocalAccount,
                 *, config: Config | None = None, owns_chain: bool = False, confirmations: int = 0) -> None:
        self.chain = chain
        self.w3 = chain.w3
        self.deployment = deployment
        self.artifacts = artifacts
        self.account = account
        self.config = config
        self._owns_chain = owns_chain
        self.decoder = ErrorDecoder()
        for art in artifacts.artifacts.values():
            self.decoder.add_abi(art.abi, art.metadata)
        self.contracts: dict[str, Any] = {
            name: self.w3.eth.contract(address=to_checksum_address(c.address), abi=artifacts[name].abi)
            for name, c in deployment.contracts.items()
        }
        self._topics: dict[bytes, tuple[str, str]] = {}
        for cname, contract in self.contracts.items():
            for item in contract.abi:
                if item.get("type") == "event":
                    sig = f"{item['name']}({','.join(canonical_type(i) for i in item['inputs'])})"
                    self._topics[keccak(text=sig)] = (cname, item["name"])
        self.sender = Sender(chain, account, decoder=self.decoder, confirmations=confirmations,
                             expected_chain_id=deployment.chain_id)
        self._senders: dict[str, Sender] = {account.address: self.sender}

    # ------------------------------------------------------------ connecting

    @classmethod
    def connect(cls, network: str | None = None, account: Any = 0, *, config: Config | None = None,
                chain: Chain | None = None, deploy: bool = False, persist: bool | None = None,
                confirmations: int | None = None) -> IPLedger:
        """Connects to ``network`` and loads (or, with ``deploy=True``, makes) the deployment.

        ``persist`` (with ``deploy``) writes the deployment record; by default only chains that
        outlive the process (RPC networks) are recorded.
        """
        from ipledger.accounts import resolve_account
        from ipledger.chain import connect as connect_chain

        config = config or load_config()
        owns = chain is None
        chain = chain or connect_chain(network, config)
        try:
            artifacts = compile_project(config)
            signer = resolve_account(chain, account)
            if deploy:
                deployment = deploy_suite(chain, signer, artifacts, config=config, persist=persist)
            else:
                if chain.backend == "embedded" or chain.process is not None:
                    raise DeploymentError(
                        f"network '{chain.name}' starts empty every time; pass deploy=True (CLI: use `ipledger demo` "
                        "or a persistent node started with `ipledger node`)"
                    )
                deployment = load_record(config, chain, artifacts)
            conf = chain.settings.confirmations if confirmations is None else confirmations
            return cls(chain, deployment, artifacts, signer, config=config, owns_chain=owns, confirmations=conf)
        except BaseException:
            if owns:
                chain.close()
            raise

    def as_account(self, account: Any) -> IPLedger:
        """The same connection acting as another account (dev index, address, or signer)."""
        from ipledger.accounts import resolve_account

        signer = resolve_account(self.chain, account)
        other = IPLedger.__new__(IPLedger)
        other.__dict__.update(self.__dict__)
        other.account = signer
        other._owns_chain = False
        sender = self._senders.get(signer.address)
        if sender is None:
            sender = Sender(self.chain, signer, decoder=self.decoder, confirmations=self.sender.confirmations,
                            expected_chain_id=self.deployment.chain_id)
            self._senders[signer.address] = sender
        other.sender = sender
        return other

    def reset_nonces(self) -> None:
        """Forgets cached nonces (after a snapshot revert, or when another tool sent from the same accounts)."""
        for sender in self._senders.values():
            sender.reset_nonce()

    def close(self) -> None:
        if self._owns_chain:
            self.chain.close()

    def __enter__(self) -> IPLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def address(self) -> str:
        return str(self.account.address)

    @property
    def registry(self) -> Any:
        return self.contracts["IPRegistry"]

    @property
    def parties(self) -> Any:
        return self.contracts["PartyRegistry"]

    # ------------------------------------------------------------ plumbing

    def transact(self, fn: Any, label: str) -> TxResult:
        """Sends a contract function as this account and waits; returns the receipt's result."""
        receipt = self.sender.send(fn, label=label)
        return self._result(receipt)

    def _result(self, receipt: Any) -> TxResult:
        return TxResult(
            tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            gas_used=int(receipt["gasUsed"]),
            block=int(receipt["blockNumber"]),
            events=tuple(self.decode_logs(receipt["logs"])),
        )

    def decode_logs(self, logs: Iterable[Any]) -> list[Event]:
        """Decodes the logs of our contracts; others are skipped."""
        out = []
        by_address = {c.address.lower(): name for name, c in self.contracts.items()}
        for log in logs:
            if not log["topics"]:
                continue
            key = self._topics.get(bytes(log["topics"][0]))
            if key is None or str(log["address"]).lower() not in by_address:
                continue
            cname = by_address[str(log["address"]).lower()]
            event_name = key[1]
            try:
                decoded = self.contracts[cname].events[event_name]().process_log(log)
            except Exception:  # noqa: BLE001 - an event of the same signature from another ABI
                continue
            out.append(Event(
                name=event_name, args=_jsonable(dict(decoded["args"])), contract=cname,
                block=int(log["blockNumber"]), log_index=int(log["logIndex"]),
                tx_hash="0x" + bytes(log["transactionHash"]).hex(),
            ))
        return out

    def call(self, fn: Any, label: str) -> Any:
        """Calls a view function as this account; a revert raises the named error."""
        with translated(self.decoder, label):
            return fn.call({"from": self.address})

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
            raise UsageError("the batch is empty; give at least one filing")
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

    # ------------------------------------------------------------ EIP-712

    def _domain(self, contract: Any) -> dict[str, Any]:
        _, name, version, chain_id, verifying, _, _ = self.call(contract.functions.eip712Domain(), "eip712Domain")
        return {"name": name, "version": version, "chainId": int(chain_id), "verifyingContract": verifying}

    def _sign(self, contract: Any, primary: str, fields: list[tuple[str, str]], message: dict[str, Any]) -> bytes:
        from eth_account import Account

        types = {primary: [{"name": n, "type": t} for n, t in fields]}
        signed = Account.sign_typed_data(self.account.key, self._domain(contract), types, message)
        return bytes(signed.signature)

    def nonce_of(self, account: str, contract: str = "IPRegistry") -> int:
        return int(self.call(self.contracts[contract].functions.nonces(types.address(account)), "nonces"))

    def sign_assignment_acceptance(self, right_id: int, deadline: int) -> bytes:
        """The assignee (this account) signs its acceptance of the pending assignment, off line; anyone relays it."""
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        message = {"rightId": right_id, "assignee": self.address, "deedHash": bytes(pending[4]),
                   "nonce": self.nonce_of(self.address), "deadline": int(deadline)}
        fields = [("rightId", "uint256"), ("assignee", "address"), ("deedHash", "bytes32"), ("nonce", "uint256"),
                  ("deadline", "uint256")]
        return self._sign(self.registry, "AcceptAssignment", fields, message)

    def sign_assignment_consent(self, right_id: int, deadline: int) -> bytes:
        """The creditor (this account) signs its consent to the pending assignment."""
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        message = {"rightId": right_id, "creditor": self.address, "assignee": pending[0],
                   "deedHash": bytes(pending[4]), "nonce": self.nonce_of(self.address), "deadline": int(deadline)}
        fields = [("rightId", "uint256"), ("creditor", "address"), ("assignee", "address"), ("deedHash", "bytes32"),
                  ("nonce", "uint256"), ("deadline", "uint256")]
        return self._sign(self.registry, "ConsentToAssignment", fields, message)

    # ------------------------------------------------------------ parties

    def publish_profile(self, identity: str | bytes, country: str, metadata_uri: str = "") -> TxResult:
        """Publishes this account's profile; ``identity`` is a name or DID (hashed) or a 32-byte hash."""
        ident = identity if isinstance(identity, bytes) and len(identity) == 32 else keccak(
            identity if isinstance(identity, bytes) else identity.encode())
        fn = self.parties.functions.publishProfile(ident, types.office_bytes(country), metadata_uri)
        return self.transact(fn, "publish profile")

    def verify_profile(self, party: str, office: str) -> TxResult:
        fn = self.parties.functions.verifyProfile(types.address(party, "party"), types.office_bytes(office))
        return self.transact(fn, "verify profile")

    def revoke_verification(self, party: str, office: str) -> TxResult:
        fn = self.parties.functions.revokeVerification(types.address(party, "party"), types.office_bytes(office))
        return self.transact(fn, "revoke verification")

    def profile(self, party: str) -> dict[str, Any]:
        ident, country, version, updated = self.call(self.parties.functions.profileOf(types.address(party)), "profile")
        return {"party": types.address(party), "identity_hash": "0x" + bytes(ident).hex(),
                "country": bytes(country).decode() if version else "", "version": int(version),
                "updated_at": int(updated)}

    def is_verified(self, party: str, office: str) -> bool:
        return bool(self.call(self.parties.functions.isVerified(types.address(party), types.office_bytes(office)),
                               "is verified"))

    # ------------------------------------------------------------ reads

    def exists(self, right_id: int) -> bool:
        return bool(self.call(self.registry.functions.exists(right_id), "exists"))

    def _right_events(self, right_id: int, names: set[str] | None = None) -> list[Event]:
        topic = "0x" + right_id.to_bytes(32, "big").hex()
        with translated(self.decoder, "reading events"):
            logs = self.w3.eth.get_logs({"address": self.registry.address, "fromBlock": self.deployment.first_block,
                                         "toBlock": "latest", "topics": [None, topic]})
        events = self.decode_logs(logs)
        if names is not None:
            events = [e for e in events if e.name in names]
        return sorted(events, key=lambda e: (e.block, e.log_index))

    def right(self, right_id: int) -> RightInfo:
        """The right's record, its holder, and what only its events carry (application and registration number)."""
        rec = self.call(self.registry.functions.rightOf(right_id), f"read right {format_right_id(right_id)}")
        holder, _ = self.call(self.registry.functions.holderAndStatus(right_id), "holder")
        uri = self.call(self.registry.functions.tokenURI(right_id), "token URI")
        pending = self.call(self.registry.functions.pendingAssignment(right_id), "pending assignment")
        pledge = self.call(self.registry.functions.pledgeOf(right_id), "pledge")
        events = self._right_events(right_id, {"RightFiled", "RightRegistered"})
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
        events = self._right_events(right_id)
        if not any(e.name == "RightFiled" for e in events):
            if not self.exists(right_id):
                raise UsageError(f"no right {format_right_id(right_id)} on this register; check the id or office/type/number")
        times = self._block_times({e.block for e in events})
        title: list[TitleEntry] = []
        for e in events:
            if e.name == "RightFiled":
                title.append(TitleEntry(holder=e.args["holder"], since_block=e.block, since_time=times[e.block],
                                        how="filing", tx_hash=e.tx_hash))
            elif e.name == "AssignmentRecorded":
                title.append(TitleEntry(holder=e.args["to"], since_block=e.block, since_time=times[e.block],
                                        how="assignment", deed_hash=e.args["deedHash"],
                                        recorded_by=e.args["recordedBy"], tx_hash=e.tx_hash))
        licenses = tuple(self._license_events(right_id)) if "LicenseRegistry" in self.contracts else ()
        return History(
            right_id=right_id, title=tuple(title),
            status_events=tuple(e for e in events if e.name == "StatusChanged"),
            anchors=tuple(e for e in events if e.name == "DocumentAnchored"),
            events=tuple(events), licenses=licenses,
        )

    def _license_events(self, right_id: int) -> list[Event]:
        topic = "0x" + right_id.to_bytes(32, "big").hex()
        with translated(self.decoder, "reading license events"):
            logs = self.w3.eth.get_logs({"address": self.contracts["LicenseRegistry"].address,
                                         "fromBlock": self.deployment.first_block, "toBlock": "latest",
                                         "topics": [None, topic]})
        return sorted(self.decode_logs(logs), key=lambda e: (e.block, e.log_index))

    def _block_times(self, blocks: set[int]) -> dict[int, int]:
        with translated(self.decoder, "reading blocks"):
            return {b: int(self.w3.eth.get_block(b)["timestamp"]) for b in blocks}

    def anchors(self, right_id: int) -> list[dict[str, Any]]:
        rows = self.call(self.registry.functions.anchorsOf(right_id), "anchors")
        return [{"document_hash": "0x" + bytes(r[0]).hex(), "tag": types.untag(bytes(r[1])), "anchored_by": r[2],
                 "anchored_at": int(r[3])} for r in rows]

    def event_code(self, status: Status) -> str:
        return bytes(self.call(self.registry.functions.eventCodeOf(int(status)), "event code")).decode()


def with_account(ipl: IPLedger, account: Any) -> IPLedger:
    """Functional spelling of ``ipl.as_account(account)``."""
    return ipl.as_account(account)


__all__ = ["IPLedger", "with_account"]
