"""The typed SDK: ``IPLedger`` has one method per register action; results are frozen values."""
