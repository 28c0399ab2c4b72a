"""Who reads a question: auto asks Bedrock only when the keywords cannot use every word; bedrock
and keyword behave as they always did. Bedrock is a real client whose calls Stubber answers: a
call nobody expected fails the test."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botocore.stub import Stubber

from chalicelib.adapters.bedrock import BedrockExtractor
from chalicelib.adapters.stage_settings import Reader
from chalicelib.adapters.storage import MemoryPetStore
from chalicelib.domain.filters import PetFilters
from chalicelib.service.answering import PetQuestions
from chalicelib.service.readers import Why
from localdev.evaluate import routing_figures
from tests.support.bedrock import reply, tool_block


def questions(store: MemoryPetStore, client: Any, reader: Reader) -> PetQuestions:
    return PetQuestions(store, BedrockExtractor(client, cache_size=0), reader)


@pytest.mark.parametrize(
    "question",
    ["cheap dogs under $500, youngest first", "rabbits or guinea pigs", "cats but not Siamese", "Luna"],
)
def test_auto_answers_a_question_the_keywords_used_whole_without_bedrock(
    memory_store: MemoryPetStore, bedrock: tuple[Any, Stubber], question: str
) -> None:
    client, _ = bedrock  # nothing queued: a call to Bedrock would fail the test
    answer = questions(memory_store, client, "auto").answer(question, 5)
    assert answer.understanding.source == "keyword" and answer.understanding.reason == Why.CONFIDENT
    assert answer.understanding.fallback_reason is None


@pytest.mark.parametrize(
    ("question", "context", "reason", "model_says"),
    [
        ("quiet cats", None, Why.UNMATCHED_WORDS, {"type_filter": "cat", "unmatched": ["quiet"]}),
        ("do you have ponies?", None, Why.UNKNOWN_KIND, {"type_filter": "pony"}),
        ("chiwawa", None, Why.GUESSED_SPELLING, {"type_filter": "dog", "breed": "Chihuahua"}),
        ("birds please", {"exclude_types": ["bird"]}, Why.CONTEXT_CONFLICT, {"type_filter": "bird"}),
    ],
)
def test_auto_asks_bedrock_for_each_reason_to_doubt_the_keywords(
    memory_store: MemoryPetStore,
    bedrock: tuple[Any, Stubber],
    caplog: pytest.LogCaptureFixture,
    question: str,
    context: dict[str, Any] | None,
    reason: str,
    model_says: dict[str, Any],
) -> None:
    client, stubber = bedrock
    stubber.add_response("converse", reply(tool_block(model_says)))
    follows = PetFilters.model_validate(context) if context else None
    with caplog.at_level(logging.INFO):
        answer = questions(memory_store, client, "auto").answer(question, 5, context=follows)
    assert answer.understanding.source == "bedrock" and answer.understanding.reason == reason
    assert f"Answered by bedrock ({reason})" in caplog.text


def test_auto_keeps_the_keyword_reading_when_bedrock_fails(
    memory_store: MemoryPetStore, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    stubber.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    answer = questions(memory_store, client, "auto").answer("quiet cats", 5)
    understood = answer.understanding
    assert understood.source == "keyword" and understood.fallback_reason == "throttled"
    assert answer.body["filters"] == {"type_filter": "cat"} and answer.body["unmatched"] == ["quiet"]


def test_bedrock_reads_every_question_first(
    memory_store: MemoryPetStore, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    stubber.add_response("converse", reply(tool_block({"type_filter": "dog"})))
    answer = questions(memory_store, client, "bedrock").answer("dogs", 5)
    assert answer.understanding.source == "bedrock" and answer.understanding.reason == Why.MODEL_FIRST


def test_keyword_never_asks_bedrock(memory_store: MemoryPetStore, bedrock: tuple[Any, Stubber]) -> None:
    client, _ = bedrock
    answer = questions(memory_store, client, "keyword").answer("quiet cats", 5)
    assert answer.understanding.source == "keyword" and answer.understanding.reason == Why.KEYWORDS_ONLY


def test_a_word_the_model_used_as_a_kind_is_not_also_unmatched(
    memory_store: MemoryPetStore, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    stubber.add_response(
        "converse", reply(tool_block({"type_filter": "pony", "unmatched": ["ponies", "quiet"]}))
    )
    answer = questions(memory_store, client, "bedrock").answer("quiet ponies", 5).body
    assert answer["filters"] == {"type_filter": "pony"} and answer["unmatched"] == ["quiet"]


def test_the_rule_holds_on_the_labelled_corpus() -> None:
    figures = routing_figures()
    right = figures["auto_right_without_model"]
    good, asked = (int(number) for number in right.split()[0].split("/"))
    assert good / asked >= 0.98, f"what auto answers alone is right at least 98% of the time: {right}"
    share = figures["auto_answered_without_model"]
    confident, total = (int(number) for number in share.split()[0].split("/"))
    # the corpus is heavy with misspellings, unknown kinds and words no filter holds, on purpose
    assert confident / total >= 0.8, share
