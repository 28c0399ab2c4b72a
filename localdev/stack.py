"""Starts and stops the whole local stack; `make run` and the integration tests both use it."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import http.server
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from chalicelib.adapters.stage_settings import DEFAULT_TABLE_NAME, idempotency_table_name
from chalicelib.adapters.storage import PetTableUpkeep
from infra.bootstrap import UserPool, ensure_idempotency_table, ensure_table, ensure_user, ensure_user_pool
from infra.page_headers import LOCAL_CSP
from infra.seed import DEMO_PASSWORD, DEMO_USERS, sample_pets

log = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
FRONTEND_DIR = PROJECT_DIR / "frontend"
HOST = "127.0.0.1"
_PR_SET_PDEATHSIG = 1
TABLE_NAME = DEFAULT_TABLE_NAME
POOL_NAME = "petstore-users"
CLIENT_NAME = "petstore-web"
# The emulator accepts any credentials; fixed fake ones keep a developer's real ones out of it.
EMULATOR_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


class StackError(RuntimeError):
    """The stack cannot start; the message says why and what to do."""


@dataclass
class Ports:
    aws: int = 5050
    api: int = 8000
    page: int = 8080

    @classmethod
    def from_env(cls) -> Ports:
        try:
            return cls(
                aws=int(os.environ.get("AWS_PORT", 5050)),
                api=int(os.environ.get("API_PORT", 8000)),
                page=int(os.environ.get("PAGE_PORT", 8080)),
            )
        except ValueError as error:
            raise StackError(f"AWS_PORT, API_PORT and PAGE_PORT must be port numbers: {error}") from None

    @classmethod
    def free(cls) -> Ports:
        """Three ports nobody listens on, for tests that must not collide with `make run`."""
        return cls(*(_free_port() for _ in range(3)))


@dataclass
class LocalStack:
    ports: Ports = field(default_factory=Ports)
    region: str = "us-east-1"
    bedrock: bool = False
    pool: UserPool | None = None
    _emulator: subprocess.Popen[bytes] | None = None
    _api: subprocess.Popen[bytes] | None = None
    _page: http.server.ThreadingHTTPServer | None = None

    @property
    def aws_url(self) -> str:
        return f"http://{HOST}:{self.ports.aws}"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.ports.api}/"

    @property
    def page_url(self) -> str:
        return f"http://{HOST}:{self.ports.page}/"

    @property
    def password(self) -> str:
        return DEMO_PASSWORD

    def client(self, service: str) -> Any:
        """A boto3 client of the emulator."""
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.aws_url,
            region_name=self.region,
            aws_access_key_id=EMULATOR_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=EMULATOR_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def table(self, name: str = TABLE_NAME) -> Any:
        resource = boto3.resource(
            "dynamodb",
            endpoint_url=self.aws_url,
            region_name=self.region,
            aws_access_key_id=EMULATOR_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=EMULATOR_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        return resource.Table(name)

    def start(self) -> None:
        for name, port in (
            ("AWS_PORT", self.ports.aws),
            ("API_PORT", self.ports.api),
            ("PAGE_PORT", self.ports.page),
        ):
            _require_free(name, port)
        try:
            self._start_emulator()
            self._bootstrap()
            self._start_api()
            self._start_page()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        _end(self._api)
        self._api = None
        if self._page is not None:
            self._page.shutdown()
            self._page.server_close()
            self._page = None
        _end(self._emulator)
        self._emulator = None

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def id_token(self, username: str, password: str = DEMO_PASSWORD) -> str:
        """Signs in at the emulator's Cognito as a browser would and returns the ID token."""
        assert self.pool is not None, "start() first"
        answer = self.client("cognito-idp").initiate_auth(
            ClientId=self.pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        token: str = answer["AuthenticationResult"]["IdToken"]
        return token

    def page_config(self) -> dict[str, str]:
        """The chat page's config.json."""
        assert self.pool is not None, "start() first"
        return {
            "apiBaseUrl": self.api_url,
            "region": self.region,
            "userPoolId": self.pool.pool_id,
            "clientId": self.pool.client_id,
            "cognitoEndpoint": self.aws_url + "/",
        }

    def _start_emulator(self) -> None:
        self._emulator = start_emulator(self.ports.aws)

    def _bootstrap(self) -> None:
        ensure_table(self.client("dynamodb"), TABLE_NAME)
        ensure_idempotency_table(self.client("dynamodb"), idempotency_table_name(TABLE_NAME))
        cognito = self.client("cognito-idp")
        self.pool = ensure_user_pool(cognito, POOL_NAME, CLIENT_NAME)
        for username, groups in DEMO_USERS.items():
            ensure_user(cognito, self.pool.pool_id, username, DEMO_PASSWORD, groups)
        PetTableUpkeep(self.table()).load(sample_pets())

    def api_environment(self) -> dict[str, str]:
        """The API process's environment: AWS calls to the emulator, except Bedrock's.

        With Bedrock on, the developer's own AWS credentials stay in place for it (the emulator
        accepts any); with it off, fixed fake ones keep real credentials out of local runs.
        """
        assert self.pool is not None, "start() first"
        env = dict(os.environ)
        if not self.bedrock:
            env.pop("AWS_PROFILE", None)
            env.pop("AWS_SESSION_TOKEN", None)
            env.update(EMULATOR_CREDENTIALS)
        env.update(
            {
                "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region,
                "AWS_ENDPOINT_URL_DYNAMODB": self.aws_url,
                "AWS_ENDPOINT_URL_COGNITO_IDP": self.aws_url,
                "USER_POOL_ID": self.pool.pool_id,
                "APP_CLIENT_ID": self.pool.client_id,
                "CORS_ORIGIN": f"http://{HOST}:{self.ports.page}",
                "PAGE_TOKEN_SECRET": secrets.token_urlsafe(32),
                "BEDROCK_ENABLED": "true" if self.bedrock else "false",
            }
        )
        return env

    def _start_api(self) -> None:
        command = [
            str(Path(sys.executable).with_name("chalice")), "local", "--stage", "local",
            "--host", HOST, "--port", str(self.ports.api), "--no-autoreload",
        ]  # fmt: skip
        self._api = _child(command, env=self.api_environment())
        _wait_for_http(self.api_url + "pets", self._api, "the API (chalice local)")

    def _start_page(self) -> None:
        handler = functools.partial(_PageHandler, config=self.page_config())
        self._page = http.server.ThreadingHTTPServer((HOST, self.ports.page), handler)
        threading.Thread(target=self._page.serve_forever, daemon=True).start()


class _PageHandler(http.server.SimpleHTTPRequestHandler):
    """Serves frontend/ and the generated config.json, which never touches the disk."""

    def __init__(self, *args: Any, config: dict[str, str], **kwargs: Any) -> None:
        self._config = json.dumps(config).encode()
        super().__init__(*args, directory=str(FRONTEND_DIR), **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/config.json":
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(self._config)))
        self.end_headers()
        self.wfile.write(self._config)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", LOCAL_CSP)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("page: " + format, *args)


