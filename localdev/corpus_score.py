"""Scores the keyword parser against the labelled question corpus, on the path the app takes.

Each line is asked as the app asks it: the store's words come from its stock (the corpus store
below, or the line's own ``stock``), names are looked up only for the words ``name_candidates``
picks, and a line with ``context`` is read as a follow-up of those filters. A line is right when
its filters, and its ``unmatched`` and ``corrected`` (the misspellings read as what they meant)
where the line gives them, are exactly as labelled.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from chalicelib.domain.filters import PetFilters
from chalicelib.domain.stock import Stock
from chalicelib.language.parser import Reading, name_candidates, read
from chalicelib.language.store_words import StoreWords
from chalicelib.language.vocabulary import breed_type, words
from chalicelib.service.answering import PetQuestions
from chalicelib.service.answers import MAX_SUGGESTIONS
from infra.seed import sample_pets

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "query_corpus.jsonl"

# The store every corpus line is asked against unless the line brings its own "stock"/"names".
STORE_NAMES = words(
    "Buddy, Luna, Max, Bella, Charlie, Daisy, Milo, Coco, Oliver, Rocky, Pepper, Nemo, Kiwi,"
    " Whiskers, Thumper"
)
STORE_BREEDS = words(
    "Golden Retriever, Labrador Retriever, German Shepherd, Beagle, Poodle, French Bulldog, Dachshund,"
    " Siberian Husky, Siamese, Maine Coon, Persian, Ragdoll, Bengal, Cockatiel, Budgie, African Grey,"
    " Holland Lop, Netherland Dwarf, Goldfish, Betta, Syrian, Red-Eared Slider, Leopard Gecko,"
    " Ball Python, Bearded Dragon"
)


def store_stock(breeds: Iterable[str] = STORE_BREEDS) -> Stock:
    """One pet of each breed, of the vocabulary's type for it."""
    return Stock.of({"type": breed_type(breed) or "pet", "breed": breed} for breed in breeds)


STORE = StoreWords.of(store_stock())
# The sample pets `make run` loads: lines marked "store": "seed" are asked against them.
SEED = StoreWords.of(Stock.of(sample_pets()))


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    """Every labelled line of the corpus, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def category(line: dict[str, Any]) -> str:
    """The line's category: its id without the number ("anyof-012" is "anyof")."""
    return str(line["id"]).rsplit("-", 1)[0]


def store_of(line: dict[str, Any]) -> StoreWords:
    if line.get("store") == "seed":
        return SEED
    if "stock" in line:
        return StoreWords.of(Stock.of(line["stock"]))
    if "breeds" in line:
        return StoreWords.with_breeds(line["breeds"])
    return STORE


def names_of(line: dict[str, Any]) -> list[str]:
    if line.get("store") == "seed" and "names" not in line:
        return [pet["name"] for pet in sample_pets()]
    return list(line.get("names", STORE_NAMES))


def read_line(line: dict[str, Any]) -> Reading:
    """What the parser answers for one corpus line, asked as the app asks it."""
    store = {name.casefold(): name for name in names_of(line)}
    names = [store[word] for word in name_candidates(line["question"]) if word in store]
    context = PetFilters.model_validate(line["context"]) if "context" in line else None
    if "first" in line:
        # a two-turn line: the first question's answer is what the second follows up on
        context = read_line(first_turn(line)).filters
    return read(line["question"], store_of(line), names, context)


def first_turn(line: dict[str, Any]) -> dict[str, Any]:
    """The first question of a two-turn line, as a line of its own."""
    first = {key: value for key, value in line.items() if key not in ("first", "context")}
    return {**first, "question": line["first"]}


def is_right(line: dict[str, Any]) -> bool:
    reading = read_line(line)
    if reading.filters.applied() != line["expected"]:
        return False
    if "unmatched" in line and list(reading.unmatched) != line["unmatched"]:
        return False
    return "corrected" not in line or dict(reading.corrected) == line["corrected"]


def corpus_score(path: Path = CORPUS) -> tuple[int, int]:
    """(lines read exactly as labelled, all lines)."""
    return overall(scores_by_category(path))


def scores_by_category(path: Path = CORPUS) -> dict[str, tuple[int, int]]:
    """{category: (right, lines)}, in the order categories first appear."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line in load_corpus(path):
        total[category(line)] += 1
        right[category(line)] += is_right(line)
    return {name: (right[name], count) for name, count in total.items()}


def overall(scores: Mapping[str, tuple[int, int]]) -> tuple[int, int]:
    """(right, lines) over every category of ``scores``."""
    return sum(right for right, _ in scores.values()), sum(count for _, count in scores.values())


def score_lines() -> dict[str, str]:
    """The corpus score, overall and by category, as ``make bench`` prints them."""
    scores = scores_by_category()
    right, total = overall(scores)
    figures = {"keyword_corpus_score": f"{right}/{total}"}
    for name, (good, count) in scores.items():
        figures[f"keyword_corpus_score_{name}"] = f"{good}/{count}"
    return figures


def helped(questions: PetQuestions, line: dict[str, Any]) -> list[str]:
    """What is wrong with the answer to an "empty" line, asked of a store holding the sample pets:
    it must find no pet, offer one to three suggestions, and each suggestion, asked as it is, must
    find pets and read as its own filters. An empty list means the answer helps."""
    answer = questions.answer(line["question"], 5).body
    problems = []
    if answer["pets"]:
        problems.append(f"found {len(answer['pets'])} pets")
    if not 1 <= len(answer["suggestions"]) <= MAX_SUGGESTIONS:
        problems.append(f"{len(answer['suggestions'])} suggestions")
    for suggestion in answer["suggestions"]:
        asked = questions.answer(suggestion["query"], 5).body
        if not asked["pets"] or asked["filters"] != suggestion["filters"]:
            problems.append(f"{suggestion['query']!r} finds {len(asked['pets'])} pets as {asked['filters']}")
    return problems


def empty_answer_score(questions: PetQuestions, path: Path = CORPUS) -> tuple[int, int]:
    """(empty-answer lines whose answer helps, all such lines)."""
    lines = [line for line in load_corpus(path) if category(line) == "empty"]
    return sum(1 for line in lines if not helped(questions, line)), len(lines)


def main() -> None:
    for name, value in score_lines().items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
