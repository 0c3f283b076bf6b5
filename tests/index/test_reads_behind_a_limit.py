"""Every read command of the CLI behind an endpoint that refuses ``eth_getLogs`` spans over 100 blocks.

As a new user on a public testnet a day after a deployment (public endpoints refuse 10 to 10,000 blocks; 100
keeps anvil quick, whose mining slows as its chain grows): anvil holds a register whose events are spread over
more than 500 blocks (``anvil_mine`` between the actions), and every command that reads the register runs
once against the node itself and once through ``tests/helpers/rangeproxy.py`` (the refusal Alchemy/Infura-style
endpoints send). Each must exit 0 through the proxy with the same answer as without it, and no ``eth_getLogs``
it answered spanned more than the limit. ``test_every_command_is_classified`` keeps the list honest: a new
command must be named a read (and then run here) or a write/local command.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import make_world
from helpers import run_cli
from helpers.processes import persisted_on_anvil
from helpers.rangeproxy import RangeLimitedProxy

from ipledger.config import Config
from ipledger.sdk import LicenseTerms

pytestmark = pytest.mark.nodes
LIMIT = 100
GAP = 130  # empty blocks between the register's actions: each lies in a span of its own
# Commands that read the register through a node, with the arguments this test gives them ({...}: story values).
READS: dict[str, tuple[str, ...]] = {
    "show": ("show", "{ref}", "--from", "chain"),
    "history": ("history", "{ref}", "--from", "chain"),
    "check": ("check", "{ref}", "{licensee}", "--territory", "EM"),
    "license tree": ("license", "tree", "{ref}"),
    "license terms show": ("license", "terms", "show", "{terms}"),
    "request": ("request", "{request}"),
    "council list": ("council", "list"),
    "council show": ("council", "show", "{proposal}"),
    "office list": ("office", "list"),
    "office codes show": ("office", "codes", "show", "EM"),
    "profile show": ("profile", "show", "{party}"),
    "export": ("export", "{out}"),
    "index": ("index", "--db", "{db}", "--no-progress"),
}
# Everything else: transactions (refused or sent, they read no event range), local files and processes, and the
# index-only reads (`search`, `serve`: they never ask the node for events).
NOT_READS = {
    "accept", "accord", "accounts import", "accounts list", "accounts new", "anchor", "apply", "assign", "cancel",
    "compile", "consent", "correct filing-date", "council execute", "council vote", "demo", "deploy", "import",
    "license accept", "license grant", "license offer", "license surrender", "license terminate",
    "license terms register", "license transfer", "license withdraw", "node", "office admin accept",
    "office admin transfer", "office codes set", "office registrar grant", "office registrar revoke", "pause",
    "pledge", "profile publish", "profile verify", "record", "refuse", "register", "reject", "release",
    "search hash", "search licences", "search rights", "serve", "status", "upgrade check", "upgrade propose", "upgrade record",
    "upgrade remember", "withdraw-request",
}


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[str]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaves(command, (*path, name))
        else:
            yield " ".join((*path, name))


def test_every_command_is_classified() -> None:
    from ipledger.cli import cli

    leaves = set(_leaves(cli))
    proposals = {c for c in leaves if c.startswith("council propose ")}  # transactions, one per action
    unclassified = sorted(leaves - set(READS) - NOT_READS - proposals)
    assert not unclassified, f"say whether these read the register's events: {unclassified}"
    assert not (set(READS) | NOT_READS) - leaves, "a listed command no longer exists"


@pytest.fixture(scope="module")
def long_register(config: Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with persisted_on_anvil(config, tmp_path_factory.mktemp("behind-a-limit")) as (ipl, env):
        w = make_world(ipl)

        def gap() -> None:
            ipl.w3.provider.make_request("anvil_mine", [hex(GAP)])

        gap()
        rid = w.file_registered("LIMIT-1")
        gap()
        w.alice.anchor(rid, "0x" + "5a" * 32, "evidence")
        terms = w.alice.register_terms(LicenseTerms(territories=("EM",), sublicensable=True)).terms_id
        gap()
        offer = w.alice.offer_license(rid, w.bob.address, terms_id=terms)
        gap()
        w.bob.accept_license(offer.license_id)
        request = w.carol.request_application("EM", "TM", content_hash="0x" + "6b" * 32).request_id
        gap()
        w.registrar.accord_request(request, "LIMIT-2")
        w.dave.publish_profile("did:web:dave.example", "DE")
        council = w.governor.council
        proposal = council.propose(council.set_recordal("RU", True)).proposal_id
        gap()
        values = {"ref": "EM/TM/LIMIT-1", "licensee": w.bob.address, "terms": str(terms),
                  "request": str(request), "proposal": str(proposal), "party": w.dave.address}
        yield {"ipl": ipl, "env": env, "values": values}


def _argv(spec: tuple[str, ...], values: dict[str, str], where: Path) -> list[str]:
    return [a.format(**values, out=str(where / "export.json"), db=str(where / "index.sqlite")) for a in spec]


@pytest.mark.parametrize("command", sorted(READS))
def test_a_read_command_works_behind_the_limit(long_register: dict[str, Any], command: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ipledger.cli import cli

    ipl = long_register["ipl"]
    assert ipl.w3.eth.block_number - ipl.deployment.first_block > 4 * LIMIT
    url = str(ipl.chain.url)
    answers = []
    with RangeLimitedProxy(url, LIMIT) as proxy:
        for network in (url, proxy.url):  # in process: the same code as the installed command, without its start-up
            where = tmp_path / ("direct" if network == url else "proxied")
            where.mkdir()
            done = CliRunner().invoke(cli, [*_argv(READS[command], long_register["values"], where), "--network",
                                            network, "--json"], env=long_register["env"])
            via = "the proxy" if network == proxy.url else "the node"
            assert done.exit_code == 0, f"{command} via {via}: {done.output} {done.exception!r}"
            out = json.loads(done.stdout) if done.stdout.strip() else None
            if command == "export":
                out = json.loads((where / "export.json").read_text())
            if command == "index":
                out = {k: v for k, v in (out or {}).items() if k != "db"}
            answers.append(out)
        assert all(s <= LIMIT for s in proxy.spans if s not in proxy.refused)
    assert answers[0] == answers[1], f"{command}: another answer through the proxy"


def test_show_as_a_process_behind_the_limit(long_register: dict[str, Any]) -> None:
    ipl = long_register["ipl"]
    with RangeLimitedProxy(str(ipl.chain.url), LIMIT) as proxy:
        done = run_cli("history", long_register["values"]["ref"], "--network", proxy.url, "--json",
                       env=long_register["env"])
        assert done.returncode == 0, done.stderr
        assert proxy.refused, "the read asked for more than the limit at first (and then halved)"
    assert {e["name"] for e in json.loads(done.stdout)["events"]} >= {"RightFiled", "DocumentAnchored",
                                                                       "LicenseAccepted"}
