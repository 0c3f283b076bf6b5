"""Every signed action has one CLI shape: act by a transaction, ``--sign-only``, ``--relay`` or ``--revoke``.

``accept`` (the assignee's acceptance) and ``consent`` (a creditor's consent, for its pledge) are run in process
on the module's embedded world (``Session.connect`` hands them the client of the role that types the command),
with ``pledge`` and ``release`` (a creditor's own release, or a court-ordered one recorded by the office).
"""

from __future__ import annotations

from typing import Any

import pytest

from helpers import World
from helpers.incli import ok, refused, run
from ipledger import types
from ipledger.domain.rights import right_id

DEED = "0x" + "de" * 32
COURT_ORDER = "0x" + "c0" * 32
DEADLINE = "2099-01-01"


@pytest.fixture(scope="module")
def ref(module_world: World) -> str:
    """Alice's registered RU trade mark (no recordal: acceptance moves title), as the CLI names it."""
    module_world.file_registered("2024900001", office="RU")
    return "RU/TM/2024900001"


def events(data: dict[str, Any]) -> list[str]:
    return [e["name"] for e in data["events"]]


def test_pledge_prints_pledge_id_and_rank(world: World, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ok(monkeypatch, world.alice, "pledge", ref, world.carol.address)
    second = ok(monkeypatch, world.alice, "pledge", ref, world.dave.address)
    assert (first["pledge_id"], first["rank"], second["pledge_id"], second["rank"]) == (1, 1, 2, 2)
    res = run(monkeypatch, world.alice, "pledge", ref, world.carol.address)
    assert "pledge_id: 3" in res.stdout and "rank: 3" in res.stdout


def test_consent_by_creditor_defaults_to_its_own_pledge(world: World, ref: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "pledge", ref, world.carol.address)
    ok(monkeypatch, world.alice, "pledge", ref, world.dave.address)
    ok(monkeypatch, world.alice, "assign", ref, world.bob.address, "--deed-hash", DEED)
    for creditor, pid in ((world.carol, 1), (world.dave, 2)):
        data = ok(monkeypatch, creditor, "consent", ref)
        consented = next(e for e in data["events"] if e["name"] == "AssignmentConsented")
        assert (consented["args"]["pledgeId"], consented["args"]["creditor"]) == (pid, creditor.address)
    assert "AssignmentRecorded" in events(ok(monkeypatch, world.bob, "accept", ref))


def test_consent_signed_off_line_and_relayed_by_anyone(world: World, ref: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "pledge", ref, world.carol.address)
    ok(monkeypatch, world.alice, "assign", ref, world.bob.address)
    signed = ok(monkeypatch, world.carol, "consent", ref, "--sign-only", "--deadline", DEADLINE)
    assert (signed["pledge_id"], signed["assignment_id"], signed["pledges_version"]) == (1, 1, 1)
    assert signed["creditor"] == world.carol.address
    text = run(monkeypatch, world.carol, "consent", ref, "--sign-only", "--deadline", DEADLINE).stdout
    assert "pledge id 1" in text and "assignment id 1" in text and "pledges version 1" in text
    relayed = ok(monkeypatch, world.stranger, "consent", ref, "--pledge", "1", "--relay", signed["signature"],
                 "--deadline", DEADLINE)
    assert relayed["action"] == "assignment consent relayed"
    assert next(e for e in relayed["events"] if e["name"] == "AssignmentConsented")["args"]["bySignature"] is True
    assert "AssignmentRecorded" in events(ok(monkeypatch, world.bob, "accept", ref))


def test_consent_revoked_before_relay_is_refused_naming_signer_and_digest(world: World, ref: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "pledge", ref, world.carol.address)
    ok(monkeypatch, world.alice, "assign", ref, world.bob.address)
    signed = ok(monkeypatch, world.carol, "consent", ref, "--sign-only", "--deadline", DEADLINE)
    revoked = ok(monkeypatch, world.carol, "consent", ref, "--revoke", "--deadline", DEADLINE)
    event = next(e for e in revoked["events"] if e["name"] == "SignatureRevoked")
    assert event["args"]["signer"] == world.carol.address
    line = refused(monkeypatch, world.stranger, 1, "consent", ref, "--pledge", "1", "--relay", signed["signature"],
                   "--deadline", DEADLINE)
    assert "RevokedSignature" in line and world.carol.address in line and event["args"]["digest"] in line


def test_accept_signed_for_cancelled_request_is_refused_as_stale(world: World, ref: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "assign", ref, world.bob.address)
    signed = ok(monkeypatch, world.bob, "accept", ref, "--sign-only", "--deadline", DEADLINE)
    assert (signed["assignment_id"], signed["assignee"]) == (1, world.bob.address)
    ok(monkeypatch, world.alice, "cancel", ref)
    ok(monkeypatch, world.alice, "assign", ref, world.bob.address)
    line = refused(monkeypatch, world.stranger, 1, "accept", ref, "--relay", signed["signature"], "--deadline",
                   DEADLINE, "--assignment", "1")
    assert "StaleAssignment" in line
    line = refused(monkeypatch, world.stranger, 1, "accept", ref, "--relay", signed["signature"], "--deadline",
                   DEADLINE)
    assert "InvalidSignature" in line


def test_accept_revoked_before_relay_is_refused(world: World, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "assign", ref, world.bob.address)
    signed = ok(monkeypatch, world.bob, "accept", ref, "--sign-only", "--deadline", DEADLINE)
    assert ok(monkeypatch, world.bob, "accept", ref, "--revoke", "--deadline", DEADLINE)["action"] == (
        "assignment acceptance signature revoked")
    line = refused(monkeypatch, world.stranger, 1, "accept", ref, "--relay", signed["signature"], "--deadline",
                   DEADLINE)
    assert "RevokedSignature" in line and world.bob.address in line


def test_release_by_creditor_and_by_court_order(world: World, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(monkeypatch, world.alice, "pledge", ref, world.carol.address)
    ok(monkeypatch, world.alice, "pledge", ref, world.dave.address)
    mine = ok(monkeypatch, world.carol, "release", ref)
    assert mine["pledge_id"] == 1 and "PledgeReleased" in events(mine)
    court = ok(monkeypatch, world.ru_registrar, "release", ref, "--pledge", "2", "--court-order-hash", COURT_ORDER)
    released = next(e for e in court["events"] if e["name"] == "PledgeReleased")["args"]
    assert (released["releasedBy"], released["courtOrderHash"]) == (world.ru_registrar.address, COURT_ORDER)
    assert world.ipl.pledges(types.right_ref(ref)) == []


@pytest.mark.parametrize("args,needle", [
    (("consent", "{ref}", "--sign-only", "--relay", "0x" + "11" * 65, "--deadline", DEADLINE),
     "give one of --sign-only, --relay and --revoke"),
    (("consent", "{ref}", "--relay", "0x" + "11" * 65, "--deadline", DEADLINE), "--relay needs --pledge ID"),
    (("consent", "{ref}", "--pledge", "1", "--relay", "0x" + "11" * 65), "--relay needs the --deadline"),
    (("accept", "{ref}", "--revoke"), "--revoke needs the --deadline"),
    (("release", "{ref}", "--court-order-hash", COURT_ORDER), "--court-order needs --pledge ID"),
    (("consent", "{ref}", "--pledge", "9"), "no pledge 9 on this register"),
    (("consent", "{ref}"), "holds no active pledge"),
])
def test_signed_action_misuse_is_one_line_exit_2(world: World, ref: str, monkeypatch: pytest.MonkeyPatch,
                                                 args: tuple[str, ...], needle: str) -> None:
    line = refused(monkeypatch, world.carol, 2, *(a.replace("{ref}", ref) for a in args))
    assert needle in line


# ---------------------------------------------------------------- one-transaction assignments


def test_assign_in_one_transaction_with_the_assignees_signature_from_a_file(world: World, ref: str, tmp_path: Any,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    signed = ok(monkeypatch, world.bob, "assign", ref, world.bob.address, "--deed-hash", DEED,
                "--sign-as", "assignee", "--deadline", DEADLINE)
    assert (signed["holder"], signed["assignee"], signed["sequence"]) == (world.alice.address, world.bob.address, 0)
    sig_file = tmp_path / "bob.sig"
    sig_file.write_text(run(monkeypatch, world.bob, "assign", ref, world.bob.address, "--deed-hash", DEED,
                            "--sign-as", "assignee", "--deadline", DEADLINE).stdout)
    data = ok(monkeypatch, world.alice, "assign", ref, world.bob.address, "--deed-hash", DEED,
              "--assignee-signature", str(sig_file), "--deadline", DEADLINE)
    assert events(data) == ["Transfer", "AssignmentRecorded"]
    assert world.ipl.right(right_id("RU", "TM", "2024900001")).holder == world.bob.address
    # relayed again: the sequence moved on, the contract refuses it in one line
    line = refused(monkeypatch, world.alice, 1, "assign", ref, world.bob.address, "--deed-hash", DEED,
                   "--assignee-signature", signed["signature"], "--deadline", DEADLINE)
    assert "NotHolder" in line or "InvalidSignature" in line or "InvalidAccount" in line


def test_record_by_signatures_in_one_transaction_by_the_registrar(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.file_registered("018900001")
    em = "EM/TM/018900001"
    holder = ok(monkeypatch, world.alice, "assign", em, world.bob.address, "--sign-as", "holder",
                "--deadline", DEADLINE)["signature"]
    assignee = ok(monkeypatch, world.bob, "assign", em, world.bob.address, "--sign-as", "assignee",
                  "--deadline", DEADLINE)["signature"]
    data = ok(monkeypatch, world.registrar, "assign", em, world.bob.address, "--holder-signature", holder,
              "--assignee-signature", assignee, "--deadline", DEADLINE)
    recorded = next(e for e in data["events"] if e["name"] == "AssignmentRecorded")
    assert recorded["args"]["recordedBy"] == world.registrar.address


@pytest.mark.parametrize("args,needle", [
    (("--assignee-signature", "0x12"), "--assignee-signature"),
    (("--assignee-signature", "/no/such/file"), "neither 0x"),
    (("--holder-signature", "0x" + "11" * 65, "--deadline", DEADLINE), "needs --assignee-signature"),
    (("--assignee-signature", "0x" + "11" * 65), "needs the --deadline"),
    (("--sign-as", "holder", "--assignee-signature", "0x" + "11" * 65), "--sign-as prints a signature"),
])
def test_assign_signature_misuse_is_one_line_exit_2(world: World, ref: str, monkeypatch: pytest.MonkeyPatch,
                                                    args: tuple[str, ...], needle: str) -> None:
    line = refused(monkeypatch, world.alice, 2, "assign", ref, world.bob.address, *args)
    assert needle in line
