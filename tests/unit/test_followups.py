"""Follow-ups: resets, corrections, bounds that meet, kinds the store lacks, and what a turn said."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.language.parser import Reading, read
from chalicelib.language.store_words import StoreWords
from localdev.corpus_score import SEED, STORE


def follow(*questions: str, store: StoreWords = SEED) -> Reading:
    """The reading of the last of ``questions``, each asked after the answer to the one before."""
    reading = read(questions[0], store)
    for question in questions[1:]:
        reading = read(question, store, (), reading.filters)
    return reading


RESETS = "show me all pets|all the pets|all your animals please|everything|show me everything|anything"
MORE_RESETS = "every pet you have|start over|Start over.|let's start again"


@pytest.mark.parametrize("question", [*RESETS.split("|"), *MORE_RESETS.split("|")])
def test_a_reset_starts_from_no_filters(question: str) -> None:
    reading = follow("dogs over $300, most expensive first", question)
    assert reading.filters.applied() == {}
    assert reading.said == frozenset() and not reading.conflict


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("anything under $50", {"max_price": 50}),
        ("show me everything under $100", {"max_price": 100}),
        ("all pets younger than 2", {"max_age": 2}),
        ("start over, cats", {"type_filter": "cat"}),
        ("anything but cats", {"exclude_types": ["cat"]}),
        ("every animal, cheapest first", {"sort_by": "price_asc"}),
    ],
)
def test_a_reset_keeps_only_what_its_own_turn_says(question: str, expected: dict[str, Any]) -> None:
    reading = follow("dogs over $300", question)
    assert reading.filters.applied() == expected
    assert reading.said == set(expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("anything cheaper?", {"type_filter": "dog", "max_price": 500, "sort_by": "price_asc"}),
        ("any price", {"type_filter": "dog"}),
        ("any of them under $300?", {"type_filter": "dog", "max_price": 300}),
    ],
)
def test_more_of_the_same_is_no_reset(question: str, expected: dict[str, Any]) -> None:
    assert follow("dogs under $500", question).filters.applied() == expected


CORRECTIONS = "no, younger than 5|No. Younger than 5|actually, younger than 5|I meant younger than 5"
MORE_CORRECTIONS = "sorry, I meant younger than 5 years|rather younger than 5"


@pytest.mark.parametrize("correction", [*CORRECTIONS.split("|"), *MORE_CORRECTIONS.split("|")])
def test_a_correction_replaces_the_bound_it_names(correction: str) -> None:
    reading = follow("cats older than 5", correction)
    assert reading.filters.applied() == {"type_filter": "cat", "max_age": 5}
    assert reading.said == {"max_age"} and not reading.conflict, "it did what was said"


def test_a_correction_keeps_the_other_side_where_it_still_makes_sense() -> None:
    reading = follow("cats between $200 and $800", "no, under $250")
    assert reading.filters.applied() == {"type_filter": "cat", "min_price": 200, "max_price": 250}
    assert not reading.conflict


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("cats", "no, dogs", {"type_filter": "dog"}),
        ("cats under $900", "actually I meant dogs", {"type_filter": "dog", "max_price": 900}),
        ("poodles", "I meant beagles", {"type_filter": "dog", "breed": "Beagle"}),
        ("pets but no cats", "no, I meant no birds", {"exclude_types": ["bird"]}),
    ],
)
def test_a_correction_replaces_the_kind_it_names(first: str, then: str, expected: dict[str, Any]) -> None:
    reading = follow(first, then)
    assert reading.filters.applied() == expected
    assert not reading.conflict


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("dogs over $300", "under $300", {"type_filter": "dog", "max_price": 300}),
        ("dogs over $300", "and under $200", {"type_filter": "dog", "max_price": 200}),
        ("cats under 2 years", "older than 3", {"type_filter": "cat", "min_age": 3}),
        ("a 5 year old dog", "younger than 5", {"type_filter": "dog", "max_age": 5}),
    ],
)
def test_a_new_bound_that_meets_or_crosses_the_carried_one_drops_it(
    first: str, then: str, expected: dict[str, Any]
) -> None:
    reading = follow(first, then)
    assert reading.filters.applied() == expected
    assert not reading.conflict


def test_a_new_bound_that_leaves_room_keeps_the_carried_one() -> None:
    reading = follow("dogs over $300", "and under $700")
    assert reading.filters.applied() == {"type_filter": "dog", "min_price": 300, "max_price": 700}
    assert reading.said == {"max_price"} and not reading.conflict


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("do you have any ponies?", "ok, something under $50 then", {"max_price": 50}),
        ("unicorns or cats", "under $500", {"type_filter": "cat", "max_price": 500}),
        ("wombats please", "the cheapest ones", {"sort_by": "price_asc"}),
    ],
)
def test_kinds_the_store_does_not_stock_leave_the_context(
    first: str, then: str, expected: dict[str, Any]
) -> None:
    reading = follow(first, then)
    assert reading.filters.applied() == expected


def test_a_store_whose_types_are_not_known_keeps_every_kind() -> None:
    reading = follow("ponies", "under $50", store=StoreWords())
    assert reading.filters.applied() == {"type_filter": "pony", "max_price": 50}
    assert not reading.conflict


@pytest.mark.parametrize(
    ("first", "then", "said"),
    [
        ("dogs under $500", "how about rabbits?", {"type_filter"}),
        ("dogs under $500", "sort them by price", {"sort_by"}),
        ("dogs under $500", "dogs", {"type_filter"}),
        ("dogs", "just the poodles", {"type_filter", "breed"}),
        ("cats or dogs", "no dogs", {"type_filter", "exclude_types"}),
        ("dogs under $500, youngest first", "between 2 and 5 years old", {"min_age", "max_age"}),
        ("cats under $300", "dogs too", {"types"}),
        ("cats under $300", "any price", set()),
    ],
)
def test_said_is_what_the_turns_own_words_set(first: str, then: str, said: set[str]) -> None:
    reading = follow(first, then)
    assert reading.said == said
    assert not reading.conflict
    carried = set(reading.filters.model_dump(exclude_none=True)) - said
    earlier = read(first, SEED).filters
    assert all(getattr(reading.filters, name) == getattr(earlier, name) for name in carried)


def test_without_a_context_every_field_is_said() -> None:
    reading = read("cheap dogs under $500 but not beagles", STORE)
    assert reading.said == {"type_filter", "exclude_breeds", "max_price", "sort_by"}
    assert not reading.conflict


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("dogs", "no dogs"),
        ("poodles", "not the poodles"),
        ("no dogs", "dogs"),
        ("cats but not Siamese", "Siamese"),
    ],
)
def test_a_kind_both_wanted_and_left_out_is_a_conflict(first: str, then: str) -> None:
    assert follow(first, then).conflict


def test_a_question_that_wants_what_it_leaves_out_is_a_conflict() -> None:
    reading = read("birds but no parrots", STORE)
    assert reading.conflict and reading.unmatched == ("parrots",)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("unicorns", {"type_filter": "unicorn"}),
        ("do you have wombats?", {"type_filter": "wombat"}),
        ("a horse or a donkey", {"types": ["donkey", "horse"]}),
        ("a pony under $2000", {"type_filter": "pony", "max_price": 2000}),
    ],
)
def test_a_kind_the_store_lacks_is_in_the_filters_and_not_unmatched(
    question: str, expected: dict[str, Any]
) -> None:
    reading = read(question, SEED)
    assert reading.filters.applied() == expected
    assert reading.unmatched == ()
