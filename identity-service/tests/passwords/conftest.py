"""This folder's API tests run on SQLite and on PostgreSQL (SQL and row locks matter here; issue 15)."""

from hues_shared.testing.databases import on_both_databases

pytest_generate_tests = on_both_databases
