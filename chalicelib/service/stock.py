"""Stocking the store: a new pet, in the store's own words, written once."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.storage import PetStore
from chalicelib.domain.pets import NewPet
from chalicelib.language.vocabulary import canonical_type


def stock(store: PetStore, pet: NewPet) -> dict[str, Any]:
    """Stores ``pet`` with its type in the store's word for it ("puppy" is a dog); the stored pet."""
    kind = canonical_type(pet.type) or pet.type
    return store.add(pet.model_copy(update={"type": kind}))
