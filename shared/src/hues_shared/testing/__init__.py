"""Test support shared by every service's tests: keys, tokens, event capture, real infrastructure."""
