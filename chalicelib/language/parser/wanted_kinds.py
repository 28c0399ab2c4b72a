"""Which named kinds a question wants, and which it leaves out: "or" lists and "not".

* "rabbits or guinea pigs", "cats, dogs and birds": every kind named is wanted (any of them).
* "not", "no", "except", "other than", "without", "anything but", "neither ... nor" leave out the
  kind they reach: the next one, with at most a few words between ("not the beagles"), and the
  rest of a list joined to it by "or", "and" or commas ("no cats or dogs").
* "but" leaves out what follows it after a kind that is wanted ("any dog but beagles"); after one
  left out it turns back to wanting ("not cats but dogs").
* "no," with a comma is a correction ("no, under $250"), not a "no".
* A sentence end, "just", "only", "instead" and similar words end the reach of "not".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from chalicelib.language.parser.kind_mentions import Mention
from chalicelib.language.parser.question_text import BLANK, Marked
from chalicelib.language.vocabulary import talk

# At most this many words may stand between "not" and the kind it leaves out.
MAX_GAP_WORDS = 3


@dataclass(frozen=True)
class Wanted:
    """Kinds named in a question, split into the ones it wants and the ones it leaves out."""

    wanted: tuple[Mention, ...]
    left_out: tuple[Mention, ...]


@functools.cache
def _negation() -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z'])(?:{talk.NEGATIONS})(?![a-z'])")


_BUT = re.compile(r"(?<![a-z])but(?! also)(?![a-z])")
_SENTENCE_END = re.compile(r"[.;!?]")
_GAP_WORD = re.compile(r"[a-z&/']+")


def split_wanted(text: Marked, mentions: list[Mention]) -> Wanted:
    """Sort ``mentions`` into wanted and left out; the "not" words that reached one are used."""
    cues = sorted(
        [(m.start(), m.end(), "not") for m in _negation().finditer(text.rest)]
        + [(m.start(), m.end(), "but") for m in _BUT.finditer(text.rest)]
    )
    wanted: list[Mention] = []
    left_out: list[Mention] = []
    last_end, last_left_out = 0, False
    pending: tuple[int, int] | None = None
    queue = list(cues)
    for mention in mentions:
        while queue and queue[0][0] < mention.start:
            start, end, cue = queue.pop(0)
            if cue == "not" or (cue == "but" and last_end and not last_left_out):
                pending = (start, end)
            elif cue == "but" and last_left_out:
                pending = None
        if pending and _reaches(text.rest[pending[1] : mention.start]):
            text.use(*pending)
            leave = True
        else:
            leave = last_left_out and _joins(text.rest[last_end : mention.start])
        (left_out if leave else wanted).append(mention)
        pending, last_end, last_left_out = None, mention.end, leave
    return Wanted(tuple(wanted), tuple(left_out))


def _words(gap: str) -> list[str] | None:
    """The words of ``gap``, or None when a sentence ends or a used phrase stands in it."""
    if BLANK in gap or _SENTENCE_END.search(gap):
        return None
    return _GAP_WORD.findall(gap)


def _reaches(gap: str) -> bool:
    words = _words(gap)
    if words is None or len(words) > MAX_GAP_WORDS:
        return False
    return not any(word in talk.CLAUSE_ENDS for word in words)


def _joins(gap: str) -> bool:
    words = _words(gap)
    if words is None:
        return False
    return all(word in talk.LIST_WORDS or word in talk.NEGATION_GAP for word in words)
