"""Click parameter types that check a value while the command line is parsed, with ``ipledger.types``.

Each type hands the text to the one parser of ``ipledger.types`` that the SDK and the
importer use too, so the CLI accepts and refuses exactly what they do, before any command
connects to a node. A refusal is ``InvalidInput``: the root group prints its message on one
line and exits 2 (``ipledger.cli.output.handled``).

A type returns what the command needs: a right id or unix seconds as ``int``, a hash as
``bytes``, a status as ``Status``; addresses, office codes, IP types, tags and signatures
are checked and passed on as typed (the SDK canonicalises them, and the output echoes them
as given).

``ipledger.types`` is cheap to import (it loads eth-utils on first use), so declaring these
types costs nothing when ``ipledger --help`` runs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import click

from ipledger import types
from ipledger.errors import InvalidInput, UsageError


class _Checked(click.ParamType):
    """A text parameter checked by a parser of ``ipledger.types``; ``what`` names it in messages."""

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return self.check(value)

    def check(self, value: Any) -> Any:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


class RightRef(_Checked):
    """A right as ``0x…`` id, decimal id or ``OFFICE/TYPE/APPLICATION-NUMBER``; gives the id (``int``), or with
    ``key`` the ``types.RightKey`` as named (its id hashed only when asked: the index finds it by number)."""

    name = "right"

    def __init__(self, *, key: bool = False) -> None:
        super().__init__("right")
        self.key = key

    def check(self, value: Any) -> Any:
        return types.right_key(value) if self.key else types.right_ref(value)


class Address(_Checked):
    """An Ethereum address (0x + 40 hex digits; mixed case must pass EIP-55), passed on as typed."""

    name = "address"

    def check(self, value: Any) -> str:
        types.address(value, self.what)
        return str(value)


class Office(_Checked):
    """A WIPO ST.3 office or country code (two upper-case letters), passed on as typed.

    With ``empty_ok``, an empty value passes too (a filter given as ``--office ""`` means none).
    """

    name = "office"

    def __init__(self, what: str = "office code", *, empty_ok: bool = False) -> None:
        super().__init__(what)
        self.empty_ok = empty_ok

    def check(self, value: Any) -> str:
        if self.empty_ok and value == "":
            return ""
        types.office(value, self.what)
        return str(value)


class IPTypeName(_Checked):
    """An IP type (PT UM TM ID CR GI PV or a full name such as trade_mark), passed on as typed."""

    name = "type"

    def __init__(self) -> None:
        super().__init__("IP type")

    def check(self, value: Any) -> str:
        types.ip_type(value)
        return str(value)


class ApplicationNumber(_Checked):
    """An ST.13 application number: 1 to 32 ASCII letters and digits, with ``-``, ``/`` or ``.`` between them."""

    name = "number"

    def __init__(self) -> None:
        super().__init__("application number")

    def check(self, value: Any) -> str:
        return types.application_number(value)


class StatusName(_Checked):
    """A legal status by name (published, registered, ...); gives the ``Status``."""

    name = "status"

    def __init__(self) -> None:
        super().__init__("status")

    def check(self, value: Any) -> Any:
        return types.status(value)


class Date(_Checked):
    """A date, ``YYYY-MM-DD`` (UTC midnight) or ``YYYY-MM-DDTHH:MM:SSZ``; gives unix seconds. A bare number
    (``20240101``, unix seconds) is refused with the hint to write ``2024-01-01``."""

    name = "date"

    def check(self, value: Any) -> int:
        return types.date(value, self.what)


class LegalEventName(_Checked):
    """A legal event by key event code (``F10``) or name (``registered``, ``filing-date-corrected``); gives the
    ``LegalEvent``."""

    name = "event"

    def __init__(self) -> None:
        super().__init__("legal event")

    def check(self, value: Any) -> Any:
        return types.legal_event(value)


class NationalCode(_Checked):
    """An office's national event code: 1 to 8 printable ASCII characters (empty: the default), passed on as typed."""

    name = "code"

    def __init__(self) -> None:
        super().__init__("national code")

    def check(self, value: Any) -> str:
        types.national_code(value)
        return str(value)


class Hash32(_Checked):
    """A 32-byte hash as 0x + 64 hex digits; gives the bytes (an empty value means none: ``None``)."""

    name = "hash"

    def check(self, value: Any) -> bytes | None:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        if not value:
            return None
        return types.bytes32(value, self.what)


class Signature(_Checked):
    """A 65-byte EIP-712 signature as 0x + 130 hex digits (as ``--sign-only`` prints it), passed on as typed."""

    name = "signature"

    def __init__(self, what: str = "--relay signature") -> None:
        super().__init__(what)

    def check(self, value: Any) -> str:
        types.signature(value, self.what, length=types.SIGNATURE_LEN)
        return str(value)


class Uri(_Checked):
    """A URI (``--metadata-uri``, ``--terms-uri``): printable, no white space, at most ``types.MAX_URI_LEN`` bytes.

    Empty means none. Checked like the SDK and the importer check it (``types.uri``), before connecting.
    """

    name = "uri"

    def __init__(self, what: str = "metadata URI") -> None:
        super().__init__(what)

    def check(self, value: Any) -> str:
        return types.uri(value, self.what)


class Tag(_Checked):
    """A short label (at most 32 bytes of UTF-8) stored as bytes32, passed on as typed."""

    name = "tag"

    def __init__(self) -> None:
        super().__init__("tag")

    def check(self, value: Any) -> str:
        types.tag32(value)
        return str(value)


#: A license id: 1 .. 2**256-1 (0 means "no license" on chain).
LICENSE_ID = click.IntRange(1, types.MAX_UINT256)
#: A parent license id, 0 for none.
PARENT_LICENSE_ID = click.IntRange(0, types.MAX_UINT256)


def digest(hash_value: bytes | None, file: str | None, what: str) -> bytes | None:
    """The hash of ``--WHAT-hash`` or the SHA-256 of the file ``--WHAT`` (one of them, or neither: ``None``)."""
    if hash_value is not None and file:
        raise UsageError(f"give either --{what}-hash or --{what}, not both")
    if file:
        path = types.input_file(file, f"{what} file")
        sha = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    sha.update(block)
        except OSError as exc:
            raise UsageError(f"{what} file '{types.escape(file)}' cannot be read ({exc.strerror})") from None
        return sha.digest()
    return hash_value


class NewFile(click.Path):
    """A file the command will write (``-`` for stdout where allowed): not a directory, in a folder that exists.

    Checked while parsing, so that a typo in the folder is refused before any work is done
    (an export would otherwise read the whole register and then fail to write it).
    """

    def __init__(self, *, allow_dash: bool = False) -> None:
        super().__init__(dir_okay=False, allow_dash=allow_dash)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = os.fsdecode(super().convert(value, param, ctx))
        if not (self.allow_dash and path == "-"):
            folder = Path(path).parent
            if not folder.is_dir():
                raise InvalidInput(f"folder '{folder}' of '{path}' does not exist; create it or give another path")
        return path
