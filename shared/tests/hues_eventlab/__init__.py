"""A tiny test-only service that exercises the shared library the way a real service does."""
