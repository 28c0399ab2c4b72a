"""Pets asked for by name: a store name used as a word, or a word after "named", "called", "about".

The store says which words are names: :func:`name_candidates` picks the words worth looking up
(capitalised ones, and lowercase ones where a name would stand: "is luna still here?"), and
:func:`read_name` reads the question given the names found. "max" next to a number or a price
word is a price bound, not the pet Max.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from chalicelib.language import vocabulary as vocab
from chalicelib.language.parser.question_text import Marked, alternation
from chalicelib.language.vocabulary import amounts, talk

MAX_NAME_CANDIDATES = 4

_NAME_CUE = re.compile(
    r"\b(?i:named|called|name is|se llama|llamad[oa]|s'appelle|appele|nomme)\s+"
    r"['\"]?([A-Za-z][A-Za-z'-]{1,29})\b"
)
_ABOUT_CUE = re.compile(r"\b(?i:about)\s+([A-Z][a-z][A-Za-z'-]{0,28})\b")
# "max $300", "$300 max", "price max 300": a bound, not the pet called Max
_NOT_A_NAME_BEFORE = re.compile(r"(?:\d|price|prices|age|budget)\s*$")
_NOT_A_NAME_AFTER = re.compile(r"\s*(?:(?:price|prices|budget|age|cost)\s*)?(?:(?:of|is|:|=)\s*)?\$?\d")
# Where a lowercase word may be a name: "is luna still here?", "adopt luna", "the price of rocky".
_NAME_SLOT = re.compile(r"\b(?:is|about|adopt|meet|see|of|named|called)\s+([^\W\d_]{2,30})\b")
_NEVER_NAMES = frozenset(
    vocab.words(
        "something, anything, prices, price, cost, age, adoption, delivery, shipping, food, care, hours,"
        " info, information, photos, pictures, picture, photo"
    )
)
_LETTERS = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def never_a_name(word: str) -> bool:
    """Words that are pets, breeds, amounts or talk, never a pet's name (``word`` folded)."""
    return word in _never_names() or word in vocab.TYPE_WORDS or word in vocab.BREED_ALIASES


@functools.cache
def _never_names() -> frozenset[str]:
    amount_words = {*amounts.AGE_UNITS, *amounts.PRICE_UNITS, *amounts.AGE_CUES, *amounts.PRICE_CUES}
    return frozenset({*_NEVER_NAMES, *talk.FILLER, *amount_words, *vocab.OTHER_ANIMALS} - {"max"})


def name_candidates(question: str) -> list[str]:
    """Words of ``question`` that might be a pet's name, casefolded; the store says which are."""
    capitalised = [word for word in _LETTERS.findall(question) if word[0].isupper() and 2 <= len(word) <= 30]
    in_slots = [match.group(1) for match in _NAME_SLOT.finditer(question.lower())]
    candidates: list[str] = []
    for word in (*capitalised, *in_slots):
        # casefold, not fold: the store keys names casefolded, accents kept
        if not never_a_name(vocab.fold(word)) and word.casefold() not in candidates:
            candidates.append(word.casefold())
    return candidates[:MAX_NAME_CANDIDATES]


def folded_table(values: Iterable[str]) -> dict[str, str]:
    """{folded value: value as given}, blanks left out."""
    table: dict[str, str] = {}
    for value in values:
        if isinstance(value, str) and value.strip():
            table.setdefault(vocab.folded(value), " ".join(value.split()))
    return table


def read_name(plain: str, text: Marked, names: Mapping[str, str]) -> str | None:
    """The pet asked for by name in ``plain`` (the question, case kept), if any; its words are used."""
    name = _store_name(plain, names) or _cued_name(plain, names)
    if name:
        folded = re.escape(vocab.folded(name))
        cue = r"(?:(?:named|called|name is|about)\s+['\"]?)?"
        for match in re.finditer(rf"{cue}(?<![a-z]){folded}(?![a-z])", text.rest):
            text.use(match.start(), match.end())
            break
    return name


def _store_name(plain: str, names: Mapping[str, str]) -> str | None:
    if not names:
        return None
    low = plain.lower()
    pattern = re.compile(rf"(?<![a-z0-9_])(?:{alternation(names)})(?![a-z0-9_])")
    for match in pattern.finditer(low):
        before = low[max(0, match.start() - 8) : match.start()]
        if _NOT_A_NAME_AFTER.match(low, match.end()) or _NOT_A_NAME_BEFORE.search(before):
            continue
        return names[match.group(0)]
    return None


def _cued_name(plain: str, names: Mapping[str, str]) -> str | None:
    for pattern in (_NAME_CUE, _ABOUT_CUE):
        for match in pattern.finditer(plain):
            word = vocab.fold(match.group(1))
            if never_a_name(word):
                continue
            return names.get(word, match.group(1)[:1].upper() + match.group(1)[1:])
    return None
