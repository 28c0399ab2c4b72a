"""What a question said that the answer could not use: its leftover words, grouped into phrases.

Filler ("show me", "please", "do you have") is never listed. Words next to each other form one
phrase ("house-trained", "good with kids"); a "not" that reached nothing stays with the words it
stood before ("not big"). A leftover noun where the question's subject would stand ("do you have
wombats?", "a llama") is a kind of pet the store does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.language import vocabulary as vocab
from chalicelib.language.parser.question_text import BLANK, Marked
from chalicelib.language.vocabulary import amounts, talk

_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
# Joined into a phrase when they stand between two leftover words: "good with kids".
_JOINERS = frozenset(vocab.words("with, of, and, for, in, on, to, at"))
# Kept at the head of a phrase: "not big", "no stairs".
_HEADS = frozenset(vocab.words("not, no, non, never, without, very, too, really, extra, super"))
# Words before a leftover noun that make it the question's subject: "any wombats", "a llama".
_SUBJECT_BEFORE = frozenset(
    vocab.words(
        "a, an, any, some, your, the, have, sell, want, need, got, adopt, buy, carry, about, me, for, see"
    )
)
# Words after an adjective that show it is one: "quiet ones", "fluffy pets".
_NOUN_AFTER = frozenset(vocab.words("one, ones, pet, pets, animal, animals, kind, kinds, type, types, thing"))
_ADJECTIVE_ENDINGS = ("ful", "ous", "ic", "ive", "able", "ible", "ish", "less", "ly", "y", "ed", "ing", "est")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    content: bool


def leftovers(text: Marked) -> list[tuple[int, str]]:
    """(position, phrase) for each run of words no reader used and that is not filler."""
    tokens = [
        _Token(m.start(), m.end(), m.group(0), _is_content(m.group(0))) for m in _TOKEN.finditer(text.rest)
    ]
    phrases: list[tuple[int, str]] = []
    run: list[_Token] = []
    for index, token in enumerate(tokens):
        if run and not _adjacent(text.rest, run[-1], token):
            phrases += _phrase(run)
            run = []
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        leads_on = following is not None and following.content and _adjacent(text.rest, token, following)
        if token.content or (
            leads_on and (token.word in _HEADS or (token.word in _JOINERS and run and run[-1].content))
        ):
            run.append(token)
        elif run:
            phrases += _phrase(run)
            run = []
    phrases += _phrase(run)
    return phrases


def _phrase(run: list[_Token]) -> list[tuple[int, str]]:
    while run and not run[-1].content:
        run = run[:-1]
    if not any(token.content for token in run):
        return []
    return [(run[0].start, " ".join(token.word for token in run))]


def _adjacent(rest: str, first: _Token, second: _Token) -> bool:
    return rest[first.end : second.start].strip(" ") == ""


def _is_content(word: str) -> bool:
    if len(word) < 2 or any(ch.isdigit() for ch in word):
        return False
    # a unit left beside a number another reader used ("500+ dollars") says nothing more
    return word not in talk.FILLER and word not in amounts.PRICE_UNITS and word not in amounts.AGE_UNITS


def unknown_subject(text: Marked, phrases: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The leftover word that stands where a kind of pet would, if one does ("any wombats?")."""
    for start, phrase in phrases:
        if " " in phrase or "-" in phrase:
            continue
        # words used by other readers (blanked) are not in the way: "cheap wombats"
        before = [word for word in text.rest[:start].split() if word.strip(BLANK)]
        after = [word for word in text.rest[start + len(phrase) :].split() if word.strip(BLANK)]
        noun = vocab.singular(phrase)
        if noun in talk.SHOP_TALK or noun.endswith(_ADJECTIVE_ENDINGS) or (after and after[0] in _NOUN_AFTER):
            continue
        plural = noun != phrase
        opens = not before  # "wombats under $100": the question opens with it
        if (opens and plural) or (
            before and before[-1] in _SUBJECT_BEFORE and (plural or before[-1] in {"a", "an"})
        ):
            return start, phrase
    return None
