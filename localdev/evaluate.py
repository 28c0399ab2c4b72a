"""`make eval`: how well a reader reads the labelled corpus, single questions and whole sessions.

    python -m localdev.evaluate --reader keyword|auto|bedrock [--model stand-in|aws] [--model-id ID]

For each reader: the share of questions right (the same pets, in the same order, as the labelled
filters find among the sample pets), exact filter matches, unmatched words right, the share
answered without the model, p50/p95 reading time, and for the model its tokens and the cost per
1,000 questions at the model's published price. Sessions are asked turn after turn through the
service, each answer's filters sent back as the next turn's context, as the page does.

Offline (``--model stand-in``, the default without AWS credentials) the model is played by a
stand-in answering with the labelled filters: a perfect model, so the figures measure the routing,
and its tokens are estimates. With AWS credentials, ``--model aws`` asks the real model.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from chalicelib.adapters.bedrock import TIMEOUTS, BedrockExtractor, Usage
from chalicelib.adapters.bedrock.prices import price_of
from chalicelib.adapters.stage_settings import DEFAULT_MODEL_ID, READERS, Reader
from chalicelib.adapters.storage import MemoryPetStore, ReadBudget
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.plain_text import question_words
from chalicelib.domain.selection import sources
from chalicelib.domain.stock import Stock
from chalicelib.language.parser import read
from chalicelib.service.answering import PetQuestions
from chalicelib.service.readers import QuestionReader, Understanding, Why, doubt
from infra.seed import sample_pets
from localdev.corpus_score import SEED, first_turn, is_right, load_corpus, names_of, read_line, store_of
from localdev.sessions import SESSIONS, evaluate_sessions, load_sessions, session_answers, turn_is_right
from localdev.stand_in_model import StandInModel

SAMPLE = MemoryPetStore(sample_pets())
SAMPLE_STOCK = SAMPLE.stock()


@dataclass
class Tally:
    """What one reader did on the corpus."""

    questions: int = 0
    right: int = 0
    exact: int = 0
    unmatched_labelled: int = 0
    unmatched_right: int = 0
    without_model: int = 0
    seconds: list[float] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    turns: int = 0
    turns_right: int = 0
    sessions: int = 0
    sessions_right: int = 0

    def count(self, line: Mapping[str, Any], understood: Understanding, seconds: float) -> None:
        self.questions += 1
        self.seconds.append(seconds)
        self.usage.append(understood.usage)
        self.without_model += understood.source == "keyword" and understood.fallback_reason is None
        self.exact += understood.filters.applied() == line["expected"]
        self.right += pets_of(understood.filters) == pets_of(PetFilters.model_validate(line["expected"]))
        if "unmatched" in line:
            self.unmatched_labelled += 1
            self.unmatched_right += list(understood.unmatched) == line["unmatched"]


class _Names:
    """The store's names, for the readers' name look-ups, as a line gives them."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = {name.casefold(): name for name in names}

    def existing_names(self, candidates: Iterable[str], budget: ReadBudget) -> list[str]:
        return [self._names[word.casefold()] for word in candidates if word.casefold() in self._names]


def pets_of(filters: PetFilters) -> list[str]:
    """The ids of the sample pets ``filters`` find, in order."""
    found = SAMPLE.query(filters, sources(filters, SEED.breed_types), 100)
    return [str(pet["id"]) for pet in found.pets]


# (question words, the filters it follows as compact JSON, or "") -> (the labelled filters, the
# carried fields a labelled answer dropped)
Labels = dict[tuple[str, str], tuple[Mapping[str, Any], tuple[str, ...]]]


