"""Life stages: the ages "puppy", "kitten", "young", "adult", "older" and "senior" mean, kind by kind.

Where the numbers come from:

* Dogs: AAHA Canine Life Stage Guidelines, 2019 (Creevy et al., J Am Anim Hosp Assoc 55:267-290).
  A puppy until rapid growth ends, about 6-9 months by size; shoppers say "puppy" up to a year, so
  a puppy is up to 1. Young adult until physical and social maturity, by 3 to 4 years: young is up
  to 3 and older from 4. Senior is the last quarter of the expected lifespan, for which the
  guidelines give no one age; 7 is the common reading (giant breeds age sooner).
* Cats: AAHA/AAFP Feline Life Stage Guidelines, 2021 (Quimby et al., J Feline Med Surg 23:211-233).
  Kitten up to 1 year, young adult 1 through 6, mature adult 7 to 10, senior over 10 (filters take
  their bounds in, so senior is from 10).
* Every other kind: no such guidelines are published, so the shop's own default: a baby up to 1,
  young up to 2, older from 3, senior from 7.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chalicelib.language.vocabulary.word_tables import words

Stage = Literal["baby", "young", "adult", "older", "senior"]


@dataclass(frozen=True)
class LifeStages:
    """Where a kind's stages end or begin, in years: a baby is at most ``baby`` old and an adult at
    least that; young is at most ``young``; older (mature) at least ``mature``; senior at least ``senior``."""

    baby: Decimal
    young: Decimal
    mature: Decimal
    senior: Decimal


LIFE_STAGES: dict[str, LifeStages] = {
    "dog": LifeStages(baby=Decimal(1), young=Decimal(3), mature=Decimal(4), senior=Decimal(7)),
    "cat": LifeStages(baby=Decimal(1), young=Decimal(6), mature=Decimal(7), senior=Decimal(10)),
}
SHOP_DEFAULT = LifeStages(baby=Decimal(1), young=Decimal(2), mature=Decimal(3), senior=Decimal(7))

# The bound each stage sets, and the age of the table it takes.
STAGE_BOUNDS: dict[Stage, tuple[str, str]] = {
    "baby": ("max_age", "baby"),
    "young": ("max_age", "young"),
    "adult": ("min_age", "baby"),
    "older": ("min_age", "mature"),
    "senior": ("min_age", "senior"),
}
# The words for each stage once Spanish and French are read as English (regex alternations). "old"
# alone is no stage ("how old is Max?"), "older than 2" is a number's, "oldest" an order's.
STAGE_WORDS: dict[Stage, str] = {
    "baby": r"bab(?:y|ies)|newborns?|infants?",
    "young": r"young(?:er)?|youngsters?|juniors?|juveniles?",
    "adult": r"adults?|grown[- ]ups?|full[- ]grown|fully grown",
    "older": r"older|mature|old (?=ones?\b|pets?\b|animals?\b)|middle[- ]aged",
    "senior": r"seniors?|elderly|geriatric",
}

# Words that name a kind and its first stage at once: puppies are dogs up to a year old.
BABY_KINDS: dict[str, str] = {
    **dict.fromkeys(words("puppy, puppies, pup, pups, cachorro, cachorros, chiot, chiots"), "dog"),
    **dict.fromkeys(words("kitten, kittens, gatito, gatitos, gatita, gatitas, chaton, chatons"), "cat"),
    **dict.fromkeys(words("kit, kits, lapereau, lapereaux"), "rabbit"),
}


def stage_bound(stage: Stage, kinds: Iterable[str]) -> tuple[str, Decimal]:
    """The age bound ``stage`` sets for ``kinds``: the widest over them, the shop's default for none."""
    bound, column = STAGE_BOUNDS[stage]
    ages = [getattr(LIFE_STAGES.get(kind, SHOP_DEFAULT), column) for kind in kinds]
    ages = ages or [getattr(SHOP_DEFAULT, column)]
    return bound, max(ages) if bound.startswith("max") else min(ages)
