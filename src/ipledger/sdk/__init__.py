"""The typed SDK: ``IPLedger`` has one method per register action; results are frozen values.

    from ipledger.sdk import IPLedger, LicenseTerms
    with IPLedger.connect("embedded", 0, deploy=True) as ipl:      # ipl: a registrar of EM here
        rid = ipl.file("EM", "TM", "018234567", holder=alice_address).right_id

Import SDK names from here; the submodules are its rooms (``client`` the connection,
``results`` the values it returns, ``licensing`` the licence actions).
"""

from ipledger.domain.licensing import LicenseKind, LicenseState
from ipledger.sdk.client import IPLedger, with_account
from ipledger.sdk.licensing import Coverage, LicenseInfo, LicenseNode, LicenseTerms, OfferResult, flatten
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

__all__ = ["AccordResult", "AnchorInfo", "BatchResult", "Coverage", "Event", "Filing", "FilingResult", "History",
           "IPLedger", "LegalEventEntry", "LicenseInfo", "LicenseKind", "LicenseNode", "LicenseState", "LicenseTerms",
           "OfferResult", "PendingAssignment", "PledgeInfo", "PledgeResult", "RequestInfo", "RequestResult",
           "RightInfo", "TitleEntry", "TxResult", "flatten", "with_account"]
