"""/metrics: Prometheus' text format, when switched on, for the addresses allowed."""

import pytest
from django.test import Client, override_settings

from articles.tests.factories import ArticleFactory
from frontcache.tasks import purge_keys

pytestmark = pytest.mark.django_db


def sample(text: str, name: str, **labels: str) -> float:
    """Return the value of `name` with `labels` in an exposition, 0 if absent."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@override_settings(NEWSROOM_METRICS=True)
def test_requests_purges_and_queues_are_counted(run_tasks):
    client = Client()
    story = ArticleFactory()
    before = sample(
        client.get("/metrics").content.decode(),
        "newsroom_http_requests_total",
        view="reader:detail",
        status="200",
    )
    client.get(story.get_absolute_url())
    client.get(story.get_absolute_url())
    purge_keys.enqueue(["s1"])
    purge_keys.enqueue(["s2"])
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    assert answer["Cache-Control"] == "no-store"
    text = answer.content.decode()
    counted = sample(
        text, "newsroom_http_requests_total", view="reader:detail", status="200"
    )
    assert counted == before + 2
    assert (
        sample(
            text, "newsroom_http_request_duration_seconds_count", view="reader:detail"
        )
        >= 2
    )
    assert sample(text, "newsroom_task_queue_depth", queue="purge") == 2
    purged = sample(text, "newsroom_cache_purges_total", result="purged")
    run_tasks()
    text = client.get("/metrics").content.decode()
    assert sample(text, "newsroom_cache_purges_total", result="purged") == purged + 2
    assert sample(text, "newsroom_task_queue_depth", queue="purge") == 0


def test_metrics_are_a_404_unless_switched_on_and_asked_from_an_allowed_address():
    assert Client().get("/metrics").status_code == 404
    with override_settings(NEWSROOM_METRICS=True):
        assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 404
        assert Client().get("/metrics").status_code == 200
