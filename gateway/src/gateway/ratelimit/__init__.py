"""Rate limits per account, client address and machine client, by route class."""
