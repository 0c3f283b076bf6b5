"""The README's Python example runs as written."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT


def test_readme_sdk_example_runs() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README has a Python example"
    res = subprocess.run([sys.executable, "-c", blocks[0]], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "licensed=True" in res.stdout and "NotHolder" in res.stdout
