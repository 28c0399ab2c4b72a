"""A deployed stage's settings as .chalice/config.json gives them, read the way chalice reads them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.adapters.stage_settings import idempotency_table_name

ROOT = Path(__file__).resolve().parent.parent.parent
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
PROTECTED_STAGES = frozenset({"prod"})
# What AWS accepts: WAF rate-based rules count over one of these windows, from 10 requests up.
WAF_WINDOWS = frozenset({60, 120, 300, 600})
WAF_MIN_LIMIT = 10


class SettingsError(ValueError):
    """A stage's settings in .chalice/config.json are missing or outside what AWS accepts."""


def chalice_config(config_file: Path = CHALICE_CONFIG) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(config_file.read_text())
    return config


def stage_setting(stage: str, name: str, default: Any = None, config_file: Path = CHALICE_CONFIG) -> Any:
    """A setting of the stage, else of the top level, else ``default``: chalice's own lookup order."""
    config = chalice_config(config_file)
    return config["stages"][stage].get(name, config.get(name, default))


def stage_environment(stage: str, config_file: Path = CHALICE_CONFIG) -> dict[str, str]:
    """The stage's environment variables as .chalice/config.json gives them (top level, then stage)."""
    config = chalice_config(config_file)
    return {**config.get("environment_variables", {}), **config["stages"][stage]["environment_variables"]}


def idempotency_table(stage: str) -> str:
    """The stage's idempotency table, named as the app names it (chalicelib.adapters.stage_settings)."""
    env = stage_environment(stage)
    return env.get("IDEMPOTENCY_TABLE_NAME") or idempotency_table_name(env["TABLE_NAME"])


def function_name(stage: str) -> str:
    """The function's name, as `chalice deploy` names it and the SAM template sets it: app-stage."""
    return f"{chalice_config()['app_name']}-{stage}"


def api_stage_name(stage: str) -> str:
    """The API Gateway stage chalice deploys the API to (`api_gateway_stage`)."""
    name: str = stage_setting(stage, "api_gateway_stage", "api")
    return name


def tracing(stage: str) -> bool:
    """X-Ray for the function and the API stage alike: chalice's `xray` setting."""
    return bool(stage_setting(stage, "xray", False))


def protected(stage: str) -> bool:
    return stage in PROTECTED_STAGES


def retained(stage: str) -> dict[str, str]:
    """A protected stage's data and logs outlive its stack: deleting the stack leaves them behind."""
    policy = "Retain" if protected(stage) else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


@dataclass(frozen=True)
class ApiLimits:
    """How fast callers may go (`api_limits` of a stage).

    `rate_limit` and `burst_limit` are API Gateway's stage throttling (requests per second, token
    bucket size), over all callers together. The WAF counts each caller over `waf_window_seconds`:
    `waf_per_ip` requests from one address, `waf_per_authorization` with one token.
    """

    rate_limit: float
    burst_limit: int
    waf_window_seconds: int
    waf_per_ip: int
    waf_per_authorization: int

    @classmethod
    def for_stage(cls, stage: str, config_file: Path = CHALICE_CONFIG) -> ApiLimits:
        block = stage_setting(stage, "api_limits", config_file=config_file)
        if not isinstance(block, dict):
            raise SettingsError(f"stage {stage} has no api_limits in {config_file.name}")
        try:
            limits = cls(**block)
        except TypeError as error:
            raise SettingsError(f"stage {stage}: api_limits: {error}") from None
        limits.check()
        return limits

    def check(self) -> None:
        if not (self.rate_limit > 0 and self.burst_limit >= 1):
            raise SettingsError("rate_limit must be above 0 and burst_limit at least 1")
        if self.waf_window_seconds not in WAF_WINDOWS:
            raise SettingsError(f"waf_window_seconds must be one of {sorted(WAF_WINDOWS)}")
        if min(self.waf_per_ip, self.waf_per_authorization) < WAF_MIN_LIMIT:
            raise SettingsError(f"WAF limits count from {WAF_MIN_LIMIT} requests per window")
