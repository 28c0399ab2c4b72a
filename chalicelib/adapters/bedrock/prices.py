"""What Bedrock's models cost: the one table of published prices the evaluation and the README use.

On-demand prices in US dollars per million tokens in us-east-1 (Amazon Bedrock pricing page), for
the models a deployer may compare before switching BEDROCK_MODEL_ID. Tokens read from a prompt
cache are priced here as plain input tokens: an upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Price:
    """US dollars per million input and per million output tokens."""

    input: float
    output: float

    def of(self, input_tokens: int, output_tokens: int) -> float:
        """US dollars for that many tokens."""
        return (input_tokens * self.input + output_tokens * self.output) / 1_000_000


_NOVA_MICRO = Price(0.035, 0.14)
_NOVA_LITE = Price(0.06, 0.24)
_CLAUDE_3_HAIKU = Price(0.25, 1.25)
_CLAUDE_35_HAIKU = Price(0.80, 4.00)

MODEL_PRICES: Final[dict[str, Price]] = {
    "us.amazon.nova-micro-v1:0": _NOVA_MICRO,
    "amazon.nova-micro-v1:0": _NOVA_MICRO,
    "us.amazon.nova-lite-v1:0": _NOVA_LITE,
    "amazon.nova-lite-v1:0": _NOVA_LITE,
    "us.anthropic.claude-3-haiku-20240307-v1:0": _CLAUDE_3_HAIKU,
    "anthropic.claude-3-haiku-20240307-v1:0": _CLAUDE_3_HAIKU,
    "us.anthropic.claude-3-5-haiku-20241022-v1:0": _CLAUDE_35_HAIKU,
    "anthropic.claude-3-5-haiku-20241022-v1:0": _CLAUDE_35_HAIKU,
}


def price_of(model_id: str) -> Price | None:
    """The model's published price, or None for a model the table does not list."""
    return MODEL_PRICES.get(model_id)
