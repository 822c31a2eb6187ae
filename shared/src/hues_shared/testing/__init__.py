"""Test support shared by every service's tests: keys and tokens, event capture, real-infrastructure fixtures."""
