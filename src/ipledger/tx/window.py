"""The sender's pipelined mode: many transactions in flight from one account, stalls detected and repaired.

``Window`` is built on a ``Sender`` and takes from it what every transaction of the account
shares: the chain-id check (nothing is signed for another chain), the nonce source (the node's
count of the account's transactions) and the gas margin for node estimates. It signs locally
with ``FastSigner`` and sends back to back with its own nonces, keeping at most ``size``
unmined, and confirms by watching the account's mined nonce (one request for any number of
transactions) instead of polling each receipt.

**Fees.** EIP-1559 fees allow for the blocks that our own unmined transactions will fill
(the base fee may rise 12.5% per full block); legacy chains get the node's gas price. A node
that wants more to replace what sits at a nonce gets it (``fee_factor`` rises).

**Stalls.** If the mined nonce does not move for ``stall_timeout`` seconds (a dropped, stuck
or replaced transaction), or the node refuses a nonce, ``Stalled`` is raised; the caller
re-plans and starts a new round at the mined nonce (``reset``) with higher fees, which
replaces whatever is stuck. The first transaction of that round (the nonce gap that keeps the
stuck ones from running) is held back and sent last, and ``fill`` covers nonces the new round
does not reuse with no-op self-transfers, so that no stale transaction can ever run.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ipledger.abi import revert_data
from ipledger.errors import ContractRevert, IPLedgerError, NetworkError
from ipledger.rpc import RawReceipt, call_fields, is_transport, receipt, retry
from ipledger.tx.sender import gas_limit
from ipledger.tx.signer import FastSigner

if TYPE_CHECKING:
    from ipledger.tx.sender import Sender

log = logging.getLogger(__name__)

T = TypeVar("T")

FEE_BUMP = 1.5  # fee factor rise after a stall or an "underpriced" answer
FEE_REFRESH = 0.25  # seconds between reads of the latest block's fees
POLL_EVERY = 32  # transactions sent between opportunistic polls of the mined nonce
CANCEL_GAS = 21_000
VISIBLE_WAIT = 2.0  # seconds drain() waits for the last receipt (a replaced transaction has none)
DEFAULT_TIP = 10**9


class Stalled(NetworkError):
    """The account's mined nonce stopped moving (a transaction was dropped, replaced or is stuck),
    or the node refused a nonce; start a new round at the mined nonce (``Window.reset``)."""


@dataclass
class Sent(Generic[T]):
    """One transaction of the window: its nonce, hash (empty while held back), gas limit and the caller's item."""

    nonce: int
    tx_hash: bytes
    item: T
    gas: int
    wants_receipt: bool = False
    label: str = ""  # what it does, for messages
    call: tuple[bytes, bytes, int] | None = None  # (to, data, gas) of a held-back transaction


