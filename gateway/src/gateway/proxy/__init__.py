"""Forwarding a request to its upstream and streaming the answer back."""
