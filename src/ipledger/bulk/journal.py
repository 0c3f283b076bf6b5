"""The import journal: an append-only JSON-lines audit trail of runs, transactions, stalls and outcomes.

The chain, not the journal, decides what is done; the journal says which transaction carried
which records, and tells a re-run what an earlier run left in flight (transactions behind a
nonce gap, which a node does not count as pending).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


class Journal:
    """An append-only JSON-lines log of an import (``ipledger import --journal``), flushed line by line."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()

    def write(self, event: str, **fields: Any) -> None:
        """Appends one entry: the time, the event name and its fields."""
        self._fh.write(json.dumps({"t": round(time.time(), 3), "event": event, **fields}, sort_keys=True) + "\n")
        self._fh.flush()

    def close(self) -> None:
        """Flushes to disk and closes (safe to call twice)."""
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    @staticmethod
    def read(path: str | Path) -> list[dict[str, Any]]:
        """Every entry of a journal file (none if it does not exist; a line cut short by a crash is skipped)."""
        p = Path(path)
        if not p.is_file():
            return []
        out = []
        for line in p.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out

    @staticmethod
    def earlier_runs(path: str | Path, account: str, chain_id: int) -> tuple[int, int]:
        """How many transactions earlier runs in the journal sent, and the highest nonce of ``account``'s on the chain."""
        count, high, ours = 0, -1, False
        for entry in Journal.read(path):
            if entry.get("event") == "start":
                ours = entry.get("account") == account and entry.get("chain_id") == chain_id
            elif entry.get("event") == "sent":
                count += 1
                if ours:
                    high = max(high, int(entry.get("nonce", -1)))
        return count, high
