"""Comparing text the way a French-speaking user reads it.

Values are stored as typed (accents are data); comparisons go through `fold`, which
drops accents, case and punctuation, so that `ecole` finds `École` and
`chimie organique` matches `Chimie-Organique`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from maliext_cli.errors import FieldError
from maliext_cli.i18n import _

_SEPARATORS = re.compile(r"[\s\-_'’‘`´.,;:/()\[\]«»\"]+")
# Letters that NFKD does not decompose into a base letter and a mark.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d"}
)


@lru_cache(maxsize=65536)
def fold(value: str | None) -> str:
    """Lower-case, accent-free, single-spaced form of `value` ('' for None)."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


def as_text(raw) -> str:
    """A raw input value as text: strings as they are, numbers written out (JSON input
    may carry them); anything else is a FieldError."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        shown = str(raw).lower() if isinstance(raw, bool) else type(raw).__name__
        # Translators: {shown} is a JSON value or Python type name (true, dict, list...).
        raise FieldError(_("expected text, got {shown}").format(shown=shown))
    return str(raw)


def words(value: str | None) -> list[str]:
    """The folded words of `value`."""
    return fold(value).split()


def suggest(value: str, candidates: dict[str, str], *, limit: int = 3, cutoff: float = 0.72) -> list[str]:
    """Up to `limit` labels whose folded key is close to `value`.

    `candidates` maps a folded key to the label shown to the user.
    """
    from difflib import get_close_matches

    key = fold(value)
    found = get_close_matches(key, list(candidates), n=limit * 3, cutoff=cutoff)
    labels: list[str] = []
    for match in found:
        label = candidates[match]
        if label not in labels:
            labels.append(label)
    return labels[:limit]
