"""The routes through chalice.test.Client: request headers and answer bodies."""

from __future__ import annotations

import json
from typing import Any


def headers(token: str, **extra: str) -> dict[str, str]:
    return {"authorization": token, "content-type": "application/json", **extra}


def body(response: Any) -> Any:
    return json.loads(response.body)
