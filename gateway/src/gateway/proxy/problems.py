"""An upstream's problem+json names its own path as `instance`; the client called the public one.

Issue 7, item 20 / issue 14, item 1: the gateway puts the public path the client called in `instance`
(small problem bodies only; anything else streams through untouched).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

MAX_PROBLEM_BYTES = 65_536


def is_problem(headers: Sequence[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/problem+json"
    return False


def declared_length(headers: Sequence[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length" and value.isdigit():
            return int(value)
    return None


def with_public_instance(body: bytes, public_path: str) -> bytes:
    """The same problem with `instance` = the public path; the body unchanged when it is not a JSON object."""
    try:
        problem = json.loads(body)
    except ValueError:
        return body
    if not isinstance(problem, dict) or "instance" not in problem:
        return body
    problem["instance"] = public_path
    return json.dumps(problem, ensure_ascii=False, separators=(",", ":")).encode()


def replace_length(headers: Sequence[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return [*kept, (b"content-length", str(length).encode())]
