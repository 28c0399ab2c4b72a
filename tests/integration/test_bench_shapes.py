"""Every question shape `make bench` measures, paged through to its end: the whole sequence is in
the question's order and holds every pet a full scan finds, once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.adapters.storage import DynamoPetStore, PetTableUpkeep
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.selection import order_of, sources, takes_in
from chalicelib.language.store_words import store_words
from chalicelib.service.answering import PetQuestions
from localdev.bench import EMPTY_QUESTIONS, QUESTIONS, generated_pets

PETS = generated_pets(600)


@pytest.fixture
def questions(table: Any, upkeep: PetTableUpkeep, store: DynamoPetStore) -> PetQuestions:
    upkeep.load(PETS)
    return PetQuestions(store, None, "keyword")


@pytest.mark.parametrize("question", [*QUESTIONS.values(), "Pet 7, cheapest first"], ids=str)
def test_a_shape_pages_through_in_order(
    questions: PetQuestions, store: DynamoPetStore, question: str
) -> None:
    first = questions.answer(question, 7)
    filters = PetFilters.model_validate(first.body["filters"])
    pets, resume = list(first.body["pets"]), first.resume
    while resume is not None:
        page = questions.answer(question, 7, resume=resume)
        pets += page.body["pets"]
        resume = page.resume
    order = order_of(filters)
    values = [Decimal(str(pet[order.field])) for pet in pets]
    assert values == sorted(values, reverse=order.descending)
    streams = sources(filters, store_words(store.stock()).breed_types)
    every = [pet for pet in store_pets(store) if takes_in(pet, filters, streams)]
    assert sorted(pet["id"] for pet in pets) == sorted(pet["id"] for pet in every)


@pytest.mark.parametrize("question", EMPTY_QUESTIONS.values(), ids=str)
def test_an_empty_shape_reads_next_to_nothing_and_helps(questions: PetQuestions, question: str) -> None:
    answer = questions.answer(question, 20)
    assert answer.body["pets"] == [] and answer.body["suggestions"]
    assert answer.items_read <= 50


def store_pets(store: DynamoPetStore) -> list[dict[str, Any]]:
    pets, start = [], None
    while True:
        page = store.listing(100, start)
        pets += page.pets
        if page.last_key is None:
            return pets
        start = page.last_key
