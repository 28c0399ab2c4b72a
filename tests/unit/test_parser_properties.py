"""Properties of the keyword parser over any text: it never raises, and its bounds stay within limits."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.filters import MAX_AGE, MAX_PRICE, PetFilters, SortBy
from chalicelib.language.parser import read
from chalicelib.language.vocabulary import OTHER_ANIMALS, singular
from localdev.corpus_score import STORE, STORE_NAMES

# No deadline: `make bench` measures the parser's speed; no database: nothing is written beside the tests.
PROPERTY = settings(deadline=None, database=None, max_examples=150)
# Decimal digits in a few of the scripts Unicode has them in: ASCII, Arabic-Indic, Extended Arabic-Indic,
# fullwidth, Devanagari, Bengali.
DIGITS = (
    "0123456789",
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
    "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
    "\u09e6\u09e7\u09e8\u09e9\u09ea\u09eb\u09ec\u09ed\u09ee\u09ef",
)
TEMPLATES = (
    "dogs under ${}",
    "cats {} years old",
    "between {} and 5 dollars",
    "pets older than {}",
    "kittens under {} months",
    "around ${}",
    "birds under {}k",
    "rabbits {}+ years",
    "under {} weeks, cheapest first",
    "a {} year old puppy for ${}",
)
DIGIT_RUNS = st.text(alphabet="0123456789", min_size=1, max_size=40)


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A number of any size, with or without decimals and an exponent: (in some script, in 0-9)."""
    plain = draw(DIGIT_RUNS)
    if draw(st.booleans()):
        plain += "." + draw(DIGIT_RUNS)
    if draw(st.booleans()):
        plain += "e" + draw(st.sampled_from(("", "+", "-"))) + draw(DIGIT_RUNS)
    script = draw(st.sampled_from(DIGITS))
    return plain.translate(str.maketrans("0123456789", script)), plain


def within_limits(filters: PetFilters) -> bool:
    for low, high, limit in (("min_price", "max_price", MAX_PRICE), ("min_age", "max_age", MAX_AGE)):
        values = [getattr(filters, name) for name in (low, high) if getattr(filters, name) is not None]
        if any(not Decimal(0) <= value <= limit for value in values):
            return False
        if len(values) == 2 and values[0] > values[1]:
            return False
    return True


CONTEXTS = st.builds(
    PetFilters,
    types=st.none() | st.lists(st.sampled_from(["dog", "cat", "bird", "pony"]), max_size=3).map(tuple),
    breeds=st.none() | st.lists(st.sampled_from(["Poodle", "Siamese", "Beagle"]), max_size=2).map(tuple),
    exclude_types=st.none() | st.lists(st.sampled_from(["dog", "cat", "snake"]), max_size=2).map(tuple),
    min_price=st.none() | st.decimals(0, MAX_PRICE, places=2),
    max_price=st.none() | st.decimals(0, MAX_PRICE, places=2),
    min_age=st.none() | st.decimals(0, MAX_AGE, places=2),
    max_age=st.none() | st.decimals(0, MAX_AGE, places=2),
    sort_by=st.none() | st.sampled_from(list(SortBy)),
)


@PROPERTY
@given(st.text(max_size=300))
def test_any_text_reads_within_the_limits(text: str) -> None:
    assert within_limits(read(text, STORE, STORE_NAMES).filters)


@PROPERTY
@given(st.text(max_size=200), CONTEXTS)
def test_any_text_follows_any_context_within_the_limits(text: str, context: PetFilters) -> None:
    assert within_limits(read(text, STORE, (), context).filters)


@PROPERTY
@given(numbers(), numbers(), st.sampled_from(TEMPLATES))
def test_numbers_of_any_size_exponent_and_script_read_within_the_limits(
    first: tuple[str, str], second: tuple[str, str], template: str
) -> None:
    written = read(template.format(first[0], second[0]), STORE)
    assert within_limits(written.filters)
    # digits of any script read as the same digits written 0-9 would
    assert written.filters == read(template.format(first[1], second[1]), STORE).filters


@PROPERTY
@given(st.lists(st.sampled_from(["dogs", "under", "$", "1e", "9", "-", ".", "٣", "years", "older", "than"])))
def test_numbers_next_to_words_and_signs_read_within_the_limits(parts: list[str]) -> None:
    for joiner in ("", " "):
        assert within_limits(read(joiner.join(parts), STORE).filters)


ANIMALS = sorted(animal for animal in OTHER_ANIMALS if " " not in animal)
SENTENCE_WORDS = st.one_of(
    st.sampled_from(ANIMALS),
    st.sampled_from(["dogs", "a kitten", "poodle", "rabbits", "wombats"]),
    # nonsense: letters that make no word
    st.text(alphabet="bdfgklmnprstvzq", min_size=4, max_size=9),
    st.sampled_from(["do you have", "any", "a", "the", "some", "please", "or", "and", "under $300"]),
)
# (each word once, and no "not": a kind both wanted and left out is a word used and its repeat unmatched)


@PROPERTY
@given(st.lists(SENTENCE_WORDS, min_size=1, max_size=8, unique=True))
def test_a_word_is_used_or_unmatched_never_both(words: list[str]) -> None:
    reading = read(" ".join(words), STORE)
    kinds = {*reading.filters.any_types, *(b.casefold() for b in reading.filters.any_breeds)}
    kinds |= set(reading.filters.exclude_types or ())
    unmatched = [word for phrase in reading.unmatched for word in phrase.split()]
    assert not [word for word in unmatched if word in kinds or singular(word) in kinds]
