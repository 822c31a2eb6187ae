"""notification-service's declarative base, metadata and messaging tables."""

from sqlalchemy.orm import DeclarativeBase

from hues_shared.db import service_metadata
from hues_shared.events.tables import messaging_tables


class Base(DeclarativeBase):
    """Declarative base of this service's models, on a metadata of its own."""

    metadata = service_metadata()


metadata = Base.metadata
tables = messaging_tables(metadata)
