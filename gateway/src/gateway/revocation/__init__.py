"""Refusing tokens that identity revoked before they expire, fed by identity's events."""
