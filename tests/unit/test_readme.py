"""The README tells the truth: every path it names is there, and its example answer is a real one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chalicelib.adapters.storage import MemoryPetStore
from chalicelib.service.answering import PetQuestions
from infra.seed import sample_pets

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A path in backticks: a folder of the project and what lies below it.
_PATH = re.compile(r"`((?:chalicelib|infra|localdev|agents|frontend|tests|\.chalice|\.ci)/[\w./<>-]*)`")


def named_paths() -> list[str]:
    return sorted({match.group(1) for match in _PATH.finditer(README) if "<" not in match.group(1)})


@pytest.mark.parametrize("path", named_paths())
def test_every_path_the_readme_names_exists(path: str) -> None:
    assert (ROOT / path.rstrip("/")).exists(), f"the README names {path}, which is not there"


def test_the_readme_names_the_layout() -> None:
    assert len(named_paths()) > 30


def test_the_example_answer_is_what_the_sample_pets_answer() -> None:
    asked = re.search(
        r"-d '(\{\"query\": \"cheap dogs under \$500, youngest first\", \"limit\": 5\})'", README
    )
    assert asked, "the README's example question"
    shown = re.search(r"```json\n(\{\"query\": \"cheap dogs.*?)\n```", README, re.S)
    assert shown, "the README's example answer"
    body = json.loads(asked.group(1))
    answer = PetQuestions(MemoryPetStore(sample_pets()), None, "keyword").answer(body["query"], body["limit"])
    assert json.loads(shown.group(1)) == answer.body
