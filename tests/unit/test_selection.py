"""Which streams a question's filters read: a breed narrows its own type, the rest is read whole."""

from __future__ import annotations

import pytest

from chalicelib.domain.filters import PetFilters
from chalicelib.domain.selection import ALL, Source, kinds_asked, sources
from chalicelib.domain.stock import Stock

BREED_TYPES = {"beagle": "dog", "poodle": "dog", "siamese": "cat"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (PetFilters(), [ALL]),
        (PetFilters(exclude_types=("bird",)), [ALL]),
        (PetFilters(type_filter="dog"), [Source("type", "dog")]),
        (PetFilters(types=("dog", "cat")), [Source("type", "cat"), Source("type", "dog")]),
        (PetFilters(type_filter="dog", breed="Poodle"), [Source("breed", "poodle", ("dog",))]),
        (
            PetFilters(types=("cat", "dog"), breed="Beagle"),
            [Source("breed", "beagle", ("dog",)), Source("type", "cat")],
        ),
        (
            PetFilters(breeds=("Beagle", "Siamese")),
            [Source("breed", "beagle", ("dog",)), Source("breed", "siamese", ("cat",))],
        ),
        # a breed nobody knows narrows the one type asked for
        (PetFilters(type_filter="dog", breed="Zorba"), [Source("breed", "zorba", ("dog",))]),
        # ... or is read on its own
        (PetFilters(breed="Zorba"), [Source("breed", "zorba")]),
        # ... and adds nothing to types read whole
        (
            PetFilters(types=("cat", "rabbit"), breed="Zorba"),
            [Source("type", "cat"), Source("type", "rabbit")],
        ),
        (PetFilters(types=("cat", "dog"), exclude_types=("dog",)), [Source("type", "cat")]),
        (PetFilters(breed="Beagle", exclude_breeds=("beagle",)), []),
        (PetFilters(breed="Beagle", exclude_types=("dog",)), []),
    ],
)
def test_sources(filters: PetFilters, expected: list[Source]) -> None:
    assert list(sources(filters, BREED_TYPES)) == expected


def test_sources_have_distinct_keys() -> None:
    found = sources(PetFilters(types=("cat", "dog", "bird"), breeds=("Beagle", "Poodle")), BREED_TYPES)
    assert len({source.key for source in found}) == len(found) == 4


def test_kinds_asked_pair_each_type_with_its_breeds() -> None:
    filters = PetFilters(types=("cat", "dog"), breeds=("Beagle", "Zorba"))
    assert kinds_asked(filters, BREED_TYPES) == [("cat", ()), ("dog", ("Beagle",)), (None, ("Zorba",))]


def test_the_stock_counts_types_and_breeds_and_knows_their_spelling() -> None:
    stock = Stock.of(
        [
            {"type": "dog", "breed": "Beagle"},
            {"type": "dog", "breed": "beagle"},
            {"type": "dog", "breed": "Beagle"},
            {"type": "cat", "breed": "Siamese"},
            {"type": "guinea pig", "breed": "Abyssinian"},
            {"type": "cat", "breed": "Abyssinian"},
            {"type": "cat", "breed": "Abyssinian"},
        ]
    )
    assert stock.type_names() == ["cat", "dog", "guinea pig"]
    assert stock.breed_names()["beagle"] == "Beagle"
    assert stock.breed_types() == {"beagle": "dog", "siamese": "cat", "abyssinian": "cat"}
