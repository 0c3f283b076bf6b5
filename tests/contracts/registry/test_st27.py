"""WIPO ST.27 legal events: key event codes (category letter and two digits), national codes set by each office,
and the codes every recorded event carries.

Issue #12, item 7: the old codes claimed "ST.27 category letter + number", but 12 of 13 used the wrong category.
The Python domain (``ipledger.domain.KEY_EVENT_CODES``, ``st27_state``) is checked here against the contract for
every value; the ST.27 state of every status is checked in test_status.py (it needs a right in each status).
"""

from __future__ import annotations

import pytest

from helpers import World, assert_revert
from ipledger import domain
from ipledger.domain import KEY_EVENT_CODES, ST27_CATEGORIES, LegalEvent, Status, national_code_text
from ipledger.errors import ContractRevert, InvalidInput

# The ST.27 category each legal event belongs to (issue #12, from the public ST.27 categories, revision of 2024).
CATEGORY = {
    LegalEvent.FILED: "A", LegalEvent.PUBLISHED: "Q", LegalEvent.OPPOSED: "E", LegalEvent.REGISTERED: "F",
    LegalEvent.RENEWED: "M", LegalEvent.EXPIRED: "H", LegalEvent.REFUSED: "N", LegalEvent.WITHDRAWN: "B",
    LegalEvent.REVOKED: "N", LegalEvent.INVALIDATED: "N", LegalEvent.SURRENDERED: "H", LegalEvent.LAPSED: "H",
    LegalEvent.RESTORED: "K", LegalEvent.FILING_DATE_CORRECTED: "Y", LegalEvent.ASSIGNMENT_RECORDED: "R",
    LegalEvent.SECURITY_INTEREST_RECORDED: "R", LegalEvent.SECURITY_INTEREST_RELEASED: "R",
    LegalEvent.LICENCE_RECORDED: "S", LegalEvent.LICENCE_ENDED: "S",
}


@pytest.mark.parametrize("kind", list(LegalEvent), ids=lambda k: k.name.lower())
def test_key_event_code_of_every_legal_event_matches_domain(world: World, kind: LegalEvent) -> None:
    assert world.ipl.key_event_code(kind) == KEY_EVENT_CODES[kind]


def test_legal_event_enum_has_no_member_beyond_the_python_one(world: World) -> None:
    fn = world.ipl.registry.functions.keyEventCodeOf(len(LegalEvent))
    with pytest.raises(Exception):  # noqa: B017 - an enum value out of range: the ABI decoder refuses it
        fn.call()


@pytest.mark.parametrize("kind", list(LegalEvent), ids=lambda k: k.name.lower())
def test_key_event_code_is_its_st27_category_letter_and_two_digits(kind: LegalEvent) -> None:
    code = KEY_EVENT_CODES[kind]
    assert len(code) == 3 and code[1:].isdigit() and code[0] in ST27_CATEGORIES
    assert code[0] == CATEGORY[kind], f"{kind.name} is in category {CATEGORY[kind]}, not {code[0]}"
    assert code[1:] != "00", "X00 means 'no mapped key event'; a mapped event never uses it"


def test_key_event_codes_are_distinct() -> None:
    assert len(set(KEY_EVENT_CODES.values())) == len(KEY_EVENT_CODES)


def test_status_moves_map_to_the_first_thirteen_legal_events_in_order() -> None:
    moves = [s for s in Status if s is not Status.NONE]
    assert [domain.legal_event_of(s).name for s in moves] == [s.name for s in moves]
    assert domain.EVENT_CODES == {s: KEY_EVENT_CODES[domain.legal_event_of(s)] for s in moves}
    with pytest.raises(ValueError):
        domain.legal_event_of(Status.NONE)


# ---------------------------------------------------------------- national codes


@pytest.mark.parametrize("office", ["EM", "RU"])
def test_national_codes_default_to_the_key_event_codes(world: World, office: str) -> None:
    assert world.ipl.national_codes(office) == {k: KEY_EVENT_CODES[k] for k in LegalEvent}


def test_set_national_code_by_office_admin_is_recorded_on_later_events_of_that_office_only(world: World) -> None:
    res = world.governor.set_national_code("EM", "registered", "0140")
    set_args = res.event("NationalCodeSet").args
    assert (set_args["office"], set_args["kind"], national_code_text(set_args["nationalCode"])) == (
        "EM", LegalEvent.REGISTERED, "0140")
    assert world.ipl.national_code("EM", LegalEvent.REGISTERED) == "0140"
    assert world.ipl.national_code("RU", LegalEvent.REGISTERED) == "F10"
    em = world.file_registered("1")
    ru = world.file_registered("2", office="RU")
    em_event = world.ipl.history(em).legal_events[-1]
    ru_event = world.ipl.history(ru).legal_events[-1]
    assert (em_event.kind, em_event.key_event_code, em_event.national_code) == (LegalEvent.REGISTERED, "F10", "0140")
    assert (ru_event.key_event_code, ru_event.national_code) == ("F10", "F10")


def test_set_national_code_to_empty_restores_the_default(world: World) -> None:
    world.governor.set_national_code("EM", "F10", "REG-1")
    world.governor.set_national_code("EM", "F10", "")
    assert world.ipl.national_code("EM", "registered") == "F10"


