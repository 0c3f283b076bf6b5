"""``ipledger serve``: a public, read-only explorer and JSON API over the register index.

``create_app(store)`` is the ASGI application (FastAPI; OpenAPI at ``/openapi.json``), ``run`` serves it with
uvicorn. It reads only the index — it holds no key and makes no transaction — and binds to 127.0.0.1 unless
told otherwise.
"""

from __future__ import annotations

from ipledger.serve.app import create_app, run

__all__ = ["create_app", "run"]
