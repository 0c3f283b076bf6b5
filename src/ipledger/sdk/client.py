"""``IPLedger``: the SDK's client, one method per contract action.

    from ipledger.sdk import IPLedger
    with IPLedger.connect("embedded", deploy=True) as ipl:     # the dev council: EM (account 0), RU, US
        ipl.grant_registrar("EM", registrar)                     # EM's admin names its registrars
        r = ipl.as_account(registrar).file("EM", "TM", "018234567", holder=applicant, content_hash=sha256_of_file)
        p = ipl.council.propose([ipl.council.admit_office("AU", au_admin)])   # offices join by a council vote
        print(ipl.right(r.right_id), ipl.council.show(p.proposal_id))

Actions return frozen ``TxResult`` values (hash, gas used, decoded events). A revert raises
the exception named after the Solidity custom error, with its arguments as attributes
(``except revert_class("NotHolder") as e: e.caller``), the same on every backend.
The methods live in their rooms: ``registry`` (offices, filing, status, assignments),
``interests`` (pledges, consents, the signed assignment messages and their revocation),
``parties``, ``licensing`` and ``reads``, over the connection in ``base``; the council (``ipl.council``,
``ipledger.sdk.council``) proposes, votes and executes what only the offices together may do.
"""

from __future__ import annotations

from typing import Any

from ipledger.sdk.council import Council, governed_registers
from ipledger.sdk.interests import InterestActions
from ipledger.sdk.licensing import LicensingActions
from ipledger.sdk.parties import PartyActions
from ipledger.sdk.reads import RegisterReads
from ipledger.sdk.registry import RegistryActions
from ipledger.sdk.results import TxResult


class IPLedger(RegistryActions, InterestActions, PartyActions, LicensingActions, RegisterReads):
    """A connection to a deployed IP Ledger, acting as one account."""

    @property
    def council(self) -> Council:
        """The office council, acting as this account (propose and vote as an office admin)."""
        return Council(self)

    def governed_registers(self) -> list[str]:
        """The registers of this deployment that answer to the RegisterAuthority (behind proxies), in suite order."""
        return governed_registers(self)

    def pause(self) -> TxResult:  # type: ignore[override]
        """Pauses every register (the guardian); returns the last register's transaction."""
        names = self.governed_registers()
        if not names:  # a deployment whose registry is still constructor-based (during the v2 change)
            return super().pause()
        return self.pause_all()[-1]

    def pause_all(self) -> list[TxResult]:
        """Pauses every register behind the authority (the guardian), one transaction each."""
        return [self.transact(self.contracts[n].functions.pause(), f"pause {n}") for n in self.governed_registers()]


def with_account(ipl: IPLedger, account: Any) -> IPLedger:
    """Functional spelling of ``ipl.as_account(account)``."""
    return ipl.as_account(account)


__all__ = ["IPLedger", "with_account"]
