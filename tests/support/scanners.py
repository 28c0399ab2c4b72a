"""cfn-lint and checkov, run on a template file as `make package` runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# checkov lives in a virtualenv of its own (see the Makefile); CHECKOV names another one.
CHECKOV = Path(os.environ.get("CHECKOV", ROOT / ".venv-checkov" / "bin" / "checkov"))


def cfn_lint(template: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("cfn-lint")
    return subprocess.run([str(lint), str(template)], capture_output=True, text=True, check=False)  # noqa: S603


@dataclass(frozen=True)
class CheckovReport:
    passed: list[dict[str, Any]]
    failed: list[dict[str, Any]]
    skipped: list[dict[str, Any]]

    def describe_failures(self) -> str:
        return "\n".join(f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in self.failed)


def checkov(template: Path) -> CheckovReport:
    """Every check's result; raises when checkov is missing or did not scan (a scan is never skipped)."""
    if not CHECKOV.exists():
        raise FileNotFoundError(f"{CHECKOV} is missing: run `make .venv-checkov/.installed` (make test does)")
    command = [
        str(CHECKOV),
        "-f",
        str(template),
        "--framework",
        "cloudformation",
        "--skip-download",
        "-o",
        "json",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode not in (0, 1):
        raise RuntimeError(f"checkov exited {result.returncode}: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    results = report["results"]
    summary = report["summary"]
    if summary["parsing_errors"] or not summary["resource_count"]:
        raise RuntimeError(f"checkov scanned nothing in {template}: {summary}")
    return CheckovReport(results["passed_checks"], results["failed_checks"], results["skipped_checks"])
