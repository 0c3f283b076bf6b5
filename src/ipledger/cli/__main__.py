"""``python -m ipledger.cli``: the ``ipledger`` command line without the installed entry point."""

from ipledger.cli.app import main

main()
