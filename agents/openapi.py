"""Generates the API's OpenAPI 3 description from the Chalice route table."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from agents.openapi_schemas import ref, register, schema_of
from chalicelib.adapters.auth import AGENT_PATH_PREFIX, AGENT_SCOPE, AGENT_VIEW_PREFIX
from chalicelib.domain.errors import PetStoreError, ServiceUnavailable
from chalicelib.domain.pets import PET_ID_PATTERN, NewPet
from chalicelib.service.answers import ErrorAnswer, Pet, PetPage, PetQueryAnswer
from chalicelib.web.inputs import (
    DEFAULT_LIMIT,
    IDEMPOTENCY_KEY_HEADER,
    MAX_BODY_BYTES,
    MAX_IDEMPOTENCY_KEY,
    MAX_LIMIT,
)
from chalicelib.web.paging import MAX_TOKEN_CHARS
from chalicelib.web.query_route import MAX_BODY_BYTES as MAX_QUERY_BODY_BYTES
from chalicelib.web.query_route import QueryRequest

OPENAPI_VERSION = "3.0.3"
SECURITY_SCHEME = "CognitoUserPool"
DEFAULT_OUTPUT = Path("build/openapi.json")
PEOPLE_DESCRIPTION = (
    "Browse, ask about and (as staff) add pets. Every route needs a Cognito ID token in the "
    "Authorization header."
)
AGENTS_DESCRIPTION = (
    "Browse and ask about pets, for AI agents: every route needs a Cognito client-credentials access "
    f"token with the scope {AGENT_SCOPE} in the Authorization header. Agents may not add pets."
)


def app_errors() -> dict[int, str]:
    """Each error status the app answers, said as its class in chalicelib.domain.errors says it."""
    found: dict[int, str] = {}
    pending = list(PetStoreError.__subclasses__())
    while pending:
        error = pending.pop()
        pending += error.__subclasses__()
        if error.status < 500 or error.status == ServiceUnavailable.status:
            found[error.status] = " ".join((error.__doc__ or error.code).split())
    return found


# Answered in front of the app: by API Gateway (429), the web server (414) and chalice (415).
GATEWAY_ERRORS = {
    414: "The URL is longer than the server takes (API Gateway: 8 KB), as a far too long next_token makes.",
    415: "The body is not sent as application/json.",
    429: "Too many requests (the deployed API's throttling and rate limits); retry in a moment.",
}
ERROR_STATUSES = {
    **app_errors(),
    **GATEWAY_ERRORS,
    413: (
        f"The request body is larger than the route takes ({MAX_BODY_BYTES} bytes for a new pet, "
        f"{MAX_QUERY_BODY_BYTES} for a question), whatever its fields' own limits."
    ),
}
# Every operation may answer these.
COMMON_ERRORS = (401, 429, 503)


@dataclass(frozen=True)
class Operation:
    """What the route table cannot tell: the operation's name, body, answer and errors."""

    operation_id: str
    answer: type[BaseModel] | None
    status: int = 200
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = (400,)
    paged: bool = False
    # Takes an Idempotency-Key header.
    keyed: bool = False


# Besides COMMON_ERRORS; a body comes with 413 and 415.
OPERATIONS = {
    "list_pets": Operation("ListPets", PetPage, paged=True),
    "get_pet": Operation("GetPet", Pet, errors=(400, 404)),
    "add_pet": Operation("AddPet", Pet, status=201, body=NewPet, errors=(400, 403, 409, 422), keyed=True),
    "query_pets": Operation("QueryPets", PetQueryAnswer, body=QueryRequest),
}


def operation_for(view_name: str) -> Operation:
    """The view's operation; a view without an entry gets its name in PascalCase.

    The agents' copy of a view (``agent_<view>``) is the same operation under the same name.
    """
    view_name = view_name.removeprefix(AGENT_VIEW_PREFIX)
    return OPERATIONS.get(view_name) or Operation(
        "".join(part.capitalize() for part in view_name.split("_")), None
    )


def build(chalice_app: Any, server_url: str | None = None, agents: bool = False) -> dict[str, Any]:
    """The OpenAPI document of the routes of ``chalice_app`` (but CORS preflight) for people, or
    with ``agents`` of the read-only routes under /agent that AI agents call with access tokens."""
    schemas: dict[str, Any] = {"Error": schema_of(ErrorAnswer, {})}
    paths: dict[str, Any] = {}
    for path, methods in sorted(chalice_app.routes.items()):
        if path.startswith(AGENT_PATH_PREFIX + "/") != agents:
            continue
        for method, entry in sorted(methods.items()):
            if method == "OPTIONS":
                continue
            paths.setdefault(path, {})[method.lower()] = _operation(entry, schemas)
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Pet store API",
            "version": "1.0.0",
            "description": AGENTS_DESCRIPTION if agents else PEOPLE_DESCRIPTION,
        },
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": _security_schemes(agents)},
        "security": [{SECURITY_SCHEME: []}],
    }
    if server_url:
        document["servers"] = [{"url": server_url.rstrip("/")}]
    return document


