"""The council's vocabulary: authority role ids, proposal states, vote choices, the pass threshold and its math.

Role ids are those of ``contracts/governance/RegisterAuthority.sol`` (OpenZeppelin ``AccessManager``); proposal
states and vote choices those of OpenZeppelin's ``IGovernor`` and ``GovernorCountingSimple``. No I/O.
"""

from __future__ import annotations

import re
from enum import IntEnum
from fractions import Fraction

from ipledger.errors import InvalidInput

ADMIN_ROLE = 0  # AccessManager.ADMIN_ROLE: the council's timelock alone, once deployment is over
GUARDIAN_ROLE = 1  # may pause every register, and nothing else
COUNCIL_ROLE = 2  # the OfficeCouncil contract: admits, removes and re-seats offices in the registry
ROLE_NAMES = {ADMIN_ROLE: "admin (council timelock)", GUARDIAN_ROLE: "guardian", COUNCIL_ROLE: "council"}

DEFAULT_THRESHOLD = Fraction(2, 3)
MAX_THRESHOLD_TERM = 0xFFFF  # numerator and denominator are uint16 on chain
# Registry functions restricted to COUNCIL_ROLE; every register's `pause` goes to GUARDIAN_ROLE.
COUNCIL_FUNCTIONS = ("addOffice", "removeOffice", "setOfficeAdmin")
GUARDIAN_FUNCTIONS = ("pause",)
# Chain ids of local dev chains (eth-tester, anvil/hardhat, Ganache), where a zero timelock delay is allowed.
DEV_CHAIN_IDS = frozenset({131277322940537, 31337, 1337})


class ProposalState(IntEnum):
    """OpenZeppelin ``IGovernor.ProposalState``."""

    PENDING = 0
    ACTIVE = 1
    CANCELED = 2
    DEFEATED = 3
    SUCCEEDED = 4
    QUEUED = 5
    EXPIRED = 6
    EXECUTED = 7


class Vote(IntEnum):
    """OpenZeppelin ``GovernorCountingSimple.VoteType``."""

    AGAINST = 0
    FOR = 1
    ABSTAIN = 2


def vote(value: str | int | Vote) -> Vote:
    """``for`` / ``against`` / ``abstain`` (or 1 / 0 / 2) as a ``Vote``."""
    if isinstance(value, Vote):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2):
        return Vote(value)
    if isinstance(value, str) and value.strip().upper() in Vote.__members__:
        return Vote[value.strip().upper()]
    raise InvalidInput(f"a vote is for, against or abstain, not {value!r}")


def threshold(value: str | Fraction | tuple[int, int]) -> Fraction:
    """A pass threshold from ``2/3``, ``0.75``, ``75%`` or ``(2, 3)``: above one half, at most one.

    The fraction keeps the terms as given when they fit uint16 (``4/6`` stays 4/6 on chain after ``terms``).
    """
    if isinstance(value, tuple):
        num, den = value
    elif isinstance(value, Fraction):
        num, den = value.numerator, value.denominator
    else:
        text = str(value).strip()
        m = re.fullmatch(r"(\d{1,5})\s*/\s*(\d{1,5})", text)
        try:
            if m:
                num, den = int(m.group(1)), int(m.group(2))
            elif text.endswith("%"):
                f = Fraction(text[:-1].strip()) / 100
                num, den = f.numerator, f.denominator
            else:
                f = Fraction(text)
                num, den = f.numerator, f.denominator
        except (ValueError, ZeroDivisionError):
            raise InvalidInput(f"a threshold is a fraction such as 2/3, 0.75 or 75%, not {text!r}") from None
    if den <= 0 or num > den or 2 * num <= den:
        raise InvalidInput(f"a threshold is above one half and at most one, not {num}/{den}")
    if num > MAX_THRESHOLD_TERM or den > MAX_THRESHOLD_TERM:
        raise InvalidInput(f"the threshold {num}/{den} has terms over {MAX_THRESHOLD_TERM}; simplify it")
    return Fraction(num, den)


def votes_needed(offices: int, fraction: Fraction = DEFAULT_THRESHOLD) -> int:
    """For-votes a proposal needs with ``offices`` seated at its snapshot: ceil(fraction x offices), at least 1
    (the contract's ``quorum``)."""
    needed = -(-offices * fraction.numerator // fraction.denominator)
    return max(needed, 1)


def is_dev_chain(chain_id: int) -> bool:
    """Whether ``chain_id`` is a local dev chain (a zero timelock delay is allowed there)."""
    return chain_id in DEV_CHAIN_IDS


def duration(value: str | int, what: str = "delay") -> int:
    """Seconds from ``3600``, ``90s``, ``15m``, ``2h``, ``2d`` or ``1w``."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        m = re.fullmatch(r"(\d{1,9})\s*([smhdw]?)", str(value).strip().lower())
        if not m:
            raise InvalidInput(f"the {what} is a number of seconds or a duration such as 15m, 2h or 2d, not "
                               f"{str(value)!r}")
        seconds = int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[m.group(2)]
    if seconds < 0:
        raise InvalidInput(f"the {what} cannot be negative ({seconds})")
    return seconds
