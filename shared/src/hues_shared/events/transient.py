"""Which failures are operational (retry without limit) and which are the event's own (dead-letter)."""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc

# SQLSTATEs of a database that is unreachable, restarting, overloaded or busy with locks: the same
# event will succeed later, so it is retried without limit instead of being dead-lettered.
TRANSIENT_SQLSTATES = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available (lock_timeout)
    "57014",  # query_canceled (statement_timeout)
    "57P01",  # admin_shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now (starting up)
    "53300",  # too_many_connections
    "53400",  # configuration_limit_exceeded
}


def is_transient(exc: BaseException) -> bool:
    """True for a lost or refused connection, a pool timeout, a lock or serialization conflict."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _transient_one(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _transient_one(exc: BaseException) -> bool:
    if isinstance(exc, OSError | TimeoutError | sqlalchemy.exc.TimeoutError):
        return True  # ConnectionRefusedError, ConnectionResetError, socket timeouts, pool exhausted
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        return _transient_one(exc.orig) if isinstance(exc.orig, BaseException) else False
    if isinstance(exc, sqlite3.OperationalError):
        return "locked" in str(exc) or "busy" in str(exc)
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith("08") or sqlstate in TRANSIENT_SQLSTATES
    return type(exc).__name__ == "ConnectionDoesNotExistError"  # asyncpg: the server closed it
