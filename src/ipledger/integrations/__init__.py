"""Integrations with tools outside the core (brownie). The core never imports these."""
