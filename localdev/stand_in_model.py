"""A stand-in for Bedrock's Converse, for offline runs: a real bedrock-runtime client whose calls are
answered on the machine, in Converse's exact answer shape, by a function of the question.

botocore still builds and checks every request and parses every answer; only the network is
skipped. Token counts are estimated from the text sent and returned (about four characters a
token), since no model counted them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders

from chalicelib.adapters.bedrock import TOOL_NAME
from chalicelib.adapters.bedrock.tool import PREVIOUS_FILTERS

# (question, the previous filters or None) -> the tool input to answer with
Answers = Callable[[str, Mapping[str, Any] | None], Mapping[str, Any]]
CHARS_PER_TOKEN = 4
# A tool call's own framing, beside its input.
OUTPUT_OVERHEAD_TOKENS = 15


class StandInModel:
    """Answers a client's Converse calls with ``answers``; counts the calls it answered."""

    def __init__(self, answers: Answers) -> None:
        self._answers = answers
        self.calls = 0

    def attach(self, client: Any) -> Any:
        """Makes ``client`` (a bedrock-runtime client) ask this stand-in instead of AWS."""
        client.meta.events.register_first("before-send.bedrock-runtime.Converse", self._answer)
        return client

    def _answer(self, request: Any, **_: Any) -> AWSResponse:
        self.calls += 1
        sent = json.loads(request.body)
        blocks = [block["text"] for block in sent["messages"][-1]["content"] if "text" in block]
        previous = json.loads(blocks[0])[PREVIOUS_FILTERS] if len(blocks) > 1 else None
        tool_input = dict(self._answers(blocks[-1], previous))
        answer = {
            "output": {
                "message": {
                    "role": "assistant",
                    "content": [
                        {
                            "toolUse": {
                                "toolUseId": f"tooluse_{self.calls}",
                                "name": TOOL_NAME,
                                "input": tool_input,
                            }
                        }
                    ],
                }
            },
            "stopReason": "tool_use",
            "usage": _usage(_tokens(request.body), _tokens(json.dumps(tool_input)) + OUTPUT_OVERHEAD_TOKENS),
            "metrics": {"latencyMs": 0},
        }
        headers = HTTPHeaders()
        headers["content-type"] = "application/json"
        return AWSResponse(request.url, 200, headers, _Body(json.dumps(answer)))


def _usage(input_tokens: int, output_tokens: int) -> dict[str, int]:
    return {
        "inputTokens": input_tokens,
        "outputTokens": output_tokens,
        "totalTokens": input_tokens + output_tokens,
    }


def _tokens(text: str | bytes) -> int:
    return max(1, len(text) // CHARS_PER_TOKEN)


class _Body:
    """A raw HTTP body as botocore reads one."""

    def __init__(self, text: str) -> None:
        self._data = text.encode()

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data
