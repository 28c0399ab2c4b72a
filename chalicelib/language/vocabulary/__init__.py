"""The words shoppers use for pets, breeds, life stages, amounts and orders, and how to normalise them.

Tables, with small lookups and a speller that reads misspellings as the words they meant; the
keyword parser (``chalicelib.language.parser``) compiles what it needs from them on first use.
"""

from chalicelib.language.vocabulary.kind_words import (
    BREED_ALIASES,
    BREED_TYPES,
    BREEDS,
    EMOJI_TYPES,
    FRENCH_ONLY,
    FRENCH_PHRASES,
    KIND_GROUPS,
    OTHER_ANIMALS,
    TYPE_NAMES,
    TYPE_WORDS,
    breed_type,
    singular,
)
from chalicelib.language.vocabulary.known_words import vocabulary_speller
from chalicelib.language.vocabulary.lookup import canonical_type
from chalicelib.language.vocabulary.spelling import Spelled, Speller
from chalicelib.language.vocabulary.word_tables import fold, folded, strip_accents, words

__all__ = [
    "BREEDS",
    "BREED_ALIASES",
    "BREED_TYPES",
    "EMOJI_TYPES",
    "FRENCH_ONLY",
    "FRENCH_PHRASES",
    "KIND_GROUPS",
    "OTHER_ANIMALS",
    "TYPE_NAMES",
    "TYPE_WORDS",
    "Spelled",
    "Speller",
    "breed_type",
    "canonical_type",
    "fold",
    "folded",
    "singular",
    "strip_accents",
    "vocabulary_speller",
    "words",
]
