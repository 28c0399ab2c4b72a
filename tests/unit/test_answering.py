"""A shopper's conversation through the service, on the in-memory store: carried constraints that
never dead-end, kinds the store lacks, resets, corrections and misspellings said in the answer."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.storage import MemoryPetStore
from chalicelib.domain.filters import PetFilters
from chalicelib.service.answering import PetQuestions
from chalicelib.web.paging import resume_of, state_of
from infra.seed import sample_pets


@pytest.fixture
def questions(memory_store: MemoryPetStore) -> PetQuestions:
    return PetQuestions(memory_store, None, "keyword")


def ask(questions: PetQuestions, question: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
    follows = PetFilters.model_validate(context) if context is not None else None
    return questions.answer(question, 50, context=follows).body


def of_type(kind: str) -> list[dict[str, Any]]:
    return [pet for pet in sample_pets() if pet["type"] == kind]


@pytest.mark.parametrize(
    ("context", "question", "filters", "relaxed", "summary"),
    [
        (
            {"type_filter": "dog", "min_price": 70, "max_price": 80},
            "cats",
            {"type_filter": "cat"},
            ["max_price", "min_price"],
            "No cats from $70 to $80; here are our cats.",
        ),
        (
            {"type_filter": "fish", "max_price": 20},
            "what about cats?",
            {"type_filter": "cat"},
            ["max_price"],
            "No cats up to $20; here are our cats.",
        ),
        (
            {"type_filter": "dog", "max_age": 2},
            "what about turtles?",
            {"type_filter": "turtle"},
            ["max_age"],
            "No turtles aged 2 years or younger; here is our turtle.",
        ),
    ],
)
def test_a_carried_constraint_that_empties_the_answer_is_dropped_and_said(
    questions: PetQuestions,
    context: dict[str, Any],
    question: str,
    filters: dict[str, Any],
    relaxed: list[str],
    summary: str,
) -> None:
    answer = ask(questions, question, context)
    assert answer["filters"] == filters and answer["relaxed"] == relaxed
    assert answer["summary"] == summary
    assert {pet["id"] for pet in answer["pets"]} == {pet["id"] for pet in of_type(filters["type_filter"])}


def test_the_fewest_carried_constraints_go_the_least_important_first(questions: PetQuestions) -> None:
    # the one Persian is a year old and $800: neither bound alone lets it in, both dropped do
    answer = ask(questions, "how about persians?", {"type_filter": "cat", "max_price": 500, "max_age": 0.5})
    assert answer["relaxed"] == ["max_age", "max_price"] and answer["filters"] == {
        "type_filter": "cat",
        "breed": "Persian",
    }
    answer = ask(questions, "how about persians?", {"type_filter": "cat", "max_price": 900, "max_age": 0.5})
    assert answer["relaxed"] == ["max_age"] and answer["filters"]["max_price"] == 900


def test_a_constraint_said_in_this_very_turn_is_never_dropped(questions: PetQuestions) -> None:
    answer = ask(questions, "under $5", {"type_filter": "cat"})
    assert answer["pets"] == [] and answer["relaxed"] == [] and answer["filters"]["max_price"] == 5
    assert answer["suggestions"], "an empty answer still says what to ask instead"


def test_an_answer_without_context_never_relaxes(questions: PetQuestions) -> None:
    answer = ask(questions, "cats under $20")
    assert answer["pets"] == [] and answer["relaxed"] == [] and answer["suggestions"]


def test_a_kind_the_store_lacks_is_not_the_next_turns_subject(questions: PetQuestions) -> None:
    ponies = ask(questions, "do you have any ponies?")
    assert ponies["pets"] == [] and ponies["summary"].startswith("We have no ponies.")
    assert ponies["unmatched"] == [], "one story per word: the kind is used, not unmatched"
    then = ask(questions, "ok, something under $50 then", ponies["filters"])
    assert then["filters"] == {"max_price": 50} and then["pets"] and then["relaxed"] == []
    assert all(pet["price"] <= 50 for pet in then["pets"])


@pytest.mark.parametrize(
    "reset", ["show me all pets", "everything", "start over", "anything", "show me everything"]
)
def test_resets_mean_one_thing(questions: PetQuestions, reset: str) -> None:
    answer = ask(questions, reset, {"type_filter": "dog", "max_price": 300})
    fresh = ask(questions, "start over")
    assert answer["filters"] == {} == fresh["filters"]
    assert [pet["id"] for pet in answer["pets"]] == [pet["id"] for pet in fresh["pets"]]
    assert len(answer["pets"]) == len(sample_pets())


def test_a_correction_replaces_what_it_names(questions: PetQuestions) -> None:
    first = ask(questions, "cats older than 5")
    then = ask(questions, "no, younger than 5", first["filters"])
    assert then["filters"] == {"type_filter": "cat", "max_age": 5}
    assert then["pets"] and all(pet["type"] == "cat" and pet["age"] <= 5 for pet in then["pets"])


def test_a_misspelling_is_read_and_said(questions: PetQuestions) -> None:
    answer = ask(questions, "dgos under 300")
    assert answer["filters"] == {"type_filter": "dog", "max_price": 300}
    assert answer["corrected"] == {"dgos": "dogs"} and '"dgos" as dogs' in answer["summary"]
    assert answer["unmatched"] == [] and answer["pets"]


def test_life_stages_are_ages(questions: PetQuestions) -> None:
    answer = ask(questions, "a puppy")
    assert answer["filters"] == {"type_filter": "dog", "max_age": 1}
    assert answer["pets"] and all(pet["age"] <= 1 for pet in answer["pets"])


def test_show_more_keeps_what_was_relaxed_and_corrected(memory_store: MemoryPetStore) -> None:
    questions = PetQuestions(memory_store, None, "keyword")
    context = PetFilters(type_filter="dog", min_price=70, max_price=80)
    first = questions.answer("ctas", 2, context=context)
    assert first.resume is not None and first.body["relaxed"] and first.body["corrected"] == {"ctas": "cats"}
    resumed = resume_of(state_of(first.resume))
    second = questions.answer("ctas", 2, resume=resumed, context=context).body
    assert second["relaxed"] == first.body["relaxed"] and second["corrected"] == {"ctas": "cats"}
    assert {pet["id"] for pet in second["pets"]}.isdisjoint(pet["id"] for pet in first.body["pets"])


def test_one_budget_serves_the_whole_request(memory_store: MemoryPetStore) -> None:
    answer = PetQuestions(memory_store, None, "keyword").answer("Luna or Buddy, cats under $20", 5)
    # the name look-ups, the page and every suggestion's check all counted
    assert 0 < answer.items_read <= 1000 and answer.body["suggestions"]
