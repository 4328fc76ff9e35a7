"""Find text on a page that is in another language's script and not marked as such."""

import re
from html.parser import HTMLParser

SCRIPTS = {
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "ja": re.compile(r"[\u3040-\u30ff]"),
}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _LanguageTextParser(HTMLParser):
    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [page_language]
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        # Scripts and styles are not text a reader sees (JSON-LD marks its
        # citations' languages itself).
        hidden = "script" if tag in ("script", "style") else None
        self.stack.append(hidden or dict(attrs).get("lang") or self.stack[-1])

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() and self.stack[-1] != "script":
            self.texts.append((self.stack[-1], data.strip()))


def foreign_text(html: str, page_language: str) -> list[str]:
    """Return the text runs written in another newsroom language's script.

    Text inside an element whose `lang` names that other language is fine
    (the language switcher names each language in its own script).
    """
    parser = _LanguageTextParser(page_language)
    parser.feed(html)
    found = []
    for marked_language, text in parser.texts:
        for language, script in SCRIPTS.items():
            if language not in (page_language, marked_language) and script.search(text):
                found.append(text)
    return found
