"""One exception hierarchy for the whole toolkit.

Every message says what went wrong and what to do next. The CLI prints ``str(exc)``
on one line and exits with ``exc.exit_code``.
"""

from __future__ import annotations

from typing import Any


class IPLedgerError(Exception):
    """Base class of every error the toolkit raises on purpose."""

    exit_code = 1


class UsageError(IPLedgerError):
    """Bad input from the user: a malformed value, a missing file, an unknown name."""

    exit_code = 2


class InvalidInput(UsageError, ValueError):
    """A value that does not parse or validate (an address, a hash, a date, a code, a number).

    Both the toolkit's ``UsageError`` (the CLI prints it on one line, exit 2) and a builtin
    ``ValueError``, so Python callers can catch it the usual way.
    """


class ConfigError(UsageError):
    """brownie-config.yaml or the environment is missing or inconsistent."""


class CompilerError(IPLedgerError):
    """The Solidity compiler is missing or the sources do not compile."""


class NetworkError(IPLedgerError):
    """The chain cannot be reached, did not start, or answered out of turn."""


class DeploymentError(IPLedgerError):
    """No usable deployment record for this chain, or a record that does not match it."""


class ContractRevert(IPLedgerError):
    """A transaction or call was refused by a contract.

    Subclasses are made at run time, one per Solidity custom error, named after it
    (``ipledger.errors.revert_class("NotHolder")``); the error's arguments are set as
    attributes and kept in ``args_by_name``.
    """

    error_name: str = "ContractRevert"

    def __init__(self, message: str, args_by_name: dict[str, Any] | None = None, data: str = "") -> None:
        super().__init__(message)
        self.args_by_name: dict[str, Any] = dict(args_by_name or {})
        self.data = data
        for key, value in self.args_by_name.items():
            if key and not hasattr(self, key):
                setattr(self, key, value)


_REVERT_CLASSES: dict[str, type[ContractRevert]] = {}


def revert_class(name: str) -> type[ContractRevert]:
    """The ``ContractRevert`` subclass named after the Solidity custom error ``name``."""
    cls = _REVERT_CLASSES.get(name)
    if cls is None:
        cls = type(name, (ContractRevert,), {"error_name": name, "__doc__": f"Solidity custom error {name}."})
        _REVERT_CLASSES[name] = cls
    return cls
