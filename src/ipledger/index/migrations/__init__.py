"""Alembic migrations of the index schema (env.py, script template, versions/)."""
