"""Health checks: /healthz for liveness, /readyz for what serving readers needs."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_readyz_is_ready_when_database_cache_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "ready"
    assert {name for name, check in answer["checks"].items() if check["ok"]} == {
        "database",
        "cache",
        "storage",
        "worker",
    }
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_unready_when_the_database_fails(client, monkeypatch):
    def unreachable():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    answer = response.json()
    assert answer["status"] == "unready"
    assert answer["checks"]["database"] == {
        "ok": False,
        "ms": answer["checks"]["database"]["ms"],
        "detail": "ConnectionError: connection refused",
    }


def test_a_stopped_worker_is_reported_but_leaves_the_server_ready(client):
    DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="notifications.tasks.send_notification_email",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - timedelta(minutes=12),
        exception_class_path="",
        traceback="",
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert "has waited 7" in worker["detail"]
