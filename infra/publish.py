"""Publishing the chat page: frontend/ and the deployed config.json to the bucket, then CloudFront."""

from __future__ import annotations

import json
import logging
import mimetypes
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chalicelib.adapters.aws import cognito_endpoint
from infra.resources import ROOT

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)

FRONTEND = ROOT / "frontend"
# The page changes with each release: the browser revalidates it; CloudFront is invalidated.
PAGE_CACHE_CONTROL = "no-cache"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class DeployedStage:
    """Where a deployed stage's parts are: what the page's config.json and the upload need."""

    region: str
    api_base_url: str
    user_pool_id: str
    client_id: str
    bucket: str
    distribution_id: str
    page_url: str

    @classmethod
    def from_outputs(cls, outputs: Mapping[str, str]) -> DeployedStage:
        return cls(
            region=outputs["Region"],
            api_base_url=outputs["EndpointURL"],
            user_pool_id=outputs["UserPoolId"],
            client_id=outputs["AppClientId"],
            bucket=outputs["PageBucketName"],
            distribution_id=outputs["PageDistributionId"],
            page_url=outputs["PageUrl"],
        )

    @property
    def page_origin(self) -> str:
        return self.page_url.rstrip("/")

    def page_config(self) -> dict[str, str]:
        """The page's config.json (see the contract): the deployed API and the region's Cognito."""
        return {
            "apiBaseUrl": self.api_base_url.rstrip("/"),
            "region": self.region,
            "userPoolId": self.user_pool_id,
            "clientId": self.client_id,
            "cognitoEndpoint": cognito_endpoint(self.region),
        }


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix)
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def publish_page(
    s3: S3Client, cloudfront: CloudFrontClient, stage: DeployedStage, frontend: Path = FRONTEND
) -> list[str]:
    """Uploads the page and its config.json, then invalidates CloudFront; returns the keys written."""
    files = sorted(path for path in frontend.rglob("*") if path.is_file() and path.name != "config.json")
    if not any(path.name == "index.html" for path in files):
        raise SystemExit(f"{frontend} has no index.html: nothing to publish")
    keys = []
    for path in files:
        key = path.relative_to(frontend).as_posix()
        s3.put_object(
            Bucket=stage.bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=content_type(path),
            CacheControl=PAGE_CACHE_CONTROL,
        )
        keys.append(key)
    s3.put_object(
        Bucket=stage.bucket,
        Key="config.json",
        Body=json.dumps(stage.page_config(), indent=2).encode(),
        ContentType="application/json",
        CacheControl=PAGE_CACHE_CONTROL,
    )
    keys.append("config.json")
    cloudfront.create_invalidation(
        DistributionId=stage.distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time_ns())},
    )
    log.info("Published %d files to s3://%s; the page is at %s", len(keys), stage.bucket, stage.page_url)
    return keys
