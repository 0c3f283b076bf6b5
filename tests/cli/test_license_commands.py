"""``ipledger license`` in process on the module's embedded world: offers with a deadline, the signed acceptance in
the shape of every signed action (accept, ``--sign-only``, ``--relay``, ``--revoke``), and ``check`` answering for
the whole scope asked (issue #12, items 3 and 4)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

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


def test_license_terms_register_once_show_and_offer_by_terms_id(world: World, ref: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    spelled = ("--kind", "sole", "--territory", "DE", "--territory", "AT", "--field", "software", "--royalty-bps",
               "250", "--terms-uri", "ipfs://agreement")
    first = ok(monkeypatch, world.alice, "license", "terms", "register", *spelled)
    assert first["created"] is True and [e["name"] for e in first["events"]] == ["TermsRegistered"]
    again = ok(monkeypatch, world.bob, "license", "terms", "register", *spelled)
    assert again == {"terms_id": first["terms_id"], "created": False}  # nothing sent
    shown = ok(monkeypatch, world.stranger, "license", "terms", "show", str(first["terms_id"]))
    assert (shown["kind"], shown["territories"], shown["field_label"], shown["royalty_bps"], shown["terms_uri"]) == (
        "sole", ["DE", "AT"], "software", 250, "ipfs://agreement")
    offered = ok(monkeypatch, world.alice, "license", "offer", ref, world.bob.address,
                 "--terms-id", str(first["terms_id"]))
    assert offered["terms_id"] == first["terms_id"]
    ok(monkeypatch, world.bob, "license", "accept", str(offered["license_id"]))
    res = run(monkeypatch, world.alice, "check", ref, world.bob.address, "--territory", "AT", "--field", "software")
    assert res.exit_code == 0, res.output
    line = refused(monkeypatch, world.alice, 2, "license", "offer", ref, world.bob.address,
                   "--terms-id", str(first["terms_id"]), "--kind", "exclusive")
    assert "--terms-id or the terms options" in line
    assert "no license terms #999" in refused(monkeypatch, world.alice, 2, "license", "terms", "show", "999")


def test_license_grant_signed_by_licensee_file_then_granted_once(world: World, ref: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    terms_id = ok(monkeypatch, world.alice, "license", "terms", "register", "--territory", "FR")["terms_id"]
    consent = tmp_path / "consent.json"
    signed = ok(monkeypatch, world.bob, "license", "grant", ref, world.bob.address, "--terms-id", str(terms_id),
                "--sign-as", "--out", str(consent), "--deadline", DEADLINE)
    saved = json.loads(consent.read_text())
    assert saved["right_id"] == int(signed.pop("right_id"), 16)  # --json prints 256-bit ids in hex
    keys = {"right_id", "parent_id", "licensee", "terms_id", "sequence", "deadline", "signature"}
    assert signed.items() <= saved.items() and set(saved) == keys  # a signature and its message: no key
    granted = ok(monkeypatch, world.alice, "license", "grant", ref, world.bob.address, "--terms-id", str(terms_id),
                 "--licensee-signature", str(consent))
    assert [e["name"] for e in granted["events"]] == ["LicenseGranted"]
    assert world.ipl.license(granted["license_id"]).active
    line = refused(monkeypatch, world.alice, 1, "license", "grant", ref, world.bob.address, "--terms-id",
                   str(terms_id), "--licensee-signature", str(consent))
    assert "InvalidSignature" in line  # spent: the position's grant sequence moved on


@pytest.mark.parametrize("case", ["both", "neither", "other_licensee", "not_json", "missing", "no_file"])
def test_license_grant_with_bad_mode_or_consent_file_is_refused_in_one_line(
        world: World, ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    consent = tmp_path / "consent.json"
    consent.write_text({"not_json": "{oops", "missing": json.dumps({"right_id": 1})}.get(case, json.dumps(
        {"right_id": 0, "parent_id": 0, "licensee": world.carol.address, "terms_id": 1, "sequence": 0, "deadline": 1,
         "signature": "0x" + "11" * 65})))
    args = {"both": ("--sign-as", "--licensee-signature", str(consent)), "neither": (),
            "other_licensee": ("--licensee-signature", str(consent)),
            "not_json": ("--licensee-signature", str(consent)), "missing": ("--licensee-signature", str(consent)),
            "no_file": ("--licensee-signature", str(tmp_path / "absent.json"))}[case]
    line = refused(monkeypatch, world.alice, 2, "license", "grant", ref, world.bob.address, "--terms-id", "1", *args)
    expected = {"both": "--sign-as", "neither": "--sign-as", "other_licensee": "another license",
                "not_json": "not JSON", "missing": "lacks", "no_file": "cannot read"}[case]
    assert expected in line