def _operation(entry: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    spec = operation_for(entry.view_name)
    summary, description = _docs(entry.view_function)
    operation: dict[str, Any] = {
        "operationId": spec.operation_id,
        "summary": summary,
        "description": description,
        "parameters": [_path_parameter(name) for name in entry.view_args],
        "responses": {
            str(spec.status): _answer(spec.answer, schemas),
            **{str(status): _error_answer(status) for status in _errors(spec)},
        },
    }
    if spec.paged:
        operation["parameters"] += _page_parameters()
    if spec.keyed:
        operation["parameters"].append(_idempotency_key())
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(register(spec.body, schemas))}},
        }
    if not operation["parameters"]:
        del operation["parameters"]
    return operation


# Answered by the server in front of the app, in its own words: no JSON to describe.
SERVER_ANSWERS = frozenset({414})


def _error_answer(status: int) -> dict[str, Any]:
    if status in SERVER_ANSWERS:
        return {
            "description": ERROR_STATUSES[status],
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
    return {"description": ERROR_STATUSES[status], "content": {"application/json": {"schema": ref("Error")}}}


def _errors(spec: Operation) -> list[int]:
    with_body = (413, 415) if spec.body is not None else ()
    # a query string far past its parameters' limits makes a URL longer than any server takes
    with_query = (414,) if spec.paged else ()
    return sorted({*spec.errors, *COMMON_ERRORS, *with_body, *with_query})


def _docs(view: Any) -> tuple[str, str]:
    doc = (view.__doc__ or "").strip()
    if not doc:
        return view.__name__.replace("_", " ").capitalize(), view.__name__.replace("_", " ")
    return doc.splitlines()[0].strip().rstrip("."), re.sub(r"\s+", " ", doc)


def _answer(model: type[BaseModel] | None, schemas: dict[str, Any]) -> dict[str, Any]:
    if model is None:
        return {"description": "Success", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "description": (model.__doc__ or "Success").strip(),
        "content": {"application/json": {"schema": ref(register(model, schemas))}},
    }


def _path_parameter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": "The pet's id",
        "schema": {"type": "string", "pattern": f"^{PET_ID_PATTERN}$"},
    }


def _page_parameters() -> list[dict[str, Any]]:
    return [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": f"Pets per page (default {DEFAULT_LIMIT})",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        },
        {
            "name": "next_token",
            "in": "query",
            "required": False,
            "description": "The previous page's next_token",
            "schema": {"type": "string", "maxLength": MAX_TOKEN_CHARS},
        },
    ]


def _idempotency_key() -> dict[str, Any]:
    return {
        "name": IDEMPOTENCY_KEY_HEADER,
        "in": "header",
        "required": False,
        "description": (
            "Makes an add safe to retry: the same key from the same user within a day stores nothing "
            "new and answers the first add's pet again (with Idempotent-Replayed: true); the same key "
            "with another pet is a 422. Send a fresh key per add, the same one when retrying it."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY, "pattern": "^[!-~]+$"},
    }


def _security_schemes(agents: bool) -> dict[str, Any]:
    token = (
        f"A Cognito client-credentials access token with the scope {AGENT_SCOPE} (what an AgentCore "
        "Gateway sends)"
        if agents
        else "A Cognito user pool ID token (USER_PASSWORD_AUTH)"
    )
    return {
        SECURITY_SCHEME: {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "description": f"{token}; a 'Bearer ' prefix is accepted.",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
        }
    }


def main(argv: list[str] | None = None) -> int:
    """Writes the description to a file (build/openapi.json by default) or, with '-', to stdout."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("output", nargs="?", default=str(DEFAULT_OUTPUT), help="a path, or - for stdout")
    parser.add_argument("--server-url", default=os.environ.get("PETSTORE_API_URL"), help="the API's URL")
    parser.add_argument("--agents", action="store_true", help="the agents' routes (for an AgentCore Gateway)")
    args = parser.parse_args(argv)
    # app.py reads these at import; defaults let the description be made on any machine.
    os.environ.setdefault("STAGE", "local")
    os.environ.setdefault("PAGE_TOKEN_SECRET", "only-for-describing-the-routes")
    import app  # here, not at the top: app.py reads the environment set above at import

    text = json.dumps(build(app.app, args.server_url, agents=args.agents), indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"Wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
