"""Licences over registered rights: interned terms (registered once, referred to by id), offers (each with a
deadline), acceptance (also by a relayed EIP-712 or ERC-1271 signature bound to the offer, revocable before
use), a one-transaction grant carrying the licensee's signature, termination, surrender, transfer,
``isLicensed`` and the licence tree (LicenseRegistry).

``is_licensed`` answers for the whole scope asked: a question for ``WO`` needs a licence for ``WO``,
a question for all fields (``field=""``) needs a licence for all fields, and an exclusive licence
excludes everyone else in its scope, its own licensor (the holder, or the parent's licensee)
included (ILicenseRegistry's NatSpec has the rules; tests/invariants/ledger_model.py mirrors them).
The register keeps only what its rules read; the full terms (agreement hash, field label, URI) and the
history of a right's licences are read from the events (``license_terms``, ``licenses_of_right``,
``licenses_of``, ``license_tree``).

``LicensingActions`` adds these methods to ``ipledger.sdk.client.IPLedger``; the licence
values it returns (``LicenseInfo``, ``LicenseNode``, ``OfferResult``, ``Coverage``, ``TermsInfo``,
``TermsResult``) are here too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from ipledger import rpc, types
from ipledger.abi import ContractCodec, canonical_type, topic
from ipledger.domain.licensing import LicenseKind, LicenseState, field_hash
from ipledger.errors import InvalidInput
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import TxResult
from ipledger.tx.sender import translated

#: How long an offer stays open when no deadline is given (the contract allows at most 365 days).
DEFAULT_OFFER_WINDOW = 30 * 86_400
MAX_OFFER_WINDOW = 365 * 86_400


@dataclass(frozen=True)
class LicenseTerms:
    """Terms of a license. ``end`` 0 = until the right ends; ``territories`` are ST.3 codes (WO = worldwide)."""

    kind: str | LicenseKind = LicenseKind.NON_EXCLUSIVE
    territories: tuple[str, ...] = ("WO",)
    field: str = ""
    start: int = 0
    end: int = 0
    royalty_bps: int = 0
    sublicensable: bool = False
    transferable: bool = False
    terms_hash: bytes = types.ZERO32
    terms_uri: str = ""

    def to_tuple(self) -> tuple[Any, ...]:
        """The terms as the contract's ``LicenseTerms`` tuple (validated first)."""
        if not self.territories:
            raise InvalidInput("a license needs at least one territory (ST.3 code, WO for worldwide)")
        codes = [types.office_bytes(t) for t in self.territories]
        types.uri(self.terms_uri, "terms URI")
        if not 0 <= self.royalty_bps <= 10_000:
            raise InvalidInput(f"royalty {self.royalty_bps} bps is out of range 0..10000")
        if self.end and self.end <= self.start:
            raise InvalidInput("the license end must be after its start (or 0 for until the right ends)")
        return (int(types.license_kind(self.kind)), codes, field_hash(self.field), int(self.start), int(self.end),
                int(self.royalty_bps), bool(self.sublicensable), bool(self.transferable), self.terms_hash)


@dataclass(frozen=True)
class LicenseInfo:
    """A license as the register holds it now."""

    license_id: int
    right_id: int
    parent_id: int
    licensor: str
    licensee: str
    kind: LicenseKind
    state: LicenseState
    active: bool
    depth: int
    territories: tuple[str, ...]
    field_hash: str
    start: int
    end: int
    royalty_bps: int
    sublicensable: bool
    transferable: bool
    terms_id: int
    deadline: int = 0
    field_label: str = ""
    terms_hash: str = ""  # from the terms' TermsRegistered event, when read with it (license_tree)


@dataclass(frozen=True)
class LicenseNode:
    """A license and its sublicenses."""

    license: LicenseInfo
    children: tuple[LicenseNode, ...] = field(default=())


@dataclass(frozen=True)
class OfferResult(TxResult):
    """An offer: the transaction and the new license id."""

    license_id: int = 0


@dataclass(frozen=True)
class TermsInfo:
    """Interned terms as registered (their ``TermsRegistered`` event)."""

    terms_id: int
    kind: LicenseKind
    territories: tuple[str, ...]
    field_label: str
    field_hash: str
    start: int
    end: int
    royalty_bps: int
    sublicensable: bool
    transferable: bool
    terms_hash: str
    terms_uri: str
    content_hash: str
    block: int


