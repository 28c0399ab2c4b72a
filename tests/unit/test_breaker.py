"""The Bedrock circuit breaker: opens after repeated outages, lets one probe through, closes again."""

from __future__ import annotations

import pytest

from chalicelib.adapters.bedrock import CircuitBreaker
from tests.support.clock import FakeClock


def test_it_opens_after_repeated_failures_and_stays_open_for_its_cool_down() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failures=3, cool_down=30, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.failed()
    assert breaker.state == "closed" and breaker.allow()
    breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    clock.advance(29.9)
    assert not breaker.allow()


def test_after_its_cool_down_one_probe_goes_through_and_a_success_closes_it() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failures=1, cool_down=30, clock=clock)
    breaker.failed()
    clock.advance(30)
    assert breaker.state == "half_open"
    assert breaker.allow() and not breaker.allow()  # one probe at a time
    breaker.succeeded()
    assert breaker.state == "closed" and breaker.allow() and breaker.allow()


def test_a_failed_probe_opens_it_again_for_a_whole_cool_down() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failures=3, cool_down=30, clock=clock)
    for _ in range(3):
        breaker.failed()
    clock.advance(31)
    assert breaker.allow()
    breaker.failed()  # one failed probe is enough, whatever the count
    assert breaker.state == "open"
    clock.advance(29)
    assert not breaker.allow()


def test_a_success_forgets_earlier_failures() -> None:
    breaker = CircuitBreaker(failures=2, cool_down=30, clock=FakeClock())
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    assert breaker.state == "closed"


@pytest.mark.parametrize(("failures", "cool_down"), [(0, 30), (3, 0)])
def test_settings_that_make_no_sense_are_refused(failures: int, cool_down: float) -> None:
    with pytest.raises(ValueError, match="failures"):
        CircuitBreaker(failures=failures, cool_down=cool_down)
