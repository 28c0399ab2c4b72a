"""Text as the pet store keeps it: one line, printable, trimmed."""

from __future__ import annotations

from pydantic import AfterValidator


def one_line(text: str) -> str:
    """Text as one line: control characters refused, runs of white space made one space."""
    if not text.isprintable():
        raise ValueError("must not contain control characters")
    return " ".join(text.split())


def printable(text: str) -> str:
    """Text with every control or format character made a space, white space collapsed."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def question_words(text: str) -> str:
    """What a question says, case and spacing aside: "  Cheap\n DOGS " is "cheap dogs"."""
    return printable(text).casefold()


def trimmed(text: str) -> str:
    """``text`` without white space at its ends; a ValueError when that leaves nothing."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("must not be blank")
    return stripped


# Trims a text field after its length is checked: limits count the text as sent, as the API's
# description says, so " " plus the longest text allowed is one character too long.
Trimmed = AfterValidator(trimmed)
