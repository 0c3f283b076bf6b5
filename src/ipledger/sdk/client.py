"""``IPLedger``: the SDK's client, one method per contract action.

    from ipledger.sdk import IPLedger
    with IPLedger.connect("embedded", deploy=True) as ipl:
        ipl.add_office("EM")
        ipl.grant_registrar("EM", ipl.address)                  # only the office files
        r = ipl.file("EM", "TM", "018234567", holder=applicant, content_hash=sha256_of_file)
        print(ipl.right(r.right_id))

Actions return frozen ``TxResult`` values (hash, gas used, decoded events). A revert raises
the exception named after the Solidity custom error, with its arguments as attributes
(``except revert_class("NotHolder") as e: e.caller``), the same on every backend.
The methods live in their rooms: ``registry`` (offices, filing, status, assignments),
``interests`` (pledges, consents, the signed assignment messages and their revocation),
``parties``, ``licensing`` and ``reads``, over the connection in ``base``.
"""

from __future__ import annotations

from typing import Any

from ipledger.sdk.interests import InterestActions
from ipledger.sdk.licensing import LicensingActions
from ipledger.sdk.parties import PartyActions
from ipledger.sdk.reads import RegisterReads
from ipledger.sdk.registry import RegistryActions


class IPLedger(RegistryActions, InterestActions, PartyActions, LicensingActions, RegisterReads):
    """A connection to a deployed IP Ledger, acting as one account."""


def with_account(ipl: IPLedger, account: Any) -> IPLedger:
    """Functional spelling of ``ipl.as_account(account)``."""
    return ipl.as_account(account)


__all__ = ["IPLedger", "with_account"]
