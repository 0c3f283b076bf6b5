"""LicenseRegistry: offers, acceptance (also by EIP-712 signature), license trees, exclusivity, ending and queries.

One embedded deployment per module (IPRegistry + a registered right + LicenseRegistry), reverted to a snapshot
after every test. The `nodes` tests at the top run a short scenario on real anvil and Ganache processes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from eth_abi import decode as abi_decode
from eth_account.signers.local import LocalAccount
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from ipledger.chain import Chain, EmbeddedRevert, connect
from ipledger.build.compiler import CompileResult
from ipledger.config import Config

GOV, REG, ALICE, BOB, CAROL, DAVE, EVE, RELAYER, MALLORY = range(9)
EXCLUSIVE, SOLE, NONEXCLUSIVE = 0, 1, 2
NONE, OFFERED, ACTIVE, WITHDRAWN, TERMINATED, SURRENDERED = range(6)
REVOKED = 9  # IIPRegistry.Status.Revoked
DAY = 86_400
GAS = 3_000_000
ZERO = "0x" + "00" * 20
TERMS_HASH = b"\x7e" * 32


# ---------------------------------------------------------------- helpers


def field(label: str) -> bytes:
    """The field hash of a label (zero for the empty label: all fields)."""
    return keccak(text=label) if label else b"\0" * 32


def revert_data(exc: BaseException) -> bytes:
    """The raw revert data of a failed call on eth-tester or over JSON-RPC."""
    if isinstance(exc, EmbeddedRevert):
        return exc.data
    if isinstance(exc, TransactionFailed):
        text = str(exc.args[0])
        _, _, literal = text.partition("execution reverted: ")
        return ast.literal_eval(literal) if literal.startswith("b") else b""
    data = getattr(exc, "data", None)
    if isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, str) and data.startswith("0x"):
        return bytes.fromhex(data[2:])
    raise AssertionError(f"no revert data in {type(exc).__name__}: {exc}")


def decode_revert(abi: list[dict[str, Any]], data: bytes) -> tuple[str, tuple[Any, ...]]:
    """(name, args) of a custom error, matched by selector against the ABI's errors."""
    for item in abi:
        if item["type"] != "error":
            continue
        types = [i["type"] for i in item["inputs"]]
        if keccak(text=f"{item['name']}({','.join(types)})")[:4] == data[:4]:
            args = abi_decode(types, data[4:])
            return item["name"], tuple(to_checksum_address(a) if t == "address" else a for t, a in zip(types, args))
    raise AssertionError(f"unknown revert data 0x{data.hex()}")


