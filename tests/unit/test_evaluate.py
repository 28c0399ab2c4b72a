"""The evaluation any deployer can run: offline, the model is a stand-in that answers with the labels,
so the figures measure the readers' routing and the service around them."""

from __future__ import annotations

import pytest

from localdev import evaluate


def test_auto_asks_the_stand_in_only_for_what_the_keywords_doubt(capsys: pytest.CaptureFixture[str]) -> None:
    bedrock, played, labels = evaluate.extractor("stand-in", "us.amazon.nova-micro-v1:0", "us-east-1")
    assert played is not None
    tally = evaluate.evaluate("auto", bedrock, labels)
    asked_for_singles = tally.questions - tally.without_model
    assert 0 < asked_for_singles <= played.calls, "every question not answered alone went to the model"
    assert tally.right >= 0.99 * tally.questions and tally.sessions_right == tally.sessions
    figures = evaluate.figures(tally, "us.amazon.nova-micro-v1:0", model_asked=False)
    assert float(figures["usd_per_1000_questions"]) > 0 and figures["p95_ms"]


def test_the_keyword_reader_never_asks_and_costs_nothing() -> None:
    tally = evaluate.evaluate("keyword", None)
    assert tally.without_model == tally.questions
    assert (
        evaluate.figures(tally, "us.amazon.nova-micro-v1:0", model_asked=False)["usd_per_1000_questions"]
        == "0.0000"
    )


def test_a_model_without_a_published_price_says_so() -> None:
    assert (
        evaluate.figures(evaluate.Tally(questions=1, seconds=[0.001]), "acme.model", False)[
            "usd_per_1000_questions"
        ]
        == "unknown price"
    )
