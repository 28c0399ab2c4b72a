"""The pet store API: routes, authentication, CORS, and one accessor per dependency.

Beyond Chalice, boto3 and the settings, each dependency is imported when an accessor or a view
first needs it: a cold start pays only for what its first request uses (pydantic's models, the
parser's tables and the Bedrock tool are built by the question route, PyJWT only where the app
checks tokens itself).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import boto3
from chalice.app import Chalice, CognitoUserPoolAuthorizer, CORSConfig, Request, Response

from chalicelib.adapters import aws, telemetry
from chalicelib.adapters.auth import (
    AGENT_PATH_PREFIX,
    AGENT_SCOPE,
    AGENT_VIEW_PREFIX,
    User,
    bearer_token,
    user_from_claims,
)
from chalicelib.adapters.stage_settings import Settings, app_verifies_tokens
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.errors import ConfigurationError, PetStoreError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient
    from mypy_boto3_dynamodb.service_resource import DynamoDBServiceResource

    from chalicelib.adapters.bedrock import BedrockExtractor
    from chalicelib.adapters.storage import DynamoPetStore, StockCache
    from chalicelib.adapters.token_verifier import TokenVerifier
    from chalicelib.service.adding import PetAdder
    from chalicelib.service.answering import PetQuestions
    from chalicelib.web.paging import Paging

app = Chalice(app_name="petstore")
app.log.setLevel(logging.INFO)
logging.getLogger("chalicelib").setLevel(logging.INFO)
telemetry.use_json_logs([app.log, logging.getLogger("chalicelib")])

CORS = CORSConfig(
    allow_origin=os.environ.get("CORS_ORIGIN", "http://127.0.0.1:8080"),
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
    expose_headers=["Idempotent-Replayed", "Location"],
    max_age=600,
)
# chalice local decodes a token without checking it (and drops the connection on a malformed
# one), so where the app checks tokens itself no gateway authorizer is declared; deployed
# stages get API Gateway's Cognito authorizer and the app only reads its claims.
AUTHORIZER = (
    None
    if app_verifies_tokens()
    else CognitoUserPoolAuthorizer(
        "PetStoreUsers",
        provider_arns=[
            os.environ.get("USER_POOL_ARN", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/unset")
        ],
    )
)
# AI agents read through the same views under /agent, with access tokens of the agents' scope.
AGENT_AUTHORIZER = AUTHORIZER.with_scopes([AGENT_SCOPE]) if AUTHORIZER else None


@functools.cache
def _dynamodb(region: str) -> DynamoDBServiceResource:
    return boto3.resource("dynamodb", region_name=region, config=aws.DYNAMODB.config())


@functools.cache
def _bedrock(region: str, timeouts: aws.Timeouts | None = None) -> BedrockRuntimeClient:
    # One client per set of timeouts: a request's deadline may leave Bedrock less than the default.
    from chalicelib.adapters.bedrock import TIMEOUTS

    return boto3.client("bedrock-runtime", region_name=region, config=(timeouts or TIMEOUTS).config())


@functools.cache
def _extractor(region: str, model_id: str) -> BedrockExtractor:
    # One per warm container: its cache spares identical questions a second Bedrock call, and its
    # circuit breaker remembers that Bedrock just failed.
    from chalicelib.adapters.bedrock import BedrockExtractor

    return BedrockExtractor(_bedrock(region), model_id, clients=functools.partial(_bedrock, region))


@functools.cache
def _token_verifier(jwks_url: str, issuer: str, audience: str) -> TokenVerifier:
    # PyJWT and cryptography load only where the app checks tokens itself (the local stage);
    # deployed stages, where API Gateway checks them, start without both.
    from chalicelib.adapters.token_verifier import TokenVerifier, key_set

    return TokenVerifier(key_set(jwks_url), issuer, audience)


@functools.cache
def _stock_cache(table_name: str) -> StockCache:
    # One per warm container: the store's types and breeds are read once a minute, not per question.
    from chalicelib.adapters.storage import StockCache

    return StockCache()


@functools.cache
def _idempotency_records(region: str, table_name: str) -> DynamoDBPersistenceLayer:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    # A plain client: the layer writes DynamoDB's typed values itself, which a resource's client
    # would wrap a second time.
    client = boto3.client("dynamodb", region_name=region, config=aws.DYNAMODB.config())
    return DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)


def pet_store() -> DynamoPetStore:
    from chalicelib.adapters.storage import DynamoPetStore

    settings = Settings.from_env()
    return DynamoPetStore(
        _dynamodb(settings.region).Table(settings.table_name), _stock_cache(settings.table_name)
    )


def pet_adder() -> PetAdder:
    from chalicelib.service.adding import PetAdder

    settings = Settings.from_env()
    records = _idempotency_records(settings.region, settings.idempotency_table_name)
    return PetAdder(pet_store(), records, app.lambda_context)


def request_deadline() -> Deadline | None:
    """When this request's answer must be sent: Lambda's own timeout, as its context counts it
    down (chalice local and its test client count down from the configured one too); None where
    nothing counts (a script calling a view)."""
    context = app.lambda_context
    return Deadline.after(context.get_remaining_time_in_millis() / 1000) if context is not None else None


def paging() -> Paging:
    from chalicelib.web.paging import PageTokens, Paging

    return Paging(PageTokens(Settings.from_env().page_token_secret))


def pet_questions() -> PetQuestions:
    from chalicelib.service.answering import PetQuestions

    settings = Settings.from_env()
    extractor = _extractor(settings.region, settings.bedrock_model_id) if settings.bedrock_enabled else None
    return PetQuestions(pet_store(), extractor, settings.reader)


@app.middleware("all")
def _telemetry(event: Any, get_response: Callable[[Any], Any]) -> Any:
    # Per request, not per container: metrics recorded while answering are flushed before Lambda freezes.
    return telemetry.around_request(event, get_response)


@app.middleware("http")
def _errors_in_the_api_shape(event: Any, get_response: Callable[[Any], Response]) -> Response:
    # Chalice answers some requests itself (405 for a method a path lacks, 415 for a body that is
    # not JSON) as {"Code", "Message"}; clients get every error as {"error", "message"}.
    response = get_response(event)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body:
        code = re.sub(r"(?<!^)(?=[A-Z])", "_", str(body["Code"]).removesuffix("Error")).lower()
        response.body = {"error": code, "message": str(body.get("Message", ""))}
    return response


def _request() -> Request:
    request = app.current_request
    assert request is not None, "only called while answering a request"
    return request


def this_route() -> str:
    """The request's method and path: a page token is good only on the route that made it."""
    request = _request()
    return f"{request.method} {request.path}"