@dataclass
class Ledger:
    """A deployed IPRegistry + LicenseRegistry with a registered right held by Alice."""

    chain: Chain
    reg: Any
    lic: Any
    right: int  # EM trade mark held by Alice, Registered
    other_right: int  # a second right of Alice
    t0: int  # block time at setup

    @property
    def w3(self) -> Web3:
        return self.chain.w3

    @property
    def accounts(self) -> list[LocalAccount]:
        return self.chain.accounts

    def a(self, index: int) -> str:
        return self.accounts[index].address

    def now(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def send(self, fn: Any, who: int, gas: int | None = GAS) -> Any:
        """Signs locally, sends and waits; asserts success (decoding the error if it failed)."""
        acct = self.accounts[who]
        params: dict[str, Any] = {"from": acct.address, "nonce": self.w3.eth.get_transaction_count(acct.address)}
        if gas is not None:
            params["gas"] = gas
        tx = fn.build_transaction(params)
        tx_hash = self.w3.eth.send_raw_transaction(acct.sign_transaction(tx).raw_transaction)
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        assert receipt["status"] == 1, f"transaction failed: {self.reverts(fn, who)}"
        return receipt

    def reverts(self, fn: Any, who: int) -> tuple[str, tuple[Any, ...]]:
        """The custom error (name, args) that calling ``fn`` from account ``who`` reverts with."""
        with pytest.raises(Exception) as info:  # noqa: PT011 - eth-tester and web3 raise different types
            fn.call({"from": self.a(who)})
        return decode_revert(self.lic.abi, revert_data(info.value))

    def terms(self, *, kind: int = NONEXCLUSIVE, territories: tuple[str, ...] = ("EM",), label: str = "",
              start: int = 0, end: int = 0, royalty: int = 250, sub: bool = False, transfer: bool = False,
              terms_hash: bytes = TERMS_HASH) -> tuple[Any, ...]:
        return (kind, [t.encode() for t in territories], field(label), start, end, royalty, sub, transfer, terms_hash)

    def offer_fn(self, licensee: int, *, right: int | None = None, parent: int = 0, label: str = "",
                 uri: str = "ipfs://terms", **terms: Any) -> Any:
        return self.lic.functions.offerLicense(right or self.right, parent, self.a(licensee),
                                               self.terms(label=label, **terms), label, uri)

    def offer(self, licensor: int, licensee: int, **kw: Any) -> tuple[int, Any]:
        receipt = self.send(self.offer_fn(licensee, **kw), licensor)
        (ev,) = self.lic.events.LicenseOffered().process_receipt(receipt)
        return int(ev["args"]["licenseId"]), receipt

    def accept(self, licensee: int, license_id: int) -> Any:
        return self.send(self.lic.functions.acceptLicense(license_id), licensee)

    def grant(self, licensor: int, licensee: int, **kw: Any) -> int:
        """Offer + accept."""
        license_id, _ = self.offer(licensor, licensee, **kw)
        self.accept(licensee, license_id)
        return license_id

    def license(self, license_id: int) -> dict[str, Any]:
        names = [o["name"] for o in self.lic.get_function_by_name("licenseOf").abi["outputs"][0]["components"]]
        return dict(zip(names, self.lic.functions.licenseOf(license_id).call()))

    def active(self, license_id: int) -> bool:
        return bool(self.lic.functions.isLicenseActive(license_id).call())

    def licensed(self, party: int, territory: str = "EM", label: str = "", time: int | None = None,
                 right: int | None = None) -> tuple[bool, int]:
        when = self.now() if time is None else time
        ok, lid = self.lic.functions.isLicensed(right or self.right, self.a(party), territory.encode(),
                                                field(label), when).call()
        return bool(ok), int(lid)

    def travel(self, timestamp: int) -> None:
        """Mines a block at ``timestamp`` (eth-tester only)."""
        tester = self.w3.provider.ethereum_tester  # type: ignore[attr-defined]
        tester.time_travel(timestamp)
        tester.mine_blocks()
        assert self.now() == timestamp

    def sign_acceptance(self, signer: int, license_id: int, nonce: int, deadline: int,
                        licensee: int | None = None) -> bytes:
        """``signer``'s EIP-712 AcceptLicense signature (for ``licensee``, the signer by default)."""
        domain = {"name": "IP Ledger Licenses", "version": "1", "chainId": self.w3.eth.chain_id,
                  "verifyingContract": self.lic.address}
        types = {"AcceptLicense": [{"name": "licenseId", "type": "uint256"}, {"name": "licensee", "type": "address"},
                                   {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]}
        message = {"licenseId": license_id, "licensee": self.a(signer if licensee is None else licensee),
                   "nonce": nonce, "deadline": deadline}
        return bytes(self.accounts[signer].sign_typed_data(domain, types, message).signature)


def deploy(chain: Chain, artifacts: CompileResult, gas: int | None = GAS) -> Ledger:
    """Deploys the registry, an EM office, a registered right for Alice, and the license register."""
    w3, accts = chain.w3, chain.accounts

    def contract(name: str, *args: Any) -> Any:
        art = artifacts[name]
        factory = w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
        acct = accts[GOV]
        tx = factory.constructor(*args).build_transaction(
            {"from": acct.address, "nonce": w3.eth.get_transaction_count(acct.address)})
        receipt = w3.eth.wait_for_transaction_receipt(
            w3.eth.send_raw_transaction(acct.sign_transaction(tx).raw_transaction))
        assert receipt["status"] == 1
        return w3.eth.contract(address=receipt["contractAddress"], abi=art.abi)

    reg = contract("IPRegistry", accts[GOV].address)
    lic = contract("LicenseRegistry", reg.address)
    now = int(w3.eth.get_block("latest")["timestamp"])
    lg = Ledger(chain=chain, reg=reg, lic=lic, right=0, other_right=0, t0=now)
    lg.send(reg.functions.addOffice(b"EM", False), GOV, gas)
    lg.send(reg.functions.grantRegistrar(b"EM", accts[REG].address), GOV, gas)
    rights = []
    for number in ("018000001", "018000002"):
        filing = (b"EM", 2, accts[ALICE].address, 0, b"\xab" * 32, b"\xcd" * 32, number, "ipfs://meta")
        lg.send(reg.functions.file(filing), REG, gas)
        rid = reg.functions.rightIdOf(b"EM", 2, number).call()
        lg.send(reg.functions.changeStatus(rid, 2, 0, b"\0" * 32), REG, gas)
        filed_on = reg.functions.rightOf(rid).call()[4]  # the registration may not precede the filing date
        lg.send(reg.functions.register(rid, "R-" + number, max(now, filed_on), now + 3650 * DAY, b"\0" * 32), REG,
                gas)
        rights.append(rid)
    lg.right, lg.other_right = rights
    return lg


@pytest.fixture(scope="module")
def module_ledger(artifacts: CompileResult) -> Iterator[Ledger]:
    chain = connect("embedded")
    try:
        yield deploy(chain, artifacts)
    finally:
        chain.close()


@pytest.fixture
def lg(module_ledger: Ledger) -> Iterator[Ledger]:
    tester = module_ledger.w3.provider.ethereum_tester  # type: ignore[attr-defined]
    snap = tester.take_snapshot()
    try:
        yield module_ledger
    finally:
        tester.revert_to_snapshot(snap)


# ---------------------------------------------------------------- real nodes


@pytest.mark.nodes
@pytest.mark.parametrize("backend", ["anvil", "ganache"])
def test_scenario_on_node_offer_accept_terminate_updates_is_licensed(
        backend: str, config: Config, artifacts: CompileResult) -> None:
    chain = connect(backend, config)
    try:
        lg = deploy(chain, artifacts, gas=None)
        lid, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE, territories=("EM", "US"), label="software")
        assert lg.reverts(lg.lic.functions.acceptLicense(lid), CAROL) == ("NotLicensee", (lid, lg.a(CAROL)))
        lg.accept(BOB, lid)
        assert lg.licensed(BOB, "US", "software") == (True, lid)
        assert lg.licensed(ALICE, "US", "software") == (False, 0)  # excluded by the exclusive license
        receipt = lg.send(lg.lic.functions.terminateLicense(lid), ALICE, gas=None)
        assert lg.lic.events.LicenseTerminated().process_receipt(receipt)[0]["args"]["licensee"] == lg.a(BOB)
        assert lg.licensed(BOB, "US", "software") == (False, 0)
        assert lg.licensed(ALICE, "US", "software") == (True, 0)
    finally:
        chain.close()
    assert chain.process is None or chain.process.poll() is not None


# ---------------------------------------------------------------- deployment


def test_deploy_with_zero_registry_reverts_invalid_account(lg: Ledger, artifacts: CompileResult) -> None:
    art = artifacts["LicenseRegistry"]
    factory = lg.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    with pytest.raises(EmbeddedRevert) as info:
        factory.constructor(ZERO).estimate_gas({"from": lg.a(GOV)})
    assert decode_revert(art.abi, revert_data(info.value)) == ("InvalidAccount", (ZERO,))
    assert lg.lic.functions.registry().call() == lg.reg.address


def test_compile_license_registry_fits_eip170_limit(artifacts: CompileResult) -> None:
    assert 0 < artifacts["LicenseRegistry"].code_size < 24_576


# ---------------------------------------------------------------- offer


def test_offer_by_holder_records_terms_and_emits_event(lg: Ledger) -> None:
    start, end = lg.t0 + DAY, lg.t0 + 400 * DAY
    lid, receipt = lg.offer(ALICE, BOB, kind=SOLE, territories=("EM", "US"), label="software", start=start,
                            end=end, royalty=500, sub=True, transfer=True, uri="ipfs://agreement")
    assert lid == 1
    (ev,) = lg.lic.events.LicenseOffered().process_receipt(receipt)
    args = ev["args"]
    assert (args["rightId"], args["licenseId"], args["licensee"], args["parentId"], args["licensor"]) == (
        lg.right, 1, lg.a(BOB), 0, lg.a(ALICE))
    assert args["fieldLabel"] == "software" and args["termsURI"] == "ipfs://agreement"
    t = args["terms"]
    assert (t["kind"], t["territories"], t["fieldHash"], t["start"], t["end"], t["royaltyBps"], t["sublicensable"],
            t["transferable"], t["termsHash"]) == (SOLE, [b"EM", b"US"], field("software"), start, end, 500, True,
                                                   True, TERMS_HASH)
    rec = lg.license(1)
    assert rec == {"rightId": lg.right, "parentId": 0, "licensor": lg.a(ALICE), "licensee": lg.a(BOB), "kind": SOLE,
                   "state": OFFERED, "active": False, "depth": 1, "territories": [b"EM", b"US"],
                   "fieldHash": field("software"), "start": start, "end": end, "royaltyBps": 500,
                   "sublicensable": True, "transferable": True, "termsHash": TERMS_HASH}
    lid2, _ = lg.offer(ALICE, CAROL, territories=("RU",))
    assert lid2 == 2
    assert lg.lic.functions.licenseCount().call() == 2
    assert lg.lic.functions.licensesOfRight(lg.right).call() == [1, 2]
    assert lg.lic.functions.licensesOf(lg.a(BOB)).call() == [1]
    assert lg.lic.functions.getLicenseRevoker(1).call() == lg.a(ALICE)


def test_offer_by_non_holder_reverts_not_holder(lg: Ledger) -> None:
    assert lg.reverts(lg.offer_fn(CAROL), BOB) == ("NotHolder", (lg.right, lg.a(BOB)))


def test_offer_unknown_right_reverts_right_not_found(lg: Ledger) -> None:
    assert lg.reverts(lg.offer_fn(BOB, right=12345), ALICE) == ("RightNotFound", (12345,))


def test_offer_on_revoked_right_reverts_right_ended(lg: Ledger) -> None:
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REG)
    assert lg.reverts(lg.offer_fn(BOB), ALICE) == ("RightEnded", (lg.right, REVOKED))


