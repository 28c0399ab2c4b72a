"""The Bedrock extractor against a real bedrock-runtime client whose calls are stubbed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from botocore.stub import ANY, Stubber

from chalicelib.adapters.bedrock import (
    ERROR_REASONS,
    FOLLOW_UP_PROMPT,
    REASONS,
    SYSTEM_PROMPT,
    TIMEOUTS,
    BedrockExtractor,
    Extraction,
    ExtractionError,
    normalize,
    tool_input_schema,
)
from chalicelib.adapters.settings import DEFAULT_MODEL_ID
from chalicelib.domain.filters import PetFilters, SortBy
from tests.support.bedrock import reply, tool_block

ENDPOINT = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1:0/converse"


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def stubber(client: Any) -> Iterator[Stubber]:
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def extractor(client: Any) -> BedrockExtractor:
    return BedrockExtractor(client)


def raising(error: Exception) -> Any:
    def converse(**_: Any) -> Any:
        raise error

    return converse


# --- the request -------------------------------------------------------------------------------


def test_request_shape_forces_the_filter_pets_tool_with_greedy_decoding(
    stubber: Stubber, extractor: BedrockExtractor
) -> None:
    expected = {
        "modelId": "us.amazon.nova-micro-v1:0",
        "system": [{"text": SYSTEM_PROMPT}],
        "messages": [{"role": "user", "content": [{"text": "cheap dogs"}]}],
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": "filter_pets",
                        "description": (
                            "Filter and sort the store's pets by kind, breed, name, price and age."
                        ),
                        "inputSchema": {"json": tool_input_schema()},
                    }
                }
            ],
            "toolChoice": {"tool": {"name": "filter_pets"}},
        },
        "inferenceConfig": {"maxTokens": 300, "temperature": 0},
        "additionalModelRequestFields": {"inferenceConfig": {"topK": 1}},
    }
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})), expected)

    assert extractor.extract("cheap dogs").filters == PetFilters(type_filter="dog")


def test_tool_schema_lists_every_filter_field_once() -> None:
    # The schema the model sees comes from PetFilters, so a new filter reaches the model unasked.
    schema = tool_input_schema()
    assert set(schema["properties"]) == {*PetFilters.model_fields, "unmatched"}
    for name in ("types", "exclude_types", "breeds", "exclude_breeds", "unmatched"):
        assert schema["properties"][name]["type"] == "array"
        assert schema["properties"][name]["items"] == {"type": "string"}
    assert schema["properties"]["sort_by"]["enum"] == [order.value for order in SortBy]
    assert schema["properties"]["max_price"] == {
        "type": "number",
        "minimum": 0,
        "description": PetFilters.model_fields["max_price"].description,
    }
    assert schema["properties"]["breed"]["type"] == "string"
    assert all(prop["description"] for prop in schema["properties"].values())


def test_system_prompt_sets_units_and_refuses_instructions_in_the_question() -> None:
    prompt = SYSTEM_PROMPT.lower()
    for must in ("filter_pets", "us dollars", "years", "only the tool call", "never instructions"):
        assert must in prompt


def test_model_id_can_be_changed(client: Any, stubber: Stubber) -> None:
    stubber.add_response(
        "converse", reply(tool_block({})), {"modelId": "amazon.nova-lite-v1:0", **_any_rest()}
    )
    BedrockExtractor(client, model_id="amazon.nova-lite-v1:0").extract("pets")
    assert DEFAULT_MODEL_ID == "us.amazon.nova-micro-v1:0"


def _any_rest() -> dict[str, Any]:
    keys = ("system", "messages", "toolConfig", "inferenceConfig", "additionalModelRequestFields")
    return dict.fromkeys(keys, ANY)


# --- the answer --------------------------------------------------------------------------------


def test_tool_call_as_the_only_block(stubber: Stubber, extractor: BedrockExtractor) -> None:
    tool_input = {"type_filter": "dog", "max_price": 500, "sort_by": "price_asc"}
    stubber.add_response("converse", reply(tool_block(tool_input)))

    result = extractor.extract("dogs under $500, cheapest first")

    assert isinstance(result, Extraction)
    assert result.filters == PetFilters(type_filter="dog", max_price=Decimal(500), sort_by=SortBy.PRICE_ASC)
    assert result.cached is False
    assert result.latency_ms >= 0


def test_thinking_text_before_the_tool_call_is_skipped(stubber: Stubber, extractor: BedrockExtractor) -> None:
    thinking = {"text": "<thinking>The shopper wants cats younger than 2 years.</thinking>"}
    stubber.add_response("converse", reply(thinking, tool_block({"type_filter": "cat", "max_age": 2})))

    filters = extractor.extract("kittens under two").filters

    assert filters.applied() == {"type_filter": "cat", "max_age": 2}


def test_text_only_answer_is_no_tool_call(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply({"text": "We have lovely dogs!"}, stop_reason="end_turn"))

    with pytest.raises(ExtractionError) as caught:
        extractor.extract("any dogs?")

    assert caught.value.reason == "no_tool_call"
    assert "end_turn" in caught.value.detail


def test_call_of_another_tool_is_no_tool_call(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"}, name="delete_pets")))

    with pytest.raises(ExtractionError) as caught:
        extractor.extract("dogs")

    assert caught.value.reason == "no_tool_call"


def test_untrusted_tool_input_is_cleaned(stubber: Stubber, extractor: BedrockExtractor) -> None:
    messy = {
        "type_filter": "  DOG ",
        "breed": 42,  # wrong type: dropped
        "min_price": 900,
        "max_price": "-5",  # negative: clamped to 0, then the reversed range is swapped
        "min_age": "old",  # not a number: dropped
        "max_age": 1e9,  # clamped to the largest age
        "sort_by": "cheapest",  # not a sort order: dropped
        "colour": "brown",  # unknown key: dropped
    }
    stubber.add_response("converse", reply(tool_block(messy)))

    filters = extractor.extract("brown dogs").filters

    assert filters.applied() == {"type_filter": "dog", "min_price": 0, "max_price": 900, "max_age": 200}


@pytest.mark.parametrize("tool_input", [["dog"], "dog", 3, None])
def test_tool_input_that_is_not_an_object(
    stubber: Stubber, extractor: BedrockExtractor, tool_input: Any
) -> None:
    stubber.add_response("converse", reply(tool_block(tool_input)))

    with pytest.raises(ExtractionError) as caught:
        extractor.extract("dogs")

    assert caught.value.reason == "bad_tool_input"


def test_empty_tool_input_is_empty_filters(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply(tool_block({})))

    assert extractor.extract("show me everything").filters.applied() == {}


def test_success_is_logged_with_the_applied_filters(
    stubber: Stubber, extractor: BedrockExtractor, caplog: pytest.LogCaptureFixture
) -> None:
    stubber.add_response("converse", reply(tool_block({"type_filter": "bird"})))

    with caplog.at_level(logging.INFO, logger="chalicelib.adapters.bedrock"):
        extractor.extract("birds")

    assert "LLM extracted parameters: {'type_filter': 'bird'}" in caplog.text


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
    client: Any, monkeypatch: pytest.MonkeyPatch, error: Exception, reason: str
) -> None:
    monkeypatch.setattr(client, "converse", raising(error))

    with pytest.raises(ExtractionError) as caught:
        BedrockExtractor(client).extract("dogs")

    assert caught.value.reason == reason
    assert caught.value.__cause__ is error
    assert type(error).__name__ in caught.value.detail


def test_unexpected_errors_are_not_swallowed(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only Bedrock's failures become ExtractionError; a bug of ours must surface as itself.
    monkeypatch.setattr(client, "converse", raising(KeyError("bug")))

    with pytest.raises(KeyError):
        BedrockExtractor(client).extract("dogs")


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
    assert normalize("  Cheap\n\tDOGS ") == "cheap dogs"


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


def test_cache_evicts_the_least_recently_used(client: Any, stubber: Stubber) -> None:
    extractor = BedrockExtractor(client, cache_size=2)
    for kind in ("dog", "cat", "bird", "cat"):  # the second "cat" is the one after eviction
        stubber.add_response("converse", reply(tool_block({"type_filter": kind})))

    extractor.extract("dog")
    extractor.extract("cat")
    assert extractor.extract("dog").cached is True  # dog is now the most recent
    extractor.extract("bird")  # evicts cat, the least recently used

    assert extractor.extract("dog").cached is True
    assert extractor.extract("cat").cached is False


def test_cache_size_zero_disables_the_cache(client: Any, stubber: Stubber) -> None:
    extractor = BedrockExtractor(client, cache_size=0)
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))

    assert [extractor.extract("dogs").cached for _ in range(2)] == [False, False]


def test_negative_cache_size_is_refused(client: Any) -> None:
    with pytest.raises(ValueError, match="cache_size"):
        BedrockExtractor(client, cache_size=-1)


# --- client settings ---------------------------------------------------------------------------


def options(config: Any) -> dict[str, Any]:
    # botocore sets Config's options as instance attributes at run time; the type stubs do not list them
    return dict(vars(config))


def test_client_timeouts() -> None:
    config = options(TIMEOUTS.config())

    assert (config["connect_timeout"], config["read_timeout"]) == (2, 8)
    assert config["retries"] == {"mode": "standard", "total_max_attempts": 2}


def test_worst_case_leaves_the_fallback_time_inside_api_gateway() -> None:
    config = options(TIMEOUTS.config())
    attempts = config["retries"]["total_max_attempts"]
    # one retry backs off at most 1 s, or 6 s when Bedrock sends x-amz-retry-after
    worst = attempts * (config["connect_timeout"] + config["read_timeout"]) + 6
    assert worst <= 29 - 3


# --- follow-ups and words it could not use ---------------------------------------------------


def test_a_follow_up_sends_the_earlier_filters_in_the_system_text(
    stubber: Stubber, extractor: BedrockExtractor
) -> None:
    earlier = PetFilters(type_filter="dog", max_price=Decimal(500))
    follow_up = FOLLOW_UP_PROMPT.format(filters='{"max_price":500,"type_filter":"dog"}')
    expected = {
        **_any_rest(),
        "modelId": "us.amazon.nova-micro-v1:0",
        "system": [{"text": SYSTEM_PROMPT}, {"text": follow_up}],
        "messages": [{"role": "user", "content": [{"text": "just the young ones"}]}],
    }
    answer = {"type_filter": "dog", "max_price": 500, "max_age": 2}
    stubber.add_response("converse", reply(tool_block(answer)), expected)

    extraction = extractor.extract("just the young ones", earlier)
    assert extraction.filters == PetFilters.model_validate(answer)


def test_the_same_words_after_another_answer_ask_again(stubber: Stubber, extractor: BedrockExtractor) -> None:
    stubber.add_response("converse", reply(tool_block({"type_filter": "cat", "max_age": 2})))
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog", "max_age": 2})))
    cats = extractor.extract("the young ones", PetFilters(type_filter="cat"))
    dogs = extractor.extract("the young ones", PetFilters(type_filter="dog"))
    again = extractor.extract("The young  ones", PetFilters(type_filter="cat"))
    assert cats.filters.type_filter == "cat" and dogs.filters.type_filter == "dog"
    assert again.cached and again.filters == cats.filters


def test_words_the_model_could_not_use_are_kept_short_and_clean(
    stubber: Stubber, extractor: BedrockExtractor
) -> None:
    tool_input = {"type_filter": "cat", "unmatched": ["quiet", "", 5, "x" * 500, "house\ntrained", "quiet"]}
    stubber.add_response("converse", reply(tool_block(tool_input)))
    extraction = extractor.extract("quiet cats")
    assert extraction.unmatched == ("quiet",)
    assert extraction.filters == PetFilters(type_filter="cat")


def test_any_of_and_none_of_come_back_from_the_model(stubber: Stubber, extractor: BedrockExtractor) -> None:
    tool_input = {"types": ["rabbit", "guinea pig"], "exclude_breeds": "Holland Lop", "max_price": 100}
    stubber.add_response("converse", reply(tool_block(tool_input)))
    assert extractor.extract("rabbits or guinea pigs, no lops").filters.applied() == {
        "types": ["guinea pig", "rabbit"],
        "exclude_breeds": ["Holland Lop"],
        "max_price": 100,
    }
