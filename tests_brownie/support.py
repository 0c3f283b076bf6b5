"""Helpers of the brownie suite (conftest.py keeps the fixtures).

Custom errors: brownie decodes a revert carrying a custom error with the ABIs it has seen
and reports it as ``"Name: arg1, arg2"`` (``brownie.exceptions.decode_typed_error``).
``custom_error`` builds that string, so ``with brownie.reverts(custom_error("NotHolder",
rid, bob)):`` asserts the error's name and every argument value.

Signatures: the pytest suite's one EIP-712 helper (tests/helpers/eip712.py) signs here too,
with the key of the brownie dev account (``ipledger.integrations.brownie.brownie_signer``).

Council votes: ``council_vote(council, call(registry, "unpause"))`` passes a proposal the way the dev council
does (EM's admin proposes, the seated admins vote for, the timelock queues and executes); ``propose`` and
``sign_ballot`` are its parts for the tests of the vote itself.

Coverage of the contracts' actions: conftest.py records every contract call each test sent
(``record_calls``); test_abi_coverage.py checks that every state-changing function of the
ABIs was called through brownie at least once.
"""

from __future__ import annotations

import itertools
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

from brownie import accounts, web3
from eth_utils import is_address, keccak, to_checksum_address

from ipledger.domain import IPType
from ipledger.types import office_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the pytest suite's helpers package
from helpers import eip712  # noqa: E402

ZERO32 = b"\x00" * 32
YEAR = 365 * 86400
# (contract name, 4-byte selector as 0x-hex) of every contract call a test sent, reverted ones included
CALLED: set[tuple[str, str]] = set()
# whether this session runs the whole suite (set by conftest.py; the coverage check needs every test)
SELECTION: dict[str, bool] = {"every_file": False, "deselected": False}


def custom_error(name: str, *args: Any) -> str:
    """The revert message brownie reports for the Solidity custom error ``name(args...)``.

    brownie shows each decoded value with ``str()``: integers and enum values in decimal,
    addresses in lower case, ``bytesN`` as Python bytes (``b'EM'``), booleans as True/False.
    """

    def show(value: Any) -> str:
        if hasattr(value, "address"):  # a brownie account or contract
            value = value.address
        if isinstance(value, IntEnum):
            return str(int(value))
        if isinstance(value, str) and is_address(value):
            return value.lower()
        return str(value)

    return f"{name}: {', '.join(show(a) for a in args)}"


def filing(office: str, number: str, holder: Any, *, ip_type: IPType = IPType.TRADE_MARK, filing_date: int = 0,
           content_hash: bytes = ZERO32, metadata_uri: str = "") -> tuple[Any, ...]:
    """The ``IIPRegistry.Filing`` tuple."""
    return (office_bytes(office), int(ip_type), str(holder), filing_date, content_hash, ZERO32, number, metadata_uri)


def now() -> int:
    """The latest block's timestamp."""
    return int(web3.eth.get_block("latest")["timestamp"])


def register_right(registry: Any, officer: Any, office: str, number: str, holder: Any) -> int:
    """The office's registrar files a trade mark for ``holder``, publishes and registers it (ten years); returns its
    right id."""
    from ipledger.domain import Status, right_id

    registry.file(filing(office, number, holder), {"from": officer})
    rid = right_id(office, IPType.TRADE_MARK, number)
    registry.changeStatus(rid, int(Status.PUBLISHED), 0, ZERO32, {"from": officer})
    t = now()
    registry.register(rid, f"R-{number}", t, t + 10 * YEAR, ZERO32, {"from": officer})
    return rid


def event_code(value: str) -> str:
    """A ``bytes3`` event code from an event (``0x413130``) as text (``A10``)."""
    return bytes.fromhex(str(value)[2:]).decode()


def signer_of(account: Any) -> Any:
    """The eth-account signer of a brownie dev account (brownie's own hold no key)."""
    from ipledger.chain import dev_accounts
    from ipledger.integrations.brownie import brownie_signer

    return brownie_signer(account, dev_accounts(13))


