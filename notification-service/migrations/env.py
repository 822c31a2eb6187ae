"""Alembic environment: the shared runner with this service's metadata."""

import os

from alembic import context

from hues_shared.migrations import run_migrations_env
from notification_service.config import NotificationSettings
from notification_service.db import metadata

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option(
        "sqlalchemy.url", os.environ.get("NOTIFICATION_DATABASE_URL") or NotificationSettings().database_url
    )
run_migrations_env(metadata)
