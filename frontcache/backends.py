"""Where a purge goes: one small interface, a class per front cache.

A backend takes surrogate keys and makes the cache drop every page that
named one of them, or raises PurgeFailed (the purge is then retried by the
worker). Varnish with xkey is ours (deploy/varnish/newsroom.vcl); a CDN that
purges by tag is one more class (README, "The front cache").
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


class PurgeFailed(Exception):
    pass


class PurgeBackend:
    # At most this many keys in one request of the cache's.
    batch_size = 100

    def purge(self, keys: Sequence[str], *, soft: bool = False) -> None:
        """Drop the pages naming `keys`; `soft`: let the cache serve them stale
        once more while it fetches them anew (a cache that cannot does a hard
        purge)."""
        for start in range(0, len(keys), self.batch_size):
            self.purge_batch(keys[start : start + self.batch_size], soft=soft)

    def purge_batch(self, keys: Sequence[str], *, soft: bool = False) -> None:
        raise NotImplementedError


def http_url(url: str) -> str:
    """Return `url` if it is http(s): a purge never opens a file or another scheme."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"A front cache's address must be http(s): {url!r}")
    return url


def send(request: urllib.request.Request, timeout: float) -> bytes:
    """Send `request`; return the body of a 2xx answer, else raise PurgeFailed."""
    try:
        # http_url checked every address a backend sends to.
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.read()
    except urllib.error.HTTPError as error:
        raise PurgeFailed(
            f"{request.full_url} answered {error.code} {error.reason}"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        raise PurgeFailed(f"{request.full_url}: {error}") from error


class VarnishBackend(PurgeBackend):
    """PURGE with an `xkey-purge` header to every Varnish server, as our VCL takes it.

    A hard purge: the pages go at once, never served stale after (a story
    unpublished must not come back from grace). A soft one (`xkey-softpurge`,
    for renames) keeps serving the old copy while Varnish fetches the new.
    """

    def __init__(self, *, locations: Sequence[str], timeout: float = 5.0) -> None:
        if not locations:
            raise ValueError("VarnishBackend needs the address of a Varnish server.")
        self.locations = [
            http_url(location.rstrip("/") + "/") for location in locations
        ]
        self.timeout = timeout

    def purge_batch(self, keys: Sequence[str], *, soft: bool = False) -> None:
        failed = []
        header = "xkey-softpurge" if soft else "xkey-purge"
        for location in self.locations:
            request = urllib.request.Request(  # noqa: S310 - http_url checked it
                location, method="PURGE", headers={header: " ".join(keys)}
            )
            try:
                send(request, self.timeout)
            except PurgeFailed as error:
                failed.append(str(error))
        if failed:
            raise PurgeFailed("; ".join(failed))


class CloudflareBackend(PurgeBackend):
    """Cloudflare's purge by cache tag (pages send `Cache-Tag`: set KEY_HEADER)."""

    batch_size = 30

    def __init__(
        self,
        *,
        zone: str,
        token: str,
        api: str = "https://api.cloudflare.com/client/v4",
        timeout: float = 10.0,
    ) -> None:
        self.url = http_url(f"{api.rstrip('/')}/zones/{zone}/purge_cache")
        self.token = token
        self.timeout = timeout

    def purge_batch(self, keys: Sequence[str], *, soft: bool = False) -> None:
        # Cloudflare purges by tag only one way: at once.
        request = urllib.request.Request(  # noqa: S310 - http_url checked it
            self.url,
            method="POST",
            data=json.dumps({"tags": list(keys)}).encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
            },
        )
        answer = json.loads(send(request, self.timeout) or b"{}")
        if not answer.get("success"):
            raise PurgeFailed(f"Cloudflare refused the purge: {answer.get('errors')}")


# What RecordingBackend was asked, in order: tests and the demo read it;
# the soft purges' keys are in `recorded` and, again, in `recorded_soft`.
recorded: list[list[str]] = []
recorded_soft: list[list[str]] = []


class RecordingBackend(PurgeBackend):
    """Remembers each purge in `recorded`; for tests and a site with no cache."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail

    def purge_batch(self, keys: Sequence[str], *, soft: bool = False) -> None:
        if self.fail:
            raise PurgeFailed("RecordingBackend was told to fail.")
        recorded.append(list(keys))
        if soft:
            recorded_soft.append(list(keys))
