"""moto's DynamoDB and Cognito emulator in a process of its own, quiet but for warnings.

A process of its own, because moto's backends are process-wide: an in-process server would
share (and lose) its data with every `mock_aws()` of the same process. It answers one request at a
time: moto's backends are not thread-safe (a transaction deep-copies its table while another
request writes to it), where DynamoDB itself isolates concurrent requests.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import Any

from moto.moto_server import threaded_moto_server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import ThreadedMotoServer

REVOKE_TOKEN = "AWSCognitoIdentityProviderService.RevokeToken"  # noqa: S105 - an operation's name


class _OneRequestAtATime(DomainDispatcherApplication):
    """moto's app, one request at a time; it also answers Cognito's RevokeToken, which moto lacks,
    as Cognito does (200, ``{}``) without revoking anything, so logging out locally goes as it does
    against AWS instead of printing a traceback."""

    _lock = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("HTTP_X_AMZ_TARGET") == REVOKE_TOKEN:
            start_response(
                "200 OK",
                [
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("Access-Control-Allow-Origin", "*"),
                    ("Content-Length", "2"),
                ],
            )
            return [b"{}"]
        with self._lock:
            return super().__call__(environ, start_response)


def main(argv: list[str]) -> int:
    host, port = argv
    # Authenticator codes are checked, against the one key moto gives every account, as Cognito
    # checks them: without this moto takes any six digits.
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    logging.basicConfig(level=logging.WARNING, format="emulator %(levelname)s %(name)s: %(message)s")
    # werkzeug raises its own logger to INFO unless told otherwise: one line per AWS call.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    # ThreadedMotoServer makes its app from this name when it starts
    setattr(threaded_moto_server, "DomainDispatcherApplication", _OneRequestAtATime)  # noqa: B010
    server = ThreadedMotoServer(ip_address=host, port=int(port), verbose=False)
    server.start()
    stopping.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
