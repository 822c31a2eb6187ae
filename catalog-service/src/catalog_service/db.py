"""catalog-service's declarative base, metadata and messaging tables."""

from hues_shared.db import ServiceBase
from hues_shared.events.tables import messaging_tables


class Base(ServiceBase):
    __abstract__ = True


metadata = Base.metadata
tables = messaging_tables(metadata)
