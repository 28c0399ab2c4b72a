"""Conversations as shoppers have them, turn after turn against the sample store `make run` loads,
through the service on the in-memory store: each turn is asked with the answer before it as its
context, as the page asks it, and must answer as labelled (filters, relaxed, and where a turn says
them, corrected, unmatched and the number of pets)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.storage import MemoryPetStore
from chalicelib.service.answering import PetQuestions
from infra.seed import sample_pets
from localdev.sessions import load_sessions, session_answers, wrong_in

SESSION_LIST = load_sessions()


@pytest.mark.parametrize("session", SESSION_LIST, ids=[session["id"] for session in SESSION_LIST])
def test_a_conversation_is_answered_turn_after_turn(session: dict[str, Any]) -> None:
    questions = PetQuestions(MemoryPetStore(sample_pets()), None, "keyword")
    for number, (turn, answer) in enumerate(session_answers(questions, session), 1):
        assert wrong_in(turn, answer) == [], f"turn {number}: {turn['question']!r}"


def test_there_are_forty_sessions_of_two_to_six_turns() -> None:
    ids = [session["id"] for session in SESSION_LIST]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)
    assert all(2 <= len(session["turns"]) <= 6 for session in SESSION_LIST)


def test_carried_constraints_that_would_empty_an_answer_are_dropped_in_some_sessions() -> None:
    relaxed = [turn for session in SESSION_LIST for turn in session["turns"] if turn["relaxed"]]
    dropped = {name for turn in relaxed for name in turn["relaxed"]}
    assert len(relaxed) >= 10
    assert {"max_price", "min_age", "breed", "type_filter", "name", "exclude_breeds"} <= dropped


def test_a_turn_whose_own_words_find_nothing_stays_empty() -> None:
    empty = [turn for session in SESSION_LIST for turn in session["turns"] if turn.get("pets") == 0]
    assert len(empty) >= 5
    assert all(not turn["relaxed"] for turn in empty)
