"""The embedded chain: eth-tester + py-evm in process, with reverts that keep their raw data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3


class EmbeddedRevert(Exception):
    """A call or gas estimate reverted on the embedded chain; ``data`` holds the raw revert data."""

    def __init__(self, data: bytes) -> None:
        super().__init__(f"execution reverted: {data!r}")
        self.data = data


FEE_FIELDS = ("gas_price", "max_fee_per_gas", "max_priority_fee_per_gas")


def raw_reverts(endpoint: Any) -> Any:
    """Wraps eth-tester's ``eth_call`` / ``eth_estimateGas`` so that they behave as a node's do.

    1. A revert keeps its raw data: web3's eth-tester provider ABI-decodes every revert as
       ``Error(string)``, which loses the selector of a custom error whose arguments happen to
       decode as a string. The wrapper raises ``EmbeddedRevert`` (which web3 lets through) with
       the bytes, so decoding is the same as over JSON-RPC.
    2. A call without fee fields is not priced: eth-tester gives it a 1 gwei fee cap and refuses
       it once the base fee is higher (after a few full blocks), where anvil, Ganache and geth
       answer. A zero tip (eth-tester then caps the fee at twice the base fee) keeps such calls
       working; a caller's own fee fields are left as they are.
    """
    from eth_tester.exceptions import TransactionFailed

    def wrapped(tester: Any, params: Any) -> Any:
        if params and isinstance(params[0], dict) and not any(f in params[0] for f in FEE_FIELDS):
            params = [{**params[0], "max_priority_fee_per_gas": 0}, *params[1:]]
        try:
            return endpoint(tester, params)
        except TransactionFailed as exc:
            raw = exc.args[0] if exc.args else b""
            if isinstance(raw, Exception) and raw.args:
                raw = raw.args[0]
            if isinstance(raw, (bytes, bytearray)):
                raise EmbeddedRevert(bytes(raw)) from None
            raise

    return wrapped


def embedded_web3() -> tuple[Web3, list[LocalAccount]]:
    from eth_account import Account
    from eth_tester import EthereumTester, PyEVMBackend
    from web3 import EthereumTesterProvider, Web3
    from web3.providers.eth_tester.defaults import API_ENDPOINTS

    from ipledger.chain.nodes import DEV_ACCOUNTS

    backend = PyEVMBackend(genesis_state=PyEVMBackend.generate_genesis_state(num_accounts=DEV_ACCOUNTS))
    tester = EthereumTester(backend)
    endpoints = {ns: dict(calls) for ns, calls in API_ENDPOINTS.items()}
    for name in ("call", "estimateGas"):
        endpoints["eth"][name] = raw_reverts(endpoints["eth"][name])
    w3 = Web3(EthereumTesterProvider(tester, api_endpoints=endpoints))
    keys = backend.account_keys
    return w3, [Account.from_key(k.to_bytes()) for k in keys]
