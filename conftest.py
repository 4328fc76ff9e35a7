"""Fixtures shared by every app's tests."""

import pytest

from articles.tests.factories import UserFactory


@pytest.fixture
def desk(client):
    """A test client logged in as a superuser of the desk."""
    client.force_login(UserFactory(username="desk", superuser=True))
    return client
