"""Tag names as editors type them: separated by commas, 、 or new lines."""

import re
from collections.abc import Iterable
from typing import Protocol

from tags.models import normalize_name

# The comma, the Japanese comma 、, the full-width ， and the half-width ､.
SEPARATORS = ",、，､\n\r"
# A name in double quotes may hold separators; the closing quote is the one
# followed by a separator or the end, so a quote inside a name stays literal.
TOKEN = re.compile(
    rf'[^\S\n\r]*"(?P<quoted>[^\n\r]*?)"[^\S\n\r]*(?=[{SEPARATORS}]|\Z)'
    rf"|(?P<plain>[^{SEPARATORS}]*)"
)


class Named(Protocol):
    def display_name(self, language: str) -> str: ...


def parse_tags(text: str) -> list[str]:
    """Return the normalised, non-empty tag names in `text`, without repeats."""
    names: list[str] = []
    position = 0
    text = text or ""
    while True:
        match = TOKEN.match(text, position)
        quoted = match.group("quoted")
        names.append(normalize_name(quoted if quoted is not None else match["plain"]))
        position = match.end()
        if position >= len(text):
            break
        position += 1  # the separator
    # A stray quote on its own is no name.
    return list(dict.fromkeys(name for name in names if name.strip('"')))


def edit_string(tags: Iterable[Named | str], language: str) -> str:
    """Return the tags as editors type them, each named in `language` if it can be."""
    names = []
    for tag in tags:
        name = tag if isinstance(tag, str) else tag.display_name(language)
        if name.startswith('"') or any(char in SEPARATORS for char in name):
            name = f'"{name}"'
        names.append(name)
    return ", ".join(names)
