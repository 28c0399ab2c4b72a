"""When AWS is slow or failing: DynamoDB throttled mid-page, Bedrock slower than the deadline, Bedrock
failing until the circuit breaker opens and later closes. Time is a fake clock, moved by the fakes."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.stub import Stubber

from chalicelib.adapters import aws
from chalicelib.adapters.aws import Timeouts
from chalicelib.adapters.bedrock import BedrockExtractor, CircuitBreaker
from chalicelib.adapters.storage import PetStore
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.errors import ServiceUnavailable
from chalicelib.service.answering import ANSWER_SECONDS, PetQuestions
from infra.seed import sample_pets
from tests.support.bedrock import reply, tool_block
from tests.support.clock import FakeClock

THROTTLED = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}


class ThrottledAfter:
    """Wraps a table's query: calls numbered in ``failing`` are throttled."""

    def __init__(self, table: Any, failing: set[int]) -> None:
        self.query = table.query
        self.failing = failing
        self.calls = 0

    def __call__(self, **request: Any) -> Any:
        self.calls += 1
        if self.calls in self.failing:
            raise ClientError(THROTTLED, "Query")
        return self.query(**request)


def test_dynamodb_throttled_mid_page_answers_what_it_read_and_show_more_goes_on(
    store: PetStore, table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    throttled = ThrottledAfter(table, failing={3})
    monkeypatch.setattr(table, "query", throttled)
    questions = PetQuestions(store, None)
    first = questions.answer("cats or dogs, cheapest first", 8)
    assert 0 < len(first.body["pets"]) < 8 and first.resume is not None
    prices = [pet["price"] for pet in first.body["pets"]]
    assert prices == sorted(prices)
    seen = list(first.body["pets"])
    resume = first.resume
    while resume is not None:
        page = questions.answer("cats or dogs, cheapest first", 8, resume)
        seen += page.body["pets"]
        resume = page.resume
    wanted = sorted(p["id"] for p in sample_pets() if p["type"] in ("cat", "dog"))
    assert sorted(pet["id"] for pet in seen) == wanted
    assert [pet["price"] for pet in seen] == sorted(pet["price"] for pet in seen)


def test_dynamodb_throttled_before_anything_was_read_is_a_503(
    store: PetStore, table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table, "query", ThrottledAfter(table, failing={1, 2, 3, 4, 5}))
    with pytest.raises(ServiceUnavailable, match="retry"):
        PetQuestions(store, None).answer("cats", 5)


class SlowBedrock:
    """A bedrock-runtime client that never answers: each attempt waits out its timeouts."""

    def __init__(self, clock: FakeClock, timeouts: Timeouts) -> None:
        self.clock = clock
        self.timeouts = timeouts
        self.calls = 0

    def converse(self, **_: Any) -> Any:
        self.calls += 1
        self.clock.advance(self.timeouts.worst_case)
        raise ReadTimeoutError(endpoint_url="https://bedrock-runtime.us-east-1.amazonaws.com")


def test_bedrock_slower_than_the_deadline_still_leaves_the_keyword_answer_its_time(
    store: PetStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    made: list[SlowBedrock] = []

    def clients(timeouts: Timeouts) -> Any:
        made.append(SlowBedrock(clock, timeouts))
        return made[-1]

    default = SlowBedrock(clock, aws.Timeouts(2, 8, 2))
    extractor = BedrockExtractor(default, clients=clients)  # type: ignore[arg-type]
    deadline = Deadline.after(25, clock)  # a fresh 25 s Lambda
    with caplog.at_level(logging.WARNING):
        answer = PetQuestions(store, extractor, "bedrock").answer("dogs under $500", 5, deadline=deadline)
    assert answer.understanding.source == "keyword" and answer.understanding.fallback_reason == "timeout"
    assert answer.body["pets"] and answer.body["filters"] == {"type_filter": "dog", "max_price": 500}
    # Bedrock got timeouts that fit what the reads leave it, and took all of them...
    assert default.calls == 0 and [client.calls for client in made] == [1]
    assert made[0].timeouts.worst_case <= 25 - aws.DYNAMODB.worst_case - ANSWER_SECONDS
    # ...and the answer still had its worst-case read and its sending in hand.
    assert clock() + aws.DYNAMODB.worst_case + ANSWER_SECONDS <= deadline.at


def test_with_too_little_time_left_bedrock_is_not_asked(store: PetStore) -> None:
    clock = FakeClock()
    never = SlowBedrock(clock, aws.Timeouts(2, 8, 2))
    extractor = BedrockExtractor(never, clients=lambda t: never)  # type: ignore[arg-type]
    deadline = Deadline.after(aws.DYNAMODB.worst_case + 2, clock)
    answer = PetQuestions(store, extractor, "bedrock").answer("cats", 5, deadline=deadline)
    assert answer.understanding.fallback_reason == "deadline" and never.calls == 0
    assert answer.body["pets"]


def test_bedrock_failing_opens_the_breaker_then_a_probe_closes_it(
    store: PetStore, bedrock: tuple[Any, Stubber], caplog: pytest.LogCaptureFixture
) -> None:
    client, stubber = bedrock
    clock = FakeClock()
    breaker = CircuitBreaker(failures=3, cool_down=30, clock=clock)
    questions = PetQuestions(store, BedrockExtractor(client, cache_size=0, breaker=breaker), "bedrock")
    for _ in range(3):
        stubber.add_client_error(
            "converse", service_error_code="ServiceUnavailableException", http_status_code=503
        )
    reasons = [questions.answer("birds", 5).understanding.fallback_reason for _ in range(3)]
    assert reasons == ["service_error"] * 3 and breaker.state == "open"
    with caplog.at_level(logging.WARNING):
        skipped = questions.answer("cats", 5)  # no call: the stubber has nothing queued
    assert skipped.understanding.fallback_reason == "circuit_open" and skipped.body["pets"]
    assert "circuit_open" in caplog.text
    clock.advance(30)
    stubber.add_response("converse", reply(tool_block({"type_filter": "cat"})))
    probed = questions.answer("cats", 5)
    assert probed.understanding.source == "bedrock" and breaker.state == "closed"


def test_a_model_answering_oddly_does_not_open_the_breaker(
    store: PetStore, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    breaker = CircuitBreaker(failures=2, cool_down=30, clock=FakeClock())
    questions = PetQuestions(store, BedrockExtractor(client, cache_size=0, breaker=breaker), "bedrock")
    for _ in range(3):
        stubber.add_response("converse", reply({"text": "I'd rather chat"}, stop_reason="end_turn"))
    for _ in range(3):
        assert questions.answer("birds", 5).understanding.fallback_reason == "no_tool_call"
    assert breaker.state == "closed"
