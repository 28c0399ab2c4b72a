"""Scores the keyword parser against the labelled question corpus: prints ``keyword_corpus_score: N/M``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.language.keywords import name_candidates, parse
from chalicelib.language.vocabulary import words

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "query_corpus.jsonl"

# The store every corpus line is asked against unless the line brings its own "breeds"/"names".
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


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    """Every labelled line of the corpus, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def parse_line(line: dict[str, Any]) -> dict[str, Any]:
    """What the parser answers for one corpus line, in ``PetFilters.applied()`` form."""
    breeds = line.get("breeds", STORE_BREEDS)
    names = line.get("names", STORE_NAMES)
    return parse(line["question"], breeds=breeds, names=names).applied()


def parse_as_the_app_does(line: dict[str, Any]) -> dict[str, Any]:
    """The app's own path: no store breeds, and names only where a capitalised word of the
    question is a name in the store (what PetStore.existing_names finds)."""
    store = {name.casefold(): name for name in line.get("names", STORE_NAMES)}
    names = [store[word] for word in name_candidates(line["question"]) if word in store]
    return parse(line["question"], names=names).applied()


def corpus_score(path: Path = CORPUS, app_path: bool = False) -> tuple[int, int]:
    """(lines parsed exactly as labelled, all lines)."""
    lines = load_corpus(path)
    parser = parse_as_the_app_does if app_path else parse_line
    right = sum(1 for line in lines if parser(line) == line["expected"])
    return right, len(lines)


def main() -> None:
    right, total = corpus_score()
    print(f"keyword_corpus_score: {right}/{total}")
    right, total = corpus_score(app_path=True)
    print(f"keyword_corpus_score_app_path: {right}/{total}")


if __name__ == "__main__":
    main()
