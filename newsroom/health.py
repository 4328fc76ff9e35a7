"""Health checks for load balancers and process supervisors.

`/healthz` says the process answers (no database, no cache: a load balancer
that restarts on it must not restart every app server when PostgreSQL
blinks). `/readyz` says whether this app server can serve readers now: the
database, the cache and the media storage answer. The background worker's
state is reported there too, but does not make a server unready: readers are
served without it, and taking every app server out of the balancer because
the worker stopped would turn a delay into an outage.
"""

import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

# A job ready this long and not taken means the worker is stopped or behind.
WORKER_LATE = timedelta(minutes=5)


@never_cache
def healthz(request):
    """Answer that the process is alive."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ""


def _cache() -> str:
    token = secrets.token_hex(8)
    cache.set("newsroom:readyz", token, 30)
    if cache.get("newsroom:readyz") != token:
        raise RuntimeError("the cache does not keep what it is given")
    return ""


def _storage() -> str:
    # Asks the backend (a HEAD on object storage), whatever the answer.
    default_storage.exists("readyz-probe")
    return ""


def _worker() -> str:
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if oldest is None:
        return "no job waiting"
    waiting = timezone.now() - oldest
    if waiting > WORKER_LATE:
        raise RuntimeError(
            f"the oldest ready job has waited {int(waiting.total_seconds())} s"
        )
    return f"oldest ready job waited {int(waiting.total_seconds())} s"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "worker": _worker,
}
# What a server needs to serve readers; the others are reported only.
REQUIRED = ("database", "cache", "storage")


@never_cache
def readyz(request):
    """Check what serving readers needs; 200 when all answer, else 503."""
    results = {}
    for name, check in CHECKS.items():
        start = time.perf_counter()
        try:
            detail, ok = check(), True
        except Exception as error:  # noqa: BLE001 - any failure is the answer
            detail, ok = f"{type(error).__name__}: {error}"[:200], False
        results[name] = {
            "ok": ok,
            "ms": round((time.perf_counter() - start) * 1000, 1),
            "detail": detail,
        }
    ready = all(results[name]["ok"] for name in REQUIRED)
    return JsonResponse(
        {"status": "ready" if ready else "unready", "checks": results},
        status=200 if ready else 503,
    )
