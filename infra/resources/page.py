"""The chat page: its private bucket, CloudFront in front of it with the page's security headers,
and the bucket both write their access logs to."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.aws import cognito_endpoint
from infra.endpoints import execute_api_origin, origin
from infra.page_headers import content_security_policy
from infra.resources.checkov import skipped
from infra.resources.stage_config import retained

# AWS managed CloudFront cache policy CachingOptimized.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
DISTRIBUTION_ARN = "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${PageDistribution}"
PAGE_ORIGIN = "https://${PageDistribution.DomainName}"
LOG_RETENTION_DAYS = 365
CLOUDFRONT_LOG_PREFIX = "cloudfront/"
BUCKET_LOG_PREFIX = "page-bucket/"
# The security headers CloudFront's managed SecurityHeadersPolicy sent before, plus the CSP; the
# frame options follow the CSP's frame-ancestors 'none'.
ONE_YEAR = 31_536_000
SECURITY_HEADERS: dict[str, Any] = {
    "ContentTypeOptions": {"Override": True},
    "FrameOptions": {"FrameOption": "DENY", "Override": True},
    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True},
    "StrictTransportSecurity": {
        "AccessControlMaxAgeSec": ONE_YEAR,
        "IncludeSubdomains": False,
        "Override": True,
    },
    "XSSProtection": {"Protection": True, "ModeBlock": True, "Override": True},
}


def deployed_csp(api_id: str) -> dict[str, str]:
    """The page's CSP for Fn::Sub: it may call the API and the region's Cognito.

    ``api_id`` is a placeholder such as ``${RestApiId}``, or ``*`` for any REST API of the region:
    where one template makes both, the API's CORS names the page's domain, so the page's headers
    cannot name the API without a circular dependency.
    """
    api = execute_api_origin(api_id, "${AWS::Region}", "${AWS::URLSuffix}")
    return {"Fn::Sub": content_security_policy([api, origin(cognito_endpoint("${AWS::Region}"))])}


def page_resources(stage: str, csp: Any) -> dict[str, Any]:
    """Everything that serves the page; ``csp`` is the Content-Security-Policy's template value."""
    return {
        "PageBucket": _page_bucket(),
        "PageBucketPolicy": _page_bucket_policy(),
        "PageLogBucket": _log_bucket(stage),
        "PageLogBucketPolicy": _log_bucket_policy(),
        "PageOriginAccessControl": _origin_access_control(stage),
        "PageHeadersPolicy": _headers_policy(stage, csp),
        "PageDistribution": _distribution(stage),
    }


def _page_bucket() -> dict[str, Any]:
    reasons = {
        "CKV_AWS_21": (
            "The bucket holds a copy of frontend/ that publish-page rewrites from git on every "
            "release; git is its history, and old versions would only make teardown slower."
        )
    }
    return {
        "Type": "AWS::S3::Bucket",
        # S3 checks that it may write to the log bucket when logging is switched on.
        "DependsOn": "PageLogBucketPolicy",
        "Metadata": skipped(reasons),
        "Properties": {
            "PublicAccessBlockConfiguration": _all_public_access_blocked(),
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": _sse_s3(),
            "LoggingConfiguration": {
                "DestinationBucketName": {"Ref": "PageLogBucket"},
                "LogFilePrefix": BUCKET_LOG_PREFIX,
            },
        },
    }


def _page_bucket_policy() -> dict[str, Any]:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "PageBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudFrontReadsThePage",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": "${PageBucket.Arn}/*"},
                        "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": DISTRIBUTION_ARN}}},
                    }
                ],
            },
        },
    }


def _log_bucket(stage: str) -> dict[str, Any]:
    """CloudFront's standard logs are written with ACLs, so this bucket keeps them enabled
    (BucketOwnerPreferred: the bucket owner still owns every log object)."""
    reasons = {
        "CKV_AWS_18": "This is the log bucket: logging its own access would log into itself.",
    }
    return {
        "Type": "AWS::S3::Bucket",
        **retained(stage),
        "Metadata": skipped(reasons),
        "Properties": {
            "PublicAccessBlockConfiguration": _all_public_access_blocked(),
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]},
            "BucketEncryption": _sse_s3(),
            # A log deleted or overwritten stays recoverable for a month.
            "VersioningConfiguration": {"Status": "Enabled"},
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "expire-logs",
                        "Status": "Enabled",
                        "ExpirationInDays": LOG_RETENTION_DAYS,
                        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                    }
                ]
            },
        },
    }


def _log_bucket_policy() -> dict[str, Any]:
    # The page bucket's name is generated, so the condition names the account rather than the bucket
    # (naming the bucket would make the two depend on each other).
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "PageLogBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "S3WritesThePageBucketAccessLog",
                        "Effect": "Allow",
                        "Principal": {"Service": "logging.s3.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": {"Fn::Sub": f"${{PageLogBucket.Arn}}/{BUCKET_LOG_PREFIX}*"},
                        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                    }
                ],
            },
        },
    }


def _origin_access_control(stage: str) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudFront::OriginAccessControl",
        "Properties": {
            "OriginAccessControlConfig": {
                "Name": {"Fn::Sub": f"petstore-{stage}-page-${{AWS::StackName}}"},
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    }


def _headers_policy(stage: str, csp: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": {"Fn::Sub": f"petstore-{stage}-page-${{AWS::StackName}}"},
                "Comment": "The chat page's Content-Security-Policy and security headers",
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": {"ContentSecurityPolicy": csp, "Override": True},
                    **SECURITY_HEADERS,
                },
            }
        },
    }


def _distribution(stage: str) -> dict[str, Any]:
    reasons = {
        "CKV_AWS_68": (
            "The distribution serves only the page's static files, which anyone may fetch; the API, "
            "where requests cost money, has its own web ACL. A CloudFront web ACL would have to live "
            "in us-east-1 and adds a monthly fee for no data to protect."
        ),
        "CKV_AWS_174": (
            "The page uses the default *.cloudfront.net certificate, with which CloudFront does not let "
            "the minimum TLS version be chosen. Set MinimumProtocolVersion TLSv1.2_2021 with the ACM "
            "certificate when the page gets a domain of its own."
        ),
    }
    return {
        "Type": "AWS::CloudFront::Distribution",
        "Metadata": skipped(reasons),
        "Properties": {
            "DistributionConfig": {
                "Comment": f"petstore {stage} chat page",
                "Enabled": True,
                "DefaultRootObject": "index.html",
                "HttpVersion": "http2and3",
                "PriceClass": "PriceClass_100",
                "Origins": [
                    {
                        "Id": "page",
                        "DomainName": {"Fn::GetAtt": ["PageBucket", "RegionalDomainName"]},
                        "OriginAccessControlId": {"Fn::GetAtt": ["PageOriginAccessControl", "Id"]},
                        # Empty: OAC, not the legacy origin access identity, signs requests.
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
                "DefaultCacheBehavior": {
                    "TargetOriginId": "page",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "AllowedMethods": ["GET", "HEAD"],
                    "Compress": True,
                    "CachePolicyId": CACHING_OPTIMIZED,
                    "ResponseHeadersPolicyId": {"Ref": "PageHeadersPolicy"},
                },
                "Logging": {
                    "Bucket": {"Fn::GetAtt": ["PageLogBucket", "DomainName"]},
                    "Prefix": CLOUDFRONT_LOG_PREFIX,
                    "IncludeCookies": False,
                },
            }
        },
    }


def _all_public_access_blocked() -> dict[str, bool]:
    return {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }


def _sse_s3() -> dict[str, Any]:
    return {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
