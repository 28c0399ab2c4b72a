"""The sample pets and demo users a new store starts with."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

SEED_FILE = Path(__file__).with_name("seed_pets.json")
DEMO_PASSWORD = "PetStore-Demo-1!"  # noqa: S105 - the documented password of the local demo users
# username -> groups
DEMO_USERS: dict[str, tuple[str, ...]] = {"staff": ("staff",), "shopper": ()}


def sample_pets() -> list[dict[str, Any]]:
    pets: list[dict[str, Any]] = json.loads(SEED_FILE.read_text(), parse_float=Decimal)
    return pets
