"""Life stages in a question ("puppies", "young", "senior", "older ones") read as age bounds.

* A stage is the bound the life-stage table gives it for the kinds asked about: the question's
  own kinds, else (in a follow-up) the kinds of the answer before; for several kinds the widest
  bound, for none the shop's default. "puppies", "kittens" and "kits" are their kind's first stage.
* A number says more than a word: an explicit age on the same side wins ("puppies under 2" is
  max_age 2), and a stage bound that meets or crosses an explicit one is dropped ("kittens older
  than 2" asks for cats older than 2).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from chalicelib.language.parser.kind_mentions import Mention
from chalicelib.language.parser.question_text import Marked
from chalicelib.language.vocabulary.life_stages import (
    BABY_KINDS,
    LIFE_STAGES,
    SHOP_DEFAULT,
    STAGE_WORDS,
    Stage,
    stage_bound,
)


@functools.cache
def _patterns() -> dict[Stage, re.Pattern[str]]:
    return {stage: re.compile(rf"(?<![a-z])(?:{words})(?![a-z])") for stage, words in STAGE_WORDS.items()}


def read_stages(text: Marked) -> list[Stage]:
    """The life-stage words left in ``text``, in order; their words are used."""
    found: list[tuple[int, Stage]] = []
    for stage, pattern in _patterns().items():
        for match in pattern.finditer(text.rest):
            found.append((match.start(), stage))
            text.use(match.start(), match.end())
    return [stage for _, stage in sorted(found)]


def stage_bounds(
    stages: Iterable[Stage], wanted: Iterable[Mention], kinds: Iterable[str], explicit: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], bool]:
    """The age bounds of ``stages`` (for ``kinds``) and of the wanted kinds named by a stage word,
    under the ``explicit`` bounds; and whether one was dropped because it met or crossed another."""
    kinds = tuple(kinds)
    named = [
        ("max_age", LIFE_STAGES.get(BABY_KINDS[m.words], SHOP_DEFAULT).baby)
        for m in wanted
        if m.kind == "type" and m.words in BABY_KINDS
    ]
    bounds: dict[str, Decimal] = {}
    dropped = False
    for key, value in [*named, *(stage_bound(stage, kinds) for stage in stages)]:
        if key in explicit:
            continue
        other = "min_age" if key == "max_age" else "max_age"
        limit = explicit.get(other, bounds.get(other))
        if limit is not None and (value <= limit if key == "max_age" else value >= limit):
            dropped = True
            continue
        # two stages on one side ("young puppies"): the tighter
        old = bounds.get(key, value)
        bounds[key] = min(old, value) if key == "max_age" else max(old, value)
    return bounds, dropped
