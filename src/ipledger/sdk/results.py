"""Frozen values that SDK actions return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    """A decoded contract event."""

    name: str
    args: dict[str, Any]
    contract: str
    block: int
    log_index: int
    tx_hash: str


@dataclass(frozen=True)
class TxResult:
    """What a transaction did: its hash, the gas its receipt reports, its block and decoded events."""

    tx_hash: str
    gas_used: int
    block: int
    events: tuple[Event, ...] = ()

    def event(self, name: str) -> Event:
        """The first event called ``name`` (KeyError if none)."""
        for e in self.events:
            if e.name == name:
                return e
        raise KeyError(f"no {name} event in {self.tx_hash}; events: {[e.name for e in self.events]}")

    def all(self, name: str) -> list[Event]:
        return [e for e in self.events if e.name == name]
