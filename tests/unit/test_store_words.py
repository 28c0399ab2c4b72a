"""The store's own words: families, its spellings, its types, and a model's filters put in them."""

from __future__ import annotations

from chalicelib.domain.filters import PetFilters
from chalicelib.domain.stock import Stock
from chalicelib.language.store_words import StoreWords

WORDS = StoreWords.of(
    Stock.of(
        [
            {"type": "dog", "breed": "Cocker Spaniel"},
            {"type": "dog", "breed": "English Springer Spaniel"},
            {"type": "dog", "breed": "Labrador Retriever"},
            {"type": "alpaca", "breed": "Huacaya"},
            {"type": "guinea pig", "breed": "Abyssinian"},
        ]
    )
)


def test_a_family_is_every_breed_ending_in_the_word() -> None:
    assert WORDS.family("spaniels") == ("Cocker Spaniel", "English Springer Spaniel")
    assert WORDS.family("spaniel") == WORDS.family("spaniels")
    assert WORDS.family("cocker") == ()


def test_the_store_spelling_wins_and_the_store_type_of_a_breed_wins() -> None:
    assert WORDS.spelling("labrador") == "Labrador Retriever"
    assert WORDS.spelling("poodle") == "Poodle"  # the vocabulary's spelling for a breed not in stock
    assert WORDS.breed_types["abyssinian"] == "guinea pig"  # the vocabulary says cat
    assert WORDS.breed_types["poodle"] == "dog"


def test_types_the_store_has_are_known() -> None:
    assert WORDS.kind("alpacas") == "alpaca" and WORDS.kind("Puppies") == "dog"
    assert WORDS.kind("spaceships") is None
    assert WORDS.own_types == ("alpaca",)


def test_a_models_filters_in_the_stores_words() -> None:
    model = PetFilters(type_filter="Doggies", breeds=("labrador", "spaniel"), exclude_types=("Birds",))
    assert WORDS.resolve(model).applied() == {
        "type_filter": "dog",
        "exclude_types": ["bird"],
        "breeds": ["Cocker Spaniel", "English Springer Spaniel", "Labrador Retriever"],
    }


def test_a_breed_brings_its_type() -> None:
    assert WORDS.resolve(PetFilters(breed="Huacaya")).applied() == {
        "type_filter": "alpaca",
        "breed": "Huacaya",
    }


def test_a_breed_the_store_knows_by_another_name_is_spelled_the_stores_way() -> None:
    words = StoreWords.of(Stock.of([{"type": "bird", "breed": "Budgerigar"}]))
    assert words.spelling("budgie") == words.spelling("parakeet") == "Budgerigar"
    assert words.spelling("cockatiel") == "Cockatiel"


def test_the_stores_own_words_are_what_misspellings_of_them_read_as() -> None:
    assert WORDS.speller.knows("alpacas") and WORDS.speller.knows("huacaya")
    corrected = WORDS.speller.correct("huacaia")
    assert corrected is not None and corrected.breed == "Huacaya"
    assert WORDS.speller.correct("spaniels") is None  # right as it is
