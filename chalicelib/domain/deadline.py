"""One deadline per request: every call out gets only the time that is left."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]


class Deadline:
    """A moment on a monotonic clock by which the work it is given to must be done."""

    def __init__(self, at: float, clock: Clock = time.monotonic) -> None:
        self.at = at
        self._clock = clock

    @classmethod
    def after(cls, seconds: float, clock: Clock = time.monotonic) -> Deadline:
        return cls(clock() + seconds, clock)

    def left(self) -> float:
        """Seconds until the deadline; 0 once it has passed."""
        return max(0.0, self.at - self._clock())

    @property
    def passed(self) -> bool:
        return self._clock() >= self.at

    def earlier(self, seconds: float) -> Deadline:
        """The deadline ``seconds`` sooner: what must be done in time for something after it."""
        return Deadline(self.at - seconds, self._clock)
