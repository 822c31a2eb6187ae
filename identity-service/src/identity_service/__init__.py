"""identity_service."""
