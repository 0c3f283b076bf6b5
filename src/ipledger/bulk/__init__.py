"""Bulk import and export of office data: validated first, batched, pipelined, exactly once.

    from ipledger.bulk import load_records, import_records, export_records, dumps
    records = load_records("examples/records.json")          # every problem at once, or InvalidRecords
    with IPLedger.connect("local", 1) as ipl:                  # a registrar of every office in the file
        report = import_records(ipl, records)
        Path("out.json").write_text(dumps(export_records(ipl)))

**Records** are shaped after WIPO ST.97 (the JSON form of ST.96): office (ST.3), IP type,
application number, filing date, holder, content hash, metadata URI and hash, registration
number and date, expiry date, and the legal-status events after filing (ST.27 codes). The
schema is in ``docs/bulk.md``. CSV carries one row per record with the final status and its
dates; it becomes the same records.

The rooms, one concern each:

* ``records``: the values (``Record``, ``StatusEvent``, ``Problem``) and errors (``InvalidRecords``,
  ``ImportRefused``);
* ``schema`` (JSON), ``csvform`` (CSV) and ``files`` (reading either): validation into records,
  every problem at once, through the toolkit's parsers (``ipledger.types``);
* ``canonical``: the canonical JSON an export writes (``dumps``);
* ``calldata`` (eth-abi from the registry's ABI) and ``gas`` (the gas model);
* ``reader``: holder and status of thousands of rights in a few calls, by the never-deployed
  ``contracts/periphery/RightStateReader.sol``;
* ``plan`` (what the chain lacks), ``importer`` (the rounds, on ``ipledger.tx.Window``) and
  ``journal`` (the audit trail);
* ``export``: records rebuilt from the registry's events (``ipledger.rpc.get_logs``, decoded
  from the ABI) and current state.

**Exactly once.** A right's id is ``keccak(office, type, application number)``, so the chain
itself says what is done: each round reads the state of every record and sends only what is
missing, and the contract refuses duplicates (``ipledger.bulk.importer`` explains how).
"""

from ipledger.bulk.calldata import RegistryCalls
from ipledger.bulk.canonical import dumps, record_to_json
from ipledger.bulk.csvform import CSV_COLUMNS, dumps_csv, parse_csv
from ipledger.bulk.export import export_records, status_event_count
from ipledger.bulk.files import load_records, parse_records
from ipledger.bulk.importer import ImportOptions, ImportReport, Importer, ProgressSink, import_records, summary_rows
from ipledger.bulk.journal import Journal
from ipledger.bulk.reader import read_states
from ipledger.bulk.records import FORMAT, VERSION, ImportRefused, InvalidRecords, Problem, Record, StatusEvent
from ipledger.bulk.schema import EVENT_FIELDS, RECORD_FIELDS, REQUIRED_FIELDS, parse_document, record_from_json

__all__ = ["CSV_COLUMNS", "EVENT_FIELDS", "FORMAT", "ImportOptions", "ImportRefused", "ImportReport", "Importer",
           "InvalidRecords", "Journal", "Problem", "ProgressSink", "RECORD_FIELDS", "REQUIRED_FIELDS", "Record",
           "RegistryCalls", "StatusEvent", "VERSION", "dumps", "dumps_csv", "export_records", "import_records", "load_records",
           "parse_csv", "parse_document", "parse_records", "read_states", "record_from_json", "record_to_json",
           "status_event_count", "summary_rows"]
