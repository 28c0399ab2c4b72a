"""The deterministic parser that turns a shopper's sentence into PetFilters when Bedrock is unavailable.

Decisions a reader needs to know (the corpus in tests/data/query_corpus.jsonl holds them to it):

* Type: words, plurals, synonyms, Spanish and French words and pet emoji (see ``vocabulary``); a typo
  one edit away is corrected for words of 5+ letters. Two different types mentioned ("dogs or cats")
  means no type filter, since one filter cannot hold both. "puppies"/"kittens" do not imply an age.
* Breed: the store's breeds (``breeds``) and the vocabulary's, whole words, plural allowed; the store's
  spelling wins. A breed the vocabulary knows also sets its type.
* Name: a store name (``names``) used as a word, or a capitalised word after "named"/"called"/"about".
  "max" next to a number or a price word is a price bound, not the pet Max.
* Numbers: a number with "$", dollars, bucks, usd, euros or "k" is a price; with years, yrs, yo, months
  or weeks it is an age (months and weeks become years, rounded to 0.01). Without a unit, the comparison
  word decides ("younger than" is age), then the nearest "old"/"age" or "price"/"cost" word, else price.
* A price with no comparison ("a kitten for $300") is a budget: max_price. An age with no comparison
  ("a 2 year old") is exact: min_age = max_age. A bare number with neither ("5 pets") is ignored.
* "around"/"about" N means N +/- 20%.
* "baby" means max_age 1, "young" max_age 2, "senior"/"elderly" min_age 7, unless a number says otherwise.
* "cheap"/"expensive" only sort (price_asc/price_desc); explicit orders ("youngest first", "cheapest",
  "high to low") beat them. Numbers are clamped to the filter limits.
* Untrusted input: control and format characters are dropped, only the first 1000 characters are read,
  and nothing raises: the worst case is empty filters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from pydantic import ValidationError

from chalicelib.domain.filters import MAX_AGE, MAX_PRICE, PetFilters, SortBy
from chalicelib.domain.numbers import CENT
from chalicelib.language import vocabulary as vocab

MAX_CHARS = 1000
_BLANK = "\x00"  # _sanitize removes control characters, so this never comes from the question
AROUND_BAND = Decimal("0.2")

CONTEXT_BEFORE = 30
CONTEXT_AFTER = 20


def _bounds(table: Mapping[tuple[str, str | None], str]) -> dict[str, tuple[str, str | None]]:
    """Expand {(bound, measures): "phrase, phrase"} into {phrase: (bound, measures)}."""
    return {phrase: key for key, phrases in table.items() for phrase in vocab.words(phrases)}


# Phrases before a number: (bound it sets, what it measures when the number has no unit).
_OPS = _bounds(
    {
        (
            "max",
            None,
        ): "under, below, less than, lower than, at most, up to, upto, max, maximum, no more than,"
        " not more than, not over, not above, within, <=, =<, <, \u2264, beneath, tops",
        ("max", "price"): "cheaper than, less expensive than, for less than, for under, budget",
        ("max", "age"): "younger than, no older than, not older than, newer than",
        ("min", None): "over, above, more than, greater than, at least, min, minimum, >=, =>, >, \u2265,"
        " upwards of, in excess of, from, starting at",
        ("min", "price"): "more expensive than, pricier than",
        ("min", "age"): "older than, no younger than, not younger than",
    }
)
# "nothing older than 3" caps the age where "older than 3" would floor it
_OPS |= _bounds(
    {
        ("max", None): "nothing over, nothing above, nothing more than",
        ("min", None): "nothing under, nothing below, nothing less than",
        ("max", "age"): "nothing older than",
        ("min", "age"): "nothing younger than",
        ("max", "price"): "nothing pricier than, nothing more expensive than",
        ("min", "price"): "nothing cheaper than",
    }
)
# Phrases after a number.
_POSTS = _bounds(
    {
        ("max", None): "or less, or under, or below, or lower, and under, and below, and less, max, maximum,"
        " tops, at most",
        ("max", "price"): "or cheaper",
        ("max", "age"): "or younger, and younger",
        ("min", None): "or more, or over, or above, or higher, and up, and over, and above, and more, plus,"
        " at least, minimum, +",
        ("min", "age"): "or older, and older",
    }
)
_PRICE_UNITS = frozenset(vocab.words("dollars, dollar, bucks, buck, usd"))
# unit -> how many of it make a year
_AGE_UNITS = {
    **dict.fromkeys(vocab.words("years, year, yrs, yr, yo, y/o, y.o., y.o"), 1),
    **dict.fromkeys(vocab.words("months, month, mos, mo"), 12),
    **dict.fromkeys(vocab.words("weeks, week, wks, wk"), 52),
}
_AGE_WORDS: tuple[tuple[str, str, Decimal], ...] = (
    (r"\b(?:baby|babies|newborns?)\b", "max_age", Decimal(1)),
    (r"\byoung\b", "max_age", Decimal(2)),
    (r"\b(?:senior|seniors|elderly)\b", "min_age", Decimal(7)),
)


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_UNIT = _alternation({*_PRICE_UNITS, *_AGE_UNITS})


def _qty(tag: str) -> str:
    return (
        rf"(?P<cur{tag}>\$)?(?P<num{tag}>\d+(?:\.\d+)?)(?P<plus{tag}>\+)?"
        rf"(?:\s*(?P<unit{tag}>{_UNIT})(?![a-z]))?(?:\s+old\b)?"
    )


_QA, _QB = _qty("a"), _qty("b")
_RANGE_BETWEEN = re.compile(rf"\bbetween\s+{_QA}\s*(?:and|to|-|\u2013)\s*{_QB}")
_RANGE_DASH = re.compile(rf"(?:\bfrom\s+)?(?<![\d.-]){_QA}\s*(?:-|\u2013|\u2014|to|through|thru)\s*{_QB}")
_AROUND = re.compile(
    rf"(?<![a-z])(?:around|about|approximately|approx\.?|roughly|close to|near|~|circa)\s*{_QA}"
)
_POSTFIX = re.compile(rf"(?<![\d.-]){_QA}\s*(?P<post>{_alternation(_POSTS)})(?![a-z])")
_PREFIX = re.compile(
    rf"(?<![a-z_])(?P<op>{_alternation(_OPS)})\s*(?P<filler>(?:(?:price|cost|age|budget|of|is|than|at|:|=)\s*)*)"
    rf"{_QA}"
)
_LONE = re.compile(rf"(?P<aged>\baged?\s+)?(?<![\d.\w-]){_QA}")
# "max price 300", "min age 2": the word between the comparison and the number says what it measures
_FILLER_KIND = {"age": "age", "price": "price", "cost": "price", "budget": "price"}
_AGE_CUE = re.compile(r"\b(?:old|older|younger|age|ages|aged|years?|yrs?)\b")
_PRICE_CUE = re.compile(
    r"\$|\b(?:price|prices|priced|cost|costs|budget|pay|spend|dollars?|bucks|usd|cheap"
    r"|cheaper|expensive|pricey)\b"
)

# Rewrites that turn spelled-out and shorthand amounts into "$1500", "6 months", "250".
_NUMBER_RUN = re.compile(
    rf"\b(?:{_alternation(vocab.NUMBER_WORDS)})(?:[\s-]+(?:{_alternation(vocab.NUMBER_WORDS)}))*\b"
)


def _compiled(table: Iterable[tuple[str, str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in table)


# before spelled-out numbers become digits: "a grand", "a couple of", "half a year"
_WORD_REWRITES = _compiled(
    (
        (r"\bhalf (?:a|an) year\b|\bhalf[- ]year\b", "6 months"),
        (r"\ba year and a half\b", "18 months"),
        (r"\ba grand\b", "$1000"),
        (r"\ba (hundred|thousand)\b", r"one \1"),
        (r"\ba couple(?: of)?\b", "two"),
        (r"\ban? (year|month|week)\b", r"one \1"),
        (r"\b(hundred|thousand) and (?=[a-z])", r"\1 "),
    )
)
# after: "$ 500" -> "$500", "1,200" -> "1200", "3-year-old" -> "3 year old", "2yo" -> "2 yo"
_DIGIT_REWRITES = _compiled(
    (
        # beyond any limit anyway; long digit runs would make the number patterns slow (quadratic)
        (r"\d{10,}", "9999999999"),
        (r"\$\s+(?=\d)", "$"),
        (r"(?<=\d),(?=\d{3}\b)", ""),
        (r"(?<=\d)-(?=(?:years?|months?|weeks?)\b)", " "),
        (r"\b(years?|months?|weeks?)-old\b", r"\1 old"),
        (rf"(?<=\d)(?=(?:{_UNIT})(?![a-z]))", " "),
    )
)
_THOUSANDS = re.compile(r"\$?(\d+(?:\.\d+)?)\s*(?:k|grand)\b")
_TRAILING_DOLLAR = re.compile(r"(?<![$\d.])(\d+(?:\.\d+)?)\s*\$")
_TRANSLATIONS = _compiled(vocab.TRANSLATIONS)
_STRONG_SORTS = tuple((re.compile(rf"\b(?:{p})\b"), s) for p, s in vocab.STRONG_SORTS)
_FIELD_SORTS = tuple((re.compile(rf"\b(?:{p})\b"), s) for p, s in vocab.FIELD_SORTS)
_WEAK_SORTS = tuple((re.compile(rf"\b(?:{p})\b"), s) for p, s in vocab.WEAK_SORTS)
_AGE_WORD_RES = tuple((re.compile(p), key, value) for p, key, value in _AGE_WORDS)

_TYPE_PHRASES = {
    **{w: k for w, k in vocab.TYPE_WORDS.items() if " " in w or "'" in w},
    **vocab.FRENCH_PHRASES,
}
_TYPE_PHRASE_RE = re.compile(rf"(?<![a-z])(?:{_alternation(_TYPE_PHRASES)})(?![a-z])")
_WORD = re.compile(r"[a-z]+")
_NAME_CUE = re.compile(
    r"\b(?i:named|called|name is|se llama|llamad[oa]|s'appelle|appele|nomme)\s+"
    r"['\"]?([A-Za-z][A-Za-z'-]{1,29})\b"
)
_ABOUT_CUE = re.compile(r"\b(?i:about)\s+([A-Z][a-z][A-Za-z'-]{0,28})\b")
# "max $300", "$300 max", "price max 300": a bound, not the pet called Max
_NOT_A_NAME_BEFORE = re.compile(r"(?:\d|price|prices|age|budget)\s*$")
_NOT_A_NAME_AFTER = re.compile(r"\s*(?:(?:price|prices|budget|age|cost)\s*)?(?:(?:of|is|:|=)\s*)?\$?\d")
_NOT_NAMES = frozenset(
    vocab.words(
        "a, an, the, your, my, it, this, that, them, these, those, any, some, all, pets, pet, animals,"
        " animal,"
        " something, anything, prices, price, cost, age, or, and, you, us, me, one, ones, adoption, delivery,"
        " shipping, food, care, hours, can, could, do, does, find, for, get, give, have, how, i, is,"
        " show, tell, what, which, who, why, will, would, your, please, hi, hello, hey, looking, want,"
        " need, list"
    )
)
_LETTERS = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
MAX_NAME_CANDIDATES = 4


def _sanitize(question: str) -> str:
    text = question[:MAX_CHARS] if isinstance(question, str) else ""
    # control and invisible format characters (bidi overrides, zero-width) carry no meaning here
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _spelled_number(match: re.Match[str]) -> str:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", match.group(0)):
        value = vocab.NUMBER_WORDS[word]
        if value == 1000:
            total, current = total + max(current, 1) * 1000, 0
        elif value == 100:
            current = max(current, 1) * 100
        else:
            current += value
    return str(total + current)


def _thousands(match: re.Match[str]) -> str:
    return f"${Decimal(match.group(1)) * 1000:f}".removesuffix(".0")


def _normalize(low: str) -> str:
    for pattern, replacement in _TRANSLATIONS:
        low = pattern.sub(replacement, low)
    for pattern, replacement in _WORD_REWRITES:
        low = pattern.sub(replacement, low)
    low = _NUMBER_RUN.sub(_spelled_number, low)
    for pattern, replacement in _DIGIT_REWRITES:
        low = pattern.sub(replacement, low)
    low = _THOUSANDS.sub(_thousands, low)
    return _TRAILING_DOLLAR.sub(r"$\1", low)


def _correct_typos(low: str, protected: frozenset[str]) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if word in protected else (vocab.correct_typo(word) or word)

    return _WORD.sub(fix, low)


# ---- numbers -------------------------------------------------------------------------------------


class _Bounds:
    """The price and age bounds found so far in one question; repeated bounds keep the tightest."""

    def __init__(self) -> None:
        self.values: dict[str, Decimal] = {}

    def add(self, key: str, value: Decimal) -> None:
        limit = Decimal(MAX_PRICE if key.endswith("price") else MAX_AGE)
        value = min(max(value, Decimal(0)), limit)
        old = self.values.get(key)
        if old is None:
            self.values[key] = value
        else:
            self.values[key] = min(old, value) if key.startswith("max") else max(old, value)


def _unit_kind(match: re.Match[str], tag: str) -> str | None:
    if match.group(f"cur{tag}"):
        return "price"
    unit = match.group(f"unit{tag}")
    if unit in _PRICE_UNITS:
        return "price"
    return "age" if unit in _AGE_UNITS else None


def _number(match: re.Match[str], tag: str, unit: str | None) -> Decimal:
    value = Decimal(match.group(f"num{tag}"))
    divisor = _AGE_UNITS.get(unit or "", 1)
    return value if divisor == 1 else (value / divisor).quantize(CENT)


def _context_kind(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_BEFORE) : start]
    last_age = max((m.end() for m in _AGE_CUE.finditer(before)), default=-1)
    last_price = max((m.end() for m in _PRICE_CUE.finditer(before)), default=-1)
    if last_age != last_price:
        return "age" if last_age > last_price else "price"
    after = text[end : end + CONTEXT_AFTER]
    age, price = _AGE_CUE.search(after), _PRICE_CUE.search(after)
    if age and (not price or age.start() < price.start()):
        return "age"
    return "price"


def _kind(match: re.Match[str], hint: str | None, tags: str = "a") -> str:
    for tag in tags:
        kind = _unit_kind(match, tag)
        if kind:
            return kind
    return hint or _context_kind(match.string, match.start(), match.end())


def _unit(match: re.Match[str], tags: str) -> str | None:
    return next((match.group(f"unit{t}") for t in tags if match.group(f"unit{t}")), None)


def _on_range(match: re.Match[str], bounds: _Bounds) -> bool:
    kind, unit = _kind(match, None, "ab"), _unit(match, "ab")
    bounds.add(f"min_{kind}", _number(match, "a", unit))
    bounds.add(f"max_{kind}", _number(match, "b", unit))
    return True


def _on_around(match: re.Match[str], bounds: _Bounds) -> bool:
    kind, value = _kind(match, None), _number(match, "a", _unit(match, "a"))
    bounds.add(f"min_{kind}", value * (1 - AROUND_BAND))
    bounds.add(f"max_{kind}", value * (1 + AROUND_BAND))
    return True


def _on_bound(table: Mapping[str, tuple[str, str | None]], group: str) -> _Handler:
    def handle(match: re.Match[str], bounds: _Bounds) -> bool:
        side, hint = table[match.group(group)]
        filler = match.groupdict().get("filler") or ""
        hint = hint or _FILLER_KIND.get(filler.split()[0] if filler.split() else "")
        bounds.add(f"{side}_{_kind(match, hint)}", _number(match, "a", _unit(match, "a")))
        return True

    return handle


def _on_lone(match: re.Match[str], bounds: _Bounds) -> bool:
    kind = _unit_kind(match, "a") or ("age" if match.group("aged") else None)
    value = _number(match, "a", _unit(match, "a"))
    if match.group("plusa") and kind:
        bounds.add(f"min_{kind}", value)
    elif kind == "age":
        bounds.add("min_age", value)
        bounds.add("max_age", value)
    elif kind == "price":
        bounds.add("max_price", value)
    return kind is not None


_Handler = Callable[[re.Match[str], _Bounds], bool]
_NUMBER_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_RANGE_BETWEEN, _on_range),
    (_RANGE_DASH, _on_range),
    (_AROUND, _on_around),
    # "older than 2 and under $900": the comparison before a number binds tighter than "and under" after it
    (_PREFIX, _on_bound(_OPS, "op")),
    (_POSTFIX, _on_bound(_POSTS, "post")),
    (_LONE, _on_lone),
)


def _extract_numbers(text: str, bounds: _Bounds) -> str:
    """Record every price and age bound in ``bounds``; return ``text`` with the used phrases blanked."""
    for pattern, handler in _NUMBER_RULES:

        def apply(match: re.Match[str], handler: _Handler = handler) -> str:
            # blank what was used, keeping positions, so a later rule cannot read the same words again;
            # the blank is not whitespace, so "older than" cannot reach past it to the next number
            return _BLANK * len(match.group(0)) if handler(match, bounds) else match.group(0)

        text = pattern.sub(apply, text)
    return text


def _age_words(text: str, bounds: _Bounds) -> None:
    for pattern, key, value in _AGE_WORD_RES:
        if key not in bounds.values and pattern.search(text):
            bounds.add(key, value)


# ---- words ---------------------------------------------------------------------------------------


def _sort(text: str) -> SortBy | None:
    for table in (_STRONG_SORTS, _FIELD_SORTS, _WEAK_SORTS):
        hits = [(m.start(), order) for pattern, order in table if (m := pattern.search(text))]
        if hits:
            return min(hits, key=lambda hit: hit[0])[1]
    return None


def _breed(text: str, store: Mapping[str, str]) -> str | None:
    """The first breed named in ``text`` (the longest one where two start together)."""
    hits: list[tuple[int, int, str]] = []
    if store:
        hits += [
            (m.start(), -len(m.group(0)), store[m.group("key")]) for m in _breed_pattern(store).finditer(text)
        ]
    for m in _BREED_RE.finditer(text):
        canonical = vocab.BREED_ALIASES[m.group("key")]
        hits.append((m.start(), -len(m.group(0)), store.get(canonical.lower(), canonical)))
    return min(hits)[2] if hits else None


def _breed_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    # re caches compiled patterns, so a store's breed list is compiled once, not per question
    return re.compile(rf"(?<![a-z])(?P<key>{_alternation(phrases)})(?:s|es)?(?![a-z])")


_BREED_RE = _breed_pattern(vocab.BREED_ALIASES)


def _types(text: str, raw: str) -> list[str]:
    found = [vocab.EMOJI_TYPES[ch] for ch in raw if ch in vocab.EMOJI_TYPES]
    found += [_TYPE_PHRASES[m.group(0)] for m in _TYPE_PHRASE_RE.finditer(text)]
    found += [vocab.TYPE_WORDS[w] for w in _WORD.findall(text) if w in vocab.TYPE_WORDS]
    return found


def _pet_type(text: str, raw: str, breed: str | None) -> str | None:
    kinds = set(_types(text, raw))
    implied = vocab.breed_type(breed) if breed else None
    if implied:
        kinds.add(implied)
    return kinds.pop() if len(kinds) == 1 else None


def _store_name(plain: str, names: Mapping[str, str]) -> str | None:
    if not names:
        return None
    low = plain.lower()
    pattern = re.compile(rf"(?<![a-z0-9_])(?:{_alternation(names)})(?![a-z0-9_])")
    for match in pattern.finditer(low):
        before = low[max(0, match.start() - 8) : match.start()]
        if _NOT_A_NAME_AFTER.match(low, match.end()) or _NOT_A_NAME_BEFORE.search(before):
            continue
        return names[match.group(0)]
    return None


def _never_a_name(word: str) -> bool:
    return word in _NOT_NAMES or word in vocab.TYPE_WORDS or word in vocab.BREED_ALIASES


def name_candidates(question: str) -> list[str]:
    """Capitalised words of ``question`` that might be a pet's name; the store says which are."""
    candidates: list[str] = []
    for word in _LETTERS.findall(question):
        if not (word[0].isupper() and 2 <= len(word) <= 30):
            continue
        # casefold, not fold: the store keys names casefolded, accents kept
        if not _never_a_name(vocab.fold(word)) and word.casefold() not in candidates:
            candidates.append(word.casefold())
    return candidates[:MAX_NAME_CANDIDATES]


