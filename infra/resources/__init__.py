"""CloudFormation for what Chalice does not make, built from the definitions the app and bootstrap use.

By concern: `settings` (a stage's settings and limits), `state` (tables, user pool, secret), `page`
(the page's bucket, CloudFront, headers and access logs), `protection` (throttling, the WAF, API
Gateway's own answers), `audit` (access log, function log, logging role, key), `alarms`, and
`template`, which puts them together.
"""

from infra.resources.alarms import FALLBACK_RATE_THRESHOLD, fallback_alarm
from infra.resources.audit import (
    ACCESS_LOG_FIELDS,
    ACCESS_LOG_FORMAT,
    FUNCTION_LOG_GROUP,
    FUNCTION_LOG_RETENTION_DAYS,
    access_log_group_name,
    function_log_group_name,
)
from infra.resources.page import PAGE_ORIGIN, SECURITY_HEADERS, deployed_csp
from infra.resources.protection import (
    TOO_MANY_REQUESTS,
    TOO_MANY_REQUESTS_BODY,
    WEB_ACL,
    gateway_responses,
    method_settings,
    web_acl,
)
from infra.resources.stage_config import (
    CHALICE_CONFIG,
    ROOT,
    ApiLimits,
    SettingsError,
    api_stage_name,
    chalice_config,
    function_name,
    idempotency_table,
    protected,
    stage_environment,
    stage_setting,
    tracing,
)
from infra.resources.template import (
    API_DEPLOYED,
    REST_API_PARAMETER,
    finish_packaged_template,
    merge_template,
    web_stack_template,
)

__all__ = [
    "ACCESS_LOG_FIELDS",
    "ACCESS_LOG_FORMAT",
    "API_DEPLOYED",
    "CHALICE_CONFIG",
    "FALLBACK_RATE_THRESHOLD",
    "FUNCTION_LOG_GROUP",
    "FUNCTION_LOG_RETENTION_DAYS",
    "PAGE_ORIGIN",
    "REST_API_PARAMETER",
    "ROOT",
    "SECURITY_HEADERS",
    "TOO_MANY_REQUESTS",
    "TOO_MANY_REQUESTS_BODY",
    "WEB_ACL",
    "ApiLimits",
    "SettingsError",
    "access_log_group_name",
    "api_stage_name",
    "chalice_config",
    "deployed_csp",
    "fallback_alarm",
    "finish_packaged_template",
    "function_log_group_name",
    "function_name",
    "gateway_responses",
    "idempotency_table",
    "merge_template",
    "method_settings",
    "protected",
    "stage_environment",
    "stage_setting",
    "tracing",
    "web_acl",
    "web_stack_template",
]
