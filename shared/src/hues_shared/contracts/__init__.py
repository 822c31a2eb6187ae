"""Event contracts, one module per producing service; importing this package registers them all."""

from hues_shared.contracts import catalog, feedback, gateway, identity, integration, notification  # noqa: F401
