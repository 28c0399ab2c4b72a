"""Turn a shopper's sentence into PetFilters with Bedrock Converse (Nova Micro, tool ``filter_pets``)."""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.aws import Timeouts
from chalicelib.adapters.bedrock.breaker import CircuitBreaker
from chalicelib.adapters.bedrock.failures import NOT_OUTAGES, ExtractionError, botocore_error, client_error
from chalicelib.adapters.bedrock.tool import (
    ADDITIONAL_FIELDS,
    CACHE_POINT,
    INFERENCE_CONFIG,
    MAX_UNMATCHED,
    PREVIOUS_FILTERS,
    SYSTEM_PROMPT,
    TOOL_CONFIG,
    TOOL_NAME,
    UNMATCHED_FIELD,
)
from chalicelib.adapters.stage_settings import DEFAULT_MODEL_ID
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import MAX_TEXT, PetFilters, asked_key

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient
    from mypy_boto3_bedrock_runtime.type_defs import (
        ContentBlockOutputTypeDef,
        ContentBlockTypeDef,
        ConverseResponseTypeDef,
        SystemContentBlockTypeDef,
    )

log = logging.getLogger(__name__)

# At most 2 attempts x (2 s connect + 8 s read) + 1 s backoff = 21 s. Nova Micro answers a
# 300-token tool call in about a second, so this is generous; a request's deadline usually leaves
# less, and then the call gets timeouts that fit what is left (see timeouts_within).
TIMEOUTS: Final = Timeouts(connect=2, read=8, attempts=2)
# Less than this left for Bedrock, and the keyword parser answers without asking it.
MIN_SECONDS: Final = 2.0
_STEP = 0.5  # timeouts are rounded down to half seconds, so few distinct clients are ever made

Clients = Callable[[Timeouts], "BedrockRuntimeClient"]


