"""ETag / If-Match for officers' edits: a stale edit is refused instead of silently overwriting."""

from __future__ import annotations

from fastapi import Response

from hues_shared.problems import ProblemError


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The resource changed meanwhile"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "precondition-required", "If-Match required"


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def ensure_if_match(if_match: str | None, version: int) -> None:
    """The edit names the version it was made from (`If-Match: "<version>"` from the last GET)."""
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag of the version you edited.")
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in candidates and etag(version) not in candidates:
        raise PreconditionFailed("Someone changed this since you read it; reload and edit again.")
