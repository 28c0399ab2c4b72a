"""The chat page's Content-Security-Policy: one definition for the local page server and CloudFront.

Only `connect-src` differs between the two: loopback locally, the API's and Cognito's https origins
when deployed. Everything else the page may load comes from its own origin.
"""

from __future__ import annotations

from collections.abc import Iterable

# The local stack's API and emulator listen on loopback, on ports chosen at start.
LOOPBACK_SOURCES = ("http://127.0.0.1:*", "http://localhost:*")
# Directive -> sources, in the order they are written; connect-src gets the origins the page calls.
_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "frame-ancestors": ("'none'",),
}


def content_security_policy(connect_sources: Iterable[str]) -> str:
    """The page's CSP, letting it call ``connect_sources`` besides its own origin."""
    directives = {**_DIRECTIVES, "connect-src": (*_DIRECTIVES["connect-src"], *connect_sources)}
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())


LOCAL_CSP = content_security_policy(LOOPBACK_SOURCES)
