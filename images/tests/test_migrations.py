"""Data migrations of pictures: existing rows upgrade."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

CREDITS = "0006_image_credit_per_language"


@pytest.fixture
def apps():
    """The models as the credits migration leaves them, without modeltranslation.

    Its manager would write `credit` to the active language's column.
    """
    return MigrationLoader(connection).project_state(("images", CREDITS)).apps


def run_step(apps, name: str) -> None:
    getattr(import_module(f"images.migrations.{CREDITS}"), name)(apps, None)


def test_each_pictures_one_credit_becomes_every_languages(apps):
    images = apps.get_model("images", "Image").objects
    agency, uncredited = ImageFactory(), ImageFactory()
    # As they stood before: one credit, no language columns filled.
    images.filter(pk=agency.pk).update(
        credit="Yonhap", credit_ko=None, credit_ja=None, credit_en=None
    )
    images.filter(pk=uncredited.pk).update(
        credit="", credit_ko=None, credit_ja=None, credit_en=None
    )

    run_step(apps, "copy_credit_to_languages")

    rows = images.values_list("credit", "credit_ko", "credit_ja", "credit_en")
    assert rows.get(pk=agency.pk) == ("Yonhap", "Yonhap", "Yonhap", "Yonhap")
    assert rows.get(pk=uncredited.pk) == ("", "", "", "")


def test_going_back_keeps_the_first_languages_credit_there_is(apps):
    images = apps.get_model("images", "Image").objects
    korean = ImageFactory(credit_ko="연합뉴스", credit_ja="聯合ニュース", credit_en="")
    japanese = ImageFactory(credit_ko="", credit_ja="聯合ニュース", credit_en=None)
    none = ImageFactory(credit_ko=None, credit_ja="", credit_en=None)
    images.update(credit="older")

    run_step(apps, "keep_one_credit")

    assert dict(images.values_list("pk", "credit")) == {
        korean.pk: "연합뉴스",
        japanese.pk: "聯合ニュース",
        none.pk: "older",
    }
