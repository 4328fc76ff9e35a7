"""Cache-Control and surrogate keys on readers' pages; private for everyone else.

A reader without a session gets a page a shared cache may keep: a short
lifetime in the browser, a longer one in the front cache (which is purged by
key when anything on the page changes), leave to serve a stale copy while it
fetches a new one or while the app is down, and the keys of what the page
shows. Anyone with a session (the desk's people) gets `private, no-store`.
ConditionalGetMiddleware, outside this one, adds the ETag and answers 304s.

A page begun before one of its keys was purged may show the old data (the
purge found nothing to drop while it was drawn): it is sent `no-store` and
`Drawn-Before-Purge: 1`, on which our VCL asks the app again at once
(frontcache/purge.py, `note_purged()`).
"""

import time
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control

from frontcache import keys
from frontcache.purge import purged_since

# The URL namespaces and names whose pages readers share.
PUBLIC_NAMESPACES = {"reader", "search"}
PUBLIC_NAMES = {"sitemap", "news_sitemap", "robots_txt"}
# Answers worth keeping: pages, moved addresses, and "no such page".
KEPT_STATUSES = {200, 301, 404}
SAFE_METHODS = {"GET", "HEAD"}
# Says a page was begun before a purge of something on it (purged_since()).
DRAWN_BEFORE_PURGE = "Drawn-Before-Purge"


def is_public(request: HttpRequest, response: HttpResponseBase) -> bool:
    match = request.resolver_match
    if match is None:
        # No route at all: a reader's 404 (the handler's page is the site's).
        return response.status_code == 404
    return bool(set(match.namespaces) & PUBLIC_NAMESPACES) or (
        match.url_name in PUBLIC_NAMES
    )


def seconds(name: str) -> int:
    return cast(int, settings.NEWSROOM_CACHE[name])


def lifetimes(request: HttpRequest, status: int) -> dict[str, int]:
    """Return the page's lifetimes: the settings', cut short by `keys.until()`."""
    shared = seconds("SHARED_SECONDS")
    match = request.resolver_match
    if status == 404:
        shared = seconds("MISSING_SECONDS")
    elif match is not None and "search" in match.namespaces:
        shared = seconds("SEARCH_SECONDS")
    browser = seconds("BROWSER_SECONDS")
    if (moment := keys.until_of(request)) is not None:
        left = max(0, int((moment - timezone.now()).total_seconds()))
        browser, shared = min(browser, left), min(shared, left)
    return {
        "max_age": browser,
        "s_maxage": shared,
        "stale_while_revalidate": seconds("STALE_WHILE_REVALIDATE_SECONDS"),
        "stale_if_error": seconds("STALE_IF_ERROR_SECONDS"),
    }


class SharedCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        began = time.time()
        response = self.get_response(request)
        if (
            request.method not in SAFE_METHODS
            or response.has_header("Cache-Control")
            or not is_public(request, response)
        ):
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # The desk's people: their own copy, kept by nobody.
            patch_cache_control(response, private=True, no_store=True)
            return response
        if response.status_code not in KEPT_STATUSES:
            patch_cache_control(response, no_store=True)
            return response
        shown = keys.of(request)
        if response.status_code == 404:
            shown.add(keys.MISSING)
        shown.add(keys.ALL)
        if settings.NEWSROOM_CACHE["PURGE_BACKEND"] and purged_since(shown, began):
            patch_cache_control(response, no_store=True)
            # Our VCL asks the app again at once, for every reader waiting.
            response[DRAWN_BEFORE_PURGE] = "1"
        else:
            patch_cache_control(
                response, public=True, **lifetimes(request, response.status_code)
            )
        response[str(settings.NEWSROOM_CACHE["KEY_HEADER"])] = " ".join(sorted(shown))
        return response
