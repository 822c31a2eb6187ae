"""Event contracts, one module per producing service; importing this package registers them all."""

from hues_shared.contracts import (
    identity,  # noqa: F401
    notification,  # noqa: F401
)
