"""Vietnamese text folded for search: no diacritics, no case, "đ" as "d" ("Phở bò Huế" -> "pho bo hue").

One folding for documents and queries on both backends. PostgreSQL folds the stored documents with
`catalog_fold()` (unaccent + translate of đ/Đ, migration 0002); tests prove both foldings agree.
"""

from __future__ import annotations

import re
import unicodedata

_STROKE_D = str.maketrans(
    {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}
)  # no Unicode decomposition: not removed by NFD
_TOKEN = re.compile(r"[a-z0-9]+")
TYPO_MIN_LENGTH = 5  # words of 5+ letters tolerate one edit


def fold(text: str) -> str:
    """Lower-case, strip combining marks, map đ to d; punctuation becomes spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(_TOKEN.findall(stripped))


def tokens(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return fold(text).split()


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one insertion, deletion, substitution or transposition)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
