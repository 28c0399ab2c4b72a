"""People for the browser tests to sign in as: users of their own, two-step sign-in with an
authenticator app and its codes, and tokens made up to look like Cognito's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import time
import uuid
from typing import Any

from infra.bootstrap import ensure_user
from localdev.stack import LocalStack


def pool_id(stack: LocalStack) -> str:
    assert stack.pool is not None
    return stack.pool.pool_id


def new_user(stack: LocalStack, groups: tuple[str, ...] = ("staff",)) -> str:
    """A user of its own for a test, signed in by password alone, in ``groups``."""
    username = f"person-{uuid.uuid4().hex[:8]}"
    ensure_user(stack.client("cognito-idp"), pool_id(stack), username, stack.password, groups)
    return username


def app_code(secret: str) -> str:
    """The code an authenticator app shows for ``secret`` now (RFC 6238: SHA-1, six digits, 30 s).

    With under five seconds of its window left, it waits for the next window, so the code is still
    good when the page sends it.
    """
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    key = secret.replace(" ", "").upper()
    digest = hmac.new(
        base64.b32decode(key + "=" * (-len(key) % 8)),
        struct.pack(">Q", int(time.time() // 30)),
        hashlib.sha1,
    ).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def wrong_code(secret: str) -> str:
    """Six digits that are not the app's code now."""
    return f"{(int(app_code(secret)) + 500_000) % 1_000_000:06d}"


def user_with_two_step(stack: LocalStack) -> tuple[str, str]:
    """A member of staff who has set up two-step sign-in with an app; returns the name and the app's key."""
    username = new_user(stack)
    cognito = stack.client("cognito-idp")
    tokens = cognito.initiate_auth(
        ClientId=client_id(stack),
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": stack.password},
    )["AuthenticationResult"]
    secret: str = cognito.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    cognito.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=app_code(secret))
    cognito.set_user_mfa_preference(
        AccessToken=tokens["AccessToken"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    return username, secret


def client_id(stack: LocalStack) -> str:
    assert stack.pool is not None
    return stack.pool.client_id


def jwt_with(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'kid': 'dummy'})}.{part(claims)}.c2lnbmF0dXJl"
