"""Reading record files: JSON or CSV text, validated into records with every problem listed at once."""

from __future__ import annotations

import json
from pathlib import Path

from ipledger.bulk.csvform import parse_csv
from ipledger.bulk.records import InvalidRecords, Problem, Record
from ipledger.bulk.schema import parse_document
from ipledger.errors import UsageError


def parse_records(text: str, kind: str, *, source: str = "the input") -> list[Record]:
    """Validates the text of a ``json`` or ``csv`` file; raises InvalidRecords with every problem."""
    if kind == "csv":
        records, problems = parse_csv(text)
    elif kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidRecords([Problem(0, "JSON", f"{exc.msg} at line {exc.lineno} column {exc.colno}")],
                                 source) from None
        records, problems = parse_document(data)
    else:
        raise UsageError(f"cannot tell the format of {source}; name it .json or .csv")
    if problems:
        raise InvalidRecords(problems, source)
    return records


def load_records(path: str | Path, *, fmt: str | None = None) -> list[Record]:
    """Reads and validates a JSON or CSV file (by extension, or ``fmt``); raises InvalidRecords with every problem."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"file '{path}' does not exist; give a .json or .csv file of records (see examples/)")
    kind = (fmt or p.suffix.lstrip(".")).lower()
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_records(text, kind, source=str(path))
