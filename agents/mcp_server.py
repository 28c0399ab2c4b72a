"""The pet store as MCP tools over stdio, for any MCP client (Claude Desktop, IDEs, agent frameworks)."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from agents.petstore_client import PetStoreApiError, PetStoreClient, Settings
from chalicelib.domain.filters import MAX_AGE, MAX_PRICE, MAX_TEXT
from chalicelib.domain.pets import MAX_PET_ID, MAX_TYPE
from chalicelib.web.inputs import DEFAULT_LIMIT, MAX_LIMIT
from chalicelib.web.paging import MAX_TOKEN_CHARS
from chalicelib.web.query_route import MAX_QUESTION_CHARS

log = logging.getLogger(__name__)

Limit = Annotated[
    int | None,
    Field(ge=1, le=MAX_LIMIT, description=f"Pets per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})"),
]
NextToken = Annotated[
    str | None, Field(max_length=MAX_TOKEN_CHARS, description="The previous answer's next_token, to read on")
]

server = MCPServer(
    name="petstore",
    instructions=(
        "A pet store. Browse pets with list_pets, look one up with get_pet, ask in plain words with "
        "query_pets; staff accounts may add pets with add_pet. Prices are in US dollars, ages in years."
    ),
)


@functools.cache
def petstore() -> PetStoreClient:
    """The one client of this process, built on first use so a bad setting is a tool error, not a crash."""
    return PetStoreClient(Settings.from_env())


def _answer(call: Callable[[PetStoreClient], dict[str, Any]]) -> dict[str, Any]:
    # Anticipated failures become ToolError: the SDK then answers isError with our message.
    try:
        return call(petstore())
    except (PetStoreApiError, ValueError) as error:
        raise ToolError(str(error)) from None


@server.tool()
def list_pets(limit: Limit = None, next_token: NextToken = None) -> dict[str, Any]:
    """List the store's pets a page at a time.

    Returns {"pets": [...], "next_token": ...}; each pet has id, name, type, breed, age (years) and
    price (USD). Pass next_token back to read the next page; it is null on the last page.
    """
    return _answer(lambda client: client.list_pets(limit, next_token))


@server.tool()
def get_pet(
    pet_id: Annotated[str, Field(min_length=1, max_length=MAX_PET_ID, description="The pet's id, e.g. '1'")],
) -> dict[str, Any]:
    """Get one pet by its id: name, type, breed, age (years) and price (USD). Fails when there is none."""
    return _answer(lambda client: client.get_pet(pet_id))


@server.tool()
def query_pets(
    query: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_QUESTION_CHARS,
            description="The question, e.g. 'cheap dogs under $500'",
        ),
    ],
    limit: Limit = None,
    next_token: NextToken = None,
    context: Annotated[
        dict[str, Any] | None,
        Field(
            description="For a follow-up ('just the young ones', 'how about cats?'): the previous "
            "answer's 'filters' object, passed back unchanged. Leave it out to ask something new."
        ),
    ] = None,
) -> dict[str, Any]:
    """Find pets matching a question in plain words (types or breeds, any of or none of, name,
    price and age ranges, order).

    Returns the pets, the filters the store understood, a one-sentence summary, the words it could
    not use ('unmatched'), misspelled words and what they were read as ('corrected'), the filters
    of the context it dropped because they left nothing while the question's own words found pets
    ('relaxed', said in the summary too) and, when nothing matched, 'suggestions': questions that
    do find pets.
    For a follow-up question, pass the previous answer's 'filters' as 'context'; the new answer's
    'filters' are the whole result, ready to pass on again. Prefer this to paging through
    list_pets when the user describes what they want.
    """
    return _answer(lambda client: client.query_pets(query, limit, next_token, context))


@server.tool()
def add_pet(
    name: Annotated[str, Field(min_length=1, max_length=MAX_TEXT, description="The pet's name")],
    type: Annotated[
        str, Field(min_length=1, max_length=MAX_TYPE, description="Lowercase, singular: dog, cat, bird")
    ],
    breed: Annotated[str, Field(min_length=1, max_length=MAX_TEXT, description="Breed, e.g. Beagle")],
    age: Annotated[float, Field(ge=0, le=MAX_AGE, description="Age in years, at most two decimals")],
    price: Annotated[
        float, Field(ge=0, le=MAX_PRICE, description="Price in US dollars, at most two decimals")
    ],
) -> dict[str, Any]:
    """Add a pet to the store and return it with its new id. Only staff accounts may add pets."""
    pet = {"name": name, "type": type, "breed": breed, "age": age, "price": price}
    return _answer(lambda client: client.add_pet(pet))


def main() -> None:
    # stdout carries the protocol; logs go to stderr, which MCP clients show or keep.
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    server.run("stdio")


if __name__ == "__main__":
    main()
