"""Shared fixtures: app settings, an in-process DynamoDB, signing keys, the real local stack, a browser."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.support.browser import Watched

# app.py reads these at import (CORS origin, whether it checks tokens itself); set them first.
os.environ.setdefault("STAGE", "local")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("CORS_ORIGIN", "http://127.0.0.1:8080")
os.environ.setdefault("PAGE_TOKEN_SECRET", "test-secret-of-at-least-16-bytes")
for _credential in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_credential, "testing")
# The emulator (moto) checks authenticator-app codes against the key it hands out only when told
# to; otherwise it takes any code. The local stack's emulator inherits this.
os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")

import boto3  # noqa: E402
from botocore.stub import Stubber  # noqa: E402
from chalice.test import Client  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib.adapters.bedrock import BedrockExtractor  # noqa: E402
from chalicelib.adapters.stage_settings import DEFAULT_TABLE_NAME, idempotency_table_name  # noqa: E402
from chalicelib.adapters.storage import (  # noqa: E402
    DynamoPetStore,
    MemoryPetStore,
    PetTableUpkeep,
    StockCache,
    idempotency_table_definition,
)
from chalicelib.adapters.token_verifier import TokenVerifier  # noqa: E402
from infra.bootstrap import ensure_table  # noqa: E402
from infra.seed import sample_pets  # noqa: E402
from localdev.stack import LocalStack, Ports  # noqa: E402
from tests.support.keys import CLIENT_ID, ISSUER, POOL_ID, SigningKey, StaticKeySet  # noqa: E402
from tests.support.routes import headers  # noqa: E402

REGION = "us-east-1"
TABLE_NAME = DEFAULT_TABLE_NAME


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey()


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    """The stack `make run` starts, on free ports, driven over HTTP by the integration tests."""
    with LocalStack(ports=Ports.free()) as stack:
        yield stack


@pytest.fixture
def table() -> Iterator[Any]:
    """The pets table, empty, in an in-process DynamoDB (moto) that lives as long as the test; the
    table adds remember their Idempotency-Key in stands beside it."""
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        ensure_table(dynamodb, TABLE_NAME)
        dynamodb.create_table(**idempotency_table_definition(idempotency_table_name(TABLE_NAME)))
        yield boto3.resource("dynamodb", region_name=REGION).Table(TABLE_NAME)


@pytest.fixture
def stock_cache() -> StockCache:
    return StockCache()


@pytest.fixture
def upkeep(table: Any, stock_cache: StockCache) -> PetTableUpkeep:
    """Loads more pets into the pets table (``store`` learns of them at once)."""
    return PetTableUpkeep(table, stock_cache)


@pytest.fixture
def store(table: Any, upkeep: PetTableUpkeep, stock_cache: StockCache) -> DynamoPetStore:
    """The pets table holding the sample pets."""
    upkeep.load(sample_pets())
    return DynamoPetStore(table, stock_cache)


@pytest.fixture
def memory_store() -> MemoryPetStore:
    """The sample pets in memory: the DynamoDB store's twin, for the service's unit tests."""
    return MemoryPetStore(sample_pets())


@pytest.fixture
def client(
    store: DynamoPetStore, signing_key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Client]:
    """The app through chalice.test.Client, on the sample pets, trusting tokens ``signing_key`` signs."""
    import app as petstore

    monkeypatch.setenv("USER_POOL_ID", POOL_ID)
    monkeypatch.setenv("APP_CLIENT_ID", CLIENT_ID)
    verifier = TokenVerifier(StaticKeySet(signing_key.jwks()), ISSUER, CLIENT_ID)
    monkeypatch.setattr(petstore, "_token_verifier", lambda *_: verifier)
    caches = (petstore._dynamodb, petstore._stock_cache, petstore._idempotency_records)
    for cache in caches:
        cache.cache_clear()
    with Client(petstore.app, stage_name="local") as test_client:
        yield test_client
    for cache in caches:
        cache.cache_clear()


@pytest.fixture
def shopper(signing_key: SigningKey) -> dict[str, str]:
    """Headers of a signed-in shopper."""
    return headers(signing_key.token("shopper"))


@pytest.fixture
def staff(signing_key: SigningKey) -> dict[str, str]:
    """Headers of a signed-in member of staff."""
    return headers(signing_key.token("staff", groups=["staff"]))


@pytest.fixture
def bedrock_runtime() -> Any:
    """A real bedrock-runtime client, never sent anywhere: tests stub or replace its calls."""
    return boto3.client(
        "bedrock-runtime", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


@pytest.fixture
def stubber(bedrock_runtime: Any) -> Iterator[Stubber]:
    """Stubber on ``bedrock_runtime``: it checks each request's shape, and that every answer was used."""
    with Stubber(bedrock_runtime) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def bedrock(bedrock_runtime: Any, stubber: Stubber) -> tuple[Any, Stubber]:
    """The stubbed bedrock-runtime client and its stubber, as a pair."""
    return bedrock_runtime, stubber


@pytest.fixture
def extractor(bedrock_runtime: Any) -> BedrockExtractor:
    return BedrockExtractor(bedrock_runtime)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The prod stage packaged once (`chalice package` and the merge template; PyPI, no AWS)."""
    from infra.deploy import package

    template_file = package("prod", tmp_path_factory.mktemp("prod"))
    return template_file, json.loads(template_file.read_text())


@pytest.fixture(scope="session")
def resources(built: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    """The packaged template's resources."""
    found: dict[str, Any] = built[1]["Resources"]
    return found


@pytest.fixture(scope="session")
def api(resources: dict[str, Any]) -> dict[str, Any]:
    """The packaged REST API's properties."""
    properties: dict[str, Any] = resources["RestAPI"]["Properties"]
    return properties


# ---------- the browser (Playwright with Debian's Chromium), for tests/browser ----------
# Playwright is imported inside the fixtures, so runs without browser tests never load it.


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives the browser is skipped, saying why, where Debian's chromium is missing."""
    driving = [item for item in items if "browser" in getattr(item, "fixturenames", ())]
    if driving:
        from tests.support.browser import needs_chromium

        for item in driving:
            item.add_marker(needs_chromium)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, one per test module: no browser outlives the tests that use it."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_tab(browser: Browser, viewport: dict[str, int]) -> Iterator[Watched]:
    from tests.support.browser import Watched

    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.errors == [], f"JavaScript errors on the page: {watched.errors}"
    assert watched.dialogs == [], f"The page opened dialogs: {watched.dialogs}"


@pytest.fixture
def tab(browser: Browser) -> Iterator[Watched]:
    """A fresh desktop-sized browser tab; the test fails if the page throws or opens a dialog."""
    from tests.support.browser import DESKTOP

    yield from _open_tab(browser, DESKTOP)


@pytest.fixture
def phone_tab(browser: Browser) -> Iterator[Watched]:
    """The same, 390 px wide."""
    from tests.support.browser import PHONE

    yield from _open_tab(browser, PHONE)


@pytest.fixture
def page(tab: Watched) -> Page:
    return tab.page