def labelled_answers() -> Labels:
    """What the stand-in model answers each labelled question with, after what it follows."""
    answers: Labels = {}
    for line in load_corpus():
        unmatched = {"unmatched": line["unmatched"]} if line.get("unmatched") else {}
        answers[(question_words(line["question"]), "")] = ({**line["expected"], **unmatched}, ())
    for session in load_sessions():
        previous = ""
        for turn in session["turns"]:
            label = (turn["expected"], tuple(turn.get("relaxed", ())))
            answers[(question_words(turn["question"]), previous)] = label
            answers.setdefault((question_words(turn["question"]), ""), label)
            # what the next turn follows, as the service hands it on: kinds the store lacks dropped
            previous = SEED.in_stock(PetFilters.model_validate(turn["expected"])).compact()
    return answers


def stand_in(answers: Labels) -> StandInModel:
    def answer(question: str, previous: Mapping[str, Any] | None) -> Mapping[str, Any]:
        follows = PetFilters.model_validate(previous).compact() if previous else ""
        words = question_words(question)
        expected, relaxed = answers.get((words, follows)) or answers.get((words, ""), ({}, ()))
        # A model reads the carried filters in; the service is what drops them when they empty the answer.
        carried = {name: (previous or {})[name] for name in relaxed if name in (previous or {})}
        return {**expected, **carried}

    return StandInModel(answer)


def extractor(
    model: str, model_id: str, region: str
) -> tuple[BedrockExtractor, StandInModel | None, Labels | None]:
    """Bedrock for the evaluation: the real model, or a stand-in with the labels it answers by."""
    if model == "aws":
        client = boto3.client("bedrock-runtime", region_name=region, config=TIMEOUTS.config())
        return BedrockExtractor(client, model_id, cache_size=0), None, None
    # The stand-in never leaves the machine; botocore still signs what it sends.
    client = boto3.client(
        "bedrock-runtime",
        region_name=region,
        config=TIMEOUTS.config(),
        aws_access_key_id="stand-in",
        aws_secret_access_key="stand-in",  # noqa: S106 - not a secret: nothing is sent
    )
    labels = labelled_answers()
    played = stand_in(labels)
    played.attach(client)
    return BedrockExtractor(client, model_id, cache_size=0), played, labels


def evaluate(reader: Reader, bedrock: BedrockExtractor | None, labels: Labels | None = None) -> Tally:
    """``reader`` on every corpus line and session; ``labels`` (the stand-in's) learn each line's
    own label as it is asked, so two lines asking the same words in other contexts stay apart."""
    tally = Tally()
    for line in load_corpus():
        # Read in the words the line was labelled with; routed by what the sample store stocks.
        words = store_of(line)
        stocked = Stock.of(line["stock"]) if "stock" in line else SAMPLE_STOCK
        reading = QuestionReader(_Names(names_of(line)), bedrock, reader)  # type: ignore[arg-type]
        context = PetFilters.model_validate(line["context"]) if "context" in line else None
        if "first" in line:
            # what the line measures is the follow-up: its first turn is read as the keywords read it
            context = read_line(first_turn(line)).filters
        if labels is not None:
            unmatched = {"unmatched": line["unmatched"]} if line.get("unmatched") else {}
            key = (question_words(line["question"]), context.compact() if context else "")
            labels[key] = ({**line["expected"], **unmatched}, ())
        started = time.perf_counter()
        understood = reading.read(line["question"], words, stocked, context, ReadBudget())
        tally.count(line, understood, time.perf_counter() - started)
    tally.turns_right, tally.turns, tally.sessions_right, tally.sessions = evaluate_sessions(
        PetQuestions(SAMPLE, bedrock, reader)
    )
    return tally


