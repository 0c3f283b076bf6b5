"""The explorer application: the JSON API, the web pages, the ERC-721 metadata endpoint, over one index.

``create_app(store)`` builds a FastAPI (ASGI) application that reads only ``store``; ``run(...)`` serves it with
uvicorn on 127.0.0.1 by default. Errors never show a stack trace: bad input is a 400 naming the problem (JSON
for the API, a page for a person), a missing right a 404, anything else a 500 with one line.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from ipledger.errors import IPLedgerError
from ipledger.index.store import Store
from ipledger.serve import api, pages

HERE = Path(__file__).parent
log = logging.getLogger(__name__)


def _error(request: Request, status: int, message: str) -> Any:
    if request.url.path.startswith(("/api/", "/metadata/")):
        return JSONResponse({"error": message}, status_code=status)
    return HTMLResponse(pages.render("error.html", status=status, message=message), status_code=status)


def create_app(store: Store, *, tx_url: str | None = None) -> FastAPI:
    """The application over ``store``; ``tx_url`` (e.g. ``https://sepolia.etherscan.io/tx/{}``) links transactions."""
    app = FastAPI(title="IP Ledger explorer", version="1", docs_url=None, redoc_url=None,
                  description="Read-only API of an IP Ledger register index. Every answer says the block it is "
                              "valid at; the chain is the truth.")
    app.state.store = store
    app.state.tx_url = tx_url
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(IPLedgerError)
    async def bad_input(request: Request, exc: IPLedgerError) -> Any:
        return _error(request, 400, str(exc).splitlines()[0])

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError) -> Any:
        return _error(request, 400, str(exc).splitlines()[0])

    @app.exception_handler(RequestValidationError)
    async def bad_query(request: Request, exc: RequestValidationError) -> Any:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
        return _error(request, 400, f"{where or 'the request'}: {first.get('msg', 'is not valid')}")

    @app.exception_handler(api.NotFound)
    async def not_found(request: Request, exc: api.NotFound) -> Any:
        return _error(request, 404, str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Any:  # never a stack trace to the client
        log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__, exc)
        return _error(request, 500, "internal error (the server's log says more)")

    return app


def run(store: Store, *, host: str = "127.0.0.1", port: int = 8000, tx_url: str | None = None) -> None:
    """Serves the explorer until interrupted."""
    import uvicorn

    uvicorn.run(create_app(store, tx_url=tx_url), host=host, port=port, log_level="warning", access_log=False)