def _cued_name(plain: str, names: Mapping[str, str]) -> str | None:
    for pattern in (_NAME_CUE, _ABOUT_CUE):
        for match in pattern.finditer(plain):
            word = vocab.fold(match.group(1))
            if _never_a_name(word):
                continue
            return names.get(word, match.group(1)[:1].upper() + match.group(1)[1:])
    return None


def _folded_table(values: Iterable[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value in values:
        if isinstance(value, str) and value.strip():
            table.setdefault(" ".join(vocab.fold(value).split()), " ".join(value.split()))
    return table


def parse(question: str, breeds: Iterable[str] = (), names: Iterable[str] = ()) -> PetFilters:
    """The filters ``question`` asks for; ``breeds`` and ``names`` are the ones the store holds."""
    raw = _sanitize(question)
    plain = vocab.strip_accents(raw)
    store_breeds, store_names = _folded_table(breeds), _folded_table(names)
    # the store's own names and breed words are never "typos" of a vocabulary word
    protected = frozenset(word for phrase in (*store_breeds, *store_names) for word in _WORD.findall(phrase))
    text = _correct_typos(_normalize(plain.lower()), protected)
    bounds = _Bounds()
    rest = _extract_numbers(text, bounds)
    _age_words(rest, bounds)
    breed = _breed(text, store_breeds)
    fields = {
        "type_filter": _pet_type(text, raw, breed),
        "breed": breed,
        "name": _store_name(plain, store_names) or _cued_name(plain, store_names),
        "sort_by": _sort(rest),
        **bounds.values,
    }
    try:
        return PetFilters.model_validate(fields)
    except ValidationError:
        return PetFilters()
