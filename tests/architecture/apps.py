"""The apps the architecture tests check: folder -> import package (one list for every rule)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SERVICE_PACKAGES = {
    "identity-service": "identity_service",
    "integration-service": "integration_service",
    "feedback-service": "feedback_service",
    "notification-service": "notification_service",
    "catalog-service": "catalog_service",
}
GATEWAY = ("gateway", "gateway")
APP_PACKAGES = {**SERVICE_PACKAGES, GATEWAY[0]: GATEWAY[1]}
