"""Reading CloudFormation values in tests: a CSP's directives, a template value with placeholders filled."""

from __future__ import annotations

import re
from typing import Any

_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


def csp_directives(policy: str) -> dict[str, list[str]]:
    """directive -> its sources, in order."""
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def resolved(value: Any, names: dict[str, str]) -> Any:
    """``value`` with each Fn::Sub made text from ``names`` (placeholder -> value), as AWS would see it."""
    if isinstance(value, dict):
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
            return _PLACEHOLDER.sub(lambda match: names[match.group(1)], value["Fn::Sub"])
        return {key: resolved(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item, names) for item in value]
    return value


# The page's origin as the packaged template writes it, for CORS headers.
PAGE_ORIGIN = {"Fn::Sub": "'https://${PageDistribution.DomainName}'"}
