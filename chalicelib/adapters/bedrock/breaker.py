"""A circuit breaker for Bedrock, per warm container: after repeated failures, skip it for a while.

Closed, every question goes to Bedrock. After ``failures`` outages in a row (errors or timeouts,
not a model's odd answer) it opens: for ``cool_down`` seconds questions go straight to the keyword
parser, with no wait. Then one question probes Bedrock (half open): a success closes the breaker,
a failure opens it again. State lives in the container, so each warm Lambda learns on its own;
that costs at most ``failures`` slow questions per container, and needs no shared store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]
FAILURES_TO_OPEN = 3
COOL_DOWN_SECONDS = 30.0


class CircuitBreaker:
    def __init__(
        self,
        failures: int = FAILURES_TO_OPEN,
        cool_down: float = COOL_DOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1 or cool_down <= 0:
            raise ValueError("failures must be >= 1 and cool_down > 0")
        self._failures_to_open = failures
        self._cool_down = cool_down
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self._cool_down:
            return "open"
        return "half_open"

    def allow(self) -> bool:
        """Whether a call may go to Bedrock now; half open, only the one probe may."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self._probing:
                self._probing = True
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            self._failures, self._opened_at, self._probing = 0, None, False

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self._failures_to_open:
                self._opened_at, self._probing = self._clock(), False
