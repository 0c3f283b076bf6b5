"""The domain vocabulary shared by the contracts and the Python side: names and tables, no I/O.

``rights`` (IP types, statuses, the lifecycle, ST.27 legal events, codes and states, the right id), ``offices`` (WIPO
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
    KEY_EVENT_CODES,
    PENDING,
    SHORT_TYPE,
    ST27_CATEGORIES,
    TRANSITIONS,
    AnchorRole,
    IPType,
    LegalEvent,
    RequestState,
    St27State,
    Status,
    format_right_id,
    legal_event_of,
    national_code_text,
    right_id,
    st27_state,
)

__all__ = ["ENDED", "EVENT_CODES", "HOLDER_MOVES", "IN_FORCE", "IP_ORGANISATIONS", "IP_TYPE_ALIASES", "KEY_EVENT_CODES",
           "PENDING", "SHORT_TYPE", "ST27_CATEGORIES", "ST3_CODES", "TRANSITIONS", "AnchorRole", "IPType", "LegalEvent",
           "LicenseKind", "LicenseState", "RequestState", "St27State", "Status", "close_codes", "field_hash",
           "format_right_id", "legal_event_of", "national_code_text", "right_id", "st27_state"]
