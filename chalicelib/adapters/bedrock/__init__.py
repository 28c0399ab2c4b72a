"""Bedrock Converse as a reader of questions: the ``filter_pets`` tool, the extractor, its breaker."""

from chalicelib.adapters.bedrock.breaker import CircuitBreaker
from chalicelib.adapters.bedrock.extractor import (
    MIN_SECONDS,
    TIMEOUTS,
    BedrockExtractor,
    Extraction,
    Usage,
    timeouts_within,
)
from chalicelib.adapters.bedrock.failures import ERROR_REASONS, NOT_OUTAGES, REASONS, ExtractionError, Reason
from chalicelib.adapters.bedrock.tool import (
    SYSTEM_PROMPT,
    TOOL_CONFIG,
    TOOL_NAME,
    tool_input_schema,
)

__all__ = [
    "ERROR_REASONS",
    "MIN_SECONDS",
    "NOT_OUTAGES",
    "REASONS",
    "SYSTEM_PROMPT",
    "TIMEOUTS",
    "TOOL_CONFIG",
    "TOOL_NAME",
    "BedrockExtractor",
    "CircuitBreaker",
    "Extraction",
    "ExtractionError",
    "Reason",
    "Usage",
    "timeouts_within",
    "tool_input_schema",
]
