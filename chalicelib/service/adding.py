"""Adding a pet: in the store's own words, written once, and once only for a retried Idempotency-Key.

An add sent with an ``Idempotency-Key`` is remembered for a day under the key and its sender
(Powertools' idempotency utility, its records in a DynamoDB table of their own): the same key from
the same person again stores nothing new and answers what the first add answered; the same key
with another pet is refused. Without a key, every add stores a pet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

from chalicelib.adapters.storage import PetStore
from chalicelib.domain.errors import Conflict, KeyReused, ServiceUnavailable
from chalicelib.domain.pets import NewPet
from chalicelib.language.vocabulary import canonical_type

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import BasePersistenceLayer, IdempotentHookFunction
    from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

log = logging.getLogger(__name__)

# How long an Idempotency-Key is remembered.
KEY_TTL_SECONDS: Final = 24 * 3600
CREATED: Final = 201


@dataclass(frozen=True)
class Added:
    """What an add answers: its status, the pet, and whether it repeats an earlier answer."""

    status: int
    pet: dict[str, Any]
    replayed: bool = False


class PetAdder:
    """Adds pets to ``store``; with ``records`` (a persistence layer), adds carrying a key are
    answered once. ``lambda_context`` bounds how long an add in progress holds its key."""

    def __init__(
        self, store: PetStore, records: BasePersistenceLayer | None = None, lambda_context: Any = None
    ) -> None:
        self._store = store
        self._records = records
        self._lambda_context = lambda_context

    def add(self, pet: NewPet, sender: str, key: str | None = None) -> Added:
        if key is None or self._records is None:
            return Added(CREATED, self._store_pet(pet))
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyPersistenceLayerError,
            IdempotencyValidationError,
        )

        config = IdempotencyConfig(
            event_key_jmespath="[sender, key]",
            payload_validation_jmespath="pet",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=KEY_TTL_SECONDS,
            response_hook=cast("IdempotentHookFunction", _replayed),
        )
        if self._lambda_context is not None:
            config.register_lambda_context(self._lambda_context)

        def store_once(request: Mapping[str, Any]) -> dict[str, Any]:
            return {"status": CREATED, "pet": self._store_pet(pet)}

        add_once: Callable[..., dict[str, Any]] = idempotent_function(
            store_once, data_keyword_argument="request", persistence_store=self._records, config=config
        )

        request = {"sender": sender, "key": key, "pet": pet.model_dump(mode="json")}
        try:
            answered = add_once(request=request)
        except IdempotencyValidationError:
            raise KeyReused(
                "This Idempotency-Key was sent with another pet; send a new key for a new pet."
            ) from None
        except IdempotencyAlreadyInProgressError:
            raise Conflict(
                "An add with this Idempotency-Key is still in progress; retry in a moment."
            ) from None
        except IdempotencyPersistenceLayerError as error:
            log.warning("The idempotency records could not be read or written: %s", error)
            raise ServiceUnavailable("The pet store could not add a pet just now; please retry.") from None
        return Added(int(answered["status"]), dict(answered["pet"]), bool(answered.get("replayed")))

    def _store_pet(self, pet: NewPet) -> dict[str, Any]:
        # "puppy" is stored as a dog: the store's word for the kind.
        kind = canonical_type(pet.type) or pet.type
        return self._store.add(pet.model_copy(update={"type": kind}))


def _replayed(response: Any, record: DataRecord) -> Any:
    log.info("Answered an add again for its Idempotency-Key (record %s)", record.idempotency_key)
    return {**response, "replayed": True}
