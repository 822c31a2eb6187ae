"""Refuse request paths whose meaning depends on who decodes or normalises them (issue 7, item 1).

The gateway matches routes on the decoded path and forwards a path to the upstream; if anything between the
two (the HTTP client normalising dot segments, the upstream decoding `%2F` again) could turn the forwarded
path into another one, every policy decided on the matched path is bypassed (public `wards/../admin`).
So a path is accepted only when it has one meaning: no `.`/`..` segments, no empty segments (`//`), no
`;` parameters, no backslash, no control characters or NUL, and none of `.`, `/`, `\\`, NUL or `%`
percent-encoded (any case). Everything else (e.g. percent-encoded UTF-8) is decoded once, matched, and
re-encoded canonically for the upstream, so the upstream receives exactly the path that was matched.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# %2E . | %2F / | %5C \ | %00 NUL | %25 % (double encoding) — case-insensitive (mixed-case spellings).
_AMBIGUOUS_ESCAPES = re.compile(rb"%(?:2[ef]|5c|00|25)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What stays literal when the matched path is re-encoded for the upstream (RFC 3986 pchar minus ';').
_PATH_SAFE = "/!$&'()*+,:=@-._~"


class UnsafePath(ValueError):
    """The path has more than one reading; `reason` names which rule it broke (shown to the client)."""


def check_path(path: str, raw_path: bytes | None = None) -> None:
    """Raise UnsafePath unless `path` (decoded) and `raw_path` (as sent) can mean only one resource."""
    if raw_path is not None and _AMBIGUOUS_ESCAPES.search(raw_path):
        raise UnsafePath("percent-encoded '.', '/', '\\', '%' or NUL")
    if not path.startswith("/"):
        raise UnsafePath("the path must start with '/'")
    if "%" in path:
        raise UnsafePath("a '%' left after decoding (double encoding)")
    if "\\" in path:
        raise UnsafePath("a backslash")
    if _CONTROL.search(path):
        raise UnsafePath("a control character or NUL")
    if ";" in path:
        raise UnsafePath("';' path parameters")
    segments = path.split("/")[1:]
    if any(segment in (".", "..") for segment in segments):
        raise UnsafePath("'.' or '..' segments")
    if "" in segments[:-1]:
        raise UnsafePath("an empty segment ('//')")


def encode_path(path: str) -> str:
    """The canonical wire form of a checked, decoded path (nothing left for a client to rewrite)."""
    return quote(path, safe=_PATH_SAFE)


def encode_query(query: bytes) -> str:
    """The query as sent, with only bytes that are not legal in a URI percent-encoded (escapes kept)."""
    return quote(query.decode("latin-1"), safe="!$&'()*+,;=:@/?-._~%", encoding="latin-1")
