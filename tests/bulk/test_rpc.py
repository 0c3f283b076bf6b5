"""The JSON-RPC plumbing bulk work rests on (ipledger.rpc): what counts as a transport failure, the one retry
loop, batched eth_call with reverts as answers, and bounded eth_getLogs that halves a refused span."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from bulk_helpers import make_records, office_registrar
from conftest import World
from ipledger import bulk, rpc
from ipledger.abi import ContractCodec
from ipledger.errors import NetworkError


def _http_error(status: int) -> requests.exceptions.HTTPError:
    response = requests.models.Response()
    response.status_code = status
    return requests.exceptions.HTTPError(f"{status}", response=response)


@pytest.mark.parametrize("exc, transport", [
    (requests.exceptions.ConnectionError("refused"), True),
    (requests.exceptions.ReadTimeout("slow"), True),
    (ConnectionResetError(), True),
    (_http_error(429), True),
    (_http_error(503), True),
    (_http_error(400), False),
    (_http_error(413), False),
    (ValueError("bad"), False),
    (rpc.RPCError("eth_getLogs", {"code": -32005, "message": "query returned more than 10000 results"}), False),
])
def test_transport_failures_are_told_from_refusals(exc: BaseException, transport: bool) -> None:
    assert rpc.is_transport(exc) is transport


def test_retry_retries_transport_failures_only(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(rpc.time, "sleep", sleeps.append)
    attempts = iter([requests.exceptions.ConnectionError("down"), requests.exceptions.ConnectionError("down"), 7])

    def flaky() -> int:
        value = next(attempts)
        if isinstance(value, Exception):
            raise value
        return value

    assert rpc.retry(flaky, "reading") == 7 and sleeps == [0.2, 0.4]
    calls: list[int] = []

    def refused() -> None:
        calls.append(1)
        raise ValueError("no")

    with pytest.raises(ValueError):
        rpc.retry(refused, "reading")
    assert calls == [1], "a refusal is not retried"
    sleeps.clear()

    def dead() -> None:
        raise requests.exceptions.ConnectionError("down")

    with pytest.raises(NetworkError, match="^sending: the node did not answer .*run the same command again"):
        rpc.retry(dead, "sending", attempts=4)
    assert sleeps == [0.2, 0.4, 0.8]


def test_eth_calls_return_reverts_as_answers(world: World) -> None:
    ipl = world.stranger
    codec = ContractCodec(ipl.registry.abi)
    (rec,) = make_records(1, [world.alice.address])
    calls = [{"from": ipl.address, "to": ipl.registry.address, "data": codec.encode_call("holderAndStatus", [5])},
             {"from": ipl.address, "to": ipl.registry.address,
              "data": bulk.RegistryCalls(ipl.registry.abi).file(rec)}]  # not a registrar of EM: reverts
    ok, refused = rpc.eth_calls(ipl.w3, calls)
    assert not ok.reverted and codec.decode_output("holderAndStatus", ok.output) == ("0x" + "00" * 20, 0)
    assert refused.reverted and ipl.decoder.decode(refused.output).error_name == "NotRegistrar"


def test_get_logs_halves_a_refused_span_and_misses_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ipl = office_registrar(world)
    records = make_records(6, [world.alice.address], prefix="H", moves=0)
    for r in records:
        assert bulk.import_records(ipl, [r]).complete  # one block each
    topic = ContractCodec(ipl.registry.abi).event_topic("RightFiled")
    latest = ipl.w3.eth.block_number
    everything = rpc.get_logs(ipl.w3, ipl.registry.address, [topic], 0, latest)
    assert {int.from_bytes(lg.topics[1], "big") for lg in everything} >= {r.right_id for r in records}

    spans: list[tuple[int, int]] = []
    real = rpc._logs_once

    def limited(w3: Any, address: str, topics: Any, start: int, end: int) -> list[rpc.RawLog]:
        spans.append((start, end))
        if end - start + 1 > 3:
            raise rpc.RPCError("eth_getLogs", {"code": -32005, "message": "block range too large"})
        return real(w3, address, topics, start, end)

    monkeypatch.setattr(rpc, "_logs_once", limited)
    bounded = rpc.get_logs(ipl.w3, ipl.registry.address, [topic], 0, latest, span=16)
    assert bounded == everything
    assert spans[:4] == [(0, min(15, latest)), (0, 7), (0, 3), (0, 1)], "16, then halved while refused"
    accepted = spans[3:]
    assert all(e - s + 1 == 2 for s, e in accepted[:-1]), "once accepted, the smaller span is kept"
    assert [s for s, _ in accepted] == [e + 1 for _, e in [(-1, -1), *accepted[:-1]]] and accepted[-1][1] == latest
