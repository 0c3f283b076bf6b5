"""Licences over registered rights: offers, acceptance (also by relayed EIP-712 signature),
termination, surrender, transfer, ``isLicensed`` and the licence tree (LicenseRegistry).

``LicensingActions`` adds these methods to ``ipledger.sdk.client.IPLedger``; the licence
values it returns (``LicenseInfo``, ``LicenseNode``, ``OfferResult``, ``Coverage``) are here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from eth_utils import to_checksum_address

from ipledger import types
from ipledger.domain.licensing import LicenseKind, LicenseState, field_hash
from ipledger.errors import InvalidInput
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import TxResult


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
    terms_hash: str
    field_label: str = ""


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
class Coverage:
    """The answer of ``isLicensed``."""

    licensed: bool
    license_id: int


class LicensingActions(ClientBase):
    """License actions and reads (LicenseRegistry)."""

    # ------------------------------------------------------------ actions

    def offer_license(self, right_id: int, licensee: str, terms: LicenseTerms, *, parent_id: int = 0) -> OfferResult:
        """Offers a license (holder) or a sublicense under ``parent_id`` (its licensee)."""

        fn = self.licenses.functions.offerLicense(right_id, int(parent_id), types.address(licensee, "licensee"),
                                                  terms.to_tuple(), terms.field, terms.terms_uri)
        res = self.transact(fn, "offer license")
        return OfferResult(**res.__dict__, license_id=int(res.event("LicenseOffered").args["licenseId"]))

    def accept_license(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.acceptLicense(int(license_id)), "accept license")

    def sign_license_acceptance(self, license_id: int, deadline: int) -> bytes:
        """The licensee (this account) signs its acceptance off line; anyone relays it."""
        message = {"licenseId": int(license_id), "licensee": self.address,
                   "nonce": self.nonce_of(self.address, "LicenseRegistry"), "deadline": int(deadline)}
        return self.sign_typed(self.licenses, "AcceptLicense", message)

    def accept_license_by_sig(self, license_id: int, deadline: int, signature: bytes | str) -> TxResult:

        sig = types.signature(signature)
        return self.transact(self.licenses.functions.acceptLicenseBySig(int(license_id), int(deadline), sig),
                              "relay license acceptance")

    def withdraw_offer(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.withdrawOffer(int(license_id)), "withdraw offer")

    def terminate_license(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.terminateLicense(int(license_id)), "terminate license")

    def surrender_license(self, license_id: int) -> TxResult:
        return self.transact(self.licenses.functions.surrenderLicense(int(license_id)), "surrender license")

    def transfer_license(self, license_id: int, to: str) -> TxResult:

        return self.transact(self.licenses.functions.transferLicense(int(license_id), types.address(to, "new licensee")),
                              "transfer license")

    # ------------------------------------------------------------ reads

    def is_licensed(self, right_id: int, party: str, territory: str, field: str = "",
                    time: int | None = None) -> Coverage:
        """Whether ``party`` may use the right in ``territory`` for ``field`` at ``time`` (default: now)."""

        when = int(time if time is not None else dt.datetime.now(dt.timezone.utc).timestamp())
        ok, lid = self.call(self.licenses.functions.isLicensed(right_id, types.address(party, "party"),
                                                                types.office_bytes(territory), field_hash(field),
                                                                when), "isLicensed")
        return Coverage(licensed=bool(ok), license_id=int(lid))

    def license(self, license_id: int, labels: dict[int, str] | None = None) -> LicenseInfo:
        raw = self.call(self.licenses.functions.licenseOf(int(license_id)), f"read license {license_id}")
        return _info(int(license_id), raw, (labels or {}).get(int(license_id), ""))

    def licenses_of_right(self, right_id: int) -> list[int]:
        return [int(x) for x in self.call(self.licenses.functions.licensesOfRight(right_id), "licenses of right")]

    def licenses_of(self, party: str) -> list[int]:

        return [int(x) for x in self.call(self.licenses.functions.licensesOf(types.address(party)), "licenses of party")]

    def license_tree(self, right_id: int) -> list[LicenseNode]:
        """Every license of a right as a forest of root licenses and their sublicenses."""
        labels = {int(e.args["licenseId"]): e.args.get("fieldLabel", "")
                  for e in self.license_events(right_id) if e.name == "LicenseOffered"}
        ids = sorted(set(self.licenses_of_right(right_id)) | set(labels))
        infos = {i: self.license(i, labels) for i in ids}

        def node(i: int) -> LicenseNode:
            kids = sorted(c for c, inf in infos.items() if inf.parent_id == i)
            return LicenseNode(infos[i], tuple(node(c) for c in kids))

        return [node(i) for i, inf in sorted(infos.items()) if inf.parent_id == 0]


def _info(license_id: int, raw: Any, label: str) -> LicenseInfo:
    (right_id, parent_id, licensor, licensee, kind, state, active, depth, territories, fhash, start, end, royalty,
     sublicensable, transferable, terms_hash) = raw
    return LicenseInfo(
        license_id=license_id, right_id=int(right_id), parent_id=int(parent_id),
        licensor=to_checksum_address(licensor), licensee=to_checksum_address(licensee), kind=LicenseKind(kind),
        state=LicenseState(state), active=bool(active), depth=int(depth),
        territories=tuple(bytes(t).decode() for t in territories), field_hash="0x" + bytes(fhash).hex(),
        start=int(start), end=int(end), royalty_bps=int(royalty), sublicensable=bool(sublicensable),
        transferable=bool(transferable), terms_hash="0x" + bytes(terms_hash).hex(), field_label=label,
    )


def flatten(nodes: list[LicenseNode] | tuple[LicenseNode, ...]) -> list[LicenseInfo]:
    """Depth-first list of a license forest."""
    out: list[LicenseInfo] = []
    for n in nodes:
        out.append(n.license)
        out.extend(flatten(n.children))
    return out
