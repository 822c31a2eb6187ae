"""The event backbone: CloudEvents envelopes, typed contracts, outbox, buses and consumers."""
