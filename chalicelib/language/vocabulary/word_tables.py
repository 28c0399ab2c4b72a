"""Word-table helpers: comma separated tables, and folding case and accents away."""

from __future__ import annotations

import unicodedata


def words(text: str) -> tuple[str, ...]:
    """The comma separated entries of ``text``: word tables stay readable as one string per row."""
    return tuple(entry.strip() for entry in text.split(",") if entry.strip())


def strip_accents(text: str) -> str:
    """``text`` without accents (and with compatibility forms unified), so "Pájaros" reads "Pajaros"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lowercase ``text`` and strip accents so "Pájaros" and "pajaros" read the same."""
    return strip_accents(text).lower()


def folded(text: str) -> str:
    """``text`` folded, white space collapsed: how the parser compares words and names."""
    return " ".join(fold(text).split())
