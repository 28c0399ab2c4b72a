"""The public AWS endpoints the chat page talks to, for the deployed page's CSP (Cognito's is in
``chalicelib.adapters.aws``, which the app uses too).

Each takes the region (and API id) as text, so a CloudFormation placeholder such as
``${AWS::Region}`` works as well as a real value.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def execute_api_origin(api_id: str, region: str, url_suffix: str = "amazonaws.com") -> str:
    """A REST API's default https origin (no stage, no trailing slash)."""
    return f"https://{api_id}.execute-api.{region}.{url_suffix}"


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: what a Content-Security-Policy source lists."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
