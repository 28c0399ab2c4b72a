"""cfn-lint, run on a template file as `make package` runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def cfn_lint(template: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("cfn-lint")
    return subprocess.run([str(lint), str(template)], capture_output=True, text=True, check=False)  # noqa: S603
