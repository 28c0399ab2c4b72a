"""Structured logs and CloudWatch metrics (Embedded Metric Format) for each request."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import IO, Any, Final

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics import MetricUnit, single_metric

# Deployed stages name themselves (petstore-dev, petstore-prod) so their metrics stay apart.
SERVICE: Final = os.environ.get("POWERTOOLS_SERVICE_NAME") or "petstore"
# The namespace and names the fallback-rate alarm (infra/resources/alarms.py) reads.
NAMESPACE: Final = "PetStore"
QUERIES: Final = "Queries"
FALLBACKS: Final = "Fallbacks"
BEDROCK_LATENCY: Final = "BedrockLatency"
ITEMS_READ: Final = "ItemsRead"
# 0 or 1 per question: its page ended early (read budget, deadline, or DynamoDB failing mid-page).
CUT_SHORT: Final = "PagesCutShort"
SOURCES: Final = ("bedrock", "keyword")


# One metric set per request, dimension {service}: flushed by around_request when the request ends.
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
_formatter = LambdaPowertoolsFormatter(service=SERVICE)


def record_query(
    source: str,
    fallback_reason: str | None,
    bedrock_latency_ms: float | None,
    items_read: int,
    cut_short: bool = False,
    reason: str | None = None,
) -> None:
    """Counts one answered question: which reader answered and why, why Bedrock did not, latency,
    reads. The ``Reader`` dimension is "<source>:<why>" (keyword:confident, bedrock:unmatched_words,
    keyword:throttled, ...)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    metrics.add_metric(name=QUERIES, unit=MetricUnit.Count, value=1)
    if source == "bedrock" or fallback_reason:
        # 0 or 1 per question Bedrock was asked, so the average over a period is the share of
        # Bedrock's questions the keywords had to answer: the fallback rate the alarm watches.
        metrics.add_metric(name=FALLBACKS, unit=MetricUnit.Count, value=1 if fallback_reason else 0)
    metrics.add_metric(name=ITEMS_READ, unit=MetricUnit.Count, value=items_read)
    metrics.add_metric(name=CUT_SHORT, unit=MetricUnit.Count, value=1 if cut_short else 0)
    if bedrock_latency_ms is not None:
        metrics.add_metric(name=BEDROCK_LATENCY, unit=MetricUnit.Milliseconds, value=bedrock_latency_ms)
    # A metric set shares its dimensions, so the per-source and per-reason counts go out on their own.
    _count(QUERIES, "Source", source)
    _count(QUERIES, "Reader", f"{source}:{fallback_reason or reason or 'unknown'}")
    if fallback_reason:
        _count(FALLBACKS, "Reason", fallback_reason)


def _count(name: str, dimension: str, value: str) -> None:
    with single_metric(
        name=name,
        unit=MetricUnit.Count,
        value=1,
        namespace=NAMESPACE,
        default_dimensions={"service": SERVICE},
    ) as metric:
        metric.add_dimension(name=dimension, value=value)


def around_request(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware body: tags the request's log lines with its ids, flushes its metrics."""
    context = getattr(event, "lambda_context", None)
    request_context = getattr(event, "context", None)
    _formatter.append_keys(
        request_id=getattr(context, "aws_request_id", None),
        api_request_id=request_context.get("requestId") if isinstance(request_context, dict) else None,
    )
    try:
        return get_response(event)
    finally:
        # Lambda may freeze the container right after answering: what is not printed now is lost.
        if metrics.provider.metric_set:
            metrics.flush_metrics()
        _formatter.remove_keys(["request_id", "api_request_id"])


def use_json_logs(
    loggers: Iterable[logging.Logger], stream: IO[str] | None = None, force: bool = False
) -> None:
    """In Lambda (or when forced), the given loggers write one JSON object a line, with the request ids.

    Left alone elsewhere, so local runs stay readable and pytest still captures the lines.
    """
    if not (force or os.environ.get("AWS_LAMBDA_FUNCTION_NAME")):
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_formatter)
    for logger in loggers:
        logger.handlers = [handler]
        # The Lambda runtime's root handler would print every line a second time, as plain text.
        logger.propagate = False