def acceptance_message(registry: Any, right: int, deed_hash: bytes, deadline: int) -> dict[str, Any]:
    """The ``AcceptAssignment`` message for the right's pending assignment: its id and its assignee."""
    pending = registry.pendingAssignment(right).dict()
    return {"rightId": right, "assignmentId": int(pending["id"]), "assignee": str(pending["assignee"]),
            "deedHash": deed_hash, "deadline": deadline}


def sign_acceptance(registry: Any, signer: Any, right: int, deed_hash: bytes, deadline: int) -> bytes:
    """``signer``'s EIP-712 ``AcceptAssignment`` of the pending assignment (valid if it is the assignee)."""
    message = acceptance_message(registry, right, deed_hash, deadline)
    return eip712.sign(registry, "AcceptAssignment", message, signer_of(signer))


ASSIGN_TITLE = [{"name": "rightId", "type": "uint256"}, {"name": "holder", "type": "address"},
                {"name": "assignee", "type": "address"}, {"name": "deedHash", "type": "bytes32"},
                {"name": "sequence", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]


def assign_title_message(registry: Any, right: int, assignee: Any, deed_hash: bytes, deadline: int) -> dict[str, Any]:
    """The ``AssignTitle`` message of a one-transaction assignment: bound to the right's holder and its assignment
    sequence number now."""
    record = registry.rightOf(right).dict()
    return {"rightId": right, "holder": str(record["holder"]), "assignee": str(assignee), "deedHash": deed_hash,
            "sequence": int(record["assignmentSequence"]), "deadline": deadline}


def sign_assign_title(registry: Any, signer: Any, message: dict[str, Any]) -> bytes:
    """``signer``'s EIP-712 ``AssignTitle`` of ``message`` (the assignee's, and the holder's when relayed)."""
    from eth_account import Account

    signed = Account.sign_typed_data(signer_of(signer).key, eip712.domain(registry), {"AssignTitle": ASSIGN_TITLE},
                                     message)
    return bytes(signed.signature)


def consent_message(interests: Any, registry: Any, pledge_id: int, deadline: int) -> dict[str, Any]:
    """The ``ConsentToAssignment`` message of the pledge's creditor to the right's pending assignment, now."""
    pledge = interests.pledgeOf(pledge_id).dict()
    right = int(pledge["rightId"])
    pending = registry.pendingAssignment(right).dict()
    return {"pledgeId": pledge_id, "rightId": right, "creditor": str(pledge["creditor"]),
            "assignmentId": int(pending["id"]), "assignee": str(pending["assignee"]),
            "deedHash": bytes(pending["deedHash"]), "pledgesVersion": int(interests.pledgesVersionOf(right)),
            "deadline": deadline}


def sign_consent(interests: Any, registry: Any, signer: Any, pledge_id: int, deadline: int) -> bytes:
    """``signer``'s EIP-712 ``ConsentToAssignment`` for the pledge (whose creditor must sign), made off chain."""
    message = consent_message(interests, registry, pledge_id, deadline)
    return eip712.sign(interests, "ConsentToAssignment", message, signer_of(signer))


def license_acceptance_message(licenses: Any, license_id: int, deadline: int) -> dict[str, Any]:
    """The ``AcceptLicense`` message of the offer: its id, its licensee and its interned terms' id (no nonce)."""
    offer = licenses.licenseOf(license_id).dict()
    return {"licenseId": license_id, "licensee": str(offer["licensee"]), "termsId": int(offer["termsId"]),
            "deadline": deadline}


def sign_license_acceptance(licenses: Any, signer: Any, license_id: int, deadline: int) -> bytes:
    """``signer``'s EIP-712 ``AcceptLicense`` of the offer (valid if it is the licensee), made off chain."""
    message = license_acceptance_message(licenses, license_id, deadline)
    return eip712.sign(licenses, "AcceptLicense", message, signer_of(signer))


def record_calls(history: Any) -> None:
    """Adds the contract calls in brownie's transaction history to ``CALLED`` (deployments are skipped)."""
    for tx in history:
        if tx.receiver is not None and tx.contract_name and tx.input and len(tx.input) >= 10:
            CALLED.add((str(tx.contract_name), str(tx.input)[:10].lower()))


# ---------------------------------------------------------------- the council

FOR, AGAINST, ABSTAIN = 1, 0, 2  # GovernorCountingSimple.VoteType
PENDING, ACTIVE, SUCCEEDED, QUEUED, EXECUTED = 0, 1, 4, 5, 7  # IGovernor.ProposalState
_PROPOSALS = itertools.count(1)


def call(contract: Any, function: str, *args: Any) -> tuple[str, str]:
    """One action of a proposal: ``(target, calldata)`` of ``contract.function(*args)``."""
    return str(contract.address), getattr(contract, function).encode_input(*args)


def seated_admins(council: Any) -> list[Any]:
    """The brownie accounts of the council's seated office admins, in the council's order of offices."""
    return [accounts.at(str(council.officeAdmin(code))) for code in council.offices()]


def propose(council: Any, *calls: tuple[str, str], proposer: Any = None) -> tuple[int, list[Any], str]:
    """Proposes ``calls`` (by the first seated admin unless ``proposer``); returns (id, the proposal's arguments
    for queue/execute, its description)."""
    targets, calldatas = [t for t, _ in calls], [d for _, d in calls]
    description = f"brownie proposal #{next(_PROPOSALS)}"
    tx = council.propose(targets, [0] * len(calls), calldatas, description,
                         {"from": proposer or seated_admins(council)[0]})
    proposal_id = int(tx.events["ProposalCreated"]["proposalId"])
    return proposal_id, [targets, [0] * len(calls), calldatas, keccak(text=description)], description


def council_vote(council: Any, *calls: tuple[str, str]) -> Any:
    """The council passes ``calls``: proposed by EM's admin, voted for by the seated admins until the proposal
    succeeds (the super-quorum ends the vote early), queued in the timelock (no delay on a dev chain) and executed;
    returns the execution's transaction (its events are those of the calls' targets)."""
    admins = seated_admins(council)
    proposal_id, args, _ = propose(council, *calls, proposer=admins[0])
    for admin in admins:  # bounded: one vote per seat
        if council.state(proposal_id) not in (PENDING, ACTIVE):
            break
        council.castVote(proposal_id, FOR, {"from": admin})
    assert council.state(proposal_id) == SUCCEEDED, f"proposal {proposal_id} did not pass"
    council.queue(*args, {"from": admins[0]})
    tx = council.execute(*args, {"from": admins[0]})
    assert council.state(proposal_id) == EXECUTED
    return tx


def sign_ballot(council: Any, voter: Any, proposal_id: int, support: int, *, reason: str | None = None,
                params: bytes = b"") -> bytes:
    """``voter``'s EIP-712 ``Ballot`` (or, with a reason, ``ExtendedBallot``) for the council, at its current
    nonce: what ``castVoteBySig`` (``castVoteWithReasonAndParamsBySig``) relays."""
    from eth_account import Account

    fields = [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
              {"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"}]
    message: dict[str, Any] = {"proposalId": proposal_id, "support": support, "voter": str(voter),
                               "nonce": int(council.nonces(voter))}
    primary = "Ballot"
    if reason is not None:
        primary = "ExtendedBallot"
        fields += [{"name": "reason", "type": "string"}, {"name": "params", "type": "bytes"}]
        message.update(reason=reason, params=params)
    signed = Account.sign_typed_data(signer_of(voter).key, eip712.domain(council), {primary: fields}, message)
    return bytes(signed.signature)


def extension_of(implementation: str) -> str:
    """The IPRegistryExtension an IPRegistry implementation created in its constructor (its second CREATE, after
    the metadata renderer): the address ``CREATE`` gives for the implementation's nonce 2."""
    import rlp

    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(implementation[2:]), 2]))[12:])