def start_emulator(port: int) -> subprocess.Popen[bytes]:
    """moto's server for DynamoDB and Cognito on loopback, in a process of its own."""
    emulator = _child([sys.executable, "-m", "localdev.emulator", HOST, str(port)])
    _wait_for_http(f"http://{HOST}:{port}/moto-api/", emulator, "the AWS emulator (moto)")
    return emulator


def _child(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    # A session of its own, so Ctrl-C reaches only `make run`, which then stops its children in
    # order; and PDEATHSIG, so that a child never outlives a parent that was killed outright.
    return subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=env,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


def _die_with_parent() -> None:
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _end(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _require_free(name: str, port: int) -> None:
    with socket.socket() as sock:
        # SO_REUSEADDR as the servers themselves use it: a port left in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            raise StackError(
                f"Port {port} ({name}) on {HOST} is already in use: is `make run` already running? "
                f"Stop it, or choose another port, e.g. `make run {name}={port + 1}`."
            ) from None


def _wait_for_http(url: str, process: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(
                f"{what} exited with code {process.returncode} while starting; see its output above."
            )
        try:
            with contextlib.closing(urllib.request.urlopen(url, timeout=2)):  # noqa: S310 - loopback only
                return
        except urllib.error.HTTPError:
            return  # it answered: a 401 is an answer
        except OSError:
            time.sleep(0.2)
    raise StackError(f"{what} did not answer at {url} within {timeout:.0f} s.")