@pytest.mark.parametrize("who", ["alice", "stranger", "registrar", "ru_registrar"])
def test_set_national_code_by_anyone_but_the_office_admin_reverts_not_office_admin(world: World, who: str) -> None:
    actor = getattr(world, who)
    with pytest.raises(ContractRevert) as exc_info:
        actor.set_national_code("EM", "registered", "FAKE")
    assert_revert(exc_info, "NotOfficeAdmin", office="EM", caller=actor.address)
    assert world.ipl.national_code("EM", "registered") == "F10"


def test_set_national_code_at_unknown_office_reverts_not_office_admin(world: World) -> None:
    with pytest.raises(ContractRevert) as exc_info:
        world.governor.set_national_code("US", "registered", "X")
    assert_revert(exc_info, "NotOfficeAdmin", office="US", caller=world.governor.address)


@pytest.mark.parametrize("raw", [b" REG\x00\x00\x00\x00", b"\x00REG\x00\x00\x00\x00", b"RE G\x00\x00\x00\x00",
                                 b"REG\x7f\x00\x00\x00\x00", b"R\nEG\x00\x00\x00\x00", b"\xc3\xa9\x00\x00\x00\x00\x00\x00"],
                         ids=["leading-space", "leading-zero", "inner-space", "del", "newline", "utf8"])
def test_set_national_code_raw_with_bad_bytes_reverts_invalid_national_code(world: World, raw: bytes) -> None:
    fn = world.governor.registry.functions.setNationalCode(b"EM", int(LegalEvent.REGISTERED), raw)
    with pytest.raises(ContractRevert) as exc_info:
        world.governor.sender.send(fn)
    assert_revert(exc_info, "InvalidNationalCode", nationalCode="0x" + raw.hex())


@pytest.mark.parametrize("bad", ["TOO-LONG-9", "A B", "\u00e9", "x\n"])
def test_set_national_code_sdk_refuses_what_the_contract_would(world: World, bad: str) -> None:
    with pytest.raises(InvalidInput, match="national code"):
        world.registrar.set_national_code("EM", "registered", bad)


@pytest.mark.parametrize("bad", ["granted", "X00", "", "F1"])
def test_legal_event_names_and_codes_are_checked(world: World, bad: str) -> None:
    with pytest.raises(InvalidInput, match="legal event"):
        world.ipl.national_code("EM", bad)


# ---------------------------------------------------------------- every recorded event carries its codes


def test_assignment_recorded_carries_category_r_key_code_and_national_code(world: World) -> None:
    world.ru_admin.set_national_code("RU", LegalEvent.ASSIGNMENT_RECORDED, "RU-R10")
    rid = world.file_registered("2023101234", office="RU")
    world.alice.request_assignment(rid, world.bob.address)
    res = world.bob.accept_assignment(rid)  # RU needs no recordal: acceptance moves title
    args = res.event("AssignmentRecorded").args
    assert (args["keyEventCode"], national_code_text(args["nationalCode"])) == ("R10", "RU-R10")
    last = world.ipl.history(rid).legal_events[-1]
    assert (last.kind, last.category, last.key_event_code, last.national_code) == (
        LegalEvent.ASSIGNMENT_RECORDED, "R", "R10", "RU-R10")


def test_history_legal_events_of_a_walk_carry_codes_in_order(world: World) -> None:
    rid = world.file_registered("1")
    world.registrar.change_status(rid, Status.LAPSED)
    world.registrar.change_status(rid, Status.RESTORED)
    legal = world.ipl.history(rid).legal_events
    assert [(e.kind, e.key_event_code, e.national_code) for e in legal] == [
        (k, KEY_EVENT_CODES[k], KEY_EVENT_CODES[k]) for k in (
            LegalEvent.FILED, LegalEvent.PUBLISHED, LegalEvent.REGISTERED, LegalEvent.LAPSED, LegalEvent.RESTORED)]
    assert [e.time for e in legal] == sorted(e.time for e in legal)


def test_licence_events_carry_category_s_key_codes_and_national_codes(world: World) -> None:
    from ipledger.sdk import LicenseTerms

    world.governor.set_national_code("EM", LegalEvent.LICENCE_RECORDED, "EM-LIC")
    rid = world.file_registered("1")
    first = world.alice.offer_license(rid, world.bob.address, LicenseTerms(territories=("DE",)))
    accepted = world.bob.accept_license(first.license_id).event("LicenseAccepted").args
    assert (accepted["keyEventCode"], national_code_text(accepted["nationalCode"])) == ("S10", "EM-LIC")
    ended = world.alice.terminate_license(first.license_id).event("LicenseTerminated").args
    assert (ended["keyEventCode"], national_code_text(ended["nationalCode"])) == ("S20", "S20")
    second = world.alice.offer_license(rid, world.carol.address, LicenseTerms(territories=("FR",)))
    world.carol.accept_license(second.license_id)
    surrendered = world.carol.surrender_license(second.license_id).event("LicenseSurrendered").args
    assert surrendered["keyEventCode"] == "S20"
    legal = [(e.kind, e.category, e.key_event_code, e.national_code) for e in world.ipl.history(rid).legal_events]
    assert legal[-4:] == [(LegalEvent.LICENCE_RECORDED, "S", "S10", "EM-LIC"), (LegalEvent.LICENCE_ENDED, "S", "S20", "S20"),
                          (LegalEvent.LICENCE_RECORDED, "S", "S10", "EM-LIC"), (LegalEvent.LICENCE_ENDED, "S", "S20", "S20")]
