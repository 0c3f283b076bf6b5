"""Driving the LicenseRegistry contract directly (web3 calls, no SDK) on the one world.

The contract tests of tests/contracts/licensing/ talk to the contract as a wallet would: they build the
``Terms`` tuple themselves, send through the world's senders (so nonces stay right across snapshots) and decode
refusals to ``(error name, args)`` with ``helpers.reverts.error_of``. Parties are the world's role indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3
from web3.logs import DISCARD

from . import eip712
from .reverts import error_of
from .world import GUARDIAN, World

EXCLUSIVE, SOLE, NONEXCLUSIVE = 0, 1, 2  # ILicenseRegistry.LicenseKind
NONE, OFFERED, ACTIVE, WITHDRAWN, TERMINATED, SURRENDERED = range(6)  # ILicenseRegistry.LicenseState
REVOKED = 9  # IIPRegistry.Status.Revoked
DAY = 86_400
GAS = 3_000_000  # a fixed limit on the embedded chain: no estimation, refusals are mined and replayed
ZERO = "0x" + "00" * 20
ZERO32 = b"\0" * 32
TERMS_HASH = b"\x7e" * 32
OFFER_WINDOW = 30 * DAY  # the driver's default offer deadline: 30 days ahead, or the license's end if sooner


def field(label: str) -> bytes:
    """The field hash of a label (zero for the empty label: all fields)."""
    return keccak(text=label) if label else ZERO32


@dataclass
class LicenseDriver:
    """The world's registry and license register, two registered rights of Alice, and direct contract calls."""

    world: World
    right: int  # EM trade mark held by Alice, Registered
    other_right: int  # a second right of Alice
    t0: int  # block time before the rights were filed
    gas: int | None = GAS  # None: let the node estimate (anvil, Ganache)

    @property
    def reg(self) -> Any:
        return self.world.ipl.registry

    @property
    def lic(self) -> Any:
        return self.world.ipl.licenses

    @property
    def w3(self) -> Web3:
        return self.world.ipl.w3

    @property
    def accounts(self) -> list[LocalAccount]:
        return self.world.ipl.chain.accounts

    def a(self, index: int) -> str:
        """The address of party ``index``."""
        return self.accounts[index].address

    def now(self) -> int:
        return self.world.now()

    def send(self, fn: Any, who: int) -> Any:
        """Sends ``fn`` as party ``who`` and waits; returns the receipt (a refusal raises the named error)."""
        return self.world.as_(who).sender.send(fn, gas=self.gas)

    def reverts(self, fn: Any, who: int) -> tuple[str, tuple[Any, ...]]:
        """The custom error (name, args) that calling ``fn`` from party ``who`` reverts with."""
        with pytest.raises(Exception) as info:  # noqa: PT011 - eth-tester and web3 raise different types
            fn.call({"from": self.a(who)})
        return error_of(self.lic.abi, info.value)

    def terms(self, *, kind: int = NONEXCLUSIVE, territories: tuple[str, ...] = ("EM",), label: str = "",
              start: int = 0, end: int = 0, royalty: int = 250, sub: bool = False, transfer: bool = False,
              terms_hash: bytes = TERMS_HASH) -> tuple[Any, ...]:
        """An ``ILicenseRegistry.Terms`` tuple."""
        return (kind, [t.encode() for t in territories], field(label), start, end, royalty, sub, transfer, terms_hash)

    def offer_fn(self, licensee: int, *, right: int | None = None, parent: int = 0, label: str = "",
                 uri: str = "ipfs://terms", deadline: int | None = None, **terms: Any) -> Any:
        """The ``offerLicenseWithTerms`` call of a license to ``licensee`` (under ``parent``, on ``right``; the terms
        interned on first use), open until ``deadline`` (default: 30 days from now, or the license's end if sooner)."""
        return self.lic.functions.offerLicenseWithTerms(right or self.right, parent, self.a(licensee),
                                                        self.terms(label=label, **terms),
                                                        self.deadline_for(deadline, terms.get("end", 0)), label, uri)

    def deadline_for(self, deadline: int | None, end: int = 0) -> int:
        """``deadline``, or the default: 30 days from now, or the license's end if sooner."""
        if deadline is not None:
            return deadline
        default = self.now() + OFFER_WINDOW
        return min(default, end) if end else default

    def register_terms_fn(self, *, label: str = "", uri: str = "ipfs://terms", **terms: Any) -> Any:
        """The ``registerTerms`` call of these terms (the same keywords as ``terms``)."""
        return self.lic.functions.registerTerms(self.terms(label=label, **terms), label, uri)

    def register_terms(self, who: int = 2, **kw: Any) -> tuple[int, Any]:
        """Interns terms as party ``who`` (Alice by default); returns their id (new or existing) and the receipt."""
        fn = self.register_terms_fn(**kw)
        terms_id = int(fn.call({"from": self.a(who)}))
        return terms_id, self.send(fn, who)

    def offer_id_fn(self, licensee: int, terms_id: int, *, right: int | None = None, parent: int = 0,
                    deadline: int | None = None, end: int = 0) -> Any:
        """The ``offerLicense`` call by terms id."""
        return self.lic.functions.offerLicense(right or self.right, parent, self.a(licensee), terms_id,
                                               self.deadline_for(deadline, end))

    def grant_message(self, licensee: str, terms_id: int, deadline: int, *, right: int | None = None,
                      parent: int = 0, sequence: int | None = None) -> dict[str, Any]:
        """The GrantLicense message (the position's current grant sequence unless given)."""
        rid = right or self.right
        seq = int(self.lic.functions.grantSequenceOf(rid, parent).call()) if sequence is None else sequence
        return {"rightId": rid, "parentId": parent, "licensee": licensee, "termsId": terms_id, "sequence": seq,
                "deadline": deadline}

    def sign_grant(self, signer: int, licensee: int, terms_id: int, deadline: int, **kw: Any) -> bytes:
        """``signer``'s EIP-712 GrantLicense consent naming party ``licensee`` (``kw``: right, parent, sequence)."""
        return eip712.sign(self.lic, "GrantLicense", self.grant_message(self.a(licensee), terms_id, deadline, **kw),
                           self.accounts[signer])

    def grant_fn(self, licensee: str, terms_id: int, deadline: int, signature: bytes, *, right: int | None = None,
                 parent: int = 0) -> Any:
        """The ``grantLicenseBySig`` call."""
        return self.lic.functions.grantLicenseBySig(right or self.right, parent, licensee, terms_id, deadline,
                                                    signature)

    def grant_by_sig(self, licensor: int, licensee: int, terms_id: int, *, right: int | None = None,
                     parent: int = 0) -> tuple[int, Any]:
        """``licensee`` signs, ``licensor`` grants in one transaction; returns the license id and the receipt."""
        deadline = self.now() + DAY
        sig = self.sign_grant(licensee, licensee, terms_id, deadline, right=right, parent=parent)
        receipt = self.send(self.grant_fn(self.a(licensee), terms_id, deadline, sig, right=right, parent=parent),
                            licensor)
        (ev,) = self.lic.events.LicenseGranted().process_receipt(receipt, errors=DISCARD)
        return int(ev["args"]["licenseId"]), receipt

    def pause(self) -> Any:
        """The guardian pauses the license register (pausing is the guardian's, and nothing else is)."""
        return self.send(self.lic.functions.pause(), GUARDIAN)

    def unpause(self) -> Any:
        """The council unpauses it: a proposal, the offices' votes, the timelock (zero delay on the dev chain)."""
        council = self.world.ipl.council
        return council.pass_(council.call("LicenseRegistry", "unpause"), "unpause the licence register")

    def offer(self, licensor: int, licensee: int, **kw: Any) -> tuple[int, Any]:
        """Offers a license; returns its id and the receipt."""
        receipt = self.send(self.offer_fn(licensee, **kw), licensor)
        (ev,) = self.lic.events.LicenseOffered().process_receipt(receipt, errors=DISCARD)
        return int(ev["args"]["licenseId"]), receipt

    def send_offer_to(self, licensee: str, licensor: int = 2, **kw: Any) -> tuple[int, Any]:
        """Offers a license to the address ``licensee`` (e.g. a contract wallet) from ``licensor`` (Alice)."""
        fn = self.offer_fn(0, **kw)
        args = list(fn.args)
        args[2] = licensee
        receipt = self.send(self.lic.functions.offerLicenseWithTerms(*args), licensor)
        (ev,) = self.lic.events.LicenseOffered().process_receipt(receipt, errors=DISCARD)
        return int(ev["args"]["licenseId"]), receipt

    def accept(self, licensee: int, license_id: int) -> Any:
        return self.send(self.lic.functions.acceptLicense(license_id), licensee)

    def grant(self, licensor: int, licensee: int, **kw: Any) -> int:
        """Offer + accept."""
        license_id, _ = self.offer(licensor, licensee, **kw)
        self.accept(licensee, license_id)
        return license_id

    def license(self, license_id: int) -> dict[str, Any]:
        """``licenseOf`` as a dict by the ABI's component names."""
        names = [o["name"] for o in self.lic.get_function_by_name("licenseOf").abi["outputs"][0]["components"]]
        return dict(zip(names, self.lic.functions.licenseOf(license_id).call()))

    def active(self, license_id: int) -> bool:
        return bool(self.lic.functions.isLicenseActive(license_id).call())

    def licensed(self, party: int, territory: str = "EM", label: str = "", time: int | None = None,
                 right: int | None = None) -> tuple[bool, int]:
        """``isLicensed`` of ``party`` (at ``time``, now by default)."""
        when = self.now() if time is None else time
        ok, lid = self.lic.functions.isLicensed(right or self.right, self.a(party), territory.encode(),
                                                field(label), when).call()
        return bool(ok), int(lid)

    def travel(self, timestamp: int) -> None:
        """Mines a block at ``timestamp`` (eth-tester only)."""
        tester = self.world.tester
        tester.time_travel(timestamp)
        tester.mine_blocks()
        assert self.now() == timestamp

    def acceptance(self, license_id: int, deadline: int, licensee: str | None = None,
                   terms_id: int | None = None) -> dict[str, Any]:
        """The AcceptLicense message of an offer (its licensee and terms id read from the chain unless given)."""
        rec = self.license(license_id)
        return {"licenseId": license_id, "licensee": rec["licensee"] if licensee is None else licensee,
                "termsId": rec["termsId"] if terms_id is None else terms_id, "deadline": deadline}

    def sign_acceptance(self, signer: int, license_id: int, deadline: int, **message: Any) -> bytes:
        """``signer``'s EIP-712 AcceptLicense signature of the offer (``message`` overrides licensee/terms_id)."""
        return eip712.sign(self.lic, "AcceptLicense", self.acceptance(license_id, deadline, **message),
                           self.accounts[signer])


    def deploy_wallet(self, owner: int) -> Any:
        """A contract wallet (contracts/mocks/ERC1271Wallet.sol) whose owner key is party ``owner``'s."""
        art = self.world.ipl.artifacts["ERC1271Wallet"]
        factory = self.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
        receipt = self.send(factory.constructor(self.a(owner)), owner)
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=art.abi)

    def via_wallet(self, wallet: Any, owner: int, fn: Any) -> Any:
        """``owner`` makes the wallet call ``fn`` (``execute``: the wallet is ``msg.sender``); returns the receipt."""
        return self.send(wallet.functions.execute(fn.address, fn._encode_transaction_data()), owner)


def license_driver(world: World, *, gas: int | None = GAS) -> LicenseDriver:
    """Files and registers two EM trade marks for Alice on ``world`` and returns the driver on them."""
    t0 = world.now()
    right = world.file_registered("018000001")
    other = world.file_registered("018000002")
    return LicenseDriver(world=world, right=right, other_right=other, t0=t0, gas=gas)
