"""Fast local signing of many transactions: coincurve directly, the same bytes as eth-account.

The importer signs thousands of status moves; eth-account's ``sign_transaction`` spends most
of its time building and validating typed-transaction objects. ``FastSigner`` RLP-encodes the
fields itself and signs the digest with coincurve (RFC 6979 signatures are deterministic, so
the bytes equal eth-account's; a test checks it) at about a tenth of the cost. The key never
leaves the process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eth_utils import keccak

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount


class FastSigner:
    """Signs EIP-1559 (type 2) or legacy EIP-155 transactions of one account on one chain."""

    def __init__(self, account: LocalAccount, chain_id: int) -> None:
        import coincurve

        self.address: str = str(account.address)
        self.checksum = account.address
        self.chain_id = chain_id
        self._key = coincurve.PrivateKey(bytes(account.key))

    def sign(self, *, nonce: int, to: bytes, data: bytes, gas: int, value: int = 0, max_fee: int | None = None,
             tip: int | None = None, gas_price: int | None = None) -> tuple[bytes, bytes]:
        """The raw signed transaction and its hash: EIP-1559 when ``max_fee`` is given, else legacy."""
        import rlp

        if max_fee is not None:
            fields: list[Any] = [self.chain_id, nonce, tip or 0, max_fee, gas, to, value, data, []]
            digest = keccak(b"\x02" + rlp.encode(fields))
            sig = self._key.sign_recoverable(digest, hasher=None)
            raw = b"\x02" + rlp.encode(fields + [sig[64], int.from_bytes(sig[:32], "big"),
                                                 int.from_bytes(sig[32:64], "big")])
        else:
            base = [nonce, gas_price or 0, gas, to, value, data]
            digest = keccak(rlp.encode(base + [self.chain_id, 0, 0]))
            sig = self._key.sign_recoverable(digest, hasher=None)
            v = sig[64] + 35 + 2 * self.chain_id
            raw = rlp.encode(base + [v, int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big")])
        return raw, keccak(raw)
