"""Prices and ages as numbers: Decimal inside (DynamoDB refuses floats), plain numbers in JSON."""

from __future__ import annotations

from decimal import Decimal

# Prices are in cents and ages in hundredths of a year: two decimals for both.
CENT = Decimal("0.01")


def to_json_number(value: Decimal) -> int | float:
    """A Decimal as JSON shows it: 500, not 500.0; 99.5, not "99.5"."""
    return int(value) if value == value.to_integral_value() else float(value)
