"""Licences: kinds, stored states and the terms of a licence (Solidity ``ILicenseRegistry``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from eth_utils import keccak

from ipledger import types
from ipledger.errors import InvalidInput


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


def field_hash(label: str) -> bytes:
    """keccak256 of a field-of-use label; the empty label (all fields) is zero."""
    return types.ZERO32 if not label else keccak(text=label)


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