def figures(tally: Tally, model_id: str, model_asked: bool) -> dict[str, str]:
    """The table's figures for one reader."""
    ms = sorted(seconds * 1000 for seconds in tally.seconds)
    asked = [usage for usage in tally.usage if usage.input_tokens]
    per_question_in = sum(u.input_tokens for u in asked) / max(tally.questions, 1)
    per_question_out = sum(u.output_tokens for u in asked) / max(tally.questions, 1)
    per_question_cached = sum(u.cache_read_tokens for u in asked) / max(tally.questions, 1)
    price = price_of(model_id)
    cost = price.of(round(per_question_in * 1000), round(per_question_out * 1000)) if price else None
    return {
        "questions": str(tally.questions),
        "right": _share(tally.right, tally.questions),
        "exact_filters": _share(tally.exact, tally.questions),
        "unmatched_right": _share(tally.unmatched_right, tally.unmatched_labelled),
        "answered_without_model": _share(tally.without_model, tally.questions),
        "p50_ms": f"{statistics.median(ms):.2f}",
        "p95_ms": f"{ms[int(len(ms) * 0.95) - 1]:.2f}",
        "input_tokens_per_question": f"{per_question_in:.0f}",
        "output_tokens_per_question": f"{per_question_out:.0f}",
        # what the model read from its prompt cache: only a real model says
        "cache_read_tokens_per_question": f"{per_question_cached:.0f}",
        "usd_per_1000_questions": f"{cost:.4f}" if cost is not None else "unknown price",
        "turns_right": f"{tally.turns_right}/{tally.turns}",
        "sessions_right": f"{tally.sessions_right}/{tally.sessions}",
        "model": ("estimated tokens of a stand-in" if not model_asked else model_id),
    }


def routing_figures() -> dict[str, str]:
    """How the auto reader's rule routes the labelled corpus, single questions and session turns,
    read by keywords alone: the share it would answer without the model, how often those answers
    are right, and how often the keywords alone are right on the rest (what the model is asked)."""
    routed = [*_routed_lines(), *_routed_turns()]
    confident = [right for sure, right in routed if sure]
    rest = [right for sure, right in routed if not sure]
    return {
        "auto_answered_without_model": _share(len(confident), len(routed)),
        "auto_right_without_model": _share(sum(confident), len(confident)),
        "keywords_right_on_what_auto_asks_the_model": _share(sum(rest), len(rest)),
    }


def _routed_lines() -> Iterable[tuple[bool, bool]]:
    """(confident, read right) for each single question."""
    for line in load_corpus():
        reading = read_line(line)
        stocked = Stock.of(line["stock"]) if "stock" in line else SAMPLE_STOCK
        context = None if "first" not in line and "context" not in line else PetFilters()
        yield doubt(reading, stocked, context) == Why.CONFIDENT, is_right(line)


def _routed_turns() -> Iterable[tuple[bool, bool]]:
    """(confident, answered right) for each session turn, asked as the keyword reader's session."""
    questions = PetQuestions(SAMPLE, None, "keyword")
    names = [str(pet["name"]) for pet in sample_pets()]
    for session in load_sessions():
        context: PetFilters | None = None
        for turn, answer in session_answers(questions, session):
            reading = read(turn["question"], SEED, names, context)
            yield doubt(reading, SAMPLE_STOCK, context) == Why.CONFIDENT, turn_is_right(turn, answer)
            context = PetFilters.model_validate(answer["filters"]) if answer["filters"] else None


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reader", choices=READERS, action="append", help="repeat for several")
    parser.add_argument("--model", choices=("stand-in", "aws"), help="who plays the model")
    parser.add_argument("--model-id", default=DEFAULT_MODEL_ID)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args(argv)
    # The figures are the output; the readers' own log lines would drown them.
    logging.getLogger("chalicelib").setLevel(logging.CRITICAL)
    model = args.model or ("aws" if boto3.session.Session().get_credentials() else "stand-in")
    if model == "aws":
        print(f"Asking {args.model_id} on AWS ({args.region}): this run is billed.", file=sys.stderr)
    for reader in args.reader or ["keyword", "auto"]:
        bedrock, played, labels = (
            extractor(model, args.model_id, args.region) if reader != "keyword" else (None, None, None)
        )
        tally = evaluate(reader, bedrock, labels)
        print(f"reader {reader} ({SESSIONS.name} and the corpus; model: {model})")
        for name, value in figures(tally, args.model_id, model == "aws").items():
            print(f"  {name}: {value}")
        if played is not None:
            print(f"  stand_in_calls: {played.calls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
