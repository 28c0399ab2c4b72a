"""The page's source, read without a browser: no HTML sinks, no inline script, no link off the machine."""

from __future__ import annotations

import re
from pathlib import Path

FRONTEND_DIR = Path(__file__).resolve().parents[2] / "frontend"
MODULES = sorted(FRONTEND_DIR.glob("*.js"))


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
