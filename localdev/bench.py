"""`make bench`: items read per request at 10,000 pets (answers with pets and empty answers, their
suggestions included), parser speed, the corpus and session scores, the reader routing, import times."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any

from chalicelib.adapters.stage_settings import idempotency_table_name
from chalicelib.adapters.storage import DynamoPetStore, MemoryPetStore, PetTableUpkeep
from chalicelib.language.parser import read
from chalicelib.service.answering import PetQuestions
from infra.bootstrap import ensure_idempotency_table, ensure_table
from infra.seed import sample_pets
from localdev.corpus_score import STORE, empty_answer_score, load_corpus, score_lines
from localdev.evaluate import routing_figures
from localdev.sessions import evaluate_sessions
from localdev.stack import TABLE_NAME, LocalStack, Ports, start_emulator

PETS = 10_000
PAGE = 20
SAMPLE_TABLE = "PetStoreSamples"
# One pet in a hundred is of this breed: the rare-breed question's answer.
RARE_BREED = ("dog", "Cavapoo")
RARE_SHARE = 0.01
KINDS = {
    "dog": ["Labrador Retriever", "Beagle", "Poodle", "German Shepherd", "Dachshund"],
    "cat": ["Siamese", "Maine Coon", "Persian", "Bengal"],
    "bird": ["Cockatiel", "Budgerigar", "Canary"],
    "rabbit": ["Holland Lop", "Netherland Dwarf"],
    "fish": ["Betta", "Goldfish", "Guppy"],
    "hamster": ["Syrian", "Dwarf"],
}
QUESTIONS = {
    "typed_sorted_by_price": "dogs under $500, cheapest first",
    "typed_sorted_by_age": "cheap dogs under $500, youngest first",
    "untyped_sorted_by_price": "pets under $300, cheapest first",
    "untyped_sorted_by_age": "pets under $300, youngest first",
    "breed_only": "poodles",
    "rare_breed": "cavapoos, cheapest first",
    "two_types_sorted_by_price": "cats or rabbits, cheapest first",
    "type_excluding_a_breed": "dogs but not beagles, cheapest first",
    "untyped_excluding_a_type": "pets but not fish, youngest first",
}
# Questions no pet can match: each should cost next to no reads, suggestions included.
EMPTY_QUESTIONS = {
    "unknown_kind_with_a_bound": "unicorns under $300",
    "out_of_range_age_on_a_stocked_kind": "cats at least 150 years old, cheapest first",
    "unknown_kind_and_out_of_range_age": "unicorns or cats at least 150 years old, cheapest first",
    "one_cent_price_window": "dogs from $100.50 to $100.51",
    "out_of_range_price_on_a_breed": "poodles over $900000",
}


def generated_pets(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - repeatable sample data, not a secret
    pets = []
    for number in range(count):
        kind = rng.choice(list(KINDS))
        breed = rng.choice(KINDS[kind])
        if rng.random() < RARE_SHARE:
            kind, breed = RARE_BREED
        pets.append(
            {
                "id": f"bench-{number:05d}",
                "name": f"Pet {number}",
                "type": kind,
                "breed": breed,
                "age": Decimal(rng.randint(1, 150)) / 10,
                "price": Decimal(rng.randint(5, 3000)),
            }
        )
    return pets


def full_scan_reads(table: Any) -> int:
    """What the seed design reads for every question: the whole table, page by page."""
    read, request = 0, dict[str, Any]()
    while True:
        page = table.scan(**request)
        read += int(page["ScannedCount"])
        if "LastEvaluatedKey" not in page:
            return read
        request = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def store_figures(stack: LocalStack) -> dict[str, str]:
    """Items each request reads, through the whole question path (names, the page, suggestions)."""
    table = stack.table()
    PetTableUpkeep(table).load(generated_pets(PETS))
    questions = PetQuestions(DynamoPetStore(table), None, "keyword")
    figures = {"pets_in_table": str(PETS), "page_size": str(PAGE)}
    for name, question in QUESTIONS.items():
        answer = questions.answer(question, PAGE)
        figures[f"items_read_{name}"] = str(answer.items_read)
        figures[f"pets_returned_{name}"] = str(len(answer.shown.pets))
    for name, question in EMPTY_QUESTIONS.items():
        answer = questions.answer(question, PAGE)
        assert not answer.shown.pets, f"{question!r} found pets"
        figures[f"items_read_empty_{name}"] = str(answer.items_read)
        figures[f"suggestions_empty_{name}"] = str(len(answer.shown.suggestions))
    figures["items_read_full_scan"] = str(full_scan_reads(table))
    return figures


def empty_answer_figures(stack: LocalStack) -> dict[str, str]:
    """How many of the corpus's empty answers help, asked of a table holding the sample pets."""
    ensure_table(stack.client("dynamodb"), SAMPLE_TABLE)
    store = DynamoPetStore(stack.table(SAMPLE_TABLE))
    PetTableUpkeep(stack.table(SAMPLE_TABLE)).load(sample_pets())
    right, total = empty_answer_score(PetQuestions(store, None))
    return {"empty_answers_helped": f"{right}/{total}"}


def parser_figures() -> dict[str, str]:
    questions = [line["question"] for line in load_corpus()]
    read("warm up", STORE)
    rounds, started = 20, time.perf_counter()
    for _ in range(rounds):
        for question in questions:
            read(question, STORE)
    per_question = (time.perf_counter() - started) / (rounds * len(questions))
    return {"parser_us_per_query": f"{per_question * 1e6:.0f}", **score_lines()}


def session_figures() -> dict[str, str]:
    """The labelled sessions, turn after turn, read by keywords against the sample pets."""
    tally = evaluate_sessions(PetQuestions(MemoryPetStore(sample_pets()), None, "keyword"))
    return {"session_turns_right": f"{tally[0]}/{tally[1]}", "sessions_right": f"{tally[2]}/{tally[3]}"}


# A deployed stage's settings: API Gateway checks tokens, so the app does not (and needs no PyJWT).
DEPLOYED = {
    "STAGE": "prod",
    "VERIFY_TOKENS": "false",
    "PAGE_TOKEN_SECRET": "x" * 32,
    "AWS_DEFAULT_REGION": "us-east-1",
}


def import_figures(runs: int = 11) -> dict[str, str]:
    """Median milliseconds to import boto3 alone and the app, each in fresh processes, taken in
    turns so that both see the same machine."""
    samples: dict[str, list[float]] = {"boto3": [], "app": []}
    for _ in range(runs):
        for module in samples:
            samples[module].append(_import_ms(module))
    boto3_ms, app_ms = (statistics.median(samples[module]) for module in ("boto3", "app"))
    return {
        "import_ms_boto3": f"{boto3_ms:.0f}",
        "import_ms_app": f"{app_ms:.0f}",
        "import_ratio_app_to_boto3": f"{app_ms / boto3_ms:.2f}",
    }


def _import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    env = {**os.environ, **DEPLOYED}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(done.stdout) * 1000


def main() -> int:
    ports = Ports.free()
    emulator = start_emulator(ports.aws)
    try:
        stack = LocalStack(ports=ports)
        ensure_table(stack.client("dynamodb"), TABLE_NAME)
        ensure_idempotency_table(stack.client("dynamodb"), idempotency_table_name(TABLE_NAME))
        print(f"Loading {PETS} pets into the emulator...", file=sys.stderr, flush=True)
        figures = store_figures(stack)
        figures.update(empty_answer_figures(stack))
    finally:
        emulator.terminate()
        emulator.wait()
    figures.update(parser_figures())
    figures.update(session_figures())
    figures.update(routing_figures())
    figures.update(import_figures())
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
