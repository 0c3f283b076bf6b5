"""The typed SDK: ``IPLedger`` has one method per register action; results are frozen values.

    from ipledger.sdk import IPLedger, LicenseTerms
    with IPLedger.connect("embedded", 0, deploy=True) as ipl:      # ipl: a registrar of EM here
        rid = ipl.file("EM", "TM", "018234567", holder=alice_address).right_id

Import SDK names from here; the submodules are its rooms (``client`` the connection,
``results`` the values it returns, ``licensing`` the licence actions).

The names are imported on first use, so ``ipledger.sdk.results`` and ``ipledger.sdk.history`` load without web3.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipledger.domain.licensing import LicenseKind, LicenseState
    from ipledger.sdk.client import IPLedger, with_account
    from ipledger.sdk.licensing import (
        Coverage,
        LicenseInfo,
        LicenseNode,
        LicenseTerms,
        OfferResult,
        flatten,
    )
    from ipledger.sdk.results import (
        AccordResult,
        AnchorInfo,
        BatchResult,
        Event,
        Filing,
        FilingResult,
        History,
        LegalEventEntry,
        PendingAssignment,
        PledgeInfo,
        PledgeResult,
        RequestInfo,
        RequestResult,
        RightInfo,
        TitleEntry,
        TxResult,
    )

_HOME = {
    "LicenseKind": "ipledger.domain.licensing", "LicenseState": "ipledger.domain.licensing",
    "IPLedger": "ipledger.sdk.client", "with_account": "ipledger.sdk.client",
    **dict.fromkeys(("Coverage", "LicenseInfo", "LicenseNode", "LicenseTerms", "OfferResult", "flatten"),
                    "ipledger.sdk.licensing"),
}

__all__ = ["AccordResult", "AnchorInfo", "BatchResult", "Coverage", "Event", "Filing", "FilingResult", "History",
           "IPLedger", "LegalEventEntry", "LicenseInfo", "LicenseKind", "LicenseNode", "LicenseState", "LicenseTerms",
           "OfferResult", "PendingAssignment", "PledgeInfo", "PledgeResult", "RequestInfo", "RequestResult",
           "RightInfo", "TitleEntry", "TxResult", "flatten", "with_account"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module(_HOME.get(name, "ipledger.sdk.results")), name)
    raise AttributeError(f"module 'ipledger.sdk' has no attribute {name!r}")
