"""Fixtures shared by every app's tests."""

import pytest

from articles.tests.factories import UserFactory


@pytest.fixture
def desk(client):
    """A test client logged in as a superuser of the desk."""
    client.force_login(UserFactory(username="desk", superuser=True))
    return client


@pytest.fixture
def run_tasks():
    """Return a function that runs every background job due now, as the worker does.

    The jobs are the ones the code under test enqueued in the test database
    (django-tasks-db); each runs through the worker's own `run_task`, so a
    job that fails is recorded as the worker records it. Returns how many ran.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run() -> int:
        ran = 0
        while True:
            # Claimed in a transaction of its own, as the worker claims a job
            # (a transactional test runs in autocommit).
            with exclusive_transaction(DBTaskResult.objects.db):
                result = DBTaskResult.objects.ready().get_locked()
                if result is None:
                    return ran
                result.claim(worker.worker_id)
            worker.run_task(result)
            ran += 1

    return run
