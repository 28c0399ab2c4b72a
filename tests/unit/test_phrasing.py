"""Suggestions are said as questions that read back to exactly their filters."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.stock import Stock
from chalicelib.language.parser import name_candidates, read
from chalicelib.language.phrasing import question
from chalicelib.language.store_words import StoreWords
from infra.seed import sample_pets

PETS = sample_pets()
WORDS = StoreWords.of(Stock.of(PETS))
NAMES = {pet["name"].casefold(): pet["name"] for pet in PETS}
TYPES = sorted({pet["type"] for pet in PETS})
BREEDS = sorted({(pet["type"], pet["breed"]) for pet in PETS})
PRICES = [Decimal(v) for v in ("5", "35", "49.99", "100", "250", "999.5", "1200", "15000")]
AGES = [Decimal(v) for v in ("0.25", "0.5", "1", "2", "3.5", "7", "12")]


def random_filters(rng: random.Random) -> PetFilters:
    fields: dict[str, Any] = {}
    shape = rng.choice(["types", "breeds", "mixed", "none", "name"])
    if shape in ("types", "mixed"):
        fields["types"] = rng.sample(TYPES, rng.randint(1, 3))
    if shape in ("breeds", "mixed"):
        picked = rng.sample(BREEDS, rng.randint(1, 2))
        fields["breeds"] = [breed for _, breed in picked]
        # a breed brings its type, as a shopper's "poodles" means dogs
        fields["types"] = sorted({*fields.get("types", ()), *(kind for kind, _ in picked)})
    if shape == "name":
        fields["name"] = rng.choice(sorted(NAMES.values()))
    if rng.random() < 0.3 and shape != "name":
        kinds = [t for t in TYPES if t not in fields.get("types", ())]
        fields["exclude_types"] = rng.sample(kinds, rng.randint(1, 2))
    if rng.random() < 0.3 and fields.get("types"):
        own = [b for kind, b in BREEDS if kind in fields["types"] and b not in fields.get("breeds", ())]
        if own:
            fields["exclude_breeds"] = rng.sample(own, 1)
    for field, values in (("price", PRICES), ("age", AGES)):
        low, high = sorted(rng.sample(values, 2))
        fields.update(
            rng.choice(
                [
                    {},
                    {f"min_{field}": low},
                    {f"max_{field}": high},
                    {f"min_{field}": low, f"max_{field}": high},
                ]
            )
        )
    if rng.random() < 0.6:
        fields["sort_by"] = rng.choice(list(SortBy))
    return PetFilters.model_validate(fields)


def read_back(text: str) -> PetFilters:
    names = [NAMES[word] for word in name_candidates(text) if word in NAMES]
    reading = read(text, WORDS, names)
    assert reading.unmatched == (), f"{text!r} leaves {reading.unmatched}"
    return reading.filters


@pytest.mark.parametrize("seed", range(400))
def test_a_question_said_for_filters_reads_back_to_them(seed: int) -> None:
    filters = random_filters(random.Random(seed))
    text = question(filters, WORDS)
    assert read_back(text) == filters, text


@pytest.mark.parametrize(
    ("filters", "text"),
    [
        (PetFilters(type_filter="dog", breed="Poodle", max_price=Decimal(400)), "Poodle dogs up to $400"),
        (
            PetFilters(types=("rabbit", "guinea pig"), max_price=Decimal(100), sort_by=SortBy.PRICE_ASC),
            "guinea pigs or rabbits up to $100, cheapest first",
        ),
        (PetFilters(type_filter="cat", exclude_breeds=("Siamese",)), "cats but not Siamese"),
        (PetFilters(exclude_types=("bird",), min_age=Decimal(2)), "pets at least 2 years old but not birds"),
        (PetFilters(name="Luna"), "pets named Luna"),
        (PetFilters(), "pets"),
    ],
)
def test_how_suggestions_read(filters: PetFilters, text: str) -> None:
    assert question(filters, WORDS) == text


@pytest.mark.parametrize(
    ("filters", "text"),
    [
        (PetFilters(type_filter="goose", max_price=Decimal(1500)), "geese up to $1,500"),
        (PetFilters(types=("mouse", "sheep")), "mice or sheep"),
        (PetFilters(type_filter="alpaca", exclude_types=("goose",)), "alpacas but not geese"),
    ],
)
def test_irregular_plurals_read_back_as_the_store_s_own_types(filters: PetFilters, text: str) -> None:
    stock = Stock.of({"type": kind, "breed": "Mixed"} for kind in ("alpaca", "goose", "mouse", "sheep"))
    words = StoreWords.of(stock)
    assert question(filters, words) == text
    reading = read(text, words)
    assert (reading.filters, reading.unmatched) == (filters, ())
