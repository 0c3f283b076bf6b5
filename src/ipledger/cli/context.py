"""The context object of a command: its network, signer and output form, and the connection made from them.

Commands that talk to a register take the same options, ``--network/-n``, ``--account/-a``,
``--allow-env-key`` and ``--json``. ``chain_options`` declares them once; while click parses
them they are stored in a ``Session`` (click's context object, ``ctx.obj``) and the command
receives that session as its first argument instead of four parameters. ``json_option`` does
the same for commands that only print (``compile``, ``demo``, ``accounts``).

The session connects only when the command asks (``Session.ledger()``), after every value
has been checked, and closes the connection when the command ends.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from ipledger.errors import UsageError

if TYPE_CHECKING:
    from ipledger.chain import Chain
    from ipledger.sdk import IPLedger

DEFAULT_NETWORK_ENV = "IPLEDGER_NETWORK"
# Networks that start empty in every process: nothing deployed on them outlives one command.
EPHEMERAL_BACKENDS = ("embedded", "anvil", "ganache")


def default_network() -> str:
    """``$IPLEDGER_NETWORK``, else ``local``."""
    return os.environ.get(DEFAULT_NETWORK_ENV, "local")


@dataclass
class Session:
    """What one command's shared options say, and (once asked for) its connection to the register."""

    network: str = "local"
    account: str = "0"
    allow_env_key: bool = False
    as_json: bool = False
    chain: Chain | None = field(default=None, repr=False)
    client: IPLedger | None = field(default=None, repr=False)

    def ledger(self) -> IPLedger:
        """The SDK client for this network and signer; connects on the first call (and only then)."""
        if self.client is None:
            self.client = self.connect()
        return self.client

    def connect(self) -> IPLedger:
        """A new SDK connection to the deployed register of ``network``, signing as ``account``."""
        from ipledger.accounts import resolve_account
        from ipledger.chain import connect
        from ipledger.config import load_config
        from ipledger.sdk import IPLedger

        config = load_config()
        settings = config.network(self.network)
        if settings.backend in EPHEMERAL_BACKENDS:
            raise UsageError(
                f"network '{self.network}' starts empty for each command; run `ipledger node` in another terminal "
                "and use --network local, or try everything at once with `ipledger demo`"
            )
        chain = connect(self.network, config)
        try:
            if settings.live and self.account == "env" and not self.allow_env_key:
                raise UsageError("live networks need an encrypted keystore (--account keystore:NAME) or "
                                 "--allow-env-key")
            signer = resolve_account(chain, self.account, allow_env_key=self.allow_env_key)
            client = IPLedger.connect(chain=chain, account=signer, config=config)
        except BaseException:
            chain.close()
            raise
        self.chain = chain
        return client

    def close(self) -> None:
        """Closes the connection, if one was made (safe to call twice)."""
        if self.chain is not None:
            self.chain.close()
        self.chain = self.client = None


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Option callback: keeps the parsed value in the command's ``Session``."""
    setattr(ctx.ensure_object(Session), str(param.name), value)
    return value


def _with_session(func: Callable[..., Any]) -> Callable[..., Any]:
    """Calls ``func(session, ...)`` with the command's ``Session``, closed when the command ends."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        session = ctx.ensure_object(Session)
        ctx.call_on_close(session.close)
        return func(session, *args, **kwargs)

    return command


def _json(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, expose_value=False, callback=_store,
                        help="Print machine-readable JSON.")(func)


def chain_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--network, --account, --allow-env-key, --json, stored in the ``Session`` passed as first argument."""
    func = _json(_with_session(func))
    func = click.option("--allow-env-key", is_flag=True, expose_value=False, callback=_store,
                        help="Allow --account env: sign with the raw key in IPLEDGER_PRIVATE_KEY.")(func)
    func = click.option("--account", "-a", default="0", show_default=True, expose_value=False, callback=_store,
                        help="Signer: dev account index or address, keystore:NAME, or env (with "
                             "--allow-env-key).")(func)
    func = click.option("--network", "-n", default=default_network, show_default="local, or $IPLEDGER_NETWORK",
                        expose_value=False, callback=_store,
                        help="Network from brownie-config.yaml (local, anvil, ganache, sepolia, ...) or an RPC "
                             "URL.")(func)
    return func


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--json, stored in the ``Session`` passed as first argument (for commands that take no network)."""
    return _json(_with_session(func))
