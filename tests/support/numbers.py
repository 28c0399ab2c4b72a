"""Numbers as a JSON body may spell them, for the routes that take a price or an age."""

from __future__ import annotations

import json
from typing import Any

# Each is refused with a 400 naming its field, and nothing is stored.
REFUSED_NUMBERS = [
    "1e999999",
    "-1e999999",
    "1E+400",
    "1e1000000000000000000",
    "1e-999999999",
    "-1e-999999999",
    "0.001",
    "-0.01",
    "1.000000000000000000000000000000000000000001",
    "123456789012345678901234567890123456789012",
    "NaN",
    "Infinity",
    "-Infinity",
]
# Each is stored to the hundredth: (as sent, the number stored and answered, as JSON).
ACCEPTED_NUMBERS = [
    ("0e-999999999", "0"),
    ("0e999999", "0"),
    ("-0", "0"),
    ("-0.0", "0"),
    ("-0e-3", "0"),
    ("2.50000", "2.5"),
    ("1E+2", "100"),
    ("1e-2", "0.01"),
]


def pet_with(pet: dict[str, Any], field: str, number: str) -> str:
    """``pet`` as JSON text, with ``number`` spelt as it is in ``field``."""
    return json.dumps({**pet, field: "NUMBER"}).replace('"NUMBER"', number)
