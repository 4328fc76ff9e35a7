"""Prometheus metrics: requests, latency, purges and the worker's queues.

Off unless NEWSROOM_METRICS is on; then /metrics answers in Prometheus' text
format, to the addresses in NEWSROOM_METRICS_ALLOW only (the scraper asks each
app server directly: Varnish refuses /metrics). With several processes (gunicorn
workers, the task workers), set PROMETHEUS_MULTIPROC_DIR to an empty directory
shared by all of them on the machine, as deploy/stack.py does: each process
writes its counts there and /metrics adds them up.
"""

import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "newsroom_http_requests_total",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "newsroom_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    """Count and time every request by its view's name (never its address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        if not settings.NEWSROOM_METRICS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        return response


class TaskQueueCollector(Collector):
    """The worker's queues as the database has them, read at each scrape."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Registering asks for the names: no query then (nor before migrate).
        yield from self.families()

    def families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        waiting = GaugeMetricFamily(
            "newsroom_task_queue_depth",
            "Jobs ready to run and not yet taken, by queue.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "newsroom_task_oldest_waiting_seconds",
            "How long the oldest ready job has waited, by queue.",
            labels=["queue"],
        )
        return waiting, oldest

    def collect(self) -> Iterator[GaugeMetricFamily]:
        waiting, oldest = self.families()
        now = timezone.now()
        rows = (
            DBTaskResult.objects.ready()
            .order_by()
            .values("queue_name")
            .annotate(count=Count("id"), since=Min("enqueued_at"))
        )
        for row in rows:
            waiting.add_metric([row["queue_name"]], row["count"])
            oldest.add_metric([row["queue_name"]], (now - row["since"]).total_seconds())
        yield waiting
        yield oldest


QUEUES = TaskQueueCollector()
REGISTRY.register(QUEUES)


def registry() -> CollectorRegistry:
    """This process's metrics, or every process's when they share a directory."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    gathered = CollectorRegistry()
    multiprocess.MultiProcessCollector(gathered)
    gathered.register(QUEUES)
    return gathered


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for the addresses allowed; a 404 for anyone else."""
    if (
        not settings.NEWSROOM_METRICS
        or request.META.get("REMOTE_ADDR") not in settings.NEWSROOM_METRICS_ALLOW
    ):
        raise Http404
    response = HttpResponse(
        generate_latest(registry()), content_type=CONTENT_TYPE_LATEST
    )
    response["Cache-Control"] = "no-store"
    return response
