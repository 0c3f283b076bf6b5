"""IP Ledger: an interoperable blockchain register of intellectual-property rights.

The package flows one way: ``config`` -> ``compiler`` -> ``chain`` -> ``deploy`` ->
``client`` -> ``cli`` / ``scripts``. Import the pieces you need; nothing heavy is
imported here so that ``ipledger --help`` stays fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