@dataclass(frozen=True)
class TermsResult:
    """The id of registered terms; ``tx`` is None when they were already interned (nothing was sent)."""

    terms_id: int
    created: bool
    tx: TxResult | None = None


@dataclass(frozen=True)
class Coverage:
    """The answer of ``isLicensed``."""

    licensed: bool
    license_id: int


class LicensingActions(ClientBase):
    """License actions and reads (LicenseRegistry)."""

    # ------------------------------------------------------------ actions

    def terms_content_hash(self, terms: LicenseTerms) -> bytes:
        """keccak256(abi.encode(terms, termsURI)): the key the register interns terms by (types from its ABI)."""
        inputs = self.licenses.get_function_by_name("registerTerms").abi["inputs"]
        return bytes(keccak(encode([canonical_type(inputs[0]), canonical_type(inputs[2])],
                                   [terms.to_tuple(), terms.terms_uri])))

    def terms_id_of(self, terms: LicenseTerms) -> int:
        """The id of these terms and URI if interned, else 0."""
        fn = self.licenses.functions.termsIdOf(self.terms_content_hash(terms))
        return int(self.call(fn, "termsIdOf"))

    def register_terms(self, terms: LicenseTerms) -> TermsResult:
        """Interns the terms (anyone may) and returns their id; sends nothing when they are already interned."""
        existing = self.terms_id_of(terms)
        if existing:
            return TermsResult(terms_id=existing, created=False)
        fn = self.licenses.functions.registerTerms(terms.to_tuple(), terms.field, terms.terms_uri)
        res = self.transact(fn, "register license terms")
        return TermsResult(terms_id=int(res.event("TermsRegistered").args["termsId"]), created=True, tx=res)

    def license_terms(self, terms_id: int) -> TermsInfo:
        """Interned terms in full, from their ``TermsRegistered`` event (InvalidInput if there are none)."""
        found = self._terms_events([int(terms_id)])
        if int(terms_id) not in found:
            raise InvalidInput(f"no license terms #{terms_id} on this register; `ipledger license terms register` "
                               "interns them")
        return found[int(terms_id)]

    def _terms_events(self, ids: list[int]) -> dict[int, TermsInfo]:
        """The ``TermsRegistered`` events of ``ids`` (one bounded log read)."""
        if not ids:
            return {}
        with translated(self.decoder, "reading the latest block"):
            head = int(self.w3.eth.block_number)
        ids_topics = ["0x" + i.to_bytes(32, "big").hex() for i in sorted(set(ids)) if 0 <= i < 2**256]
        logs = rpc.get_logs(self.w3, self.licenses.address, [self._event_topic("TermsRegistered"), ids_topics],
                            self.deployment.first_block, head, span=self.chain.settings.max_log_span)
        codec = ContractCodec(self.licenses.abi)
        out = {}
        for lg in logs:
            decoded = codec.decode_log(lg.topics, lg.data)
            if decoded is None:
                continue
            a = decoded.args
            kind, codes, fhash, start, end, royalty, sub, transfer, thash = a["terms"]  # the ABI's Terms order
            out[int(a["termsId"])] = TermsInfo(
                terms_id=int(a["termsId"]), kind=LicenseKind(kind), territories=tuple(bytes(c).decode() for c in codes),
                field_label=a["fieldLabel"], field_hash="0x" + bytes(fhash).hex(), start=int(start), end=int(end),
                royalty_bps=int(royalty), sublicensable=bool(sub), transferable=bool(transfer),
                terms_hash="0x" + bytes(thash).hex(), terms_uri=a["termsURI"],
                content_hash="0x" + bytes(a["contentHash"]).hex(), block=lg.block)
        return out

    def offer_license(self, right_id: int, licensee: str, terms: LicenseTerms | None = None, *,
                      terms_id: int | None = None, parent_id: int = 0, deadline: int | None = None) -> OfferResult:
        """Offers a license (holder) or a sublicense under ``parent_id`` (its licensee), on ``terms`` (interned in the
        same transaction if new) or on the interned ``terms_id``, open for acceptance until ``deadline`` (unix
        seconds; default: 30 days from the chain's time, or the license's end if sooner)."""
        if (terms is None) == (terms_id is None):
            raise InvalidInput("give the license terms or the id of interned terms (one of them)")
        end = int(terms.end) if terms is not None else self.license_terms(int(terms_id or 0)).end
        tup = terms.to_tuple() if terms is not None else ()
        deadline = self._offer_deadline(deadline, end)
        who = types.address(licensee, "licensee")
        if terms is not None:
            fn = self.licenses.functions.offerLicenseWithTerms(right_id, int(parent_id), who, tup, deadline,
                                                               terms.field, terms.terms_uri)
        else:
            fn = self.licenses.functions.offerLicense(right_id, int(parent_id), who, int(terms_id or 0), deadline)
        res = self.transact(fn, "offer license")
        return OfferResult(**res.__dict__, license_id=int(res.event("LicenseOffered").args["licenseId"]))

    def _offer_deadline(self, deadline: int | None, end: int) -> int:
        now = self.chain_time()
        if deadline is None:  # (terms that already ended are the contract's to refuse: InvalidPeriod)
            return min(now + DEFAULT_OFFER_WINDOW, end) if end and end >= now else now + DEFAULT_OFFER_WINDOW
        deadline = _seconds(deadline, "offer deadline")
        if deadline < now or deadline > now + MAX_OFFER_WINDOW or (end and deadline > end):
            raise InvalidInput(f"offer deadline {_day(deadline)} must be between now and 365 days ahead, and "
                               "not after the license's end")
        return deadline

    def license_grant_message(self, right_id: int, licensee: str, terms_id: int, deadline: int, *,
                              parent_id: int = 0) -> dict[str, Any]:
        """The ``GrantLicense`` consent: the exact license and the licensor position's current grant sequence."""
        seq = self.call(self.licenses.functions.grantSequenceOf(int(right_id), int(parent_id)), "grantSequenceOf")
        return {"rightId": int(right_id), "parentId": int(parent_id), "licensee": types.address(licensee, "licensee"),
                "termsId": int(terms_id), "sequence": int(seq), "deadline": _seconds(deadline, "signature deadline")}

    def sign_license_grant(self, right_id: int, terms_id: int, deadline: int, *, parent_id: int = 0,
                           licensee: str | None = None) -> bytes:
        """This account, as the licensee (or the owner key of the licensee's ERC-1271 wallet ``licensee``), signs
        its consent to be granted the license off line; the licensor sends it with ``grant_license``. Valid for the
        next grant under that licensor position only."""
        message = self.license_grant_message(right_id, licensee or self.address, terms_id, deadline,
                                             parent_id=parent_id)
        return self.sign_typed(self.licenses, "GrantLicense", message)

    def license_grant_digest(self, right_id: int, licensee: str, terms_id: int, deadline: int, *,
                             parent_id: int = 0) -> bytes:
        """The EIP-712 digest of a grant consent (what a wallet approves, what revocation takes)."""
        message = self.license_grant_message(right_id, licensee, terms_id, deadline, parent_id=parent_id)
        return self.typed_digest(self.licenses, "GrantLicense", message)

    def grant_license(self, right_id: int, licensee: str, terms_id: int, signature: bytes | str, deadline: int, *,
                      parent_id: int = 0) -> OfferResult:
        """The licensor grants an active license in one transaction with the licensee's signed consent."""
        who = types.address(licensee, "licensee")
        fn = self.licenses.functions.grantLicenseBySig(int(right_id), int(parent_id), who, int(terms_id),
                                                       int(deadline), types.signature(signature))
        res = self.transact(fn, "grant license")
        return OfferResult(**res.__dict__, license_id=int(res.event("LicenseGranted").args["licenseId"]))

    def revoke_license_grant(self, right_id: int, terms_id: int, deadline: int, *, parent_id: int = 0) -> TxResult:
        """Revokes this account's signed consent to a grant before the licensor sends it."""
        digest = self.license_grant_digest(right_id, self.address, terms_id, deadline, parent_id=parent_id)
        return self.transact(self.licenses.functions.revokeSignature(digest), "revoke license grant signature")

    def chain_time(self) -> int:
        """The latest block's time (unix seconds): what the contract compares deadlines with."""
        with translated(self.decoder, "reading the latest block"):
            return int(self.w3.eth.get_block("latest")["timestamp"])

    def accept_license(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.acceptLicense(int(license_id)), "accept license")

    def license_acceptance_message(self, license_id: int, deadline: int) -> dict[str, Any]:
        """The ``AcceptLicense`` message for the offer: it names the offer's id, licensee and terms id."""
        raw = self.call(self.licenses.functions.licenseOf(int(license_id)), f"read license {license_id}")
        return {"licenseId": int(license_id), "licensee": to_checksum_address(raw[3]),
                "termsId": int(raw[15]), "deadline": _seconds(deadline, "signature deadline")}

    def sign_license_acceptance(self, license_id: int, deadline: int) -> bytes:
        """Signs the acceptance of the offer with this account's key, off line; anyone relays it. Valid when this
        account is the licensee, or the owner key of the licensee's ERC-1271 wallet. The signature names the offer
        itself, so acceptances of different offers can be relayed in any order."""
        return self.sign_typed(self.licenses, "AcceptLicense", self.license_acceptance_message(license_id, deadline))

    def license_acceptance_digest(self, license_id: int, deadline: int) -> bytes:
        """The EIP-712 digest of the acceptance (what is signed, what a wallet approves, what revocation takes)."""
        return self.typed_digest(self.licenses, "AcceptLicense", self.license_acceptance_message(license_id, deadline))

    def accept_license_by_sig(self, license_id: int, deadline: int, signature: bytes | str) -> TxResult:

        sig = types.signature(signature)
        return self.transact(self.licenses.functions.acceptLicenseBySig(int(license_id), int(deadline), sig),
                              "relay license acceptance")

    def revoke_license_acceptance(self, license_id: int = 0, deadline: int = 0, *,
                                  digest: bytes | str | None = None) -> TxResult:
        """Revokes this account's signed acceptance of ``license_id`` made with ``deadline`` (or the signature of
        ``digest``) before anyone relays it. A contract wallet revokes by making this call itself."""
        if digest is None:
            if not license_id or not deadline:
                raise InvalidInput("name the signed acceptance: a license id and its signature deadline, or a digest")
            digest = self.license_acceptance_digest(license_id, deadline)
        fn = self.licenses.functions.revokeSignature(types.bytes32(digest, "signature digest"))
        return self.transact(fn, "revoke license acceptance signature")

    def withdraw_offer(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.withdrawOffer(int(license_id)), "withdraw offer")

    def terminate_license(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.terminateLicense(int(license_id)), "terminate license")

    def surrender_license(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.surrenderLicense(int(license_id)), "surrender license")

    def transfer_license(self, license_id: int, to: str) -> TxResult:

        fn = self.licenses.functions.transferLicense(int(license_id), types.address(to, "new licensee"))
        return self.transact(fn, "transfer license")

    # ------------------------------------------------------------ reads

    def is_licensed(self, right_id: int, party: str, territory: str, field: str = "",
                    time: int | None = None) -> Coverage:
        """Whether ``party`` may use the right in the whole of ``territory`` (``WO`` = the whole world) for ``field``
        (``""`` = all fields) at ``time`` (default: now): see the module docstring for the scope rules."""

        when = int(time if time is not None else dt.datetime.now(dt.timezone.utc).timestamp())
        ok, lid = self.call(self.licenses.functions.isLicensed(right_id, types.address(party, "party"),
                                                                types.office_bytes(territory), field_hash(field),
                                                                when), "isLicensed")
        return Coverage(licensed=bool(ok), license_id=int(lid))

    def license(self, license_id: int, labels: dict[int, str] | None = None) -> LicenseInfo:
        """A license as the register holds it now (``labels``: field labels by license id, if known)."""
        raw = self.call(self.licenses.functions.licenseOf(int(license_id)), f"read license {license_id}")
        return _info(int(license_id), raw, (labels or {}).get(int(license_id), ""))

    def licenses_of_right(self, right_id: int) -> list[int]:
        """Every license ever offered or granted under the right, in order (its ``LicenseOffered`` and
        ``LicenseGranted`` events, read in bounded block spans)."""
        names = [self._event_topic("LicenseOffered"), self._event_topic("LicenseGranted")]
        return self._license_ids(names, "0x" + int(right_id).to_bytes(32, "big").hex())

    def licenses_of(self, party: str) -> list[int]:
        """Every license whose current licensee is ``party`` (any state): the offers made and grants to it and the
        transfers to it (events, read in bounded block spans), kept where it is still the licensee."""
        who = types.address(party)
        topics = [self._event_topic(n) for n in ("LicenseOffered", "LicenseGranted", "LicenseTransferred")]
        ids = self._license_ids(topics, None, "0x" + who[2:].lower().rjust(64, "0"))
        return [i for i in ids if self.license(i).licensee == who]

    def _event_topic(self, name: str) -> str:
        item = next(i for i in self.licenses.abi if i.get("type") == "event" and i["name"] == name)
        return "0x" + topic(item).hex()

    def _license_ids(self, names: list[str], right: str | None, party: str | None = None) -> list[int]:
        """The license ids (topic 2) of the license register's events ``names`` filtered by right and party."""
        with translated(self.decoder, "reading the latest block"):
            head = int(self.w3.eth.block_number)
        logs = rpc.get_logs(self.w3, self.licenses.address, [names, right, None, party], self.deployment.first_block,
                            head, span=self.chain.settings.max_log_span)
        return sorted({int.from_bytes(lg.topics[2], "big") for lg in logs})

    def open_licenses(self, right_id: int, parent_id: int = 0) -> list[int]:
        """The open offers and live licenses of a licensor position (0: the holder's root licenses)."""
        fn = self.licenses.functions.openLicensesOf(right_id, int(parent_id))
        return sorted(int(x) for x in self.call(fn, "open licenses"))

    def licenses_held(self, right_id: int, party: str) -> list[int]:
        """The active licenses ``party`` holds on the right (at most 16)."""
        fn = self.licenses.functions.licensesHeldBy(right_id, types.address(party, "party"))
        return sorted(int(x) for x in self.call(fn, "licenses held"))

    def license_tree(self, right_id: int) -> list[LicenseNode]:
        """Every license of a right as a forest of root licenses and their sublicenses (field labels and agreement
        hashes from the terms' events)."""
        ids = sorted({int(e.args["licenseId"]) for e in self.license_events(right_id)
                      if e.name in ("LicenseOffered", "LicenseGranted")})
        infos = {i: self.license(i) for i in ids}
        terms = self._terms_events([inf.terms_id for inf in infos.values()])
        infos = {i: _with_terms(inf, terms.get(inf.terms_id)) for i, inf in infos.items()}

        def node(i: int) -> LicenseNode:
            kids = sorted(c for c, inf in infos.items() if inf.parent_id == i)
            return LicenseNode(infos[i], tuple(node(c) for c in kids))

        return [node(i) for i, inf in sorted(infos.items()) if inf.parent_id == 0]


