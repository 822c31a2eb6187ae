"""Alembic environment: the shared runner with this service's metadata."""

import os

from alembic import context

from feedback_service.config import FeedbackSettings
from feedback_service.db import metadata
from hues_shared.migrations import run_migrations_env

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option(
        "sqlalchemy.url", os.environ.get("FEEDBACK_DATABASE_URL") or FeedbackSettings().database_url
    )
run_migrations_env(metadata)
