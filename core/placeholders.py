"""The placeholders a story body holds for pictures and embeds, read from its HTML.

The sanitiser (core/richtext.py) writes them as `<figure data-image="42" …>`
and `<figure data-embed="youtube"><a href="…">…</a></figure>`: lower-case
names, double-quoted values, "<" and ">" escaped inside them, so these
patterns read them exactly. Figures do not nest in what the editor makes; in
anything else the first "</figure>" ends a figure.
"""

import html
import re

FIGURE = re.compile(r"<figure((?: [a-z-]+=\"[^\"]*\")*)>(.*?)</figure>", re.DOTALL)
ATTRIBUTE = re.compile(r" ([a-z-]+)=\"([^\"]*)\"")
HREF = re.compile(r"<a [^>]*?href=\"([^\"]*)\"")


def attributes(raw: str) -> dict[str, str]:
    """Return a tag's attributes as the sanitiser wrote them, unescaped."""
    return {name: html.unescape(value) for name, value in ATTRIBUTE.findall(raw)}


def embeds(body: str) -> list[tuple[str, str]]:
    """Return (provider, address) of each embed in `body`; "" for a missing address."""
    found = []
    for raw, inner in FIGURE.findall(body or ""):
        if provider := attributes(raw).get("data-embed"):
            href = HREF.search(inner)
            found.append((provider, html.unescape(href.group(1)) if href else ""))
    return found
