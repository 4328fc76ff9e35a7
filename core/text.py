"""Cut text for readers: whole characters in Korean and Japanese, words in English."""

import unicodedata

ELLIPSIS = "…"
SPACED_LANGUAGES = {"en"}


def excerpt(text: str, limit: int, language: str) -> str:
    """Return `text` cut to at most `limit` characters, ending with an ellipsis.

    Korean and Japanese may end anywhere between two characters (never inside
    a character and its combining marks); English ends at a word boundary.
    """
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = limit - len(ELLIPSIS)
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    if language in SPACED_LANGUAGES:
        space = text.rfind(" ", 0, cut + 1)
        if space > 0:
            cut = space
    return text[:cut].rstrip(" ,.;:、。") + ELLIPSIS
