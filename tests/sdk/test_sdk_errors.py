"""Python users catch the SDK's errors the usual way: bad input is a ValueError, and our UsageError."""

from __future__ import annotations

import pytest

from conftest import World
from ipledger import types
from ipledger.errors import InvalidInput, IPLedgerError, UsageError
from ipledger.sdk import LicenseTerms

ADDRESS = "0x52908400098527886E0F7030069857D2E4169EE7"  # EIP-55's own example
BAD_CHECKSUM = ADDRESS.replace("E0F", "e0F")  # one letter's case flipped: mixed case, wrong checksum


@pytest.mark.parametrize("call", [
    lambda w: w.registrar.file("XX", "TM", "018234567", holder=w.alice.address),
    lambda w: w.registrar.file("EM", "no-such-type", "018234567", holder=w.alice.address),
    lambda w: w.registrar.file("EM", "TM", " 018234567", holder=w.alice.address),
    lambda w: w.registrar.file("EM", "TM", "018234567", content_hash="0x1234", holder=w.alice.address),
    lambda w: w.alice.request_assignment(1, ADDRESS.lower()[:-1] + "X"),
    lambda w: w.alice.request_assignment(1, BAD_CHECKSUM),
    lambda w: w.alice.change_status(1, "granted-maybe"),
    lambda w: w.alice.anchor(1, "0x" + "ab" * 32, tag="t" * 33),
    lambda w: w.alice.file_batch([]),
    lambda w: w.alice.offer_license(1, ADDRESS, LicenseTerms(territories=())),
    lambda w: w.alice.offer_license(1, ADDRESS, LicenseTerms(royalty_bps=10_001)),
    lambda w: w.alice.accept_license_by_sig(1, 0, "not-hex"),
], ids=["office", "ip-type", "number-spaces", "short-hash", "address-chars", "address-checksum", "status", "tag",
        "empty-batch", "no-territory", "royalty", "signature"])
def test_bad_sdk_input_raises_value_error_and_usage_error(world: World, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as info:
        call(world)
    err = info.value
    assert isinstance(err, InvalidInput) and isinstance(err, UsageError) and isinstance(err, IPLedgerError)
    assert err.exit_code == 2
    assert "\n" not in str(err) and len(str(err)) > 20, str(err)


@pytest.mark.parametrize("parse, value", [
    (types.address, "0x12"), (types.bytes32, "zz"), (types.date, "2024-02-30"), (types.date, 0),
    (types.office, "em"), (types.ip_type, 99), (types.status, "none"), (types.application_number, ""),
    (types.right_ref, "EM/TM"), (types.license_kind, "exclusive-ish"), (types.tag32, "x" * 40),
])
def test_each_parser_refuses_with_invalid_input(parse, value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        parse(value)


def test_parsers_return_canonical_values() -> None:
    assert types.address(ADDRESS.lower()) == ADDRESS
    assert types.checksum(ADDRESS.lower()) == ADDRESS
    assert types.date("2024-01-01") == 1_704_067_200
    assert types.date("2024-01-01T12:00:00Z") == 1_704_110_400
    assert types.format_date(1_704_067_200) == "2024-01-01"
    assert types.right_ref("EM/TM/018234567") == types.right_id("EM", "trade_mark", "018234567")
    assert types.signature("0x" + "11" * 65, length=65) == b"\x11" * 65
