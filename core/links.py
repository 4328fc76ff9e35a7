"""Addresses of pages found by a slug, without reverse()'s cost for each link."""

import re
from functools import lru_cache
from urllib.parse import quote

from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils import translation

# Any text the route's <uslug:> takes (reader/converters.py) and no slug has.
_MARK = "0slug0"
_SLUG = re.compile(r"[-\w]+")


def slug_url(name: str, slug: str, language: str | None = None) -> str:
    """Return what reverse(name, kwargs={"slug": slug}) gives in `language`.

    reverse() walks the URL patterns, checks its answer against the route's
    pattern and quotes it: 40-60 microseconds a call, and a home page links a
    hundred stories, sections and authors. Here the route's address around
    the slug is worked out once per URL configuration, script prefix, route
    and language, and the slug is quoted as reverse() quotes it. A slug the
    route would refuse goes to reverse(), which says so.
    """
    language = language or translation.get_language()
    if not _SLUG.fullmatch(slug):
        with translation.override(language):
            return django_reverse(name, kwargs={"slug": slug})
    before, after = _around_slug(
        get_resolver(get_urlconf()), get_script_prefix(), name, language
    )
    # Letters, digits, "_" and "-" (all a slug holds) are left as they are,
    # anything else percent-encoded in UTF-8: reverse()'s quoting of them.
    return f"{before}{quote(slug, safe='')}{after}"


def route_url(name: str, language: str, **kwargs: object) -> str:
    """Return reverse(name, kwargs=kwargs) in `language`, by slug_url() when it can."""
    if set(kwargs) == {"slug"}:
        return slug_url(name, str(kwargs["slug"]), language)
    with translation.override(language):
        return django_reverse(name, kwargs=kwargs)


@lru_cache(maxsize=256)
def _around_slug(
    resolver: URLResolver, script_prefix: str, name: str, language: str
) -> tuple[str, str]:
    # The resolver is in the key: tests that change the URL configuration get
    # a new one (Django clears its cache), and so a new answer here.
    with translation.override(language):
        url = django_reverse(name, kwargs={"slug": _MARK})
    before, _mark, after = url.partition(_MARK)
    return before, after
