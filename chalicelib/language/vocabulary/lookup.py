"""What a word names: the type of pet ("Puppies" is a dog), with plurals, French, emoji, misspellings."""

from __future__ import annotations

from chalicelib.language.vocabulary.kind_words import (
    EMOJI_TYPES,
    FRENCH_ONLY,
    FRENCH_PHRASES,
    TYPE_WORDS,
    breed_type,
)
from chalicelib.language.vocabulary.known_words import vocabulary_speller
from chalicelib.language.vocabulary.word_tables import fold


def canonical_type(word: str) -> str | None:
    """The lowercase singular type ``word`` names ("Puppies" -> "dog"), or None when it is not a pet."""
    folded = " ".join(fold(word).replace("_", " ").split())
    for candidate in (folded, folded.removesuffix("s"), folded.removesuffix("es")):
        kind = TYPE_WORDS.get(candidate) or FRENCH_ONLY.get(candidate) or FRENCH_PHRASES.get(candidate)
        if kind:
            return kind
        if candidate in EMOJI_TYPES:
            return EMOJI_TYPES[candidate]
    corrected = vocabulary_speller().correct(folded)
    if corrected and corrected.text in TYPE_WORDS:
        return TYPE_WORDS[corrected.text]
    return breed_type(folded)
