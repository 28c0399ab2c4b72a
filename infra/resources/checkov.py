"""Checkov checks a resource does not follow, written on that resource with the reason why."""

from __future__ import annotations

from typing import Any


def skipped(reasons: dict[str, str]) -> dict[str, Any]:
    """The resource's `Metadata` that makes checkov skip each check id, with its reason as comment."""
    return {"checkov": {"skip": [{"id": check, "comment": reason} for check, reason in reasons.items()]}}
