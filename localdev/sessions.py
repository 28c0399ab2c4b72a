"""The labelled sessions: shoppers' conversations of a few turns, asked as the page asks them.

Each turn is sent with the previous answer's ``filters`` as its ``context``, against the sample
pets `make run` loads. A turn is right when its answer's filters and ``relaxed`` are as labelled
(and its ``corrected``, ``unmatched`` and number of pets, where the turn gives them); a session is
right when every turn is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from chalicelib.domain.filters import PetFilters
from chalicelib.service.answering import PetQuestions

SESSIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "sessions.jsonl"
# Enough for every sample pet on one page: a turn may say how many pets its answer has.
PAGE = 100


def load_sessions(path: Path = SESSIONS) -> list[dict[str, Any]]:
    """Every labelled session, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def session_answers(
    questions: PetQuestions, session: Mapping[str, Any]
) -> Iterator[tuple[Mapping[str, Any], dict[str, Any]]]:
    """(turn, answer body) for each turn of ``session``, each asked with the answer before it."""
    context: PetFilters | None = None
    for turn in session["turns"]:
        answer = questions.answer(turn["question"], PAGE, context=context).body
        yield turn, answer
        context = PetFilters.model_validate(answer["filters"]) if answer["filters"] else None


def turn_is_right(turn: Mapping[str, Any], answer: Mapping[str, Any]) -> bool:
    return not wrong_in(turn, answer)


def wrong_in(turn: Mapping[str, Any], answer: Mapping[str, Any]) -> list[str]:
    """What the answer to ``turn`` got wrong, field by field; empty when it is right."""
    wrong = []
    if answer["filters"] != turn["expected"]:
        wrong.append(f"filters {answer['filters']} instead of {turn['expected']}")
    if answer["relaxed"] != turn.get("relaxed", []):
        wrong.append(f"relaxed {answer['relaxed']} instead of {turn.get('relaxed', [])}")
    for key in ("corrected", "unmatched"):
        if key in turn and answer[key] != turn[key]:
            wrong.append(f"{key} {answer[key]} instead of {turn[key]}")
    if "pets" in turn and len(answer["pets"]) != turn["pets"]:
        wrong.append(f"{len(answer['pets'])} pets instead of {turn['pets']}")
    return wrong


def evaluate_sessions(questions: PetQuestions, path: Path = SESSIONS) -> tuple[int, int, int, int]:
    """(turns right, turns, sessions right, sessions) of ``questions``' answers."""
    turns = turns_right = sessions_right = 0
    sessions = load_sessions(path)
    for session in sessions:
        verdicts = [turn_is_right(turn, answer) for turn, answer in session_answers(questions, session)]
        turns += len(verdicts)
        turns_right += sum(verdicts)
        sessions_right += all(verdicts)
    return turns_right, turns, sessions_right, len(sessions)
