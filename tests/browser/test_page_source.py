"""The page's source, read without a browser: no HTML sinks, no module state, modules a reader can
hold in their head, type words that agree with the server's vocabulary, and the server's limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib.domain.decimals import CENT
from chalicelib.domain.filters import MAX_AGE, MAX_PRICE, MAX_TEXT
from chalicelib.domain.pets import MAX_TYPE
from chalicelib.language.vocabulary import TYPE_WORDS as SERVER_TYPE_WORDS
from chalicelib.language.vocabulary import canonical_type
from chalicelib.web.query_route import MAX_QUESTION_CHARS

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


def _page_type_words() -> tuple[dict[str, str], list[str]]:
    """TYPE_WORDS of frontend/intent.js, one `word: "type",` (or `"two words": "type",`) pair after
    another; and the lines of the table that are not such pairs, so nothing goes unread unnoticed."""
    source = (FRONTEND_DIR / "intent.js").read_text()
    table = re.search(r"^const TYPE_WORDS = \{\n(.*?)^\};", source, re.S | re.M)
    pair = r'\s*(?:"([a-z ]+)"|([a-z]+)):\s*"([a-z ]+)",'
    words: dict[str, str] = {}
    unread: list[str] = [] if table else ["(no `const TYPE_WORDS = {...};` table)"]
    for line in table.group(1).splitlines() if table else []:
        if not line.strip() or line.strip().startswith("//"):
            continue
        if not re.fullmatch(f"(?:{pair})+", line):
            unread.append(line)
        for quoted, bare, kind in re.findall(pair, line):
            words[quoted or bare] = kind
    return words, unread


PAGE_TYPE_WORDS, UNREAD_LINES = _page_type_words()
SERVER_TYPES = sorted(set(SERVER_TYPE_WORDS.values()))


def test_the_page_type_table_was_read_whole() -> None:
    assert UNREAD_LINES == [], 'intent.js TYPE_WORDS: lines that are not `word: "type",` pairs'
    assert len(PAGE_TYPE_WORDS) >= 2 * len(SERVER_TYPES), PAGE_TYPE_WORDS
    assert PAGE_TYPE_WORDS["guinea pigs"] == "guinea pig"


@pytest.mark.parametrize("word", sorted(PAGE_TYPE_WORDS))
def test_each_page_type_word_means_what_the_server_reads(word: str) -> None:
    assert canonical_type(word) == PAGE_TYPE_WORDS[word]


@pytest.mark.parametrize("kind", SERVER_TYPES)
def test_the_page_knows_every_type_the_server_knows(kind: str) -> None:
    assert PAGE_TYPE_WORDS.get(kind) == kind, f"intent.js has no {kind!r}"
    plurals = [word for word, meaning in PAGE_TYPE_WORDS.items() if meaning == kind and word != kind]
    assert plurals, f"intent.js knows {kind!r} only in the singular"


def test_the_add_form_offers_only_server_types() -> None:
    html = (FRONTEND_DIR / "index.html").read_text()
    datalist = re.search(r'<datalist id="pet-types">(.*?)</datalist>', html, re.S)
    assert datalist
    offered = re.findall(r'<option value="([^"]+)">', datalist.group(1))
    assert offered and set(offered) <= set(SERVER_TYPES), offered


# What frontend/limits.js must say, each read from where the server states it.
SERVER_LIMITS = {
    "MAX_QUESTION_CHARS": MAX_QUESTION_CHARS,
    "MAX_TEXT": MAX_TEXT,
    "MAX_TYPE": MAX_TYPE,
    "MAX_AGE": MAX_AGE,
    "MAX_PRICE": MAX_PRICE,
    "MAX_DECIMALS": -int(CENT.as_tuple().exponent),
}


def _page_limits() -> dict[str, int]:
    """The `export const NAME = 1_000;` lines of frontend/limits.js, as numbers."""
    source = (FRONTEND_DIR / "limits.js").read_text()
    found = re.findall(r"^export const (MAX_[A-Z_]+) = ([\d_]+);$", source, re.M)
    return {name: int(value.replace("_", "")) for name, value in found}


def test_the_page_checks_the_servers_limits() -> None:
    assert _page_limits() == SERVER_LIMITS


def test_the_limits_are_stated_once_on_the_page() -> None:
    """Inputs get their maxlength from limits.js; no other module or the HTML says a limit again."""
    html = (FRONTEND_DIR / "index.html").read_text()
    assert re.findall(r"maxlength=\S+", html, re.I) == []
    elsewhere = [
        f"{path.name}: {name}"
        for path in MODULES
        if path.name != "limits.js"
        for name in re.findall(r"\bconst (MAX_[A-Z_]+) =", path.read_text())
        if name in SERVER_LIMITS
    ]
    assert elsewhere == []