class Window(Generic[T]):
    """Sends signed transactions back to back from the sender's account, at most ``size`` of them unmined.

    ``on_sent(sent)`` runs once each transaction is handed to the node; ``on_mined(sent, ok,
    receipt)`` once its nonce is mined. Only transactions sent with ``receipt=True`` have their
    receipt read (``ok`` is its status, False when another transaction took the nonce); for the
    others ``ok`` is True: their effect is judged by reading the chain afterwards.
    """

    def __init__(self, sender: Sender, *, size: int, stall_timeout: float,
                 on_mined: Callable[[Sent[T], bool, RawReceipt | None], None],
                 on_sent: Callable[[Sent[T]], None] | None = None, fee_factor: float = 1.0,
                 label: str = "sending transactions") -> None:
        self.sender = sender
        self.w3 = sender.chain.w3
        self.chain_id = sender.checked_chain_id(label)  # refused before anything is signed
        self.signer = FastSigner(sender.account, self.chain_id)
        self.size = max(1, size)
        self.stall_timeout = stall_timeout
        self.fee_factor = fee_factor
        self.on_sent = on_sent
        self.on_mined = on_mined
        self.inflight: deque[Sent[T]] = deque()
        self.hold_until = -1
        self._held: Sent[T] | None = None
        self.nonce = 0
        self.mined = 0
        self.sent = 0
        self.block_gas_limit = 30_000_000
        self._base: int | None = None
        self._price: int | None = None
        self._tip: int | None = None
        self._inflight_gas = 0
        self._fees_at = 0.0
        self._progress_at = time.monotonic()
        self._polled_at = 0.0
        self._last_hash = b""  # the last transaction handed to the node

    # ---------------------------------------------------------------- nonces and fees

    def mined_nonce(self) -> int:
        """The account's mined nonce (the sender's nonce source, "latest"), retried over transport failures."""
        return retry(lambda: self.sender.transaction_count("latest"), "reading the account nonce")

    def pending_nonce(self) -> int:
        """The account's nonce including the node's mempool ("pending")."""
        return retry(lambda: self.sender.transaction_count("pending"), "reading the account nonce")

    def refresh_fees(self, force: bool = False) -> None:
        """Reads the base fee (or gas price) and block gas limit of the latest block, at most 4 times a second."""
        now = time.monotonic()
        if not force and now - self._fees_at < FEE_REFRESH:
            return
        block = retry(lambda: self.w3.eth.get_block("latest"), "reading the latest block")
        self.block_gas_limit = int(block["gasLimit"])
        base = block.get("baseFeePerGas")
        if base is None:
            self._base = None
            self._price = int(retry(lambda: self.w3.eth.gas_price, "reading the gas price"))
        else:
            self._base = int(base)
            if self._tip is None:
                try:
                    self._tip = int(self.w3.eth.max_priority_fee)
                except Exception:  # noqa: BLE001 - nodes without eth_maxPriorityFeePerGas
                    self._tip = DEFAULT_TIP
        self._fees_at = now

    def fees(self, gas: int) -> tuple[int | None, int | None, int | None]:
        """(max fee, tip, legacy gas price) for a transaction that waits behind our unmined ones.

        Full blocks raise the base fee by up to 12.5% each; our own transactions ahead of this
        one fill ``ahead`` blocks, so the cap allows for them, and twice that for everyone else.
        Only base fee + tip is paid; the cap just has to be covered by the balance.
        """
        if self._base is None:
            return None, None, int((self._price or DEFAULT_TIP) * 1.2 * self.fee_factor)
        ahead = min(40, math.ceil((self._inflight_gas + gas) / max(1, self.block_gas_limit)))
        tip = int((self._tip or DEFAULT_TIP) * self.fee_factor)
        return int(2 * self._base * 1.125**ahead * self.fee_factor) + tip, tip, None

    def estimate(self, to: str, data: bytes) -> int | ContractRevert:
        """A gas limit for the call from the node's estimate (with the sender's margin), or the decoded revert."""
        try:
            call: Any = {"from": self.sender.address, "to": to, "data": data, **call_fields(self.w3)}
            return gas_limit(int(self.w3.eth.estimate_gas(call)))
        except Exception as exc:  # noqa: BLE001 - a revert is an answer here
            raw = revert_data(exc)
            if raw is not None:
                return self.sender.decoder.decode(raw) if self.sender.decoder else ContractRevert(str(exc)[:300])
            if is_transport(exc):
                raise
            return ContractRevert(str(exc)[:300])

    # ---------------------------------------------------------------- sending

    def send(self, to: bytes, data: bytes, gas: int, item: T, *, wants_receipt: bool = False, label: str = "") -> None:
        """Signs and sends at the next nonce (waiting while ``size`` transactions are unmined)."""
        while len(self.inflight) >= self.size:
            if self._held is not None:
                self.release()
                continue
            self.poll(wait=True)
        if self.sent % POLL_EVERY == 0 or time.monotonic() - self._polled_at > FEE_REFRESH:
            self.poll(wait=False)
        self.refresh_fees()
        nonce = self.nonce
        self.nonce += 1
        if self._held is None and nonce <= self.hold_until:
            # The first nonce after a stall is the gap that keeps the stuck transactions from running:
            # replace them all first, then close the gap, so that none of them can run.
            self._held = Sent(nonce, b"", item, gas, wants_receipt, label, (to, data, gas))
            self.inflight.append(self._held)
            self._inflight_gas += gas
            return
        sent = Sent(nonce, self._submit(nonce, to, data, gas, label), item, gas, wants_receipt, label)
        self.inflight.append(sent)
        self._inflight_gas += gas
        self._sent(sent)
        if self._held is not None and self.nonce > self.hold_until:
            self.release()

    def release(self) -> None:
        """Sends the held-back first transaction of a round that replaced stuck ones."""
        held, self._held, self.hold_until = self._held, None, -1
        if held is not None and held.call is not None and held.nonce >= self.mined:
            held.tx_hash = self._submit(held.nonce, *held.call, held.label)
            self._sent(held)

    def fill(self, high_nonce: int, item: T) -> int:
        """After a stall: no-op self-transfers over the stalled nonces up to ``high_nonce`` this round did not reuse.

        A stale transaction at such a nonce could otherwise still be mined later and apply an
        old action after newer ones. Returns -1 (nothing left to cover).
        """
        if high_nonce < 0:
            return -1
        me = bytes.fromhex(self.signer.address[2:])
        while self.nonce <= high_nonce:
            self.send(me, b"", CANCEL_GAS, item, label="cancel a stale transaction")
        return -1

    def settle_pending(self, earlier_nonce: int = -1) -> int:
        """Waits for transactions an earlier run left in the mempool; returns the highest stuck nonce, or -1.

        The node's pending count shows an earlier run's transactions only up to the first gap (a
        dropped one); those behind it come from the caller's records (``earlier_nonce``). What is
        still stuck after ``stall_timeout`` is replaced by the next round (fees go up).
        """
        pending, mined = self.pending_nonce(), self.mined_nonce()
        high = max(pending - 1, earlier_nonce)
        if high < mined:
            return -1
        if pending > mined:
            log.info("%d transaction(s) of an earlier run are pending; waiting for them", pending - mined)
            deadline = time.monotonic() + self.stall_timeout
            while time.monotonic() < deadline:
                time.sleep(0.1)
                mined = self.mined_nonce()
                if mined > high:
                    return -1
        self.fee_factor *= FEE_BUMP  # they are stuck (or wait behind a gap): this run replaces them
        return high

    def _sent(self, sent: Sent[T]) -> None:
        """Counts a transaction handed to the node and tells ``on_sent``."""
        self.sent += 1
        self._last_hash = sent.tx_hash
        if self.on_sent is not None:
            self.on_sent(sent)

    def _submit(self, nonce: int, to: bytes, data: bytes, gas: int, label: str) -> bytes:
        """Signs and sends one transaction; returns its hash. Fees go up when the node wants a replacement."""
        for _attempt in range(4):
            max_fee, tip, price = self.fees(gas)
            raw, tx_hash = self.signer.sign(nonce=nonce, to=to, data=data, gas=gas, max_fee=max_fee, tip=tip,
                                            gas_price=price)
            error = self._send_raw(raw)
            if error is None or "already known" in error or "already imported" in error:
                return tx_hash
            low = error.lower()
            if "underpriced" in low or "fee per gas less than" in low or "fee too low" in low:
                self.fee_factor *= FEE_BUMP  # replacing something stuck at this nonce, or the base fee jumped
                self.refresh_fees(force=True)
                continue
            if "nonce too low" in low or "nonce too high" in low or "invalid transaction nonce" in low:
                raise Stalled(f"nonce {nonce} refused by the node ({error})")
            if "insufficient funds" in low:
                raise IPLedgerError(f"{self.signer.address} cannot pay for gas ({error}); fund it and run again "
                                    "(it resumes)")
            raise IPLedgerError(f"the node refused a transaction ({label or f'nonce {nonce}'}): {error}")
        raise Stalled(f"nonce {nonce}: the replacement is still underpriced after fee bumps")

    def _send_raw(self, raw: bytes) -> str | None:
        """Sends; returns None on success or the node's error message (transport failures are retried)."""
        try:
            retry(lambda: self.w3.eth.send_raw_transaction(raw), "sending a transaction")
            return None
        except NetworkError:
            raise
        except Exception as exc:  # noqa: BLE001 - classified by message
            msg: Any = getattr(exc, "message", None) or (exc.args[0] if exc.args else str(exc))
            if isinstance(msg, dict):
                msg = msg.get("message", str(msg))
            return str(msg)

    # ---------------------------------------------------------------- confirming

    def poll(self, *, wait: bool) -> None:
        """Confirms what has been mined; with ``wait``, until at least one more is, or the stall timeout."""
        while True:
            self._polled_at = time.monotonic()
            mined = self.mined_nonce()
            progressed = mined > self.mined
            self.mined = max(self.mined, mined)
            while self.inflight and self.inflight[0].nonce < mined:
                self._confirm(self.inflight.popleft())
            if progressed or not self.inflight:
                self._progress_at = time.monotonic()
            if time.monotonic() - self._progress_at > self.stall_timeout:
                head = self.inflight[0]
                raise Stalled(f"transaction 0x{head.tx_hash.hex()} (nonce {head.nonce}) was not mined within "
                              f"{self.stall_timeout:.0f} s")
            if not wait or progressed or not self.inflight:
                return
            time.sleep(0.002 if time.monotonic() - self._progress_at < 0.05 else 0.02)

    def _confirm(self, sent: Sent[T]) -> None:
        """A transaction's nonce is mined: reads its receipt if it wants one, and tells ``on_mined``."""
        self._inflight_gas -= sent.gas
        if not sent.tx_hash:  # held back, and a stuck transaction of the stalled round took its nonce after all
            if self._held is sent:
                self._held = None
            self.on_mined(sent, False, None)
            return
        if not sent.wants_receipt:
            self.on_mined(sent, True, None)
            return
        got = retry(lambda: receipt(self.w3, sent.tx_hash), "reading a receipt")
        # no receipt: the nonce was used by another transaction (ours, replaced; or another tool's)
        self.on_mined(sent, got is not None and got.status == 1, got)

    def drain(self) -> None:
        """Sends what is held back and waits until every transaction in flight is mined.

        Then it waits (briefly) for the receipt of the last one: a node may count the account's
        nonce a moment before its state answers calls at that block, and the caller reads the
        chain next.
        """
        self.release()
        while self.inflight:
            self.poll(wait=True)
        if self._last_hash:
            deadline = time.monotonic() + min(self.stall_timeout, VISIBLE_WAIT)
            while retry(lambda: receipt(self.w3, self._last_hash), "reading a receipt") is None:
                if time.monotonic() > deadline:
                    break  # replaced by another transaction at its nonce: nothing to wait for
                time.sleep(0.005)
            self._last_hash = b""

    def reset(self, nonce: int, hold_until: int) -> None:
        """Starts a round at ``nonce`` (the mined count); nonces up to ``hold_until`` hold stuck transactions."""
        self.inflight.clear()
        self._inflight_gas = 0
        self._held = None
        self.nonce = self.mined = nonce
        self.hold_until = hold_until if hold_until >= nonce else -1
        self._progress_at = time.monotonic()

    def close(self) -> None:
        """Hands the nonce back to the sender: its next transaction asks the node."""
        self.sender.reset_nonce()