def current_user() -> User:
    """The signed-in caller (a person, or an agent on the agents' routes); Unauthorized when none."""
    request = _request()
    agent = request.path.startswith(AGENT_PATH_PREFIX + "/")
    settings = Settings.from_env()
    if settings.verify_tokens:
        verifier = _token_verifier(
            settings.jwks_url,
            aws.cognito_issuer(settings.region, settings.user_pool_id),
            settings.app_client_id,
        )
        return user_from_claims(verifier.claims(bearer_token(request.headers), agent=agent), agent=agent)
    return user_from_claims((request.context.get("authorizer") or {}).get("claims"), agent=agent)


def _error(status: int, code: str, message: str) -> Response:
    return Response(body={"error": code, "message": message}, status_code=status)


def _answering_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turns every failure of a view into a JSON error answer; no traceback leaves the app."""

    @functools.wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except PetStoreError as error:
            return _error(error.status, error.code, error.message)
        except ConfigurationError:
            app.log.exception("The stage is not configured")
            return _error(500, "not_configured", "The service is not configured correctly.")
        except Exception:
            app.log.exception("Unhandled error")
            return _error(500, "internal_error", "Something went wrong on our side; please retry.")

    return answer


def route(path: str, agents: bool = False, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``app.route`` with the API's authorizer, CORS and error answers.

    With ``agents``, the view is also served under /agent to AI agents, whose access tokens
    API Gateway accepts only on methods that ask for their scope.
    """

    def register(view: Callable[..., Any]) -> Any:
        answering = _answering_errors(view)
        if agents:
            app.route(
                AGENT_PATH_PREFIX + path,
                name=AGENT_VIEW_PREFIX + view.__name__,
                authorizer=AGENT_AUTHORIZER,
                cors=CORS,
                **options,
            )(answering)
        return app.route(path, authorizer=AUTHORIZER, cors=CORS, **options)(answering)

    return register


@route("/pets", agents=True, methods=["GET"])
def list_pets() -> dict[str, Any]:
    """List the store's pets, a page at a time.

    Pass the answer's next_token back to read the next page; it is null on the last one.
    """
    from chalicelib.web import inputs

    current_user()
    params: Mapping[str, str] = _request().query_params or {}
    pages = paging()
    start = pages.listing_start(params.get("next_token"), this_route())
    page = pet_store().listing(inputs.page_limit(params.get("limit")), start)
    return {"pets": page.pets, "next_token": pages.listing_token(page.last_key, this_route())}


@route("/pets/{petId}", agents=True, methods=["GET"])
def get_pet(petId: str) -> dict[str, Any]:  # noqa: N803 - the path's parameter name
    """Get one pet by its id; 404 when there is none."""
    from chalicelib.web import inputs

    current_user()
    return pet_store().get(inputs.pet_id(petId))


@route("/pets", methods=["POST"])
def add_pet() -> Response:
    """Add a pet to the store (staff only); answers the stored pet with its new id.

    Age is in years and price in US dollars, both numbers >= 0 with at most two decimals. With an
    Idempotency-Key header, an add retried with the same key within a day stores nothing new and
    answers the first add's pet again.
    """
    from chalicelib.domain.pets import NewPet
    from chalicelib.web import inputs

    user = current_user()
    user.require_staff()
    request = _request()
    key = inputs.idempotency_key(request.headers.get(inputs.IDEMPOTENCY_KEY_HEADER))
    pet = inputs.validated(NewPet, inputs.json_body(request.raw_body))
    added = pet_adder().add(pet, user.username, key)
    headers: dict[str, str | list[str]] = {"Location": f"/pets/{added.pet['id']}"}
    if added.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body=added.pet, status_code=added.status, headers=headers)


@route("/pets/query", agents=True, methods=["POST"])
def query_pets() -> dict[str, Any]:
    """Answers a question in plain words with the matching pets and a one-line summary."""
    from chalicelib.web import inputs, query_route
    from chalicelib.web.query_route import QueryRequest

    current_user()
    request = inputs.validated(
        QueryRequest, inputs.json_body(_request().raw_body, query_route.MAX_BODY_BYTES)
    )
    answer = query_route.answer(pet_questions(), paging(), request, this_route(), request_deadline())
    understood = answer.understanding
    telemetry.record_query(
        understood.source,
        understood.fallback_reason,
        understood.bedrock_latency_ms,
        answer.items_read,
        answer.cut_short,
        understood.reason,
    )
    return answer.body
