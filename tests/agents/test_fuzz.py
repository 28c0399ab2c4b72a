"""schemathesis fuzzes the API from its OpenAPI description, over HTTP, on a local stack of its own.

No answer may be a server error, and every answer must be what the description says: its status,
its content type, its body's schema. The stack is this module's own, as the fuzzer adds pets.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from localdev.stack import LocalStack, Ports

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONFIG = PROJECT_DIR / "tests" / "support" / "schemathesis.toml"
ARTIFACTS = PROJECT_DIR / "test-artifacts"
SCHEMATHESIS = Path(sys.executable).with_name("st")
# Examples per operation in the fuzzing and stateful phases; the coverage phase tries every
# boundary and wrong type the description defines whatever this says. About a minute in all.
MAX_EXAMPLES = 25
# positive_data_acceptance is left out: the API is stricter than JSON Schema can say (a pet's type
# is letters only, a next_token must be one the API signed, numbers have at most two decimals), and
# each such 400 is described and names the field.
CHECKS = ["--checks", "all", "--exclude-checks", "positive_data_acceptance"]


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack(ports=Ports.free()) as own:
        yield own


def test_the_api_answers_as_its_description_says(stack: LocalStack, tmp_path: Path) -> None:
    description = tmp_path / "openapi.json"
    subprocess.run(  # noqa: S603 - this interpreter, the project's own module
        [sys.executable, "-m", "agents.openapi", str(description), "--server-url", stack.api_url],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    )
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", str(description),
        "--url", stack.api_url, "--header", f"Authorization: {stack.id_token('staff')}",
        *CHECKS, "--max-examples", str(MAX_EXAMPLES), "--generation-database", "none",
        "--request-timeout", "20", "--no-color", "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "schemathesis.txt").write_text(run.stdout + run.stderr)
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    assert run.returncode == 0, f"schemathesis found failures (replay with its seed):\n{run.stdout[-8000:]}"
    generated = re.search(r"(\d+) generated", summary)
    assert generated and int(generated.group(1)) >= 300, summary
    operations = sum(len(methods) for methods in json.loads(description.read_text())["paths"].values())
    assert f"Tested: {operations}" in summary, summary
