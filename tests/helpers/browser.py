"""A real browser for the tests: Playwright for Python driving Debian's Chromium (``/usr/bin/chromium``).

Playwright's own browser download cannot work here (no internet), so ``chromium()`` launches the system
binary headless with the flags that keep it off the network. ``available()`` says whether it is installed
(``.ci/run`` installs the ``chromium`` package). WebCrypto (``crypto.subtle``) works on http://127.0.0.1 and
https only, which is where the explorer is served in the tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run",
         "--disable-dev-shm-usage"]


def available() -> bool:
    """Whether Debian's Chromium and Playwright for Python are installed; with ``IPLEDGER_REQUIRE_SERVICES`` set
    (CI) always True, so a missing browser fails its tests instead of skipping them."""
    if os.environ.get("IPLEDGER_REQUIRE_SERVICES"):
        return True
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return shutil.which(CHROMIUM) is not None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium ``Browser``; closed (and Playwright stopped) on exit, also after a failure."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
