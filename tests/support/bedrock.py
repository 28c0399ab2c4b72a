"""Converse answers of the real shape, for ``botocore.stub.Stubber``."""

from __future__ import annotations

from typing import Any


def tool_block(tool_input: Any, name: str = "filter_pets") -> dict[str, Any]:
    return {"toolUse": {"toolUseId": "tooluse_1", "name": name, "input": tool_input}}


def reply(*blocks: dict[str, Any], stop_reason: str = "tool_use") -> dict[str, Any]:
    """A complete Converse answer: Stubber checks it against the service's output shape."""
    return {
        "output": {"message": {"role": "assistant", "content": list(blocks)}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 420, "outputTokens": 30, "totalTokens": 450},
        "metrics": {"latencyMs": 310},
    }
