"""ETag / If-Match on officers' edits: an edit made on a stale view is refused, never applied blindly."""

from __future__ import annotations

from hues_shared.problems import ProblemError


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "if-match-required", "If-Match required"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "stale-version", "The resource changed meanwhile"


def etag(object_id: str, version: int) -> str:
    return f'"{object_id}.{version}"'


def ensure_if_match(if_match: str | None, *, object_id: str, version: int) -> None:
    """Refuse the edit unless `If-Match` names the current version (428 when absent, 412 when stale)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("Send If-Match with the ETag of the version you are editing.")
    current = etag(object_id, version)
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if current not in candidates and "*" not in candidates:
        raise PreconditionFailed(
            "Someone changed this meanwhile; reload it and apply your edit again.", current_etag=current
        )
