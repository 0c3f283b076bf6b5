"""Accounts: dev accounts of local nodes, encrypted keystores, and an opted-in raw key.

Keys are never printed or logged. A raw private key is read only from the environment
variable ``IPLEDGER_PRIVATE_KEY`` and only when the caller opts in (``allow_env_key``); on a
live network that opt-in is required. Keystores are eth-account JSON files (scrypt) in
``~/.ipledger/keystores`` or ``IPLEDGER_KEYSTORE_DIR``; the password comes from a prompt or
``IPLEDGER_KEYSTORE_PASSWORD``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipledger.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from ipledger.chain import Chain

KEY_ENV = "IPLEDGER_PRIVATE_KEY"
PASSWORD_ENV = "IPLEDGER_KEYSTORE_PASSWORD"
KEYSTORE_ENV = "IPLEDGER_KEYSTORE_DIR"


def keystore_dir() -> Path:
    return Path(os.environ.get(KEYSTORE_ENV) or Path.home() / ".ipledger" / "keystores")


def _password(prompt: str, password: str | None) -> str:
    if password is not None:
        return password
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    import getpass
    import sys

    if not sys.stdin.isatty():
        raise UsageError(f"a keystore password is needed: set {PASSWORD_ENV} or run in a terminal to be prompted")
    return getpass.getpass(prompt)


def create_keystore(name: str, password: str | None = None, private_key: str | None = None) -> str:
    """Creates (or imports ``private_key`` into) an encrypted keystore ``name``; returns the address."""
    from eth_account import Account

    _check_name(name)
    path = keystore_dir() / f"{name}.json"
    if path.exists():
        raise UsageError(f"keystore '{name}' already exists at {path}; choose another name")
    try:
        acct = Account.from_key(private_key) if private_key else Account.create()
    except (ValueError, TypeError):
        raise InvalidInput("the private key is not 32 bytes of hex; check it (it is not shown here)") from None
    pw = _password(f"password for keystore '{name}': ", password)
    if not pw:
        raise UsageError("an empty keystore password is refused; choose a password")
    data = Account.encrypt(acct.key, pw)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
    return str(acct.address)


def list_keystores() -> list[dict[str, str]]:
    from eth_utils import to_checksum_address

    out = []
    folder = keystore_dir()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            addr = to_checksum_address("0x" + json.loads(path.read_text())["address"])
        except (ValueError, KeyError):
            continue
        out.append({"name": path.stem, "address": addr, "path": str(path)})
    return out


def load_keystore(name: str, password: str | None = None) -> LocalAccount:
    from eth_account import Account

    _check_name(name)
    path = keystore_dir() / f"{name}.json"
    if not path.is_file():
        known = ", ".join(k["name"] for k in list_keystores()) or "none"
        raise UsageError(f"no keystore '{name}' in {keystore_dir()} (known: {known}); create one with `ipledger accounts new`")
    pw = _password(f"password for keystore '{name}': ", password)
    try:
        key = Account.decrypt(json.loads(path.read_text()), pw)
    except ValueError:
        raise UsageError(f"wrong password for keystore '{name}'") from None
    return Account.from_key(key)


def _check_name(name: str) -> None:
    if not name or not all(c.isalnum() or c in "-_." for c in name) or name.startswith("."):
        raise InvalidInput(f"keystore name '{name}' may use letters, digits, '-', '_' and '.' only")


def resolve_account(chain: Chain, account: Any, *, allow_env_key: bool = False,
                    password: str | None = None) -> LocalAccount:
    """The signer for ``account``: a dev index, a dev address, ``keystore:NAME``, ``env`` (opt-in), or a signer."""
    from eth_account.signers.local import LocalAccount

    if isinstance(account, LocalAccount):
        return account
    if account is None:
        account = 0
    text = str(account).strip()
    if text == "env":
        if not allow_env_key:
            raise UsageError(f"a raw private key from {KEY_ENV} needs the explicit opt-in flag --allow-env-key")
        key = os.environ.get(KEY_ENV)
        if not key:
            raise UsageError(f"{KEY_ENV} is not set; export it or use a keystore account")
        from eth_account import Account

        try:
            return Account.from_key(key)
        except (ValueError, TypeError):
            raise InvalidInput(f"{KEY_ENV} is not a 32-byte hex private key (it is not shown here)") from None
    if text.startswith("keystore:"):
        return load_keystore(text.split(":", 1)[1], password)
    if text.isdigit():
        index = int(text)
        if not chain.accounts:
            raise UsageError(f"network '{chain.name}' has no dev accounts; use --account keystore:NAME")
        if index >= len(chain.accounts):
            raise InvalidInput(f"dev account {index} does not exist; this chain has accounts 0..{len(chain.accounts) - 1}")
        return chain.accounts[index]
    for acct in chain.accounts:
        if acct.address.lower() == text.lower():
            return acct
    if any(k["name"] == text for k in list_keystores()):
        return load_keystore(text, password)
    raise UsageError(
        f"account '{text}' is not a dev account index, a dev address or a keystore; "
        "use 0..9, keystore:NAME, or env with --allow-env-key"
    )


def describe_accounts(chain: Chain) -> list[dict[str, Any]]:
    return [{"index": i, "address": a.address} for i, a in enumerate(chain.accounts)]