@pytest.mark.parametrize("licensee", [None, ALICE], ids=["zero", "self"])
def test_offer_to_zero_or_self_reverts_invalid_account(lg: Ledger, licensee: int | None) -> None:
    to = ZERO if licensee is None else lg.a(licensee)
    fn = lg.lic.functions.offerLicense(lg.right, 0, to, lg.terms(), "", "")
    assert lg.reverts(fn, ALICE) == ("InvalidAccount", (to,))


@pytest.mark.parametrize(("royalty", "ok"), [(10_000, True), (10_001, False)])
def test_offer_royalty_at_or_above_10000_bps_accepted_or_reverts(lg: Ledger, royalty: int, ok: bool) -> None:
    if ok:
        lid, _ = lg.offer(ALICE, BOB, royalty=royalty)
        assert lg.license(lid)["royaltyBps"] == royalty
    else:
        assert lg.reverts(lg.offer_fn(BOB, royalty=royalty), ALICE) == ("RoyaltyTooHigh", (royalty,))


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (32, True), (33, False)])
def test_offer_territory_count_within_bounds_accepted_or_reverts(lg: Ledger, count: int, ok: bool) -> None:
    codes = tuple(chr(65 + i // 26) + chr(65 + i % 26) for i in range(count))
    if ok:
        lid, _ = lg.offer(ALICE, BOB, territories=codes)
        assert lg.license(lid)["territories"] == [c.encode() for c in codes]
    else:
        assert lg.reverts(lg.offer_fn(BOB, territories=codes), ALICE) == ("TerritoryCount", (count, 32))


@pytest.mark.parametrize("code", ["em", "E1", "\0\0", "@Z", "Z["])
def test_offer_invalid_territory_code_reverts_invalid_territory(lg: Ledger, code: str) -> None:
    assert lg.reverts(lg.offer_fn(BOB, territories=("EM", code)), ALICE) == ("InvalidTerritory", (code.encode(),))


@pytest.mark.parametrize("case", ["end_before_start", "end_equals_start", "end_in_past"])
def test_offer_invalid_period_reverts_invalid_period(lg: Ledger, case: str) -> None:
    start, end = {"end_before_start": (lg.t0 + 10 * DAY, lg.t0 + 5 * DAY),
                  "end_equals_start": (lg.t0 + 10 * DAY, lg.t0 + 10 * DAY),
                  "end_in_past": (0, lg.t0 - 1)}[case]
    assert lg.reverts(lg.offer_fn(BOB, start=start, end=end), ALICE) == ("InvalidPeriod", (start, end))


def test_offer_field_label_not_matching_hash_reverts_field_label_mismatch(lg: Ledger) -> None:
    fn = lg.lic.functions.offerLicense(lg.right, 0, lg.a(BOB), lg.terms(label="software"), "hardware", "")
    assert lg.reverts(fn, ALICE) == ("FieldLabelMismatch", (field("software"), field("hardware")))
    fn = lg.lic.functions.offerLicense(lg.right, 0, lg.a(BOB), lg.terms(label="software"), "", "")
    assert lg.reverts(fn, ALICE) == ("FieldLabelMismatch", (field("software"), field("")))
    lid, _ = lg.offer(ALICE, BOB, label="software")
    assert lg.license(lid)["fieldHash"] == field("software")


def test_state_changes_when_registry_paused_revert_enforced_pause(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    lg.send(lg.reg.functions.pause(), GOV)
    assert lg.reverts(lg.offer_fn(CAROL), ALICE) == ("EnforcedPause", ())
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("EnforcedPause", ())
    assert lg.reverts(lg.lic.functions.withdrawOffer(lid), ALICE) == ("EnforcedPause", ())
    lg.send(lg.reg.functions.unpause(), GOV)
    lg.accept(BOB, lid)
    lg.send(lg.reg.functions.pause(), GOV)
    for fn, who in ((lg.lic.functions.terminateLicense(lid), ALICE), (lg.lic.functions.surrenderLicense(lid), BOB),
                    (lg.lic.functions.transferLicense(lid, lg.a(CAROL)), BOB)):
        assert lg.reverts(fn, who) == ("EnforcedPause", ())
    assert lg.licensed(BOB) == (True, lid)  # reads keep working


# ---------------------------------------------------------------- accept


def test_accept_by_licensee_activates_license_and_emits_event(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert not lg.active(lid)
    receipt = lg.accept(BOB, lid)
    (ev,) = lg.lic.events.LicenseAccepted().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensee": lg.a(BOB), "bySignature": False}
    assert lg.active(lid)
    assert lg.license(lid)["state"] == ACTIVE


def test_accept_by_other_party_reverts_not_licensee(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), CAROL) == ("NotLicensee", (lid, lg.a(CAROL)))


def test_accept_twice_reverts_not_offered(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("NotOffered", (lid, ACTIVE))


def test_accept_unknown_license_reverts_license_not_found(lg: Ledger) -> None:
    assert lg.reverts(lg.lic.functions.acceptLicense(7), BOB) == ("LicenseNotFound", (7,))


def test_accept_after_period_over_reverts_offer_expired(lg: Ledger) -> None:
    end = lg.now() + DAY
    lid, _ = lg.offer(ALICE, BOB, end=end)
    lg.travel(end + 1)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("OfferExpired", (lid, end))


def test_accept_after_right_revoked_reverts_right_ended(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REG)
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("RightEnded", (lg.right, REVOKED))


# ---------------------------------------------------------------- EIP-712 acceptance


def test_accept_by_sig_relayed_activates_and_consumes_nonce(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(BOB, lid, 0, deadline)
    receipt = lg.send(lg.lic.functions.acceptLicenseBySig(lid, deadline, sig), RELAYER)
    (ev,) = lg.lic.events.LicenseAccepted().process_receipt(receipt)
    assert (ev["args"]["licensee"], ev["args"]["bySignature"]) == (lg.a(BOB), True)
    assert lg.active(lid)
    assert lg.lic.functions.nonces(lg.a(BOB)).call() == 1


def test_accept_by_sig_from_wrong_signer_reverts_invalid_signature(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    sig = lg.sign_acceptance(MALLORY, lid, 0, deadline, licensee=BOB)  # Mallory signs a message naming Bob
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, sig)
    assert lg.reverts(fn, RELAYER) == ("InvalidSignature", (lg.a(BOB), lg.a(MALLORY)))
    bad = lg.reverts(lg.lic.functions.acceptLicenseBySig(lid, deadline, b"\1" * 65), RELAYER)
    assert bad == ("InvalidSignature", (lg.a(BOB), ZERO))


def test_accept_by_sig_replayed_reverts_not_offered(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + DAY
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, 0, deadline))
    lg.send(fn, RELAYER)
    assert lg.reverts(fn, RELAYER) == ("NotOffered", (lid, ACTIVE))


def test_accept_by_sig_with_used_nonce_reverts_invalid_signature(lg: Ledger) -> None:
    first, _ = lg.offer(ALICE, BOB, territories=("EM",))
    second, _ = lg.offer(ALICE, BOB, territories=("US",))
    deadline = lg.now() + DAY
    sig1, sig2 = lg.sign_acceptance(BOB, first, 0, deadline), lg.sign_acceptance(BOB, second, 0, deadline)
    lg.send(lg.lic.functions.acceptLicenseBySig(first, deadline, sig1), RELAYER)
    name, (expected, recovered) = lg.reverts(lg.lic.functions.acceptLicenseBySig(second, deadline, sig2), RELAYER)
    assert (name, expected) == ("InvalidSignature", lg.a(BOB)) and recovered != lg.a(BOB)
    lg.send(lg.lic.functions.acceptLicenseBySig(second, deadline, lg.sign_acceptance(BOB, second, 1, deadline)),
            RELAYER)
    assert lg.active(second)


def test_accept_by_sig_after_deadline_reverts_signature_expired(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    deadline = lg.now() + 100
    fn = lg.lic.functions.acceptLicenseBySig(lid, deadline, lg.sign_acceptance(BOB, lid, 0, deadline))
    lg.travel(deadline + 50)
    name, (got_deadline, timestamp) = lg.reverts(fn, RELAYER)
    assert (name, got_deadline) == ("SignatureExpired", deadline) and timestamp > deadline


# ---------------------------------------------------------------- withdraw, terminate, surrender


def test_withdraw_by_licensor_marks_withdrawn_and_emits_event(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    receipt = lg.send(lg.lic.functions.withdrawOffer(lid), ALICE)
    (ev,) = lg.lic.events.OfferWithdrawn().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensor": lg.a(ALICE)}
    assert lg.license(lid)["state"] == WITHDRAWN
    assert lg.reverts(lg.lic.functions.acceptLicense(lid), BOB) == ("NotOffered", (lid, WITHDRAWN))


def test_withdraw_by_other_party_reverts_not_licensor(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.withdrawOffer(lid), BOB) == ("NotLicensor", (lid, lg.a(BOB)))


def test_withdraw_accepted_license_reverts_not_offered(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.withdrawOffer(lid), ALICE) == ("NotOffered", (lid, ACTIVE))


def test_terminate_by_holder_ends_license_and_emits_event(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    receipt = lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    (ev,) = lg.lic.events.LicenseTerminated().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensor": lg.a(ALICE),
                                "licensee": lg.a(BOB)}
    assert lg.license(lid)["state"] == TERMINATED and not lg.active(lid)
    assert lg.licensed(BOB) == (False, 0)


@pytest.mark.parametrize("caller", [BOB, CAROL])
def test_terminate_by_licensee_or_stranger_reverts_not_licensor(lg: Ledger, caller: int) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), caller) == ("NotLicensor", (lid, lg.a(caller)))


def test_terminate_pending_or_ended_license_reverts_license_not_active(lg: Ledger) -> None:
    lid, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))
    lg.accept(BOB, lid)
    lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))
    assert lg.reverts(lg.lic.functions.surrenderLicense(lid), BOB) == ("LicenseNotActive", (lid,))