@dataclass(frozen=True)
class Usage:
    """The tokens one Converse call was billed for, from its answer's ``usage``."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


@dataclass(frozen=True)
class Extraction:
    """What :meth:`BedrockExtractor.extract` found.

    ``latency_ms`` is the wall time of the Converse call (retries included), 0.0 when ``cached``:
    a cache hit made no call, and used no tokens.
    """

    filters: PetFilters
    latency_ms: float
    cached: bool
    unmatched: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)


def timeouts_within(seconds: float) -> Timeouts | None:
    """The most generous client timeouts whose worst case fits in ``seconds``; None if none does."""
    if TIMEOUTS.worst_case <= seconds:
        return TIMEOUTS
    # two attempts with a second of backoff between them, then one attempt
    for attempts, backoff in ((2, 1.0), (1, 0.0)):
        read = _down((seconds - backoff) / attempts - 1)
        if read >= 2 or (attempts == 1 and read >= 1):
            return Timeouts(connect=1, read=min(read, TIMEOUTS.read), attempts=attempts)
    return None


def _down(seconds: float) -> float:
    return math.floor(seconds / _STEP) * _STEP


class BedrockExtractor:
    """Asks Nova Micro to fill ``filter_pets``; keeps recent answers and a circuit breaker per container.

    ``client`` is made with :data:`TIMEOUTS`; ``clients`` makes one with shorter timeouts when a
    request's deadline leaves less time than they need (without it, ``client`` is used anyway).
    """

    def __init__(
        self,
        client: BedrockRuntimeClient,
        model_id: str = DEFAULT_MODEL_ID,
        cache_size: int = 256,
        breaker: CircuitBreaker | None = None,
        clients: Clients | None = None,
    ) -> None:
        if cache_size < 0:
            raise ValueError("cache_size must be >= 0")
        self._client = client
        self._clients = clients
        self._model_id = model_id
        self._cache_size = cache_size
        self._cache: OrderedDict[str, Extraction] = OrderedDict()
        self.breaker = breaker or CircuitBreaker()
        # chalice local serves requests on threads; Lambda does not, and the lock costs nothing there.
        self._lock = threading.Lock()

    def extract(
        self, question: str, context: PetFilters | None = None, deadline: Deadline | None = None
    ) -> Extraction:
        """Filters for ``question`` (a follow-up of ``context``, if given), asked so that the call
        ends by ``deadline``; ExtractionError when Bedrock gives none or is not asked."""
        key = asked_key(question, context)
        cached = self._cache_get(key)
        if cached is not None:
            log.info("LLM extracted parameters: %s (cached)", cached.filters.applied())
            return replace(cached, latency_ms=0.0, cached=True, usage=Usage())
        client = self._client_for(deadline)
        if not self.breaker.allow():
            raise ExtractionError("circuit_open", "Bedrock failed repeatedly; it is skipped for a while")
        started = time.perf_counter()
        try:
            response = self._converse(client, question, context)
        except ExtractionError as error:
            (self.breaker.succeeded if error.reason in NOT_OUTAGES else self.breaker.failed)()
            raise
        self.breaker.succeeded()
        latency_ms = (time.perf_counter() - started) * 1000
        tool_input = _tool_input(response)
        extraction = Extraction(
            PetFilters.from_untrusted(tool_input),
            latency_ms,
            False,
            _unmatched(tool_input.get(UNMATCHED_FIELD)),
            _usage(response),
        )
        log.info("LLM extracted parameters: %s (%.0f ms)", extraction.filters.applied(), latency_ms)
        self._cache_put(key, extraction)
        return extraction

    def _client_for(self, deadline: Deadline | None) -> BedrockRuntimeClient:
        if deadline is None:
            return self._client
        left = deadline.left()
        timeouts = timeouts_within(left) if left >= MIN_SECONDS else None
        if timeouts is None:
            raise ExtractionError("deadline", f"{left:.1f} s left: not enough to ask Bedrock")
        if timeouts == TIMEOUTS or self._clients is None:
            return self._client
        return self._clients(timeouts)

    def _converse(
        self, client: BedrockRuntimeClient, question: str, context: PetFilters | None
    ) -> ConverseResponseTypeDef:
        try:
            return client.converse(
                modelId=self._model_id,
                system=SYSTEM,
                messages=[{"role": "user", "content": user_turn(question, context)}],
                toolConfig=TOOL_CONFIG,
                inferenceConfig=INFERENCE_CONFIG,
                additionalModelRequestFields=ADDITIONAL_FIELDS,
            )
        except ClientError as error:
            raise client_error(error) from error
        except BotoCoreError as error:
            raise botocore_error(error) from error

    def _cache_get(self, key: str) -> Extraction | None:
        with self._lock:
            extraction = self._cache.get(key)
            if extraction is not None:
                self._cache.move_to_end(key)
            return extraction

    def _cache_put(self, key: str, extraction: Extraction) -> None:
        if not self._cache_size:
            return
        with self._lock:
            self._cache[key] = extraction
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


# The instructions, then the cache point: the same for every question.
SYSTEM: Final[list[SystemContentBlockTypeDef]] = [{"text": SYSTEM_PROMPT}, CACHE_POINT]


def user_turn(question: str, context: PetFilters | None) -> list[ContentBlockTypeDef]:
    """The user's turn: for a follow-up, the earlier filters as a JSON object, then the question."""
    blocks: list[ContentBlockTypeDef] = []
    if context is not None:
        previous = json.dumps({PREVIOUS_FILTERS: context.applied()}, sort_keys=True, ensure_ascii=False)
        blocks.append({"text": previous})
    blocks.append({"text": question})
    return blocks


def _usage(response: ConverseResponseTypeDef) -> Usage:
    usage = response.get("usage", {})
    return Usage(
        int(usage.get("inputTokens", 0)),
        int(usage.get("outputTokens", 0)),
        int(usage.get("cacheReadInputTokens", 0)),
        int(usage.get("cacheWriteInputTokens", 0)),
    )


def _unmatched(raw: object) -> tuple[str, ...]:
    """The model's list of words it could not use, kept only as short printable one-line strings."""
    if not isinstance(raw, list):
        return ()
    words = (" ".join(word.split()) for word in raw if isinstance(word, str) and word.isprintable())
    return tuple(dict.fromkeys(word for word in words if 0 < len(word) <= MAX_TEXT))[:MAX_UNMATCHED]


def _tool_input(response: ConverseResponseTypeDef) -> Mapping[str, Any]:
    """The ``filter_pets`` input, wherever its block sits: Nova may write text or thinking first."""
    content: Sequence[ContentBlockOutputTypeDef] = (
        response.get("output", {}).get("message", {}).get("content", [])
    )
    for block in content:
        tool_use = block.get("toolUse")
        if tool_use is not None and tool_use.get("name") == TOOL_NAME:
            raw: object = tool_use.get("input")
            if not isinstance(raw, Mapping):
                log.warning("Bedrock tool input is not an object: %s", type(raw).__name__)
                raise ExtractionError("bad_tool_input", f"input is {type(raw).__name__}, not an object")
            return raw
    stop_reason = response.get("stopReason", "unknown")
    log.warning("Bedrock answered without calling %s (stopReason %s)", TOOL_NAME, stop_reason)
    raise ExtractionError("no_tool_call", f"stopReason {stop_reason}")
