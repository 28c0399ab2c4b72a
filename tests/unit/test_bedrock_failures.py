"""How the Bedrock extractor fails and remembers: every error a reason, and a cache of answers."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from botocore.stub import Stubber

from chalicelib.adapters.bedrock import (
    ERROR_REASONS,
    REASONS,
    BedrockExtractor,
    ExtractionError,
)
from chalicelib.domain.plain_text import question_words
from tests.support.bedrock import reply, tool_block

ENDPOINT = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1:0/converse"


def raising(error: Exception) -> Any:
    def converse(**_: Any) -> Any:
        raise error

    return converse


# --- service errors ----------------------------------------------------------------------------

SERVICE_ERRORS = [
    ("ThrottlingException", 429, "throttled"),
    ("ModelNotReadyException", 429, "model_not_ready"),
    ("InternalServerException", 500, "service_error"),
    ("ServiceUnavailableException", 503, "service_error"),
    ("ModelTimeoutException", 408, "model_timeout"),
    ("ModelErrorException", 424, "model_error"),
    ("ValidationException", 400, "invalid_request"),
    ("AccessDeniedException", 403, "access_denied"),
    ("ResourceNotFoundException", 404, "model_not_found"),
    ("SomethingNewException", 500, "service_error"),
]


@pytest.mark.parametrize(("code", "status", "reason"), SERVICE_ERRORS)
def test_service_error_maps_to_its_reason(
    stubber: Stubber,
    extractor: BedrockExtractor,
    caplog: pytest.LogCaptureFixture,
    code: str,
    status: int,
    reason: str,
) -> None:
    stubber.add_client_error(
        "converse", service_error_code=code, service_message="it went wrong", http_status_code=status
    )

    with (
        caplog.at_level(logging.WARNING, logger="chalicelib.adapters.bedrock"),
        pytest.raises(ExtractionError) as caught,
    ):
        extractor.extract("dogs")

    assert caught.value.reason == reason
    assert caught.value.detail == f"{code}: it went wrong"
    assert f"{code}: it went wrong" in caplog.text


def test_every_documented_error_code_is_mapped() -> None:
    assert {code for code, _, _ in SERVICE_ERRORS[:-1]} == set(ERROR_REASONS)
    assert set(ERROR_REASONS.values()) <= set(REASONS)


# --- transport errors (Stubber cannot raise these, so converse itself is replaced) --------------


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ConnectTimeoutError(endpoint_url=ENDPOINT), "timeout"),
        (ReadTimeoutError(endpoint_url=ENDPOINT), "timeout"),
        (EndpointConnectionError(endpoint_url=ENDPOINT), "unreachable"),
        (ConnectionClosedError(endpoint_url=ENDPOINT), "unreachable"),
        (NoCredentialsError(), "credentials"),
        (ParamValidationError(report="Unknown parameter"), "invalid_request"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value,
)
def test_transport_error_maps_to_its_reason(
    bedrock_runtime: Any, monkeypatch: pytest.MonkeyPatch, error: Exception, reason: str
) -> None:
    monkeypatch.setattr(bedrock_runtime, "converse", raising(error))

    with pytest.raises(ExtractionError) as caught:
        BedrockExtractor(bedrock_runtime).extract("dogs")

    assert caught.value.reason == reason
    assert caught.value.__cause__ is error
    assert type(error).__name__ in caught.value.detail


def test_unexpected_errors_are_not_swallowed(bedrock_runtime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only Bedrock's failures become ExtractionError; a bug of ours must surface as itself.
    monkeypatch.setattr(bedrock_runtime, "converse", raising(KeyError("bug")))

    with pytest.raises(KeyError):
        BedrockExtractor(bedrock_runtime).extract("dogs")


def test_extraction_error_carries_reason_and_detail() -> None:
    error = ExtractionError("throttled", "ThrottlingException: slow down")
    assert (error.reason, error.detail, str(error)) == (
        "throttled",
        "ThrottlingException: slow down",
        "throttled: ThrottlingException: slow down",
    )


# --- the cache ---------------------------------------------------------------------------------


def test_same_question_twice_calls_bedrock_once(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))  # one response only

    first = extractor.extract("cheap dogs")
    second = extractor.extract("cheap dogs")

    assert (first.cached, second.cached) == (False, True)
    assert second.filters == first.filters
    assert second.latency_ms == 0.0


def test_spacing_and_case_do_not_miss_the_cache(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))

    extractor.extract("cheap dogs")
    again = extractor.extract("  Cheap\n\tDOGS ")

    assert again.cached is True
    assert question_words("  Cheap\n\tDOGS ") == "cheap dogs"


def test_a_failure_is_not_cached(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_response("converse", reply(tool_block({"type_filter": "cat"})))

    with pytest.raises(ExtractionError):
        extractor.extract("cats")
    retry = extractor.extract("cats")

    assert retry.cached is False
    assert retry.filters.type_filter == "cat"


def test_bad_answer_is_not_cached(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply({"text": "Hello!"}, stop_reason="end_turn"))
    stubber.add_response("converse", reply(tool_block({"type_filter": "fish"})))

    with pytest.raises(ExtractionError):
        extractor.extract("fish")

    assert extractor.extract("fish").cached is False


def test_cache_evicts_the_least_recently_used(bedrock_runtime: Any, stubber: Stubber) -> None:
    extractor = BedrockExtractor(bedrock_runtime, cache_size=2)
    for kind in ("dog", "cat", "bird", "cat"):  # the second "cat" is the one after eviction
        stubber.add_response("converse", reply(tool_block({"type_filter": kind})))

    extractor.extract("dog")
    extractor.extract("cat")
    assert extractor.extract("dog").cached is True  # dog is now the most recent
    extractor.extract("bird")  # evicts cat, the least recently used

    assert extractor.extract("dog").cached is True
    assert extractor.extract("cat").cached is False


def test_cache_size_zero_disables_the_cache(bedrock_runtime: Any, stubber: Stubber) -> None:
    extractor = BedrockExtractor(bedrock_runtime, cache_size=0)
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))

    assert [extractor.extract("dogs").cached for _ in range(2)] == [False, False]


def test_negative_cache_size_is_refused(bedrock_runtime: Any) -> None:
    with pytest.raises(ValueError, match="cache_size"):
        BedrockExtractor(bedrock_runtime, cache_size=-1)
