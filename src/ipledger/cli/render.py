"""Readable output: rich tables for people, plain JSON with ``--json``.

Used by the commands (through ``ipledger.cli.output`` and directly), by ``ipledger.cli.story`` and
by ``scripts/``. ``rich`` is imported inside the functions, so that loading this module stays cheap.

Every cell and title is shown as plain text: rich markup (``[red]``, ``[/]``) and emoji codes in a
value are not interpreted, and characters that are not printable (newlines, terminal escapes,
bidirectional overrides, zero-width characters) are shown escaped (``ipledger.types.escape``), so
a value from the chain (a metadata URI, an application number, a field label) cannot forge a row,
colour the terminal or reorder what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from enum import Enum
from typing import Any

from ipledger.domain import format_right_id
from ipledger.types import escape


def when(ts: int) -> str:
    """Unix seconds as ``YYYY-MM-DD HH:MM:SS`` (UTC); 0 as ``-``."""
    if not ts:
        return "-"
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def day(ts: int) -> str:
    """Unix seconds as ``YYYY-MM-DD`` (UTC); 0 as ``-``."""
    if not ts:
        return "-"
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d")


def short(addr: str | None) -> str:
    """An address shortened to ``0x1234…abcd`` for narrow columns."""
    if not addr:
        return "-"
    return f"{addr[:6]}…{addr[-4:]}"


def plain(value: Any) -> Any:
    """A JSON-ready copy of dataclasses, enums and bytes."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, Enum):
        return value.name.lower()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, int) and value >= 2**64:
        return format_right_id(value)
    return value


def print_json(value: Any) -> None:
    """Prints ``value`` as sorted, indented JSON on stdout (``--json``)."""
    print(json.dumps(plain(value), indent=2, sort_keys=True))


def console() -> Any:
    """A rich console on stdout; when not a terminal, ``$COLUMNS`` wide (140 by default) so lines do not wrap."""
    import os
    import sys

    from rich.console import Console

    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "140"))
    return Console(highlight=False, soft_wrap=False, width=width)


def text(value: Any) -> Any:
    """``value`` as a rich ``Text`` of its ``str``: no markup, non-printable characters escaped."""
    from rich.text import Text

    return Text(escape(str(value)))


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
    """A titled rich table; every cell is shown as plain, escaped text (``text``) and folds rather than being cut."""
    from rich.table import Table

    t = Table(title=text(title), title_justify="left", header_style="bold")
    for c in columns:
        t.add_column(text(c), overflow="fold")
    for r in rows:
        t.add_row(*[text(x) for x in r])
    return t


def right_table(info: Any, names: dict[str, str] | None = None) -> Any:
    """A right's record (``RightInfo``) as field/value rows; ``names`` labels known addresses."""
    names = names or {}
    rows = [
        ("Right", info.ref),
        ("Id", info.id_hex),
        ("Status", info.status.name.lower()),
        ("ST.27 state", info.st27_state.name.lower().replace("_", " ")),
        ("Holder", f"{names.get(info.holder, '')} {info.holder}".strip()),
        ("Filing date", day(info.filing_date)),
        ("Registration", f"{info.registration_number or '-'} on {day(info.registration_date)}"
         if info.registration_date else "-"),
        ("Expiry", day(info.expiry_date)),
        ("Content hash", info.content_hash),
        ("Metadata", info.metadata_uri or "-"),
        ("Pending assignee", info.pending_assignee or "-"),
        ("Pledged to", ", ".join(info.creditors) or "-"),  # every active pledge's creditor, senior first
        ("Pledges", str(info.pledge_count)),
        ("Assignments", str(info.assignment_sequence)),
        ("Token URI", _short_uri(info.token_uri)),
    ]
    return table("Right", ("field", "value"), rows)


def _short_uri(uri: str) -> str:
    """A token URI for a table: an on-chain ``data:`` document is named by its kind and size, not printed."""
    if uri.startswith("data:"):
        return f"{uri.split(',', 1)[0]} (on-chain JSON, {len(uri)} characters)"
    return uri or "-"


