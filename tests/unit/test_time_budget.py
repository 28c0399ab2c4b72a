"""One deadline per request, and a worst case that ends before Lambda's timeout and API Gateway's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.adapters import aws
from chalicelib.adapters.bedrock import MIN_SECONDS, TIMEOUTS, timeouts_within
from chalicelib.domain.deadline import Deadline
from chalicelib.service.answering import ANSWER_SECONDS, reads_deadline
from chalicelib.service.readers import KEYWORD_SECONDS
from tests.support.clock import FakeClock

CONFIG = json.loads((Path(__file__).resolve().parents[2] / ".chalice" / "config.json").read_text())
API_GATEWAY_SECONDS = 29  # REST APIs give up after 29 s, whatever the function does


def lambda_timeouts() -> dict[str, int]:
    default = CONFIG["lambda_timeout"]
    return {stage: settings.get("lambda_timeout", default) for stage, settings in CONFIG["stages"].items()}


@pytest.mark.parametrize("stage", sorted(lambda_timeouts()))
def test_the_worst_case_ends_before_the_lambda_timeout_and_that_before_api_gateways(stage: str) -> None:
    timeout = lambda_timeouts()[stage]
    assert timeout < API_GATEWAY_SECONDS
    clock = FakeClock(0)
    deadline = Deadline.after(timeout, clock)  # a fresh request: all of Lambda's time is left
    reads_by = reads_deadline(deadline)
    ask_by = reads_by.earlier(KEYWORD_SECONDS)
    bedrock = timeouts_within(ask_by.left())
    assert bedrock is not None, "Bedrock gets no time at all"
    # Bedrock at its worst, then the keyword parser, then reads until the last may start, the last
    # one at its worst, and the answer.
    worst = max(bedrock.worst_case + KEYWORD_SECONDS, reads_by.at) + aws.DYNAMODB.worst_case + ANSWER_SECONDS
    assert worst <= timeout
    assert bedrock.read >= 4  # Nova Micro answers in about a second: still room for a slow one


@pytest.mark.parametrize("seconds", [x / 4 for x in range(0, 120)])
def test_bedrocks_timeouts_always_fit_the_time_left(seconds: float) -> None:
    timeouts = timeouts_within(seconds)
    if seconds < MIN_SECONDS:
        return
    assert timeouts is not None and timeouts.worst_case <= seconds
    assert timeouts.worst_case <= TIMEOUTS.worst_case


def test_more_time_never_gives_bedrock_less() -> None:
    budgets = [timeouts_within(x / 2) for x in range(4, 60)]
    worst = [t.worst_case for t in budgets if t]
    assert worst == sorted(worst)


def test_a_deadline_counts_down_on_its_clock() -> None:
    clock = FakeClock()
    deadline = Deadline.after(10, clock)
    clock.advance(4)
    assert deadline.left() == 6 and not deadline.passed
    assert deadline.earlier(6).passed and deadline.earlier(6).left() == 0
    clock.advance(7)
    assert deadline.passed and deadline.left() == 0


def test_client_worst_cases_count_every_attempt_and_backoff() -> None:
    assert aws.Timeouts(2, 8, 2).worst_case == 2 * 10 + 1
    assert aws.Timeouts(1, 2, 3).worst_case == 3 * 3 + 1 + 2
    assert aws.DYNAMODB.worst_case == 7
