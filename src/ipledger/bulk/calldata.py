"""Calldata of the registry calls an import makes, encoded by eth-abi from the compiled ABI.

Selectors and types come from the registry's ABI items (``ipledger.abi``); nothing is spelled
by hand. Filings are on the hot path (a 10,000-right import encodes 10,000 of them), so each
``Filing`` tuple is encoded once, with eth-abi's encoders for the ABI's component types (each
value validated once, ``_Tuple``), and the batch that carries it is put together by eth-abi's array encoder from those bytes
(``_PreEncoded`` hands them through) instead of encoding every filing a second time. The
per-filing bytes also give the gas model its calldata cost (``ipledger.bulk.gas``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eth_abi.encoding import BaseEncoder, DynamicArrayEncoder, TupleEncoder
from eth_abi.registry import registry as abi_registry

from ipledger.abi import ContractCodec, canonical_type, selector
from ipledger.bulk.records import Record, StatusEvent
from ipledger.domain import Status

# A Filing tuple component (by its name in IIPRegistry.Filing) from a record.
FILING_FIELDS: dict[str, Callable[[Record], Any]] = {
    "office": lambda r: r.office.encode("ascii"),
    "ipType": lambda r: int(r.ip_type),
    "holder": lambda r: r.holder,
    "filingDate": lambda r: r.filing_date,
    "contentHash": lambda r: r.content_hash,
    "metadataHash": lambda r: r.metadata_hash,
    "applicationNumber": lambda r: r.application_number,
    "metadataURI": lambda r: r.metadata_uri,
}


class _PreEncoded(BaseEncoder):  # type: ignore[misc]
    """An array element already encoded by the element type's own eth-abi encoder: its bytes pass through."""

    is_dynamic = True

    def validate_value(self, value: Any) -> None:
        """Only bytes (an element's encoding) pass."""
        if not isinstance(value, bytes):
            self.invalidate_value(value, msg="expected the element's encoded bytes")

    def encode(self, value: bytes) -> bytes:
        """The element's bytes, as they are."""
        self.validate_value(value)
        return value


class _Tuple(TupleEncoder):  # type: ignore[misc]
    """eth-abi's tuple encoder, validating each value once: its components validate what they encode.

    (``TupleEncoder`` checks every component before encoding, and each component checks again
    when it encodes: a third of the time of a filing.)
    """

    def validate_value(self, value: Any) -> None:
        """Only the number of values is checked here; each component checks its own value as it encodes it."""
        count = len(self.encoders or ())
        if not isinstance(value, (tuple, list)) or len(value) != count:
            self.invalidate_value(value, msg=f"expected {count} values")


def tuple_encoder(types: Sequence[str]) -> _Tuple:
    """An encoder of a tuple of ABI ``types`` built from eth-abi's encoder for each."""
    return _Tuple(encoders=tuple(abi_registry.get_encoder(t) for t in types))


class _Function:
    """One ABI function: its selector and an eth-abi encoder of its inputs, built once."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item
        self.selector = selector(item)
        self.inputs = [canonical_type(i) for i in item["inputs"]]
        self.encoder = tuple_encoder(self.inputs)

    def encode(self, args: Sequence[Any]) -> bytes:
        """Calldata: the selector, then the encoded arguments."""
        return self.selector + self.encoder(tuple(args))


class RegistryCalls:
    """Calldata for ``fileBatch``, ``file``, ``register``, ``renew`` and ``changeStatus`` from the registry ABI."""

    def __init__(self, abi: list[dict[str, Any]]) -> None:
        codec = ContractCodec(abi)
        self._file_batch = _Function(codec.function("fileBatch"))
        self._file = _Function(codec.function("file"))
        self._register = _Function(codec.function("register"))
        self._renew = _Function(codec.function("renew"))
        self._change_status = _Function(codec.function("changeStatus"))
        filings, *rest = self._file_batch.item["inputs"]
        element = canonical_type(filings)
        if not element.endswith("[]"):
            raise ValueError(f"fileBatch takes {element}, not an array of filings: the ABI changed")
        self._filing = tuple_encoder([canonical_type(c) for c in filings["components"]])
        names = [c["name"] for c in filings["components"]]
        missing = [n for n in names if n not in FILING_FIELDS]
        if missing:
            raise ValueError(f"the ABI's Filing has fields bulk does not know: {missing}")
        self._getters = [FILING_FIELDS[n] for n in names]
        items = DynamicArrayEncoder(item_encoder=_PreEncoded(is_dynamic=self._filing.is_dynamic))
        self._batch = _Tuple(encoders=(items, *(abi_registry.get_encoder(canonical_type(i)) for i in rest)))

    def filing_tuple(self, rec: Record) -> tuple[Any, ...]:
        """The ``Filing`` tuple of a record, in the ABI's component order."""
        return tuple(get(rec) for get in self._getters)

    def encode_filing(self, rec: Record) -> bytes:
        """One ``Filing`` tuple, ABI-encoded (as an element of ``fileBatch``'s array)."""
        return self._filing(self.filing_tuple(rec))

    def file_batch(self, records: Sequence[Record], skip_existing: bool = True, *,
                   encoded: Sequence[bytes] | None = None) -> bytes:
        """Calldata of ``fileBatch(filings, skipExisting)``; ``encoded``: the filings already encoded."""
        elems = list(encoded) if encoded is not None else [self.encode_filing(r) for r in records]
        return self._file_batch.selector + self._batch((elems, skip_existing))

    def file(self, rec: Record) -> bytes:
        """Calldata of ``file(filing)``."""
        return self._file.encode([self.filing_tuple(rec)])

    def move(self, rec: Record, ev: StatusEvent) -> bytes:
        """Calldata of the registry call that records ``ev``: ``register``, ``renew`` or ``changeStatus``."""
        if ev.status is Status.REGISTERED:
            return self._register.encode([rec.right_id, rec.registration_number, ev.effective_date, ev.expiry_date,
                                          ev.document_hash])
        if ev.status is Status.RENEWED:
            return self._renew.encode([rec.right_id, ev.expiry_date, ev.document_hash])
        return self._change_status.encode([rec.right_id, int(ev.status), ev.effective_date, ev.document_hash])
