"""Licences: kinds, stored states and field-of-use hashes (Solidity ``ILicenseRegistry``)."""

from __future__ import annotations

from enum import IntEnum



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
    if not label:
        return bytes(32)
    from eth_utils import keccak  # on first use (a slow import)

    return keccak(text=label)
