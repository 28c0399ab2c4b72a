"""The question as the parser reads it: cleaned, lowercased, numbers and foreign words made plain.

Each reader blanks the characters it used in :class:`Marked`, keeping positions, so no two readers
use the same words and what is left at the end is what the answer could not use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

from chalicelib.domain.decimals import CENT
from chalicelib.language.vocabulary import amounts, strip_accents
from chalicelib.language.vocabulary.translations import TRANSLATIONS

MAX_CHARS = 1000
# Past the filters' every limit: numbers this large or larger are clamped anyway.
_BEYOND_LIMITS = Decimal(9_999_999_999)
# An exponent past this many places makes any number either beyond every limit or below a cent.
_MAX_PLACES = 40
# sanitize() removes control characters, so a blank never comes from the question; it is not
# white space either, so "older than" cannot reach past a used number to the next one.
BLANK = "\x00"
WORD = re.compile(r"[a-z]+")
# str patterns: \d is any Unicode decimal digit, not only 0-9
_DIGIT = re.compile(r"\d")


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases``, longest first, each matched literally."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@functools.cache
def whole_words(pattern: str) -> re.Pattern[str]:
    """``pattern`` (a regex alternation) matched only as whole words; compiled once, on first use."""
    return re.compile(rf"\b(?:{pattern})\b")


def sanitize(question: str) -> str:
    """At most MAX_CHARS characters, control and invisible format characters made spaces."""
    text = question[:MAX_CHARS] if isinstance(question, str) else ""
    # control and format characters (bidi overrides, zero-width) carry no meaning here
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def plain(question: str) -> str:
    """The sanitized question without accents, case kept (names are told by their capitals)."""
    return strip_accents(sanitize(question))


def _compiled(table: Iterable[tuple[str, str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in table)


@functools.cache
def _rewrites() -> tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]:
    units = alternation({*amounts.PRICE_UNITS, *amounts.AGE_UNITS})
    numbers = alternation(amounts.NUMBER_WORDS)
    steps: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
        *_compiled(TRANSLATIONS),
        # before spelled-out numbers become digits: "a grand", "a couple of", "half a year"
        *_compiled(
            (
                (r"\bhalf (?:a|an) year\b|\bhalf[- ]year\b", "6 months"),
                (r"\ba year and a half\b", "18 months"),
                (r"\ba grand\b", "$1000"),
                (r"\ba (hundred|thousand)\b", r"one \1"),
                (r"\ba couple(?: of)?\b", "two"),
                (r"\ban? (year|month|week)\b", r"one \1"),
                (r"\b(hundred|thousand) and (?=[a-z])", r"\1 "),
            )
        ),
        (re.compile(rf"\b(?:{numbers})(?:[\s-]+(?:{numbers}))*\b"), _spelled_number),
        # "1e3" and "1e999999" as plain numbers (past every limit, or zero, at the extremes)
        (re.compile(r"\b\d+(?:\.\d+)?e[+-]?\d+\b"), _scientific),
        # "$ 500" -> "$500", "1,200" -> "1200", "3-year-old" -> "3 year old", "2yo" -> "2 yo"
        *_compiled(
            (
                # beyond any limit anyway; long digit runs would make the number patterns slow (quadratic)
                (r"\d{10,}", "9999999999"),
                (r"\$\s+(?=\d)", "$"),
                (r"(?<=\d),(?=\d{3}\b)", ""),
                (r"(?<=\d)-(?=(?:years?|months?|weeks?)\b)", " "),
                (r"\b(years?|months?|weeks?)-old\b", r"\1 old"),
                (rf"(?<=\d)(?=(?:{units})(?![a-z]))", " "),
            )
        ),
        (re.compile(r"\$?(\d+(?:\.\d+)?)\s*(?:k|grand)\b"), _thousands),
        (re.compile(r"(?<![$\d.])(\d+(?:\.\d+)?)\s*\$"), r"$\1"),
    ]
    return tuple(steps)


def _spelled_number(match: re.Match[str]) -> str:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", match.group(0)):
        value = amounts.NUMBER_WORDS[word]
        if value == 1000:
            total, current = total + max(current, 1) * 1000, 0
        elif value == 100:
            current = max(current, 1) * 100
        else:
            current += value
    return str(total + current)


def _scientific(match: re.Match[str]) -> str:
    mantissa, exponent = match.group(0).split("e")
    # the exponent is clamped before Decimal sees it: "1e99999999999999999999" overflows Decimal itself
    magnitude = exponent.lstrip("+-").lstrip("0")
    places = min(int(magnitude or "0"), _MAX_PLACES) if len(magnitude) <= 3 else _MAX_PLACES
    value = Decimal(mantissa).scaleb(-places if exponent.startswith("-") else places)
    if value > _BEYOND_LIMITS:
        return str(_BEYOND_LIMITS)
    return f"{value.quantize(CENT):f}" if value >= CENT else "0"


def _thousands(match: re.Match[str]) -> str:
    return f"${Decimal(match.group(1)) * 1000:f}".removesuffix(".0")


def ascii_digits(text: str) -> str:
    """``text`` with every digit Unicode calls a decimal digit (Arabic-Indic, fullwidth, ...) written 0-9."""
    return text if text.isascii() else _DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)


def normalize(low: str) -> str:
    """Lowercase text with Spanish and French read as English and amounts as digits ("$1500")."""
    low = ascii_digits(low)
    for pattern, replacement in _rewrites():
        low = pattern.sub(replacement, low)
    return low


class Marked:
    """The normalised question, and what is left of it once readers have blanked what they used."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rest = text

    def use(self, start: int, end: int) -> None:
        self.rest = self.rest[:start] + BLANK * (end - start) + self.rest[end:]

    def take(self, pattern: re.Pattern[str], handler: Callable[[re.Match[str]], bool] | None = None) -> None:
        """Blank every match of ``pattern`` in what is left that ``handler`` (if given) says it used."""

        def apply(match: re.Match[str]) -> str:
            used = handler(match) if handler else True
            return BLANK * len(match.group(0)) if used else match.group(0)

        self.rest = pattern.sub(apply, self.rest)
