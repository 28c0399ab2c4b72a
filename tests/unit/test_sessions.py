"""Conversations as shoppers have them, turn after turn against the sample store `make run` loads.

Each turn is asked with the answer before it as its context, as the page asks it. The answer is
what the service makes of the reading: when the pets it finds are none only because of
constraints carried from the context (fields not in ``said``), while the turn's own constraints
find some, it drops carried groups, as few as needed, single groups first in the order below,
then pairs in that order, and so on; the order is never dropped, nor anything said in the turn.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.filters import PetFilters
from chalicelib.domain.selection import Source, breed_key, sources
from chalicelib.language.parser import Reading, name_candidates, read
from infra.seed import sample_pets
from localdev.corpus_score import SEED

SESSIONS = Path(__file__).resolve().parents[1] / "data" / "sessions.jsonl"
PETS = sample_pets()
NAMES = {pet["name"].casefold(): pet["name"] for pet in PETS}
# Carried constraints are dropped in groups, tried in this order.
GROUPS = (
    ("min_price", "max_price"),
    ("min_age", "max_age"),
    ("exclude_types", "exclude_breeds"),
    ("breed", "breeds"),
    ("type_filter", "types"),
    ("name",),
)


def load_sessions() -> list[dict[str, Any]]:
    with SESSIONS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _in(source: Source, pet: Mapping[str, Any]) -> bool:
    if source.kind == "type":
        return bool(pet["type"] == source.value)
    if source.kind == "breed":
        of_its_type = not source.of_types or pet["type"] in source.of_types
        return breed_key(pet["breed"]) == source.value and of_its_type
    return True


def _within(value: Any, low: Decimal | None, high: Decimal | None) -> bool:
    number = Decimal(str(value))
    return (low is None or number >= low) and (high is None or number <= high)


def pets_of(filters: PetFilters) -> list[dict[str, Any]]:
    """The sample pets ``filters`` find, as the store reads them."""
    read_from = sources(filters, SEED.breed_types)
    excluded = {breed_key(breed) for breed in filters.exclude_breeds or ()}
    return [
        pet
        for pet in PETS
        if any(_in(source, pet) for source in read_from)
        and pet["type"] not in (filters.exclude_types or ())
        and breed_key(pet["breed"]) not in excluded
        and (filters.name is None or pet["name"].casefold() == filters.name.casefold())
        and _within(pet["price"], filters.min_price, filters.max_price)
        and _within(pet["age"], filters.min_age, filters.max_age)
    ]


def answer(reading: Reading) -> tuple[PetFilters, list[str], list[dict[str, Any]]]:
    """(the answer's filters, the carried fields it dropped, its pets) for one turn's reading."""
    filters = reading.filters
    present = filters.model_dump(exclude_none=True)
    carried = set(present) - reading.said - {"sort_by"}
    found = pets_of(filters)
    own = PetFilters.model_validate({name: value for name, value in present.items() if name not in carried})
    if found or not carried or not pets_of(own):
        return filters, [], found
    groups = [group for group in (tuple(f for f in g if f in carried) for g in GROUPS) if group]
    for size in range(1, len(groups) + 1):
        for chosen in itertools.combinations(groups, size):
            dropped = {name for group in chosen for name in group}
            relaxed = PetFilters.model_validate({k: v for k, v in present.items() if k not in dropped})
            found = pets_of(relaxed)
            if found:
                return relaxed, sorted(dropped), found
    return filters, [], []


def ask(question: str, context: PetFilters | None) -> Reading:
    names = [NAMES[word] for word in name_candidates(question) if word in NAMES]
    return read(question, SEED, names, context)


SESSION_LIST = load_sessions()


@pytest.mark.parametrize("session", SESSION_LIST, ids=[session["id"] for session in SESSION_LIST])
def test_a_conversation_reads_turn_after_turn(session: dict[str, Any]) -> None:
    context: PetFilters | None = None
    for number, turn in enumerate(session["turns"], 1):
        reading = ask(turn["question"], context)
        filters, relaxed, found = answer(reading)
        where = f"turn {number}: {turn['question']!r}"
        assert filters.applied() == turn["expected"], where
        assert relaxed == turn["relaxed"], where
        if "pets" in turn:
            assert len(found) == turn["pets"], where
        if "corrected" in turn:
            assert dict(reading.corrected) == turn["corrected"], where
        if "unmatched" in turn:
            assert list(reading.unmatched) == turn["unmatched"], where
        context = filters


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
