"""Reading record files: JSON or CSV text, validated into records with every problem listed at once.

The file must be a regular file (``types.input_file``: a directory, ``/dev/null``, a FIFO or a
device is named as such), UTF-8 text, and JSON that Python can read: an object that gives a
key twice is a problem of its record (``schema.json_object``), and nesting deeper than
``types.MAX_JSON_DEPTH`` is one problem of the file, found before the (recursive) JSON reader
runs: not a ``RecursionError``, nor a crash of the interpreter.
"""

from __future__ import annotations

import json
from pathlib import Path

from ipledger import types
from ipledger.bulk.csvform import parse_csv
from ipledger.bulk.records import InvalidRecords, Problem, Record
from ipledger.bulk.schema import json_object, parse_document
from ipledger.errors import UsageError

DEPTH = 5  # how deep a valid document nests: document → records → record → legalStatusEvents → event


def parse_records(text: str, kind: str, *, source: str = "the input") -> list[Record]:
    """Validates the text of a ``json`` or ``csv`` file; raises InvalidRecords with every problem."""
    if kind == "csv":
        records, problems = parse_csv(text)
    elif kind == "json":
        too_deep = [Problem(0, "JSON", f"nests arrays and objects more than {types.MAX_JSON_DEPTH} deep; a record "
                                       f"file nests {DEPTH} (document, records, record, legalStatusEvents, event)")]
        if types.json_too_deep(text):
            raise InvalidRecords(too_deep, source)
        try:
            data = json.loads(text, object_pairs_hook=json_object)
        except json.JSONDecodeError as exc:
            raise InvalidRecords([Problem(0, "JSON", f"{exc.msg} at line {exc.lineno} column {exc.colno}")],
                                 source) from None
        except RecursionError:  # measured above; kept in case the reader's limit is lower than ours
            raise InvalidRecords(too_deep, source) from None
        records, problems = parse_document(data)
    else:
        raise UsageError(f"cannot tell the format of {types.escape(source)}; name it .json or .csv")
    if problems:
        raise InvalidRecords(problems, source)
    return records


def load_records(path: str | Path, *, fmt: str | None = None) -> list[Record]:
    """Reads and validates a JSON or CSV file (by extension, or ``fmt``); raises InvalidRecords with every problem."""
    try:
        p = types.input_file(path, "record file")
    except UsageError as exc:
        raise UsageError(f"{exc} of records (.json or .csv, see examples/)") from None
    kind = (fmt or p.suffix.lstrip(".")).lower()
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{types.escape(str(path))} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"record file '{types.escape(str(path))}' cannot be read ({exc.strerror})") from None
    return parse_records(text, kind, source=str(path))
