"""Licenses over registered rights: terms, offers, acceptance (also by relayed EIP-712
signature), termination, surrender, transfer, ``isLicensed`` and the license tree.

``LicensingMixin`` adds these methods to ``ipledger.client.IPLedger``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from eth_utils import keccak, to_checksum_address

from . import domain
from .errors import UsageError
from .results import TxResult

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

ZERO32 = b"\x00" * 32


class LicenseKind(IntEnum):
    """Solidity ``ILicenseRegistry.LicenseKind``."""

    EXCLUSIVE = 0
    SOLE = 1
    NON_EXCLUSIVE = 2


class LicenseState(IntEnum):
    """Solidity ``ILicenseRegistry.LicenseState`` (the stored state; see ``LicenseInfo.active``)."""

    NONE = 0
    OFFERED = 1
    ACTIVE = 2
    WITHDRAWN = 3
    TERMINATED = 4
    SURRENDERED = 5


def license_kind(value: str | int | LicenseKind) -> LicenseKind:
    if isinstance(value, LicenseKind):
        return value
    if isinstance(value, int):
        return LicenseKind(value)
    key = value.strip().upper().replace("-", "_").replace(" ", "_")
    key = {"NONEXCLUSIVE": "NON_EXCLUSIVE", "NE": "NON_EXCLUSIVE"}.get(key, key)
    if key in LicenseKind.__members__:
        return LicenseKind[key]
    raise UsageError(f"license kind '{value}' is unknown; use exclusive, sole or non_exclusive")


def field_hash(label: str) -> bytes:
    """keccak256 of a field-of-use label; the empty label (all fields) is zero."""
    return ZERO32 if not label else keccak(text=label)


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
    terms_hash: bytes = ZERO32
    terms_uri: str = ""

    def to_tuple(self) -> tuple[Any, ...]:
        if not self.territories:
            raise UsageError("a license needs at least one territory (ST.3 code, WO for worldwide)")
        codes = [domain.office_bytes(t) for t in self.territories]
        if not 0 <= self.royalty_bps <= 10_000:
            raise UsageError(f"royalty {self.royalty_bps} bps is out of range 0..10000")
        if self.end and self.end <= self.start:
            raise UsageError("the license end must be after its start (or 0 for until the right ends)")
        return (int(license_kind(self.kind)), codes, field_hash(self.field), int(self.start), int(self.end),
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


class LicensingMixin:
    """License actions and reads of ``IPLedger``."""

    contracts: dict[str, Any]
    account: LocalAccount

    if TYPE_CHECKING:
        @property
        def address(self) -> str: ...

        def _transact(self, fn: Any, label: str) -> TxResult: ...
        def _call(self, fn: Any, label: str) -> Any: ...
        def _sign(self, contract: Any, primary: str, fields: list[tuple[str, str]],
                  message: dict[str, Any]) -> bytes: ...
        def nonce_of(self, account: str, contract: str = "IPRegistry") -> int: ...
        def _license_events(self, right_id: int) -> list[Any]: ...

    @property
    def licenses(self) -> Any:
        if "LicenseRegistry" not in self.contracts:
            raise UsageError("this deployment has no LicenseRegistry; redeploy with `ipledger deploy --force`")
        return self.contracts["LicenseRegistry"]

    # ------------------------------------------------------------ actions

    def offer_license(self, right_id: int, licensee: str, terms: LicenseTerms, *, parent_id: int = 0) -> OfferResult:
        """Offers a license (holder) or a sublicense under ``parent_id`` (its licensee)."""
        from .client import address

        fn = self.licenses.functions.offerLicense(right_id, int(parent_id), address(licensee, "licensee"),
                                                  terms.to_tuple(), terms.field, terms.terms_uri)
        res = self._transact(fn, "offer license")
        return OfferResult(**res.__dict__, license_id=int(res.event("LicenseOffered").args["licenseId"]))

    def accept_license(self, license_id: int) -> TxResult:
        return self._transact(self.licenses.functions.acceptLicense(int(license_id)), "accept license")

    def sign_license_acceptance(self, license_id: int, deadline: int) -> bytes:
        """The licensee (this account) signs its acceptance off line; anyone relays it."""
        message = {"licenseId": int(license_id), "licensee": self.address,
                   "nonce": self.nonce_of(self.address, "LicenseRegistry"), "deadline": int(deadline)}
        fields = [("licenseId", "uint256"), ("licensee", "address"), ("nonce", "uint256"), ("deadline", "uint256")]
        return self._sign(self.licenses, "AcceptLicense", fields, message)

    def accept_license_by_sig(self, license_id: int, deadline: int, signature: bytes | str) -> TxResult:
        from .client import signature_bytes

        sig = signature_bytes(signature)
        return self._transact(self.licenses.functions.acceptLicenseBySig(int(license_id), int(deadline), sig),
                              "relay license acceptance")

    def withdraw_offer(self, license_id: int) -> TxResult:
        return self._transact(self.licenses.functions.withdrawOffer(int(license_id)), "withdraw offer")

    def terminate_license(self, license_id: int) -> TxResult:
        return self._transact(self.licenses.functions.terminateLicense(int(license_id)), "terminate license")

    def surrender_license(self, license_id: int) -> TxResult:
        return self._transact(self.licenses.functions.surrenderLicense(int(license_id)), "surrender license")

    def transfer_license(self, license_id: int, to: str) -> TxResult:
        from .client import address

        return self._transact(self.licenses.functions.transferLicense(int(license_id), address(to, "new licensee")),
                              "transfer license")

    # ------------------------------------------------------------ reads

    def is_licensed(self, right_id: int, party: str, territory: str, field: str = "",
                    time: int | None = None) -> Coverage:
        """Whether ``party`` may use the right in ``territory`` for ``field`` at ``time`` (default: now)."""
        from .client import address

        when = int(time if time is not None else dt.datetime.now(dt.timezone.utc).timestamp())
        ok, lid = self._call(self.licenses.functions.isLicensed(right_id, address(party, "party"),
                                                                domain.office_bytes(territory), field_hash(field),
                                                                when), "isLicensed")
        return Coverage(licensed=bool(ok), license_id=int(lid))

    def license(self, license_id: int, labels: dict[int, str] | None = None) -> LicenseInfo:
        raw = self._call(self.licenses.functions.licenseOf(int(license_id)), f"read license {license_id}")
        return _info(int(license_id), raw, (labels or {}).get(int(license_id), ""))

    def licenses_of_right(self, right_id: int) -> list[int]:
        return [int(x) for x in self._call(self.licenses.functions.licensesOfRight(right_id), "licenses of right")]

    def licenses_of(self, party: str) -> list[int]:
        from .client import address

        return [int(x) for x in self._call(self.licenses.functions.licensesOf(address(party)), "licenses of party")]

    def license_tree(self, right_id: int) -> list[LicenseNode]:
        """Every license of a right as a forest of root licenses and their sublicenses."""
        labels = {int(e.args["licenseId"]): e.args.get("fieldLabel", "")
                  for e in self._license_events(right_id) if e.name == "LicenseOffered"}
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
