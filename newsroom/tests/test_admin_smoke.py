"""Every model in the admin: its list, add and change pages load, and saving works."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.tests.factories import ArticleFactory, SeriesFactory, UserFactory
from core.tests.formdata import form_data
from images.tests.factories import ImageFactory
from imports.models import ImportRun
from notifications.models import Notification
from tags.tests.factories import TagFactory
from translations.models import LanguagePolicy, TranslationState
from translations.tests.factories import GlossaryTermFactory

pytestmark = pytest.mark.django_db

# The translation dashboard and each person's notifications have a list only;
# their apps' tests cover them.
REGISTERED = sorted(
    (
        model
        for model in admin.site._registry
        if model not in (TranslationState, Notification)
    ),
    key=lambda model: model._meta.label,
)


# One row per language, made by the migration: edited, never added.
NOT_ADDED = {LanguagePolicy}
# A record the worker writes, read as a report and never edited: its page is
# tried in imports/tests/test_admin.py.
NOT_CHANGED = {ImportRun}


@pytest.fixture
def desk_client(client):
    client.force_login(UserFactory(username="desk", superuser=True))
    article = ArticleFactory(series=SeriesFactory(), feature_image=ImageFactory())
    article.tags.add(TagFactory())
    GlossaryTermFactory()
    Group.objects.create(name="editors")
    return client


def admin_url(model, action: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_list_and_add_pages_load(desk_client, model):
    assert desk_client.get(admin_url(model, "changelist")).status_code == 200
    expected = 403 if model in NOT_ADDED else 200
    assert desk_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize(
    "model",
    [model for model in REGISTERED if model not in NOT_CHANGED],
    ids=lambda model: model._meta.label,
)
def test_change_page_saves_what_it_shows(desk_client, model):
    obj = model._default_manager.order_by("pk").first()
    url = admin_url(model, "change", obj.pk)
    page = desk_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), f"{model._meta.model_name}_form")
    data["_save"] = ["Save"]
    response = desk_client.post(url, data)
    errors = getattr(response, "context", None) and response.context.get("errors")
    assert response.status_code == 302, errors


def test_an_editor_chooses_the_admins_language(desk_client):
    index = reverse("admin:index")
    assert 'lang="ja">日本語</option>' in desk_client.get(index).content.decode()
    response = desk_client.post(
        reverse("set_language"), {"language": "ja", "next": index}
    )
    assert response.status_code == 302
    assert "ニュースルーム編集局" in desk_client.get(index).content.decode()
    desk_client.post(reverse("set_language"), {"language": "en", "next": index})
    assert "Newsroom desk" in desk_client.get(index).content.decode()