def _with_terms(info: LicenseInfo, terms: TermsInfo | None) -> LicenseInfo:
    if terms is None:
        return info
    return dataclasses.replace(info, field_label=terms.field_label, terms_hash=terms.terms_hash)


def _info(license_id: int, raw: Any, label: str) -> LicenseInfo:
    (right_id, parent_id, licensor, licensee, kind, state, active, depth, territories, fhash, start, end, royalty,
     sublicensable, transferable, terms_id, deadline) = raw
    return LicenseInfo(
        license_id=license_id, right_id=int(right_id), parent_id=int(parent_id),
        licensor=to_checksum_address(licensor), licensee=to_checksum_address(licensee), kind=LicenseKind(kind),
        state=LicenseState(state), active=bool(active), depth=int(depth),
        territories=tuple(bytes(t).decode() for t in territories), field_hash="0x" + bytes(fhash).hex(),
        start=int(start), end=int(end), royalty_bps=int(royalty), sublicensable=bool(sublicensable),
        transferable=bool(transferable), terms_id=int(terms_id), deadline=int(deadline),
        field_label=label,
    )


def _seconds(value: Any, what: str) -> int:
    """A unix time in seconds from an SDK caller (an int), or ``InvalidInput``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**64:
        raise InvalidInput(f"{what} {value!r} is not a time in unix seconds")
    return value


def _day(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def flatten(nodes: list[LicenseNode] | tuple[LicenseNode, ...]) -> list[LicenseInfo]:
    """Depth-first list of a license forest."""
    out: list[LicenseInfo] = []
    for n in nodes:
        out.append(n.license)
        out.extend(flatten(n.children))
    return out