def test_surrender_by_licensee_ends_license_and_emits_event(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    receipt = lg.send(lg.lic.functions.surrenderLicense(lid), BOB)
    (ev,) = lg.lic.events.LicenseSurrendered().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "licensee": lg.a(BOB)}
    assert lg.license(lid)["state"] == SURRENDERED and not lg.active(lid)


def test_surrender_by_other_party_reverts_not_licensee(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.reverts(lg.lic.functions.surrenderLicense(lid), ALICE) == ("NotLicensee", (lid, lg.a(ALICE)))


# ---------------------------------------------------------------- license trees


def three_level_tree(lg: Ledger) -> tuple[int, int, int]:
    """Alice -> Bob (root) -> Carol (sub) -> Dave (subsub), all exclusive on EM/US in the software field."""
    common = {"kind": EXCLUSIVE, "label": "software", "sub": True}
    root = lg.grant(ALICE, BOB, territories=("EM", "US"), **common)
    sub = lg.grant(BOB, CAROL, parent=root, territories=("EM", "US"), **common)
    subsub = lg.grant(CAROL, DAVE, parent=sub, territories=("US",), **common)
    return root, sub, subsub


def test_offer_sublicense_within_parent_records_tree_and_revokers(lg: Ledger) -> None:
    root, sub, subsub = three_level_tree(lg)
    f = lg.lic.functions
    assert [f.parentOf(i).call() for i in (root, sub, subsub)] == [0, root, sub]
    assert [f.getParentLicenseId(i).call() for i in (root, sub, subsub)] == [0, root, sub]
    assert f.childrenOf(root).call() == [sub] and f.childrenOf(sub).call() == [subsub]
    assert f.childrenOf(subsub).call() == []
    assert [f.getLicenseRevoker(i).call() for i in (root, sub, subsub)] == [lg.a(ALICE), lg.a(BOB), lg.a(CAROL)]
    assert [lg.license(i)["depth"] for i in (root, sub, subsub)] == [1, 2, 3]
    assert all(lg.active(i) for i in (root, sub, subsub))
    assert lg.licensed(DAVE, "US", "software") == (True, subsub)


def test_terminate_root_of_three_level_tree_ends_every_leaf(lg: Ledger) -> None:
    root, sub, subsub = three_level_tree(lg)
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert [lg.active(i) for i in (root, sub, subsub)] == [False, False, False]
    assert [lg.license(i)["state"] for i in (root, sub, subsub)] == [TERMINATED, ACTIVE, ACTIVE]
    assert lg.licensed(CAROL, "US", "software") == (False, 0)
    assert lg.licensed(DAVE, "US", "software") == (False, 0)
    assert lg.licensed(ALICE, "US", "software") == (True, 0)
    assert lg.reverts(lg.lic.functions.terminateLicense(subsub), CAROL) == ("LicenseNotActive", (subsub,))


def test_surrender_middle_license_ends_its_subtree_only(lg: Ledger) -> None:
    root, sub, subsub = three_level_tree(lg)
    lg.send(lg.lic.functions.surrenderLicense(sub), CAROL)
    assert [lg.active(i) for i in (root, sub, subsub)] == [True, False, False]


def test_terminate_sublicense_by_parent_licensee_succeeds_holder_reverts(lg: Ledger) -> None:
    root, sub, _ = three_level_tree(lg)
    assert lg.reverts(lg.lic.functions.terminateLicense(sub), ALICE) == ("NotLicensor", (sub, lg.a(ALICE)))
    receipt = lg.send(lg.lic.functions.terminateLicense(sub), BOB)
    assert lg.lic.events.LicenseTerminated().process_receipt(receipt)[0]["args"]["licensor"] == lg.a(BOB)
    assert lg.active(root) and not lg.active(sub)


def test_offer_sublicense_by_non_licensee_reverts_not_licensee(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    assert lg.reverts(lg.offer_fn(DAVE, parent=root), CAROL) == ("NotLicensee", (root, lg.a(CAROL)))


def test_offer_sublicense_under_non_sublicensable_parent_reverts(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=False)
    assert lg.reverts(lg.offer_fn(CAROL, parent=root), BOB) == ("NotSublicensable", (root,))


def test_offer_sublicense_under_pending_or_ended_parent_reverts_not_active(lg: Ledger) -> None:
    root, _ = lg.offer(ALICE, BOB, sub=True)
    assert lg.reverts(lg.offer_fn(CAROL, parent=root), BOB) == ("LicenseNotActive", (root,))
    lg.accept(BOB, root)
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert lg.reverts(lg.offer_fn(CAROL, parent=root), BOB) == ("LicenseNotActive", (root,))


def test_offer_sublicense_under_unknown_parent_reverts_license_not_found(lg: Ledger) -> None:
    assert lg.reverts(lg.offer_fn(CAROL, parent=99), BOB) == ("LicenseNotFound", (99,))


def test_offer_sublicense_under_parent_of_other_right_reverts(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=True, right=lg.other_right)
    got = lg.reverts(lg.offer_fn(CAROL, parent=root), BOB)
    assert got == ("ParentOfOtherRight", (root, lg.other_right, lg.right))


def test_accept_sublicense_after_parent_terminated_reverts_not_active(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    sub, _ = lg.offer(BOB, CAROL, parent=root)
    lg.send(lg.lic.functions.terminateLicense(root), ALICE)
    assert lg.reverts(lg.lic.functions.acceptLicense(sub), CAROL) == ("LicenseNotActive", (root,))


@pytest.mark.parametrize(("parent", "child", "exceeded"), [
    (("EM", "US"), ("US",), None),
    (("WO",), ("RU", "AU", "WO"), None),
    (("EM", "US"), ("US", "RU"), "RU"),
    (("EM",), ("WO",), "WO"),
])
def test_offer_sublicense_territories_within_parent_or_reverts(lg: Ledger, parent: tuple[str, ...],
                                                               child: tuple[str, ...], exceeded: str | None) -> None:
    root = lg.grant(ALICE, BOB, sub=True, territories=parent)
    if exceeded is None:
        sub, _ = lg.offer(BOB, CAROL, parent=root, territories=child)
        assert lg.license(sub)["territories"] == [c.encode() for c in child]
    else:
        got = lg.reverts(lg.offer_fn(CAROL, parent=root, territories=child), BOB)
        assert got == ("ExceedsParentTerritory", (root, exceeded.encode()))


@pytest.mark.parametrize(("parent", "child", "ok"), [
    ("software", "software", True), ("", "software", True), ("", "", True),
    ("software", "", False), ("software", "hardware", False),
])
def test_offer_sublicense_field_equal_or_narrower_or_reverts(lg: Ledger, parent: str, child: str, ok: bool) -> None:
    root = lg.grant(ALICE, BOB, sub=True, label=parent)
    if ok:
        lg.offer(BOB, CAROL, parent=root, label=child)
    else:
        got = lg.reverts(lg.offer_fn(CAROL, parent=root, label=child), BOB)
        assert got == ("ExceedsParentField", (root, field(parent), field(child)))


@pytest.mark.parametrize("case", ["inside", "same", "starts_before", "ends_after", "open_under_closed", "open_open"])
def test_offer_sublicense_period_within_parent_or_reverts(lg: Ledger, case: str) -> None:
    p_start, p_end = lg.t0 + 10 * DAY, lg.t0 + 100 * DAY
    if case == "open_open":
        p_end = 0
    start, end = {"inside": (p_start + DAY, p_end - DAY), "same": (p_start, p_end),
                  "starts_before": (p_start - 1, p_end), "ends_after": (p_start, p_end + 1),
                  "open_under_closed": (p_start, 0), "open_open": (p_start, 0)}[case]
    root = lg.grant(ALICE, BOB, sub=True, start=p_start, end=p_end)
    if case in ("inside", "same", "open_open"):
        lg.offer(BOB, CAROL, parent=root, start=start, end=end)
    else:
        got = lg.reverts(lg.offer_fn(CAROL, parent=root, start=start, end=end), BOB)
        assert got == ("ExceedsParentPeriod", (root, p_start, p_end, start, end))


@pytest.mark.parametrize(("parent", "child", "ok"), [
    (EXCLUSIVE, EXCLUSIVE, True), (EXCLUSIVE, SOLE, True), (EXCLUSIVE, NONEXCLUSIVE, True),
    (SOLE, SOLE, True), (SOLE, NONEXCLUSIVE, True), (NONEXCLUSIVE, NONEXCLUSIVE, True),
    (SOLE, EXCLUSIVE, False), (NONEXCLUSIVE, SOLE, False), (NONEXCLUSIVE, EXCLUSIVE, False),
])
def test_offer_sublicense_kind_not_above_parent_or_reverts(lg: Ledger, parent: int, child: int, ok: bool) -> None:
    root = lg.grant(ALICE, BOB, sub=True, kind=parent)
    if ok:
        lg.offer(BOB, CAROL, parent=root, kind=child)
    else:
        assert lg.reverts(lg.offer_fn(CAROL, parent=root, kind=child), BOB) == (
            "ExceedsParentKind", (root, parent, child))


def test_offer_below_max_depth_succeeds_deeper_reverts_tree_too_deep(lg: Ledger) -> None:
    chain = [lg.grant(ALICE, BOB, sub=True)]
    parties = [BOB, CAROL]
    for depth in range(2, 9):
        licensor, licensee = parties[depth % 2], parties[(depth + 1) % 2]
        chain.append(lg.grant(licensor, licensee, parent=chain[-1], sub=True))
    assert lg.license(chain[-1])["depth"] == 8 and lg.active(chain[-1])
    leaf_holder = lg.license(chain[-1])["licensee"]
    who = BOB if leaf_holder == lg.a(BOB) else CAROL
    assert lg.reverts(lg.offer_fn(DAVE, parent=chain[-1]), who) == ("TreeTooDeep", (chain[-1], 8))
    lg.send(lg.lic.functions.terminateLicense(chain[0]), ALICE)
    assert not lg.active(chain[-1])  # the walk up eight levels finds the ended root


# ---------------------------------------------------------------- exclusivity


def overlap_expected(kind: int, territory: str, fld: str, time: str) -> bool:
    return kind != NONEXCLUSIVE and territory != "disjoint" and fld != "different" and time == "overlapping"


def matrix_terms(lg: Ledger, territory: str, fld: str, time: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Terms of A (EM+US, field "software", days 10..20) and of B placed relative to A."""
    a = {"territories": ("EM", "US"), "label": "software", "start": lg.t0 + 10 * DAY, "end": lg.t0 + 20 * DAY}
    b = {"territories": {"overlapping": ("US", "RU"), "disjoint": ("RU", "AU"), "WO": ("WO",)}[territory],
         "label": {"same": "software", "different": "hardware", "all": ""}[fld],
         "start": lg.t0 + (15 if time == "overlapping" else 21) * DAY, "end": lg.t0 + 30 * DAY}
    return a, b


@pytest.mark.parametrize("time", ["overlapping", "disjoint"])
@pytest.mark.parametrize("fld", ["same", "different", "all"])
@pytest.mark.parametrize("territory", ["overlapping", "disjoint", "WO"])
@pytest.mark.parametrize("kind", [EXCLUSIVE, SOLE, NONEXCLUSIVE], ids=["exclusive", "sole", "nonexclusive"])
def test_offer_overlap_matrix_conflicts_only_when_exclusive_and_overlapping(
        lg: Ledger, kind: int, territory: str, fld: str, time: str) -> None:
    """An active license A of the given kind against a new non-exclusive offer B."""
    a_terms, b_terms = matrix_terms(lg, territory, fld, time)
    a = lg.grant(ALICE, BOB, kind=kind, **a_terms)
    if overlap_expected(kind, territory, fld, time):
        assert lg.reverts(lg.offer_fn(CAROL, **b_terms), ALICE) == ("LicenseConflict", (a + 1, a))
    else:
        b = lg.grant(ALICE, CAROL, **b_terms)
        assert lg.active(a) and lg.active(b)


@pytest.mark.parametrize("territory", ["overlapping", "disjoint"])
@pytest.mark.parametrize("kind", [EXCLUSIVE, SOLE], ids=["exclusive", "sole"])
def test_offer_exclusive_or_sole_over_nonexclusive_license_conflicts_when_overlapping(
        lg: Ledger, kind: int, territory: str) -> None:
    """The rule is symmetric: a new exclusive or sole offer against an active non-exclusive license A."""
    a_terms, b_terms = matrix_terms(lg, territory, "same", "overlapping")
    a = lg.grant(ALICE, BOB, **a_terms)
    if territory == "overlapping":
        assert lg.reverts(lg.offer_fn(CAROL, kind=kind, **b_terms), ALICE) == ("LicenseConflict", (a + 1, a))
    else:
        lg.grant(ALICE, CAROL, kind=kind, **b_terms)


def test_offer_period_touching_inclusive_end_conflicts(lg: Ledger) -> None:
    end = lg.t0 + 20 * DAY
    a = lg.grant(ALICE, BOB, kind=EXCLUSIVE, start=lg.t0 + 10 * DAY, end=end)
    assert lg.reverts(lg.offer_fn(CAROL, start=end, end=end + DAY), ALICE) == ("LicenseConflict", (a + 1, a))
    lg.offer(ALICE, CAROL, start=end + 1, end=end + DAY)


def test_offer_against_pending_exclusive_offer_reverts_license_conflict(lg: Ledger) -> None:
    pending, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE)
    assert lg.reverts(lg.offer_fn(CAROL), ALICE) == ("LicenseConflict", (pending + 1, pending))


def test_offer_exclusive_against_pending_nonexclusive_offer_reverts_license_conflict(lg: Ledger) -> None:
    pending, _ = lg.offer(ALICE, BOB)
    assert lg.reverts(lg.offer_fn(CAROL, kind=EXCLUSIVE), ALICE) == ("LicenseConflict", (pending + 1, pending))


def test_offer_nonexclusive_beside_nonexclusive_succeeds(lg: Ledger) -> None:
    a = lg.grant(ALICE, BOB)
    b = lg.grant(ALICE, CAROL)
    assert lg.licensed(BOB) == (True, a) and lg.licensed(CAROL) == (True, b)


@pytest.mark.parametrize("ending", ["withdrawn", "terminated", "surrendered", "expired"])
def test_offer_after_conflicting_license_ends_succeeds(lg: Ledger, ending: str) -> None:
    end = lg.now() + DAY if ending == "expired" else 0
    a, _ = lg.offer(ALICE, BOB, kind=EXCLUSIVE, end=end)
    if ending != "withdrawn":
        lg.accept(BOB, a)
    assert lg.reverts(lg.offer_fn(CAROL, kind=EXCLUSIVE), ALICE)[0] == "LicenseConflict"
    if ending == "withdrawn":
        lg.send(lg.lic.functions.withdrawOffer(a), ALICE)
    elif ending == "terminated":
        lg.send(lg.lic.functions.terminateLicense(a), ALICE)
    elif ending == "surrendered":
        lg.send(lg.lic.functions.surrenderLicense(a), BOB)
    else:
        lg.travel(end + 1)
    b = lg.grant(ALICE, CAROL, kind=EXCLUSIVE)
    assert lg.licensed(CAROL) == (True, b)


def test_offer_exclusive_sublicense_under_exclusive_parent_does_not_conflict_with_ancestors(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True)
    sub = lg.grant(BOB, CAROL, kind=EXCLUSIVE, parent=root, sub=True)
    subsub = lg.grant(CAROL, DAVE, kind=EXCLUSIVE, parent=sub)
    assert all(lg.active(i) for i in (root, sub, subsub))


def test_offer_sublicense_overlapping_exclusive_sibling_reverts_license_conflict(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, kind=EXCLUSIVE, sub=True, territories=("EM", "US"))
    sibling = lg.grant(BOB, CAROL, kind=EXCLUSIVE, parent=root, territories=("US",))
    got = lg.reverts(lg.offer_fn(DAVE, parent=root, territories=("US",)), BOB)
    assert got == ("LicenseConflict", (sibling + 1, sibling))
    lg.offer(BOB, DAVE, parent=root, territories=("EM",))


def test_offer_sole_over_nonexclusive_tree_reverts_until_tree_ends(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=True, territories=("EM",))
    sub = lg.grant(BOB, CAROL, parent=root, kind=NONEXCLUSIVE)
    assert lg.reverts(lg.offer_fn(DAVE, kind=SOLE), ALICE) == ("LicenseConflict", (sub + 1, root))
    lg.send(lg.lic.functions.surrenderLicense(root), BOB)  # ends the root and its sublicense
    lg.grant(ALICE, DAVE, kind=SOLE)


def test_offer_beyond_max_licenses_per_right_reverts_until_one_ends(lg: Ledger) -> None:
    parties = [BOB, CAROL, DAVE, EVE]
    ids = [lg.offer(ALICE, parties[i % 4], territories=(chr(65 + i // 26) + chr(65 + i % 26),))[0]
           for i in range(64)]
    assert lg.reverts(lg.offer_fn(BOB, territories=("ZZ",)), ALICE) == ("TooManyLicenses", (lg.right, 64))
    lg.send(lg.lic.functions.withdrawOffer(ids[10]), ALICE)
    lid, _ = lg.offer(ALICE, BOB, territories=("ZZ",))  # the scan dropped the withdrawn offer
    assert lid == 65
    assert len(lg.lic.functions.licensesOfRight(lg.right).call()) == 65  # the full history stays
    assert lg.reverts(lg.offer_fn(BOB, territories=("ZY",)), ALICE) == ("TooManyLicenses", (lg.right, 64))
    lg.offer(ALICE, BOB, right=lg.other_right)  # the cap is per right


# ---------------------------------------------------------------- isLicensed


@pytest.mark.parametrize(("territory", "label", "day", "expected"), [
    ("US", "software", 15, True),
    ("RU", "software", 15, False),
    ("US", "hardware", 15, False),
    ("US", "", 15, False),
    ("US", "software", 9, False),
    ("US", "software", 21, False),
    ("US", "software", 20, True),
])
def test_is_licensed_licensee_inside_or_outside_scope(lg: Ledger, territory: str, label: str, day: int,
                                                     expected: bool) -> None:
    lid = lg.grant(ALICE, BOB, territories=("EM", "US"), label="software", start=lg.t0 + 10 * DAY,
                   end=lg.t0 + 20 * DAY)
    when = lg.t0 + day * DAY
    assert lg.licensed(BOB, territory, label, when) == ((True, lid) if expected else (False, 0))


def test_is_licensed_worldwide_all_fields_license_covers_any_use(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB, territories=("WO",))
    assert lg.licensed(BOB, "AU", "anything") == (True, lid)
    assert lg.licensed(BOB, "AU", "") == (True, lid)
    assert lg.licensed(CAROL, "AU") == (False, 0)


def test_is_licensed_pending_offer_false(lg: Ledger) -> None:
    lg.offer(ALICE, BOB)
    assert lg.licensed(BOB) == (False, 0)


@pytest.mark.parametrize(("kind", "territory", "expected"), [
    (None, "EM", (True, 0)),
    (NONEXCLUSIVE, "EM", (True, 0)),
    (SOLE, "EM", (True, 0)),
    (EXCLUSIVE, "EM", (False, 0)),
    (EXCLUSIVE, "US", (True, 0)),
])
def test_is_licensed_holder_true_unless_exclusive_license_covers(lg: Ledger, kind: int | None, territory: str,
                                                                 expected: tuple[bool, int]) -> None:
    if kind is not None:
        lg.grant(ALICE, BOB, kind=kind, territories=("EM",))
    assert lg.licensed(ALICE, territory) == expected


def test_is_licensed_after_right_revoked_false(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    assert lg.licensed(BOB) == (True, lid) and lg.licensed(ALICE) == (True, 0)
    lg.send(lg.reg.functions.changeStatus(lg.right, REVOKED, 0, b"\0" * 32), REG)
    assert lg.licensed(BOB) == (False, 0) and lg.licensed(ALICE) == (False, 0)
    assert not lg.active(lid) and not lg.license(lid)["active"]
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))


def test_is_licensed_after_right_expiry_date_false(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB)
    expiry = lg.reg.functions.rightOf(lg.right).call()[6]
    assert lg.licensed(BOB, time=expiry) == (True, lid)
    assert lg.licensed(BOB, time=expiry + 1) == (False, 0)
    assert lg.licensed(ALICE, time=expiry + 1) == (False, 0)


def test_is_licensed_unknown_right_false(lg: Ledger) -> None:
    assert lg.licensed(ALICE, right=424242) == (False, 0)


# ---------------------------------------------------------------- expiry, assignment, transfer


def test_expiry_by_time_ends_license_without_transaction(lg: Ledger) -> None:
    end = lg.now() + 10 * DAY
    lid = lg.grant(ALICE, BOB, end=end, sub=True)
    sub = lg.grant(BOB, CAROL, parent=lid, end=end)
    assert lg.licensed(BOB) == (True, lid)
    lg.travel(end)
    assert lg.active(lid)  # the end second is still covered
    lg.travel(end + 1)
    assert not lg.active(lid) and not lg.active(sub)
    assert lg.license(lid)["state"] == ACTIVE  # nothing was written
    assert lg.licensed(BOB) == (False, 0)
    assert lg.reverts(lg.lic.functions.terminateLicense(lid), ALICE) == ("LicenseNotActive", (lid,))


def test_assignment_of_right_keeps_licenses_and_moves_licensor(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=True)
    sub = lg.grant(BOB, CAROL, parent=root)
    lg.send(lg.reg.functions.requestAssignment(lg.right, lg.a(EVE), b"\x11" * 32), ALICE)
    lg.send(lg.reg.functions.acceptAssignment(lg.right), EVE)  # EM needs no recordal here: title moves
    assert lg.reg.functions.holderAndStatus(lg.right).call()[0] == lg.a(EVE)
    assert lg.active(root) and lg.active(sub)
    assert lg.licensed(BOB) == (True, root) and lg.licensed(CAROL) == (True, sub)
    assert lg.licensed(EVE) == (True, 0) and lg.licensed(ALICE) == (False, 0)
    assert lg.lic.functions.getLicenseRevoker(root).call() == lg.a(EVE)
    assert lg.license(root)["licensor"] == lg.a(EVE)
    assert lg.reverts(lg.lic.functions.terminateLicense(root), ALICE) == ("NotLicensor", (root, lg.a(ALICE)))
    assert lg.reverts(lg.offer_fn(DAVE), ALICE) == ("NotHolder", (lg.right, lg.a(ALICE)))
    receipt = lg.send(lg.lic.functions.terminateLicense(root), EVE)
    assert lg.lic.events.LicenseTerminated().process_receipt(receipt)[0]["args"]["licensor"] == lg.a(EVE)
    assert not lg.active(root) and not lg.active(sub)


def test_transfer_transferable_license_moves_licensee_and_emits_event(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB, transfer=True)
    other = lg.grant(ALICE, BOB, territories=("US",))
    receipt = lg.send(lg.lic.functions.transferLicense(lid, lg.a(CAROL)), BOB)
    (ev,) = lg.lic.events.LicenseTransferred().process_receipt(receipt)
    assert dict(ev["args"]) == {"rightId": lg.right, "licenseId": lid, "to": lg.a(CAROL), "from": lg.a(BOB)}
    assert lg.license(lid)["licensee"] == lg.a(CAROL) and lg.active(lid)
    assert lg.lic.functions.licensesOf(lg.a(BOB)).call() == [other]
    assert lg.lic.functions.licensesOf(lg.a(CAROL)).call() == [lid]
    assert lg.licensed(CAROL) == (True, lid) and lg.licensed(BOB) == (False, 0)
    assert lg.reverts(lg.lic.functions.surrenderLicense(lid), BOB) == ("NotLicensee", (lid, lg.a(BOB)))


def test_transfer_non_transferable_license_reverts_not_transferable(lg: Ledger) -> None:
    lid = lg.grant(ALICE, BOB, transfer=False)
    fn = lg.lic.functions.transferLicense(lid, lg.a(CAROL))
    assert lg.reverts(fn, BOB) == ("NotTransferable", (lid,))


@pytest.mark.parametrize(("caller", "to", "error"), [
    (CAROL, DAVE, "NotLicensee"), (BOB, None, "InvalidAccount"), (BOB, BOB, "InvalidAccount"),
    (BOB, ALICE, "InvalidAccount"),
])
def test_transfer_by_wrong_caller_or_to_bad_account_reverts(lg: Ledger, caller: int, to: int | None,
                                                            error: str) -> None:
    lid = lg.grant(ALICE, BOB, transfer=True)
    target = ZERO if to is None else lg.a(to)
    got = lg.reverts(lg.lic.functions.transferLicense(lid, target), caller)
    assert got == (error, (lid, lg.a(caller)) if error == "NotLicensee" else (target,))


def test_transfer_parent_license_makes_new_licensee_the_sublicensor(lg: Ledger) -> None:
    root = lg.grant(ALICE, BOB, sub=True, transfer=True)
    sub = lg.grant(BOB, CAROL, parent=root)
    lg.send(lg.lic.functions.transferLicense(root, lg.a(DAVE)), BOB)
    assert lg.lic.functions.getLicenseRevoker(sub).call() == lg.a(DAVE)
    assert lg.reverts(lg.lic.functions.terminateLicense(sub), BOB) == ("NotLicensor", (sub, lg.a(BOB)))
    lg.send(lg.lic.functions.terminateLicense(sub), DAVE)
    assert not lg.active(sub)


# ---------------------------------------------------------------- reads and gas


def test_read_unknown_license_reverts_license_not_found_or_false(lg: Ledger) -> None:
    for fn in (lg.lic.functions.licenseOf(5), lg.lic.functions.parentOf(5), lg.lic.functions.childrenOf(5),
               lg.lic.functions.getLicenseRevoker(5), lg.lic.functions.getParentLicenseId(0)):
        assert lg.reverts(fn, ALICE) == ("LicenseNotFound", (fn.args[0],))
    assert not lg.active(5)
    assert lg.lic.functions.licensesOf(lg.a(BOB)).call() == []


def test_measure_gas_of_lifecycle_stays_within_bounds(lg: Ledger) -> None:
    lid, offer = lg.offer(ALICE, BOB, kind=EXCLUSIVE, territories=("EM", "US"), label="software", sub=True)
    accept = lg.accept(BOB, lid)
    sub, sub_offer = lg.offer(BOB, CAROL, parent=lid, territories=("US",), label="software")
    sub_accept = lg.accept(CAROL, sub)
    terminate = lg.send(lg.lic.functions.terminateLicense(lid), ALICE)
    used = {name: r["gasUsed"] for name, r in (("offer", offer), ("accept", accept), ("sublicense", sub_offer),
                                               ("sub_accept", sub_accept), ("terminate", terminate))}
    print("gas used:", used)
    assert used["offer"] < 400_000 and used["sublicense"] < 400_000
    assert used["accept"] < 100_000 and used["terminate"] < 60_000