def request_table(request: Any, names: dict[str, str] | None = None) -> Any:
    """An application request (``RequestInfo``): the applicant asks, the office accords a number and a date."""
    from ipledger.domain import SHORT_TYPE

    names = names or {}
    rows = [("Request", request.request_id),
            ("Applicant", f"{names.get(request.applicant, '')} {request.applicant}".strip()),
            ("Office", request.office), ("Type", SHORT_TYPE[request.ip_type]), ("State", request.state.name.lower()),
            ("Requested (proof of existence)", when(request.requested_at) + " UTC"),
            ("Content hash", request.content_hash),
            ("Right accorded", format_right_id(request.right_id) if request.right_id else "-")]
    return table("Application request (the applicant asks; the office accords)", ("field", "value"), rows)


def title_table(history: Any, names: dict[str, str] | None = None) -> Any:
    """The chain of title of a ``History``: each holder, how the title came (filing or assignment) and since when."""
    names = names or {}
    rows = []
    for i, t in enumerate(history.title, 1):
        who = f"{names.get(t.holder, '')} {t.holder}".strip()
        how = "filed" if t.how == "filing" else "assigned" + (f" (recorded by {short(t.recorded_by)})"
                                                               if t.recorded_by and int(t.recorded_by, 16) else "")
        rows.append((i, who, how, when(t.since_time), t.deed_hash[:18] + "…" if t.deed_hash else "-",
                     t.since_block))
    return table("Chain of title", ("#", "holder", "how", "since (UTC)", "deed", "block"), rows)


def status_table(history: Any) -> Any:
    """The legal events of a ``History`` (status moves, corrections, assignments, security interests, licences),
    each with its WIPO ST.27 category, key event code and the office's national code."""
    from ipledger.domain import ST27_CATEGORIES

    rows = []
    for e in history.legal_events:
        rows.append((e.block, day(e.time), e.kind.name.lower().replace("_", " "), e.detail,
                     f"{e.category} {ST27_CATEGORIES.get(e.category, '?')}", e.key_event_code, e.national_code or "-"))
    return table("Legal events (WIPO ST.27)", ("block", "date", "event", "detail", "ST.27 category", "key code",
                                               "national code"), rows)


def anchor_table(anchors: Sequence[Any], names: dict[str, str] | None = None) -> Any:
    """Documents anchored against a right: the holder's and the office's apart from third parties' (no standing)."""
    names = names or {}
    labels = {"HOLDER": "holder", "OFFICE": "office", "THIRD_PARTY": "third party (no standing)"}
    rows = [(a.block, when(a.anchored_at), labels.get(a.role.name, a.role.name.lower()),
             f"{names.get(a.anchored_by, '')} {a.anchored_by}".strip(), a.tag, a.document_hash) for a in anchors]
    return table("Anchored documents", ("block", "anchored (UTC)", "by", "account", "tag", "document hash"), rows)


def timeline_table(history: Any) -> Any:
    """Every event of a right (and its licenses) by block, token bookkeeping events left out."""
    rows = []
    for e in history.events + tuple(history.licenses):
        if e.name in ("Transfer", "Locked", "MetadataUpdate"):
            continue
        detail = ", ".join(f"{k}={_cell(v)}" for k, v in e.args.items() if k != "rightId")
        rows.append((e.block, e.name, detail))
    rows.sort(key=lambda r: r[0])
    return table("Timeline", ("block", "event", "details"), rows)


def _cell(v: Any) -> str:
    """A timeline value, 32-byte hashes and big ids shortened."""
    if isinstance(v, str) and v.startswith("0x") and len(v) == 66:
        return v[:12] + "…"
    if isinstance(v, int) and v >= 2**64:
        return f"0x{v:064x}"[:12] + "…"
    return str(v)


def license_tree_table(nodes: Any, names: dict[str, str] | None = None) -> Any:
    """The license forest of a right as an indented table."""
    from ipledger.sdk import LicenseNode

    names = names or {}
    rows: list[tuple[Any, ...]] = []

    def walk(node: LicenseNode, level: int) -> None:
        lic = node.license
        who = names.get(lic.licensee, short(lic.licensee))
        state = ("active" if lic.active else lic.state.name.lower()) if lic.state.name == "ACTIVE" else lic.state.name.lower()
        rows.append((("   " * level) + ("└─ " if level else "") + f"#{lic.license_id}", who,
                     lic.kind.name.lower().replace("_", "-"), ",".join(lic.territories), lic.field_label or "all",
                     f"{lic.royalty_bps / 100:.2f}%", state + (" (sublicensable)" if lic.sublicensable else "")))
        for child in node.children:
            walk(child, level + 1)

    for n in nodes:
        walk(n, 0)
    return table("License tree", ("license", "licensee", "kind", "territories", "field", "royalty", "state"), rows)
