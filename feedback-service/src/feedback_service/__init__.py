"""feedback_service."""
