"""The office council from Python (``ipl.council``): build actions, propose them, vote, queue, execute, read.

    c = ipl.council                                         # acting as ipl's account (an office admin)
    p = c.propose([c.admit_office("AU", admin, recordal=False)], "admit IP Australia")
    ipl.as_account(ru_admin).council.vote(p.proposal_id, "for")
    c.execute(p.proposal_id)                                # queues first, then runs once the delay is over
    print(c.show(p.proposal_id))

An action is a ``Call`` (target, calldata, a one-line summary); a proposal is a list of them. Every action the
register's governance knows has a builder here; ``call`` builds any other (the upgrade helper's
``upgradeToAndCall``). ``pass_`` is a dev-chain shortcut for tests and the demo: every seated office's dev
account votes for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eth_utils import keccak, to_checksum_address

from ipledger import rpc, types
from ipledger.abi import topic
from ipledger.deploy import AUTHORITY, COUNCIL, SUITE, TIMELOCK
from ipledger.domain import governance as gov
from ipledger.errors import InvalidInput, UsageError
from ipledger.sdk.results import TxResult
from ipledger.tx.sender import translated

if TYPE_CHECKING:
    from ipledger.sdk.base import ClientBase

MAX_DEV_MINE = 1000  # empty blocks a local dev node is moved on by, at most, to open a vote
BALLOT_TYPES = {"Ballot": [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
                           {"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"}]}


@dataclass(frozen=True)
class Call:
    """One action of a proposal: ``target`` called with ``data`` (no value); ``summary`` says what it does."""

    target: str
    data: bytes
    summary: str


@dataclass(frozen=True)
class ProposalResult(TxResult):
    """A proposal made: the transaction and the proposal's id."""

    proposal_id: int = 0


@dataclass(frozen=True)
class Proposal:
    """A proposal as the chain sees it now."""

    proposal_id: int
    state: gov.ProposalState
    proposer: str
    description: str
    actions: tuple[str, ...]  # decoded, one line each
    snapshot: int  # block
    deadline: int  # block
    eta: int  # unix seconds when it may execute (0: not queued)
    votes: dict[str, int] = field(default_factory=dict)  # for / against / abstain
    needed: int = 0  # for-votes it needs
    offices: int = 0  # seated offices at the snapshot
    threshold: str = ""  # e.g. 2/3
    targets: tuple[str, ...] = ()
    calldatas: tuple[bytes, ...] = ()


