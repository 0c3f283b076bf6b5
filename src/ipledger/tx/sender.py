"""The one transaction sender: local signing, the chain-id check, nonce bookkeeping, decoded reverts.

Every transaction is signed locally by an eth-account signer (dev account, keystore or an
opted-in key) and sent raw, so the same code runs on the embedded chain, anvil, Ganache and
a remote node. Gas is estimated first (plus ``GAS_MARGIN``); a revert at estimation never
reaches the chain and comes back as the named Solidity error.

``Sender`` sends one transaction at a time and waits for it (the SDK). Its pipelined mode,
``ipledger.tx.window.Window``, keeps many in flight from the same account (the importer) and
takes its chain id, nonces and gas margin from the same ``Sender``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from hexbytes import HexBytes

from ipledger.abi import ErrorDecoder, revert_data
from ipledger.errors import ContractRevert, IPLedgerError, NetworkError
from ipledger.rpc import is_transport

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from ipledger.chain import Chain

log = logging.getLogger(__name__)

GAS_MARGIN = 1.15  # a node's gas estimate times this (plus GAS_PAD) is the limit sent, in every mode
GAS_PAD = 5_000


def gas_limit(estimate: int) -> int:
    """The gas limit for a transaction the node estimated at ``estimate``."""
    return int(estimate * GAS_MARGIN) + GAS_PAD


@contextmanager
def translated(decoder: ErrorDecoder | None, action: str) -> Iterator[None]:
    """Turns backend exceptions into the toolkit's: reverts into named errors, transport failures into NetworkError."""
    try:
        yield
    except IPLedgerError:
        raise
    except Exception as exc:  # noqa: BLE001 - classified below
        data = revert_data(exc)
        if data is not None:
            raise (decoder or ErrorDecoder()).decode(data) from None
        name = type(exc).__name__
        text = str(exc)
        if is_transport(exc):
            raise NetworkError(f"{action}: the node did not answer ({name}); check that it is running and reachable") from None
        raise IPLedgerError(f"{action} failed: {name}: {text[:300]}") from None


