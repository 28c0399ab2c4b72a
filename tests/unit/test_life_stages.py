"""Life stages: "puppy", "kitten", "young", "senior", "older ones" are ages, kind by kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.language.parser import Reading, read
from chalicelib.language.vocabulary.life_stages import LIFE_STAGES, SHOP_DEFAULT, LifeStages, stage_bound
from localdev.corpus_score import SEED, STORE


def ask(question: str) -> dict[str, Any]:
    return read(question, STORE).filters.applied()


def follow(first: str, then: str) -> Reading:
    return read(then, SEED, (), read(first, SEED).filters)


def test_the_table_holds_the_published_stages() -> None:
    # AAHA canine 2019: puppy (a year, as shoppers say it), young adult to 3-4 years, senior about 7+
    assert LIFE_STAGES["dog"] == LifeStages(Decimal(1), Decimal(3), Decimal(4), Decimal(7))
    # AAHA/AAFP feline 2021: kitten to 1, young adult 1-6, mature 7-10, senior over 10
    assert LIFE_STAGES["cat"] == LifeStages(Decimal(1), Decimal(6), Decimal(7), Decimal(10))
    assert LifeStages(Decimal(1), Decimal(2), Decimal(3), Decimal(7)) == SHOP_DEFAULT


def test_several_kinds_take_the_widest_bound_and_none_the_default() -> None:
    assert stage_bound("young", ["dog", "cat"]) == ("max_age", Decimal(6))
    assert stage_bound("senior", ["dog", "cat", "rabbit"]) == ("min_age", Decimal(7))
    assert stage_bound("older", []) == ("min_age", Decimal(3))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a puppy", {"type_filter": "dog", "max_age": 1}),
        ("I'm looking for puppies", {"type_filter": "dog", "max_age": 1}),
        ("any kittens?", {"type_filter": "cat", "max_age": 1}),
        ("rabbit kits", {"type_filter": "rabbit", "max_age": 1}),
        ("baby bunnies", {"type_filter": "rabbit", "max_age": 1}),
        ("young dogs", {"type_filter": "dog", "max_age": 3}),
        ("junior cats", {"type_filter": "cat", "max_age": 6}),
        ("young hamsters", {"type_filter": "hamster", "max_age": 2}),
        ("adult cats", {"type_filter": "cat", "min_age": 1}),
        ("grown-up dogs", {"type_filter": "dog", "min_age": 1}),
        ("an older dog", {"type_filter": "dog", "min_age": 4}),
        ("mature cats", {"type_filter": "cat", "min_age": 7}),
        ("senior dogs", {"type_filter": "dog", "min_age": 7}),
        ("elderly cats", {"type_filter": "cat", "min_age": 10}),
        ("a geriatric rabbit", {"type_filter": "rabbit", "min_age": 7}),
        ("young adult cats", {"type_filter": "cat", "min_age": 1, "max_age": 6}),
        ("senior dogs and cats", {"types": ["cat", "dog"], "min_age": 7}),
        ("young dogs or cats", {"types": ["cat", "dog"], "max_age": 6}),
        ("young pets", {"max_age": 2}),
        ("seniors", {"min_age": 7}),
    ],
)
def test_stage_words_are_ages_for_their_kind(question: str, expected: dict[str, Any]) -> None:
    assert ask(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("cachorros", {"type_filter": "dog", "max_age": 1}),
        ("un chiot", {"type_filter": "dog", "max_age": 1}),
        ("gatitos baratos", {"type_filter": "cat", "max_age": 1, "sort_by": "price_asc"}),
        ("des chatons", {"type_filter": "cat", "max_age": 1}),
        ("perros jovenes", {"type_filter": "dog", "max_age": 3}),
        ("chiens ou chats jeunes", {"types": ["cat", "dog"], "max_age": 6}),
        ("gatos adultos", {"type_filter": "cat", "min_age": 1}),
        ("chiens adultes", {"type_filter": "dog", "min_age": 1}),
        ("perros viejos", {"type_filter": "dog", "min_age": 7}),
        ("perros mayores", {"type_filter": "dog", "min_age": 4}),
        ("lapereaux", {"type_filter": "rabbit", "max_age": 1}),
    ],
)
def test_stage_words_in_spanish_and_french(question: str, expected: dict[str, Any]) -> None:
    assert ask(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("puppies under 2", {"type_filter": "dog", "max_age": 2}),
        ("puppies under 2 years", {"type_filter": "dog", "max_age": 2}),
        ("puppies under 6 months", {"type_filter": "dog", "max_age": 0.5}),
        ("a 6 month old puppy", {"type_filter": "dog", "min_age": 0.5, "max_age": 0.5}),
        ("kittens over 3 months", {"type_filter": "cat", "min_age": 0.25, "max_age": 1}),
        ("senior cats under 15", {"type_filter": "cat", "min_age": 10, "max_age": 15}),
        ("young dogs, no older than 1", {"type_filter": "dog", "max_age": 1}),
        ("puppies under 300", {"type_filter": "dog", "max_age": 1, "max_price": 300}),
        ("puppies under $2", {"type_filter": "dog", "max_age": 1, "max_price": 2}),
    ],
)
def test_an_explicit_age_wins_over_a_stage(question: str, expected: dict[str, Any]) -> None:
    assert ask(question) == expected


def test_a_stage_that_crosses_an_explicit_age_gives_way_and_says_so() -> None:
    reading = read("kittens older than 2", STORE)
    assert reading.filters.applied() == {"type_filter": "cat", "min_age": 2}
    assert reading.conflict


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("cats", "just the young ones", {"type_filter": "cat", "max_age": 6}),
        ("dogs under $500", "just the young ones", {"type_filter": "dog", "max_price": 500, "max_age": 3}),
        ("rabbits", "only young ones", {"type_filter": "rabbit", "max_age": 2}),
        ("cats or dogs", "the younger ones", {"types": ["cat", "dog"], "max_age": 6}),
        ("dogs", "older ones", {"type_filter": "dog", "min_age": 4}),
        ("cats", "older ones please", {"type_filter": "cat", "min_age": 7}),
        ("cats", "what about seniors?", {"type_filter": "cat", "min_age": 10}),
        ("birds", "any babies?", {"type_filter": "bird", "max_age": 1}),
        ("dogs", "just the puppies", {"type_filter": "dog", "max_age": 1}),
        ("cats under $900", "show me kittens", {"type_filter": "cat", "max_age": 1}),
    ],
)
def test_a_stage_in_a_follow_up_takes_the_kinds_of_the_answer(
    first: str, then: str, expected: dict[str, Any]
) -> None:
    reading = follow(first, then)
    assert reading.filters.applied() == expected
    assert "sort_by" not in reading.filters.applied()  # "older ones" is an age, not an order


def test_an_older_stage_after_puppies_drops_their_cap() -> None:
    reading = follow("puppies", "older ones")
    assert reading.filters.applied() == {"type_filter": "dog", "min_age": 4}


@pytest.mark.parametrize(
    "question",
    ["a starter kit for my fish", "any grooming kits?", "do you sell a first aid kit"],
)
def test_gear_is_no_young_rabbit(question: str) -> None:
    assert "rabbit" not in read(question, STORE).filters.any_types


@pytest.mark.parametrize("question", ["how old is Max?", "the oldest cats", "youngest dogs first"])
def test_old_alone_and_orders_are_no_stages(question: str) -> None:
    filters = read(question, STORE).filters
    assert filters.min_age is None and filters.max_age is None
