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
    (django-tasks-db); it returns how many ran.
    """
    from core.jobs import run_due_jobs

    return lambda: run_due_jobs("test-worker")
