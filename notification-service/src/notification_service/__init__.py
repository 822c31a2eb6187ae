"""notification_service."""