class Council:
    """The council seen from one account of a client (``ipl.council``)."""

    def __init__(self, ipl: ClientBase) -> None:
        self.ipl = ipl
        if COUNCIL not in ipl.contracts:
            raise UsageError("this deployment has no OfficeCouncil; redeploy with `ipledger deploy --force`")
        self.contract = ipl.contracts[COUNCIL]
        self.timelock = ipl.contracts[TIMELOCK]
        self.authority = ipl.contracts[AUTHORITY]

    # ------------------------------------------------------------ action builders

    def call(self, contract: str | Any, function: str, *args: Any, summary: str | None = None) -> Call:
        """Any call of a deployed contract (by name) or a web3 contract object, e.g.
        ``call("IPRegistry", "upgradeToAndCall", new_impl, b"")``."""
        c = self.ipl.contracts[contract] if isinstance(contract, str) else contract
        data = bytes.fromhex(c.encode_abi(function, list(args))[2:])
        return Call(c.address, data, summary or f"{_name_of(self.ipl, c.address)}.{function}"
                    f"({', '.join(_show(a) for a in args)})")

    def admit_office(self, office: str, admin: str, recordal: bool = False) -> Call:
        code = types.office(office)
        return self.call(self.contract, "admitOffice", types.office_bytes(code), types.address(admin, "admin"),
                         bool(recordal), summary=f"admit office {code} (admin {admin}, recordal "
                                                 f"{'required' if recordal else 'not required'})")

    def remove_office(self, office: str) -> Call:
        code = types.office(office)
        return self.call(self.contract, "removeOffice", types.office_bytes(code), summary=f"remove office {code}")

    def replace_admin(self, office: str, admin: str) -> Call:
        code = types.office(office)
        return self.call(self.contract, "replaceOfficeAdmin", types.office_bytes(code), types.address(admin, "admin"),
                         summary=f"replace the admin of {code} by {admin}")

    def set_recordal(self, office: str, required: bool) -> Call:
        code = types.office(office)
        return self.call("IPRegistry", "setRecordalRequired", types.office_bytes(code), bool(required),
                         summary=f"recordal {'required' if required else 'not required'} for {code}")

    def set_guardian(self, account: str) -> Call:
        return self.call(self.authority, "grantRole", gov.GUARDIAN_ROLE, types.address(account, "guardian"), 0,
                         summary=f"make {account} a guardian")

    def unset_guardian(self, account: str) -> Call:
        return self.call(self.authority, "revokeRole", gov.GUARDIAN_ROLE, types.address(account, "guardian"),
                         summary=f"revoke the guardian {account}")

    def unpause(self) -> list[Call]:
        """One ``unpause`` per register behind the authority (all of them paused or not: the vote says resume)."""
        return [self.call(name, "unpause", summary=f"unpause {name}") for name in governed_registers(self.ipl)]

    def set_threshold(self, value: str | Fraction | tuple[int, int]) -> Call:
        f = value if isinstance(value, tuple) else gov.threshold(value)
        num, den = (f if isinstance(f, tuple) else (f.numerator, f.denominator))
        gov.threshold((num, den))
        return self.call(self.contract, "setThreshold", num, den, summary=f"pass threshold {num}/{den}")

    def set_voting_delay(self, blocks: int) -> Call:
        return self.call(self.contract, "setVotingDelay", _blocks(blocks, "voting delay", 0),
                         summary=f"voting delay {blocks} blocks")

    def set_voting_period(self, blocks: int) -> Call:
        return self.call(self.contract, "setVotingPeriod", _blocks(blocks, "voting period", 1),
                         summary=f"voting period {blocks} blocks")

    def set_timelock_delay(self, seconds: int | str) -> Call:
        s = gov.duration(seconds, "timelock delay")
        if s == 0 and not gov.is_dev_chain(self.ipl.chain.chain_id):
            raise InvalidInput(f"a zero timelock delay is for local dev chains only, and chain "
                               f"{self.ipl.chain.chain_id} is not one")
        return self.call(self.timelock, "updateDelay", s, summary=f"timelock delay {s} s")

    # ------------------------------------------------------------ proposing and voting

    def propose(self, calls: Sequence[Call] | Call, description: str | None = None) -> ProposalResult:
        """Proposes ``calls`` (an office admin). The description defaults to the actions' summaries and the next
        proposal number (a proposal of the same actions and description cannot be made twice)."""
        calls = [calls] if isinstance(calls, Call) else list(calls)
        if not calls:
            raise InvalidInput("a proposal has at least one action")
        if description is None:
            nxt = int(self.ipl.call(self.contract.functions.latestProposalId(), "latest proposal")) + 1
            description = f"#{nxt}: " + "; ".join(c.summary for c in calls)
        fn = self.contract.functions.propose([to_checksum_address(c.target) for c in calls], [0] * len(calls),
                                             [c.data for c in calls], description)
        res = self.ipl.transact(fn, "propose")
        pid = int(res.event("ProposalCreated").args["proposalId"])
        return ProposalResult(**res.__dict__, proposal_id=pid)

    def vote(self, proposal_id: int, support: str | int | gov.Vote, reason: str = "") -> TxResult:
        """Casts this account's office vote (for / against / abstain)."""
        choice = gov.vote(support)
        self._wait_open(proposal_id)
        fn = self.contract.functions.castVoteWithReason(int(proposal_id), int(choice), reason)
        return self.ipl.transact(fn, f"vote {choice.name.lower()} on proposal {proposal_id}")

    def sign_vote(self, proposal_id: int, support: str | int | gov.Vote, voter: str | None = None) -> bytes:
        """This account's EIP-712 ballot for ``voter`` (default: itself; a contract wallet's owner signs for the
        wallet, which approves it by ERC-1271)."""
        from eth_account import Account

        from ipledger.sdk.signing import domain_of

        voter = types.address(voter or self.ipl.address, "voter")
        nonce = int(self.ipl.call(self.contract.functions.nonces(voter), "nonces"))
        domain = domain_of(self.ipl.call(self.contract.functions.eip712Domain(), "eip712Domain"))
        message = {"proposalId": int(proposal_id), "support": int(gov.vote(support)), "voter": voter, "nonce": nonce}
        return bytes(Account.sign_typed_data(self.ipl.account.key, domain, BALLOT_TYPES, message).signature)

    def vote_by_sig(self, proposal_id: int, support: str | int | gov.Vote, voter: str,
                    signature: bytes | str) -> TxResult:
        """Relays ``voter``'s signed ballot (anyone may relay)."""
        self._wait_open(proposal_id)
        fn = self.contract.functions.castVoteBySig(int(proposal_id), int(gov.vote(support)),
                                                   types.address(voter, "voter"), types.signature(signature))
        return self.ipl.transact(fn, f"relay a vote on proposal {proposal_id}")

    def queue(self, proposal_id: int) -> TxResult:
        """Queues a passed proposal in the timelock (anyone)."""
        targets, values, datas, dhash = self._parts(proposal_id)
        return self.ipl.transact(self.contract.functions.queue(targets, values, datas, dhash),
                                 f"queue proposal {proposal_id}")

    def execute(self, proposal_id: int) -> TxResult:
        """Executes a passed proposal (anyone), queuing it first if needed; a ``UsageError`` says how long the
        timelock delay still runs."""
        p = self.show(proposal_id)
        if p.state == gov.ProposalState.SUCCEEDED:
            self.queue(proposal_id)
            p = self.show(proposal_id)
        if p.state == gov.ProposalState.QUEUED:
            now = int(self.ipl.w3.eth.get_block("latest")["timestamp"])
            if p.eta > now:
                raise UsageError(f"proposal {proposal_id} is queued; the timelock delay runs {p.eta - now} s more "
                                 f"(until {types.format_date(p.eta)}); execute it then")
        elif p.state != gov.ProposalState.SUCCEEDED:
            raise UsageError(f"proposal {proposal_id} is {p.state.name.lower()}; only a passed proposal executes")
        targets, values, datas, dhash = self._parts(proposal_id)
        return self.ipl.transact(self.contract.functions.execute(targets, values, datas, dhash),
                                 f"execute proposal {proposal_id}")

    def cancel(self, proposal_id: int) -> TxResult:
        """Cancels a proposal before its vote opens (its proposer)."""
        targets, values, datas, dhash = self._parts(proposal_id)
        return self.ipl.transact(self.contract.functions.cancel(targets, values, datas, dhash),
                                 f"cancel proposal {proposal_id}")

    def pass_(self, calls: Sequence[Call] | Call, description: str | None = None) -> ProposalResult:
        """Dev chains: proposes ``calls`` as this account, every seated office's admin (a dev account of the chain)
        votes for until it passes, then it is queued and executed. Returns the proposal."""
        res = self.propose(calls, description)
        by_address = {a.address.lower(): a for a in self.ipl.chain.accounts}
        for office in self.offices():
            if self.state(res.proposal_id) not in (gov.ProposalState.PENDING, gov.ProposalState.ACTIVE):
                break
            admin = by_address.get(office["admin"].lower())
            if admin is None:
                continue
            Council(self.ipl.as_account(admin)).vote(res.proposal_id, gov.Vote.FOR)
        self.execute(res.proposal_id)
        return res

    def _wait_open(self, proposal_id: int) -> None:
        """A vote opens the block after the proposal's snapshot. A local dev node that mines only on transactions
        (anvil, Ganache, the embedded chain) is moved on to that block (at most MAX_DEV_MINE empty blocks); on
        another chain a ``UsageError`` says when the vote opens."""
        snapshot = int(self.ipl.call(self.contract.functions.proposalSnapshot(int(proposal_id)), "snapshot"))
        with translated(self.ipl.decoder, "reading the latest block"):
            head = int(self.ipl.w3.eth.block_number)
        if snapshot == 0 or head > snapshot:
            return  # no such proposal (the contract says so), or open (or closed: the contract says so)
        if not self.ipl.chain.is_local or snapshot - head + 1 > MAX_DEV_MINE:
            raise UsageError(f"the vote on proposal {proposal_id} opens after block {snapshot} (now {head}); "
                             "vote then")
        for _ in range(snapshot - head + 1):
            _mine(self.ipl)

    # ------------------------------------------------------------ reads

    def state(self, proposal_id: int) -> gov.ProposalState:
        return gov.ProposalState(int(self.ipl.call(self.contract.functions.state(int(proposal_id)), "proposal state")))

    def offices(self) -> list[dict[str, Any]]:
        """Every seated office with its admin (and the account it offered its seat to, if any)."""
        out = []
        for code in self.ipl.call(self.contract.functions.offices(), "council offices"):
            admin = self.ipl.call(self.contract.functions.officeAdmin(code), "office admin")
            pending = self.ipl.call(self.contract.functions.pendingOfficeAdmin(code), "pending admin")
            out.append({"office": bytes(code).decode(), "admin": admin,
                        "pending_admin": None if int(pending, 16) == 0 else pending})
        return sorted(out, key=lambda o: o["office"])

    def threshold(self) -> Fraction:
        num, den = self.ipl.call(self.contract.functions.threshold(), "threshold")
        return Fraction(int(num), int(den))

    def settings(self) -> dict[str, Any]:
        """The council's rules: threshold, voting delay and period (blocks), timelock delay (seconds)."""
        num, den = self.ipl.call(self.contract.functions.threshold(), "threshold")
        c = self.contract.functions
        return {"threshold": f"{num}/{den}", "voting_delay": int(self.ipl.call(c.votingDelay(), "voting delay")),
                "voting_period": int(self.ipl.call(c.votingPeriod(), "voting period")),
                "timelock_delay": int(self.ipl.call(self.timelock.functions.getMinDelay(), "timelock delay")),
                "offices": len(self.ipl.call(c.offices(), "offices"))}

    def proposals(self) -> list[Proposal]:
        """Every proposal, from the council's ``ProposalCreated`` events (bounded log reads), with its state now."""
        return [self._proposal(args) for args in self._created().values()]

    def show(self, proposal_id: int) -> Proposal:
        created = self._created()
        if int(proposal_id) not in created:
            raise InvalidInput(f"there is no proposal {proposal_id}; `ipledger council list` shows them")
        return self._proposal(created[int(proposal_id)])

    def _created(self) -> dict[int, dict[str, Any]]:
        event = self.contract.events.ProposalCreated()
        sig = topic(next(i for i in self.contract.abi if i.get("type") == "event" and i["name"] == "ProposalCreated"))
        with translated(self.ipl.decoder, "reading the latest block"):
            head = int(self.ipl.w3.eth.block_number)
        start = self.ipl.deployment.contracts[COUNCIL].block
        out: dict[int, dict[str, Any]] = {}
        for lg in rpc.get_logs(self.ipl.w3, self.contract.address, [sig], start, head):
            log = {"address": self.contract.address, "topics": list(lg.topics), "data": lg.data,
                   "blockNumber": lg.block, "logIndex": lg.index, "transactionIndex": 0,
                   "transactionHash": b"\0" * 32, "blockHash": b"\0" * 32}
            args = dict(event.process_log(log)["args"])
            out[int(args["proposalId"])] = args
        return out

    def _proposal(self, args: dict[str, Any]) -> Proposal:
        pid = int(args["proposalId"])
        c = self.contract.functions
        against, for_, abstain = self.ipl.call(c.proposalVotes(pid), "votes")
        snapshot = int(args["voteStart"])
        num, den = self.ipl.call(c.thresholdAt(snapshot), "threshold")
        return Proposal(
            proposal_id=pid, state=self.state(pid), proposer=args["proposer"], description=args["description"],
            actions=tuple(self._decode(t, d) for t, d in zip(args["targets"], args["calldatas"])),
            snapshot=snapshot, deadline=int(args["voteEnd"]), eta=int(self.ipl.call(c.proposalEta(pid), "eta")),
            votes={"for": int(for_), "against": int(against), "abstain": int(abstain)},
            needed=int(self.ipl.call(c.quorum(snapshot), "votes needed")),
            offices=int(self.ipl.call(c.officeCountAt(snapshot), "offices at snapshot")), threshold=f"{num}/{den}",
            targets=tuple(args["targets"]), calldatas=tuple(bytes(d) for d in args["calldatas"]))

    def _parts(self, proposal_id: int) -> tuple[list[str], list[int], list[bytes], bytes]:
        created = self._created()
        if int(proposal_id) not in created:
            raise InvalidInput(f"there is no proposal {proposal_id}; `ipledger council list` shows them")
        a = created[int(proposal_id)]
        return (list(a["targets"]), [int(v) for v in a["values"]], [bytes(d) for d in a["calldatas"]],
                keccak(text=a["description"]))

    def _decode(self, target: str, data: bytes) -> str:
        """``Contract.function(args)`` for a call of one of the deployment's contracts, else the raw selector."""
        name = _name_of(self.ipl, target)
        if name in self.ipl.contracts:
            try:
                fn, args = self.ipl.contracts[name].decode_function_input(bytes(data))
                values = list(args.values())
                inputs = fn.abi.get("inputs", [])
                if len(values) != len(inputs):  # unnamed parameters (IPRegistry's delegating stubs) share one key
                    from eth_abi import decode as abi_decode

                    from ipledger.abi import canonical_type
                    values = list(abi_decode([canonical_type(i) for i in inputs], bytes(data)[4:]))
                return f"{name}.{fn.fn_name}({', '.join(_show(v) for v in values)})"
            except ValueError:
                pass
        return f"{name}: 0x{bytes(data)[:4].hex()}… ({len(data)} bytes)"


def governed_registers(ipl: ClientBase) -> list[str]:
    """The registers of the deployment that answer to the RegisterAuthority (behind proxies), in suite order."""
    return [name for name, _, _ in SUITE if name in ipl.contracts
            and any(i.get("name") == "authority" for i in ipl.contracts[name].abi)]


def _name_of(ipl: ClientBase, address: str) -> str:
    for name, c in ipl.contracts.items():
        if c.address.lower() == str(address).lower():
            return str(name)
    return str(address)


def _show(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
        return raw.decode() if len(raw) == 2 and raw.isalpha() else "0x" + raw.hex()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _blocks(value: Any, what: str, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or value >= 2**32:
        raise InvalidInput(f"the {what} is a whole number of blocks of at least {low}, not {value!r}")
    return value


def _mine(ipl: ClientBase) -> None:
    """Moves a dev chain one block on, so that a proposal's vote opens (it opens the block after its snapshot)."""
    provider: Any = ipl.w3.provider
    tester = getattr(provider, "ethereum_tester", None)
    if tester is not None:
        tester.mine_blocks(1)
    else:
        ipl.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
