"""The follow-up cues in a question: start over, reset, also, only, refine, correct, any price, ...

Their words are used by the cues ("just", "how about", "actually"), so they are never "unmatched".
"""

from __future__ import annotations

import functools
import re

from chalicelib.language.parser.question_text import Marked
from chalicelib.language.vocabulary import talk

# "start_over", "reset", "also", "only", "refine", "correct", "asking", "any_price", "any_age",
# "any_breed", "any_kind"
Cue = str
# Cues that make a question a follow-up, even one that says what it wants with a verb of asking.
FOLLOW_WORDS = frozenset(
    {"also", "only", "refine", "correct", "any_price", "any_age", "any_breed", "any_kind"}
)

_STARTS_WITH = r"^\W*(?:and|but|now|then|so|also|plus|ok|okay|hmm|well)\b"
# "no," with a comma opens a correction ("no, under $250"); without, it is a "no" ("no birds")
_NO_COMMA = r"^\W*no\s*[,.!;:]"


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z'])(?:{pattern})(?![a-z'])")


@functools.cache
def _cue_patterns() -> dict[Cue, re.Pattern[str]]:
    return {
        "start_over": _words(talk.START_OVER),
        "reset": _words(talk.RESET),
        "correct": re.compile(rf"{_NO_COMMA}|(?<![a-z'])(?:{talk.CORRECTION})(?![a-z'])"),
        "also": _words(talk.ALSO),
        "only": _words(talk.ONLY),
        "refine": re.compile(rf"{_STARTS_WITH}|(?<![a-z])(?:{talk.REFINE})(?![a-z])"),
        "any_price": _words(talk.ANY_PRICE),
        "any_age": _words(talk.ANY_AGE),
        "any_breed": _words(talk.ANY_BREED),
        "any_kind": _words(talk.ANY_KIND),
    }


@functools.cache
def _asking() -> re.Pattern[str]:
    return _words(talk.ASKING)


def read_cues(text: Marked) -> frozenset[Cue]:
    """The follow-up cues in ``text``; their words are used.

    Cues are looked for in the whole text, so that what follows a word tells what it means even
    where another reader used it ("anything cheaper" is no reset), and taken where no reader has.
    """
    found: set[Cue] = set()
    for cue, pattern in _cue_patterns().items():
        for match in pattern.finditer(text.text):
            if text.rest[match.start() : match.end()] == match.group(0):
                found.add(cue)
                text.use(match.start(), match.end())
    if _asking().search(text.rest):
        found.add("asking")
    if _reset_before_not().search(text.text):
        found.add("reset")
    return frozenset(found)


@functools.cache
def _reset_before_not() -> re.Pattern[str]:
    return _words(talk.RESET_BEFORE_NOT)
