"""A JSON-RPC proxy that refuses long ``eth_getLogs`` spans, as public testnet endpoints do.

``RangeLimitedProxy(upstream, max_span)`` listens on a free loopback port and forwards every request to the
upstream node, except an ``eth_getLogs`` whose block range is longer than ``max_span`` blocks: that one gets the
error a provider sends (``-32005 query exceeds max block range <N>``, the message of Alchemy/Infura-style
endpoints), so a read that asks for the whole chain at once fails here the way it fails on Sepolia. It also
keeps what it saw (the spans of every ``eth_getLogs`` it answered or refused) for the test to check.
Batched requests are forwarded item by item.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REFUSAL_CODE = -32005


class RangeLimitedProxy:
    """A running proxy in front of ``upstream`` (an ``http://`` URL); use as a context manager or ``close()``."""

    def __init__(self, upstream: str, max_span: int) -> None:
        self.upstream = upstream
        self.max_span = max_span
        self.methods: Counter[str] = Counter()
        self.spans: list[int] = []  # every eth_getLogs span asked, answered or refused
        self.refused: list[int] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                if isinstance(body, list):
                    answer: Any = [proxy._one(item) for item in body]
                else:
                    answer = proxy._one(body)
                raw = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="range-proxy", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ forwarding

    def _forward(self, item: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(self.upstream, data=json.dumps(item).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result

    def _block(self, tag: Any) -> int:
        if tag is None or tag in ("latest", "pending", "safe", "finalized"):
            head = self._forward({"jsonrpc": "2.0", "id": 0, "method": "eth_blockNumber", "params": []})
            return int(head["result"], 16)
        if tag == "earliest":
            return 0
        return int(tag, 16)

    def _one(self, item: dict[str, Any]) -> dict[str, Any]:
        method = item.get("method", "")
        with self._lock:
            self.methods[method] += 1
        if method == "eth_getLogs":
            query = (item.get("params") or [{}])[0]
            if "blockHash" not in query:
                span = self._block(query.get("toBlock")) - self._block(query.get("fromBlock")) + 1
                with self._lock:
                    self.spans.append(span)
                if span > self.max_span:
                    with self._lock:
                        self.refused.append(span)
                    return {"jsonrpc": "2.0", "id": item.get("id"),
                            "error": {"code": REFUSAL_CODE,
                                      "message": f"query exceeds max block range {self.max_span}"}}
        return self._forward(item)

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RangeLimitedProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
