"""Where a story body places library pictures: read from its stored HTML.

The sanitiser (core/richtext.py) writes a placed picture as
`<figure data-image="42" …>`: lower-case names, double-quoted values, "<" and
">" escaped inside them, so these patterns read it exactly.
"""

import html
import re

FIGURE = re.compile(r"<figure((?: [a-z-]+=\"[^\"]*\")*)>(.*?)</figure>", re.DOTALL)
ATTRIBUTE = re.compile(r" ([a-z-]+)=\"([^\"]*)\"")


def attributes(raw: str) -> dict[str, str]:
    """Return a tag's attributes as the sanitiser wrote them, unescaped."""
    return {name: html.unescape(value) for name, value in ATTRIBUTE.findall(raw)}


def image_ids(body: str) -> set[int]:
    """Return the ids of the library pictures `body` places."""
    if not body or "<figure" not in body:
        return set()
    return {
        int(value)
        for raw, _inner in FIGURE.findall(body)
        if (value := attributes(raw).get("data-image", "")).isdigit()
    }
