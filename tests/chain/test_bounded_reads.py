"""Bounded event reads against a real node behind a proxy that refuses long ``eth_getLogs`` spans.

The proxy (tests/helpers/rangeproxy.py) answers like a public testnet endpoint: a range longer than its limit
gets ``-32005 query exceeds max block range``. anvil mines thousands of empty blocks in one call
(``anvil_mine``), so the chain is much longer than the limit, as Sepolia is a day after a deployment. The
logs come from the ERC-721 mint baseline (a bare OpenZeppelin token): one ``Transfer`` per mint, spread over
the chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from helpers.rangeproxy import RangeLimitedProxy
from ipledger import rpc
from ipledger.abi import ContractCodec
from ipledger.build.compiler import CompileResult
from ipledger.chain import connect, http_web3
from ipledger.config import Config
from ipledger.errors import IPLedgerError

LIMIT = 200  # public endpoints refuse 10 to 10,000 blocks; small numbers keep anvil quick (its mining slows as it grows)
GAP = 220  # empty blocks between two mints: every mint is in a span of its own
MINTS = 3
pytestmark = pytest.mark.nodes


@pytest.fixture(scope="module")
def long_chain(config: Config, artifacts: CompileResult) -> Iterator[dict[str, Any]]:
    """anvil with MINTS mints GAP empty blocks apart, 50 more after, and the proxy in front of it."""
    chain = connect("anvil", config)
    try:
        w3 = chain.w3
        art = artifacts["ERC721MintBaseline"]
        me = chain.accounts[0].address
        tx = w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor().transact({"from": me})
        token = w3.eth.contract(address=w3.eth.wait_for_transaction_receipt(tx)["contractAddress"], abi=art.abi)
        blocks = []
        for i in range(MINTS):
            w3.provider.make_request("anvil_mine", [hex(GAP)])
            tx = token.functions.mint(me, i + 1).transact({"from": me})
            blocks.append(int(w3.eth.wait_for_transaction_receipt(tx)["blockNumber"]))
        w3.provider.make_request("anvil_mine", [hex(50)])
        with RangeLimitedProxy(str(chain.url), LIMIT) as proxy:
            yield {"chain": chain, "proxy": proxy, "token": token.address, "blocks": blocks,
                   "topic": ContractCodec(art.abi).event_topic("Transfer"), "w3": http_web3(proxy.url, 30)}
    finally:
        chain.close()


def test_the_proxy_refuses_what_a_public_endpoint_refuses(long_chain: dict[str, Any]) -> None:
    """The whole chain in one request is refused, as on Sepolia: a read that does so cannot work there."""
    w3, head = long_chain["w3"], long_chain["w3"].eth.block_number
    assert head > 3 * LIMIT, head
    with pytest.raises(Exception, match=f"exceeds max block range {LIMIT}"):
        w3.eth.get_logs({"address": long_chain["token"], "fromBlock": 0, "toBlock": head})


@pytest.mark.parametrize("span", [LIMIT, 10_000])
def test_get_logs_reads_every_log_in_spans_the_endpoint_accepts(long_chain: dict[str, Any], span: int) -> None:
    """Asked for spans at or over the limit, the reader halves what is refused and misses nothing."""
    proxy: RangeLimitedProxy = long_chain["proxy"]
    asked_before, refused_before = len(proxy.spans), len(proxy.refused)
    logs = rpc.get_logs(long_chain["w3"], long_chain["token"], [long_chain["topic"]], 0,
                        long_chain["w3"].eth.block_number, span=span)
    assert [lg.block for lg in logs] == long_chain["blocks"]
    answered = [s for s in proxy.spans[asked_before:] if s <= LIMIT]
    assert answered and max(answered) <= LIMIT
    if span <= LIMIT:
        assert len(proxy.refused) == refused_before, "spans within the limit are never refused"
    else:
        assert len(proxy.refused) > refused_before


def test_a_node_that_refuses_even_one_block_fails_with_one_clear_line(long_chain: dict[str, Any]) -> None:
    """Halving stops at one block: the error names the block and the node's own reason."""
    with RangeLimitedProxy(str(long_chain["chain"].url), 0) as stingy:
        with pytest.raises(IPLedgerError) as exc:
            rpc.get_logs(http_web3(stingy.url, 30), long_chain["token"], [long_chain["topic"]], 0, 10, span=4)
    assert "reading events of block 0 failed" in str(exc.value) and "max block range 0" in str(exc.value)
    assert "\n" not in str(exc.value)
