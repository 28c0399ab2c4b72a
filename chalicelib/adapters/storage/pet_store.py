"""What the service needs of a pet store, whatever holds the pets: the interface and its answers.

Two stores keep it: DynamoDB (``dynamodb_store``), and a dict in memory (``memory_store``) that the
service's unit tests and the offline evaluation use; one contract test suite runs over both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.pets import NewPet
from chalicelib.domain.selection import Source
from chalicelib.domain.stock import Stock

# Items one request may read, whatever it asks and whatever its limit: the name look-up, the
# answer's page and its suggestions share them. Past it, the page ends with what it found.
MAX_ITEMS_READ = 1000

# Where each of a question's streams goes on: the keys of the last item it handed out.
Positions = dict[str, dict[str, Any]]


class ReadBudget:
    """How much a request may still read: ``items`` in all, and no read started after ``deadline``.

    :meth:`part` hands a piece of it to one read (a suggestion's check), which can spend no more
    than its piece and no more than what the whole has left.
    """

    def __init__(
        self, items: int = MAX_ITEMS_READ, deadline: Deadline | None = None, whole: ReadBudget | None = None
    ) -> None:
        self.items = items
        self.deadline = deadline
        self.spent = 0
        self._whole = whole

    @property
    def remaining(self) -> int:
        """Items that may still be read."""
        mine = self.items - self.spent
        return min(mine, self._whole.remaining) if self._whole is not None else mine

    @property
    def left(self) -> bool:
        """Whether another read may start."""
        return self.remaining > 0 and (self.deadline is None or not self.deadline.passed)

    def charge(self, items: int) -> None:
        self.spent += items
        if self._whole is not None:
            self._whole.charge(items)

    def part(self, items: int) -> ReadBudget:
        """A piece of this budget of at most ``items``."""
        return ReadBudget(min(items, max(self.remaining, 0)), self.deadline, whole=self)


@dataclass(frozen=True)
class Found:
    """One page of a question's pets; ``positions`` is None when nothing is left to read."""

    pets: list[dict[str, Any]]
    positions: Positions | None
    items_read: int
    cut_short: bool = False


@dataclass(frozen=True)
class Page:
    """A page of the listing, and the key the next page starts after (None at the end)."""

    pets: list[dict[str, Any]]
    last_key: dict[str, Any] | None
    items_read: int


class PetStore(Protocol):
    """The pets as the request path reads and adds them. Pages start and end at opaque positions
    the store makes; turning them into tokens a client may hold is the caller's business."""

    def add(self, pet: NewPet) -> dict[str, Any]:
        """Stores ``pet`` under a new id, counted in the stock at once; the stored pet."""
        ...

    def get(self, pet_id: str) -> dict[str, Any]:
        """The pet with ``pet_id``; NotFound when there is none."""
        ...

    def listing(self, limit: int, start: Mapping[str, Any] | None = None) -> Page:
        """A page of all pets in the store's own stable order, after ``start``."""
        ...

    def stock(self) -> Stock:
        """How many pets of each type and breed the store holds."""
        ...

    def existing_names(self, candidates: Iterable[str], budget: ReadBudget) -> list[str]:
        """The names, as the store spells them, of ``candidates`` some pet is called."""
        ...

    def query(
        self, filters: PetFilters, sources: Iterable[Source], limit: int, positions: Positions | None = None,
        budget: ReadBudget | None = None,
    ) -> Found:  # fmt: skip
        """Up to ``limit`` pets of ``sources`` that ``filters`` take in, in the question's order
        (``selection.order_of``), from ``positions`` (an earlier page's) on."""
        ...
