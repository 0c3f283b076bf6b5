"""The root ``ipledger`` group, the console-script entry point ``main()``, and the one list of commands.

Each command group lives in its own module and is added here, explicitly; importing a
command module registers nothing. The root group also applies ``output.handled`` once for
every command, so a toolkit error, from a parameter type while click parses or from the
SDK while a command runs, prints one line and exits with its code.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ipledger.cli import (accounts, assignments, bulk, council, index, licenses, offices, pledges, profiles, requests,
                          rights, search, serve, setup)
from ipledger.cli.output import handled, one_line, usage_in_one_line
from ipledger.cli.upgrade import upgrade_group


class RootGroup(click.Group):
    """The ``ipledger`` group: runs a subcommand, turning toolkit errors and click's usage errors into one line."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        with usage_in_one_line():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with usage_in_one_line(), handled():
            return super().invoke(ctx)


@click.group(cls=RootGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ipledger")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (compiler choice, node start) on stderr.")
def cli(verbose: bool) -> None:
    """IP Ledger: a shared blockchain register of IP rights.

    \b
    Try it:      ipledger demo
    Local node:  ipledger node            (another terminal)
                 ipledger deploy && ipledger office registrar grant EM 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
                 ipledger apply EM TM --content mark.png --account 2      (request 1)
                 ipledger accord 1 018234567 --account 1                  (the office)
                 ipledger history EM/TM/018234567
    """
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


#: Every command of ``ipledger``, by module (``--help`` lists them alphabetically).
COMMANDS: tuple[click.Command, ...] = (
    setup.compile_cmd, setup.deploy, setup.demo, setup.node,
    offices.office, council.council, council.pause_cmd,
    rights.register_cmd, rights.status_cmd, rights.anchor, rights.show, rights.history,
    requests.apply_cmd, requests.accord_cmd, requests.refuse_cmd, requests.withdraw_request_cmd, requests.request_cmd,
    requests.correct,
    assignments.assign, assignments.accept, assignments.record, assignments.cancel, assignments.reject,
    pledges.pledge, pledges.consent, pledges.release,
    profiles.profile,
    licenses.license_group, licenses.check,
    bulk.import_cmd, bulk.export_cmd,
    index.index_cmd, search.search_group, serve.serve_cmd,
    accounts.accounts,
    upgrade_group,
)
for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        if os.environ.get("IPLEDGER_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {one_line(str(exc))} (set IPLEDGER_DEBUG=1 for the "
                   "traceback and please report it)", err=True)
        sys.exit(1)
