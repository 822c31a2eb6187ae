"""Alembic environment: the shared runner with this service's metadata."""

import os

from alembic import context

from hues_shared.migrations import run_migrations_env
from identity_service.config import IdentitySettings
from identity_service.db import metadata

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option(
        "sqlalchemy.url",
        os.environ.get("IDENTITY_DATABASE_URL") or IdentitySettings.model_fields["database_url"].default,
    )
run_migrations_env(metadata)
