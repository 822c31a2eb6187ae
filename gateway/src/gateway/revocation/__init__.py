"""The gateway's Redis mirror of the shared denylist (hues_shared.auth.revocations does the rest)."""
