"""The words shoppers use for pets, breeds, amounts and orders, and how to normalise them.

Tables only, with small lookups; the keyword parser (``chalicelib.language.parser``) compiles what
it needs from them on first use.
"""

from chalicelib.language.vocabulary.kinds import (
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
from chalicelib.language.vocabulary.lookup import canonical_type
from chalicelib.language.vocabulary.text import fold, folded, strip_accents, words
from chalicelib.language.vocabulary.typos import correct_typo

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
    "breed_type",
    "canonical_type",
    "correct_typo",
    "fold",
    "folded",
    "singular",
    "strip_accents",
    "words",
]
