"""Registers the offline toolchain in the project's virtual environment (``make setup`` runs it).

1. The npm solcjs becomes ``.solcx/solc-v<version>``, a native-solc command line that
   py-solc-x, brownie and slither call like a downloaded solc (never in the user's home).
2. ``SOLCX_BINARY_PATH`` is set for every Python of the venv by a ``.pth`` file, so brownie
   and py-solc-x find it with no flag.
3. ``anvil``, ``ganache`` and ``ganache-cli`` from node_modules are linked into the venv's
   ``bin/``, where brownie looks for the nodes it launches.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

from ipledger.build.compiler import register_shim, solcx_folder
from ipledger.config import load_config

NODE_TOOLS = ("anvil", "ganache", "ganache-cli")


def write_pth(root: Path) -> Path:
    site = Path(sysconfig.get_paths()["purelib"])
    pth = site / "ipledger_toolchain.pth"
    folder = solcx_folder(root)
    pth.write_text(f"import os; os.environ.setdefault('SOLCX_BINARY_PATH', {str(folder)!r})\n")
    return pth


def link_node_tools(root: Path) -> list[Path]:
    bin_dir = Path(sys.prefix) / "bin"
    linked = []
    for tool in NODE_TOOLS:
        src = root / "node_modules" / ".bin" / tool
        if not src.exists():
            continue
        dst = bin_dir / tool
        if dst.is_symlink() or dst.exists():
            dst.unlink()
        dst.symlink_to(src.resolve())
        linked.append(dst)
    return linked


def setup() -> None:
    config = load_config()
    shim = register_shim(config.root, config.compiler.version)
    print(f"compiler: {shim}")
    if sys.prefix != sys.base_prefix:
        print(f"SOLCX_BINARY_PATH: {write_pth(config.root)}")
        for path in link_node_tools(config.root):
            print(f"linked: {path}")
    else:
        print("not in a virtual environment: export SOLCX_BINARY_PATH=" + str(solcx_folder(config.root)))
    os.environ.setdefault("SOLCX_BINARY_PATH", str(solcx_folder(config.root)))


if __name__ == "__main__":
    setup()
