"""catalog_service."""
