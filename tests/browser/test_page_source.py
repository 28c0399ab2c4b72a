"""The page's source, read without a browser: no HTML sinks, no module state, modules a reader can
hold in their head."""

from __future__ import annotations

import re
from pathlib import Path

FRONTEND_DIR = Path(__file__).resolve().parents[2] / "frontend"
MODULES = sorted(FRONTEND_DIR.glob("*.js"))
MAX_MODULE_LINES = 350


def test_page_source_never_parses_html_strings() -> None:
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write")
    offenders = [
        f"{path.name}:{number}"
        for path in MODULES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if sinks.search(line)
    ]
    assert offenders == []
    html = (FRONTEND_DIR / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script in index.html"
    assert not re.search(r"https?://", re.sub(r'xmlns="[^"]*"', "", html)), "a link off the machine"


def test_page_modules_keep_no_state_of_their_own() -> None:
    """The session's state is one object handed to the screens, never a module's variable."""
    assert len(MODULES) >= 8, [path.name for path in MODULES]
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in MODULES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.match(r"(export\s+)?(let|var)\s", line)
    ]
    assert offenders == []


def test_page_modules_stay_short() -> None:
    lengths = {path.name: len(path.read_text().splitlines()) for path in MODULES}
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}, lengths
