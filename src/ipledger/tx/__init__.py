"""Transactions: the one sender (``Sender``, one at a time; ``Window``, its pipelined mode) and the fast signer."""

from ipledger.tx.sender import GAS_MARGIN, Sender, gas_limit, translated
from ipledger.tx.signer import FastSigner
from ipledger.tx.window import Sent, Stalled, Window

__all__ = ["GAS_MARGIN", "FastSigner", "Sender", "Sent", "Stalled", "Window", "gas_limit", "translated"]
