"""User-facing language: Vietnamese by default, English when the client asks (Accept-Language)."""

from __future__ import annotations

SUPPORTED = ("vi", "en")


def preferred_language(accept_language: str | None) -> str:
    """The first supported language in the header's preference order, else Vietnamese."""
    if not accept_language:
        return "vi"
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower().split("-")[0]))
    for _, _, language in sorted(ranked):
        if language in SUPPORTED:
            return language
    return "vi"
