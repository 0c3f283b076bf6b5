"""Transactions: the one sender (single and pipelined window mode) and the fast local signer."""

from ipledger.tx.sender import Sender, translated

__all__ = ["Sender", "translated"]
