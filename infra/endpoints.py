"""The public AWS endpoints the chat page talks to, for config.json and the deployed page's CSP.

Each takes the region (and API id) as text, so a CloudFormation placeholder such as
``${AWS::Region}`` works as well as a real value.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def cognito_idp_endpoint(region: str) -> str:
    """The Cognito IdP endpoint the page posts InitiateAuth to (config.json's `cognitoEndpoint`)."""
    return f"https://cognito-idp.{region}.amazonaws.com/"


def execute_api_origin(api_id: str, region: str, url_suffix: str = "amazonaws.com") -> str:
    """A REST API's default https origin (no stage, no trailing slash)."""
    return f"https://{api_id}.execute-api.{region}.{url_suffix}"


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: what a Content-Security-Policy source lists."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
