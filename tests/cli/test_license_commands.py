"""``ipledger license`` in process on the module's embedded world: offers with a deadline, the signed acceptance in
the shape of every signed action (accept, ``--sign-only``, ``--relay``, ``--revoke``), and ``check`` answering for
the whole scope asked (issue #12, items 3 and 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import World
from helpers.incli import ok, refused, run

DEADLINE = "2099-01-01"


@pytest.fixture(scope="module")
def ref(module_world: World) -> str:
    """Alice's registered EM trade mark, as the CLI names it."""
    module_world.file_registered("018900001")
    return "EM/TM/018900001"


def test_license_offer_prints_its_deadline_and_accept_by_sets_it(world: World, ref: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address, "--territory", "DE")
    assert world.now() + 29 * 86_400 < data["accept_by"] <= world.now() + 30 * 86_400
    when = world.now() + 3 * 86_400
    text = dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address, "--territory", "FR",
              "--accept-by", text)
    assert data["accept_by"] == when and world.ipl.license(data["license_id"]).deadline == when
    line = refused(monkeypatch, world.alice, 2, "license", "offer", ref, world.bob.address, "--territory", "IT",
                   "--accept-by", "2020-01-01")
    assert "offer deadline" in line and "365 days" in line


def test_license_accept_signed_relayed_in_any_order_and_revoked(world: World, ref: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address, "--territory", "DE")["license_id"]
    second = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address, "--territory", "FR")["license_id"]
    third = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address, "--territory", "IT")["license_id"]
    sigs = {lid: ok(monkeypatch, world.bob, "license", "accept", str(lid), "--sign-only", "--deadline", DEADLINE)
            for lid in (first, second, third)}
    assert sigs[first]["licensee"] == world.bob.address and sigs[first]["license_id"] == first
    for lid in (second, first):  # the later one first: no ordered nonce
        relayed = ok(monkeypatch, world.stranger, "license", "accept", str(lid), "--relay", sigs[lid]["signature"],
                     "--deadline", DEADLINE)
        assert "LicenseAccepted" in [e["name"] for e in relayed["events"]]
    revoked = ok(monkeypatch, world.bob, "license", "accept", str(third), "--revoke", "--deadline", DEADLINE)
    assert [e["name"] for e in revoked["events"]] == ["SignatureRevoked"]
    line = refused(monkeypatch, world.stranger, 1, "license", "accept", str(third), "--relay", sigs[third]["signature"],
                   "--deadline", DEADLINE)
    assert "RevokedSignature" in line
    assert world.ipl.licenses_held(world.ipl.license(first).right_id, world.bob.address) == [first, second]


@pytest.mark.parametrize("args", [("--sign-only", "--revoke"), ("--revoke",), ("--relay", "0x" + "11" * 65)])
def test_license_accept_revoke_or_relay_without_deadline_or_two_modes_is_refused(
        world: World, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    line = refused(monkeypatch, world.bob, 2, "license", "accept", "1", *args)
    assert "--deadline" in line or "one of --sign-only" in line


def test_check_answers_for_whole_scope_of_the_question(world: World, ref: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    lid = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address, "--kind", "exclusive",
             "--territory", "DE", "--field", "pharma")["license_id"]
    ok(monkeypatch, world.bob, "license", "accept", str(lid))
    alice = world.alice.address
    for territory, field, code in (("WO", "pharma", 3), ("DE", None, 3), ("FR", "pharma", 0)):
        extra = ("--field", field) if field else ()
        res = run(monkeypatch, world.alice, "check", ref, alice, "--territory", territory, *extra)
        assert res.exit_code == code, (territory, field, res.output)
    res = run(monkeypatch, world.alice, "check", ref, world.bob.address, "--territory", "DE", "--field", "pharma")
    assert res.exit_code == 0 and f"by license #{lid}" in res.stdout
