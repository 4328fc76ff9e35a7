"""Fixtures shared by every app's tests."""

import pytest
from django.conf import settings
from django.utils import translation

from articles.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the site's default language.

    A request through the test client leaves its language active in the
    thread (LocaleMiddleware activates it and nothing resets it), and
    modeltranslation writes a model's plain field into the active language's
    column: without this, a test's data would depend on the test before it.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
