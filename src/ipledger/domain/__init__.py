"""The domain vocabulary shared by the contracts and the Python side: names and tables, no I/O.

``rights`` (IP types, statuses, the lifecycle, event codes, the right id), ``offices`` (WIPO
ST.3 codes) and ``licensing`` (licence kinds and states). Parsing text into these
values is ``ipledger.types``' job.
"""

from ipledger.domain.licensing import LicenseKind, LicenseState, field_hash
from ipledger.domain.offices import IP_ORGANISATIONS, ST3_CODES, close_codes
from ipledger.domain.rights import (
    ENDED,
    EVENT_CODES,
    HOLDER_MOVES,
    IN_FORCE,
    IP_TYPE_ALIASES,
    SHORT_TYPE,
    TRANSITIONS,
    IPType,
    Status,
    format_right_id,
    right_id,
)

__all__ = ["ENDED", "EVENT_CODES", "HOLDER_MOVES", "IN_FORCE", "IP_ORGANISATIONS", "IP_TYPE_ALIASES", "SHORT_TYPE",
           "ST3_CODES", "TRANSITIONS", "IPType", "LicenseKind", "LicenseState", "Status",
           "close_codes", "field_hash", "format_right_id", "right_id"]
