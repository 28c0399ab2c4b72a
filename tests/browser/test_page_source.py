"""The page's source, read without a browser: no HTML sinks, no module state, modules a reader can
hold in their head, and type words that agree with the server's vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib.language.vocabulary import TYPE_WORDS as SERVER_TYPE_WORDS
from chalicelib.language.vocabulary import canonical_type

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
