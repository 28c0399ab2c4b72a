"""Metrics in Embedded Metric Format, flushed per request, and JSON log lines with the request id."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

import app as petstore
from chalicelib.adapters import telemetry
from chalicelib.adapters.auth import User


def emf_blobs(text: str) -> list[dict[str, Any]]:
    blobs = []
    for line in text.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            blobs.append(json.loads(line))
    return blobs


def metric_names(blob: dict[str, Any]) -> set[str]:
    return {
        metric["Name"] for directive in blob["_aws"]["CloudWatchMetrics"] for metric in directive["Metrics"]
    }


def dimensions(blob: dict[str, Any]) -> list[list[str]]:
    return [names for directive in blob["_aws"]["CloudWatchMetrics"] for names in directive["Dimensions"]]


@pytest.fixture(autouse=True)
def fresh_metrics() -> Iterator[None]:
    telemetry.metrics.clear_metrics()
    yield
    telemetry.metrics.clear_metrics()


class RecordingStore:
    """Stands in for PetStore: records a question while the request is being answered."""

    def listing(self, limit: int, start: dict[str, Any] | None) -> Any:
        telemetry.record_query("keyword", "timeout", 8012.5, items_read=7, cut_short=True)
        return type("Page", (), {"pets": [], "last_key": None})()


def test_a_request_through_the_app_prints_its_metrics_when_it_ends(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(petstore, "current_user", lambda: User("shopper", frozenset()))
    monkeypatch.setattr(petstore, "pet_store", RecordingStore)
    with Client(petstore.app, stage_name="local") as client:
        response = client.http.get("/pets")
    assert response.status_code == 200
    blobs = emf_blobs(capsys.readouterr().out)
    request_set = next(blob for blob in blobs if "ItemsRead" in metric_names(blob))
    assert request_set["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "PetStore"
    assert metric_names(request_set) == {
        "Queries",
        "Fallbacks",
        "ItemsRead",
        "PagesCutShort",
        "BedrockLatency",
    }
    assert request_set["ItemsRead"] == [7.0] and request_set["Fallbacks"] == [1.0]
    assert request_set["PagesCutShort"] == [1.0]
    assert request_set["BedrockLatency"] == [8012.5]
    assert dimensions(request_set) == [["service"]]
    by_source = [b for b in blobs if ["service", "Source"] in dimensions(b)]
    by_reason = [b for b in blobs if ["service", "Reason"] in dimensions(b)]
    assert [(b["Source"], b["Queries"]) for b in by_source] == [("keyword", [1.0])]
    assert [(b["Reason"], b["Fallbacks"]) for b in by_reason] == [("timeout", [1.0])]
    # Flushed, so the next request starts from an empty set.
    assert not telemetry.metrics.provider.metric_set


def test_a_request_that_records_nothing_prints_no_metrics(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(petstore, "current_user", lambda: User("shopper", frozenset()))
    monkeypatch.setattr(petstore, "pet_store", lambda: type("S", (), {"get": lambda self, _: {"id": "1"}})())
    with Client(petstore.app, stage_name="local") as client:
        assert client.http.get("/pets/1").status_code == 200
    assert emf_blobs(capsys.readouterr().out) == []


def test_a_bedrock_answer_counts_no_fallback(capsys: pytest.CaptureFixture[str]) -> None:
    telemetry.record_query("bedrock", None, 640.0, items_read=3)
    telemetry.metrics.flush_metrics()
    blobs = emf_blobs(capsys.readouterr().out)
    assert not [b for b in blobs if ["service", "Reason"] in dimensions(b)]
    request_set = next(blob for blob in blobs if "ItemsRead" in metric_names(blob))
    assert request_set["Fallbacks"] == [0.0] and request_set["Queries"] == [1.0]


def test_an_unknown_source_is_refused() -> None:
    with pytest.raises(ValueError, match="source"):
        telemetry.record_query("guess", None, None, items_read=0)


def test_log_lines_are_json_with_the_request_id() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("tests.telemetry.json")
    logger.setLevel(logging.INFO)
    telemetry.use_json_logs([logger], stream=stream, force=True)
    event = type(
        "Event", (), {"lambda_context": type("Ctx", (), {"aws_request_id": "req-42"})(), "context": {}}
    )()

    def answer(_: Any) -> str:
        logger.info("inside the request")
        return "done"

    assert telemetry.around_request(event, answer) == "done"
    logger.info("after the request")
    inside, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["message"] == "inside the request" and inside["request_id"] == "req-42"
    assert inside["service"] == "petstore" and inside["level"] == "INFO"
    assert "request_id" not in after


def test_outside_lambda_the_loggers_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    logger = logging.getLogger("tests.telemetry.plain")
    telemetry.use_json_logs([logger])
    assert logger.handlers == [] and logger.propagate
