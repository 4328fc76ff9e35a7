"""Fixtures shared by every app's tests."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def desk(client):
    """A test client logged in as a superuser of the desk."""
    client.force_login(
        get_user_model().objects.create_superuser("desk", "desk@newsroom.example", "pw")
    )
    return client
