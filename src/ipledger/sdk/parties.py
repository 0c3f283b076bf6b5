"""Party profiles: publish, verify by an office, revoke, read (PartyRegistry)."""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from ipledger import types
from ipledger.sdk.base import ClientBase
from ipledger.sdk.results import TxResult


class PartyActions(ClientBase):
    """The PartyRegistry's actions and reads."""

    # ------------------------------------------------------------ parties

    def publish_profile(self, identity: str | bytes, country: str, metadata_uri: str = "") -> TxResult:
        """Publishes this account's profile; ``identity`` is a name or DID (hashed) or a 32-byte hash."""
        ident = identity if isinstance(identity, bytes) and len(identity) == 32 else keccak(
            identity if isinstance(identity, bytes) else identity.encode())
        fn = self.parties.functions.publishProfile(ident, types.office_bytes(country),
                                                   types.uri(metadata_uri, "profile metadata URI"))
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
