"""Text the same is stored the same: every text of ours is NFC, whatever was typed.

The stories, tags and every other model of the apps are checked in place in
newsroom/tests/test_composed_text.py.
"""

import unicodedata

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import pre_save
from django.urls import reverse

from core.normalise import is_project_model

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    """Return `text` decomposed, as macOS tools paste it."""
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


def text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def test_every_model_of_ours_gets_every_text_composed_before_it_is_saved():
    """A model added later is covered without a line of its own."""
    ours = [model for model in apps.get_models() if is_project_model(model)]
    assert {model._meta.app_label for model in ours} >= {
        "articles",
        "tags",
        "related",
        "translations",
    }
    for model in ours:
        instance = model()
        for field in text_fields(model):
            instance.__dict__[field.attname] = nfd("가나")
        pre_save.send(sender=model, instance=instance, raw=False, using="default")
        assert {
            field.name: instance.__dict__[field.attname] for field in text_fields(model)
        } == {field.name: "가나" for field in text_fields(model)}, model


def test_other_apps_models_are_left_as_they_are():
    assert not is_project_model(get_user_model())


# --- forms see what will be stored ------------------------------------------------


def test_a_password_is_compared_as_typed(client):
    password = nfd("비밀번호-ｐａｓｓ-가")
    get_user_model().objects.create_superuser("desk", "desk@newsroom.example", password)
    response = client.post(
        reverse("admin:login"),
        {"username": "desk", "password": password, "next": "/admin/"},
    )
    assert response.status_code == 302