class Sender:
    """Sends transactions from one account, keeping its nonce.

    The nonce is cached while transactions are in flight (sent, receipt not yet seen), so that several can
    be pipelined; once none is, the next transaction asks the node again. That keeps the bookkeeping right
    when a transaction reverts on chain (its nonce is used), when the node refuses one (nothing is used),
    when another tool sends from the same account, and when a restarted node lost the latest blocks.
    """

    def __init__(self, chain: Chain, account: LocalAccount, *, decoder: ErrorDecoder | None = None,
                 confirmations: int = 0, timeout: float = 120.0, expected_chain_id: int | None = None) -> None:
        self.chain = chain
        # the chain every transaction must go to: the deployment record's, or else the first one seen
        self.expected_chain_id = expected_chain_id
        self.account = account
        self.decoder = decoder
        self.confirmations = confirmations
        self.timeout = timeout
        self._nonce: int | None = None
        self._in_flight: dict[bytes, int] = {}  # tx hash -> nonce, sent and not yet waited for

    @property
    def address(self) -> str:
        """The sending account's address."""
        return str(self.account.address)

    def transaction_count(self, block: str = "pending") -> int:
        """The account's nonce as the node counts it: mined ("latest") or including its mempool ("pending")."""
        return int(self.chain.w3.eth.get_transaction_count(self.account.address, block))  # type: ignore[arg-type]

    def next_nonce(self) -> int:
        """The nonce of the next transaction: the cached one while some are in flight, else the node's."""
        if self._nonce is None or not self._in_flight:
            with translated(self.decoder, "reading the account nonce"):
                node = self.transaction_count("pending")
            if self._nonce is not None and node != self._nonce:
                log.info("nonce of %s: the node says %d, the cache %d (another sender, or a node that lost "
                         "blocks); using the node's", self.account.address, node, self._nonce)
            self._nonce = node
        return self._nonce

    def reset_nonce(self) -> None:
        """Forgets the cached nonce: the next transaction asks the node."""
        self._nonce = None
        self._in_flight.clear()

    def build(self, fn: Any, *, gas: int | None = None, label: str = "transaction") -> dict[str, Any]:
        """A signed-ready transaction dict; reverts at estimation raise the named error."""
        params: dict[str, Any] = {"from": self.account.address, "nonce": self.next_nonce(),
                                  "chainId": self.checked_chain_id(label)}
        with translated(self.decoder, label):
            if gas is None:
                gas = gas_limit(int(fn.estimate_gas({"from": self.account.address})))
            params["gas"] = gas
            tx: dict[str, Any] = fn.build_transaction(params)
        return tx

    def checked_chain_id(self, label: str) -> int:
        """The node's chain id, refused if it is not the one this sender is bound to (nothing is signed then)."""
        with translated(self.decoder, f"{label}: reading the chain id"):
            node = int(self.chain.chain_id)
        if self.expected_chain_id is None:
            self.expected_chain_id = node
        elif node != self.expected_chain_id:
            raise NetworkError(
                f"{label}: the node reports chain id {node}, but this session sends to chain {self.expected_chain_id} "
                "(its deployment record); nothing was sent: connect to the right node or redeploy"
            )
        return node

    def send_raw(self, tx: dict[str, Any], *, label: str = "transaction") -> bytes:
        """Signs and sends; returns the hash without waiting."""
        signed = self.account.sign_transaction(tx)
        with translated(self.decoder, label):
            try:
                tx_hash = self.chain.w3.eth.send_raw_transaction(signed.raw_transaction)
            except Exception:
                self.reset_nonce()
                raise
        self._nonce = int(tx["nonce"]) + 1
        self._in_flight[bytes(tx_hash)] = int(tx["nonce"])
        return bytes(tx_hash)

    def wait(self, tx_hash: bytes, *, label: str = "transaction", tx: dict[str, Any] | None = None) -> Any:
        """Waits for the receipt (and ``confirmations`` blocks); a failed receipt raises the decoded revert."""
        from web3.exceptions import TimeExhausted

        w3 = self.chain.w3
        try:
            with translated(self.decoder, label):
                try:
                    receipt = w3.eth.wait_for_transaction_receipt(HexBytes(tx_hash), timeout=self.timeout,
                                                                  poll_latency=0.05)
                except TimeExhausted:
                    raise NetworkError(
                        f"{label}: no receipt for tx 0x{bytes(tx_hash).hex()} within {self.timeout:.0f} s; the node "
                        "may have stopped mining or dropped it: check the transaction, then send again"
                    ) from None
                if self.confirmations:
                    target = int(receipt["blockNumber"]) + self.confirmations
                    deadline = time.monotonic() + self.timeout
                    while int(w3.eth.block_number) < target:
                        if time.monotonic() > deadline:
                            raise NetworkError(f"{label}: {self.confirmations} confirmations did not arrive in time")
                        time.sleep(0.5)
        except BaseException:
            self.reset_nonce()  # unknown whether it was mined: ask the node next time
            raise
        self._in_flight.pop(bytes(tx_hash), None)
        if int(receipt["status"]) != 1:
            raise self._failure(receipt, tx, label)
        return receipt

    def send(self, fn: Any, *, label: str = "transaction", gas: int | None = None) -> Any:
        """Build, sign, send and wait; returns the receipt."""
        tx = self.build(fn, gas=gas, label=label)
        return self.wait(self.send_raw(tx, label=label), label=label, tx=tx)

    def _failure(self, receipt: Any, tx: dict[str, Any] | None, label: str) -> ContractRevert:
        """Replays a failed transaction as a call at its block to recover the revert data."""
        if tx is not None:
            call = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
            try:
                self.chain.w3.eth.call(cast(Any, call), int(receipt["blockNumber"]) - 1)
            except Exception as exc:  # noqa: BLE001
                data = revert_data(exc)
                if data is not None:
                    return (self.decoder or ErrorDecoder()).decode(data)
        tx_hash = "0x" + bytes(receipt["transactionHash"]).hex()
        return ContractRevert(f"{label} reverted on chain (tx {tx_hash}, gas used {receipt['gasUsed']})")
