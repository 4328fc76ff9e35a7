"""Surrogate keys: the names a page gives what it shows, so one purge finds it.

A page lists the keys of every object whose change would change it (a story
page: the story, its section, tags, authors and pictures, the stories it links
to); a change purges its object's keys and every page naming them goes. Keys
are short ASCII words, one language-free set: a story's key reaches its pages
in every language.
"""

from collections.abc import Iterable
from datetime import datetime

from django.http import HttpRequest

# Pages that list "the newest stories" of a kind: a story going live or out
# changes them although they did not name it before.
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
ARCHIVE = "archive"
# The "most read" lists, purged when a ranking turns over.
MOST_READ = "most-read"
# The trending tags, purged when their order changes.
TRENDING = "trending"
# Reader 404s: a story published at an address that was missing before.
MISSING = "missing"
# Every page the front cache holds (an operator's purge of everything).
ALL = "all"

LISTS = (HOME, FEEDS, SITEMAPS, SEARCH, ARCHIVE, MISSING)


def story(pk: int) -> str:
    return f"s{pk}"


def section(pk: int) -> str:
    return f"sec{pk}"


def tag(pk: int) -> str:
    return f"t{pk}"


def author(pk: int) -> str:
    return f"a{pk}"


# A section's, tag's or author's own lists of stories (its page, its feed):
# what a story going live or out changes. Its plain key is its name, shown on
# every page of its stories: what a rename changes.
def section_list(pk: int) -> str:
    return f"secl{pk}"


def tag_list(pk: int) -> str:
    return f"tl{pk}"


def author_list(pk: int) -> str:
    return f"al{pk}"


def series(pk: int) -> str:
    return f"ser{pk}"


def picture(pk: int) -> str:
    return f"img{pk}"


REQUEST_ATTRIBUTE = "surrogate_keys"


def add(request: HttpRequest, keys: Iterable[str]) -> None:
    """Name `keys` as shown by the page `request` is answered with."""
    found: set[str] = getattr(request, REQUEST_ATTRIBUTE, None) or set()
    found.update(keys)
    setattr(request, REQUEST_ATTRIBUTE, found)


def of(request: HttpRequest) -> set[str]:
    return set(getattr(request, REQUEST_ATTRIBUTE, None) or ())


UNTIL_ATTRIBUTE = "surrogate_until"


def until(request: HttpRequest, moment: datetime) -> None:
    """Say the page changes by itself at `moment` (a breaking flag ending):
    no cache keeps it past then, purge or not."""
    current = getattr(request, UNTIL_ATTRIBUTE, None)
    if current is None or moment < current:
        setattr(request, UNTIL_ATTRIBUTE, moment)


def until_of(request: HttpRequest) -> datetime | None:
    return getattr(request, UNTIL_ATTRIBUTE, None)
