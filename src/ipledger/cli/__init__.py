"""The ``ipledger`` command line: thin commands over the SDK.

Every command that talks to a register takes ``--network``, ``--account``, ``--allow-env-key``
and ``--json``; errors print one line on stderr and exit 2 (bad input) or 1 (refused by the
chain, or the chain unreachable). Heavy modules are imported inside the commands so that
``ipledger --help`` starts fast.

The rooms:

- ``app``: the root group, ``main()`` (the console script) and the one list of commands;
- ``context``: the context object (network, signer, ``--json``, the lazy connection) and the
  decorators that fill it; ``params``: parameter types that check values while parsing;
- ``output``: printing results, transactions and one-line errors; ``render``: the tables;
- ``actions``: shapes several commands share (one call on one right or license; accepting);
- one module per command group: ``setup`` (compile, deploy, demo, node), ``offices``,
  ``rights`` (register, status, anchor, show, history), ``assignments`` (assign, accept,
  record, cancel, reject), ``pledges`` (pledge, consent, release), ``profiles``, ``licenses``
  (license ..., check), ``bulk`` (import, export) and ``accounts``.
"""

from __future__ import annotations

from ipledger.cli.app import cli, main

__all__ = ["cli", "main"]
