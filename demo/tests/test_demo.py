from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from reversion.models import Version

from articles.models import Article, Author, Category

pytestmark = pytest.mark.django_db


def load_demo(tmp_path) -> str:
    out = StringIO()
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=out)
    return out.getvalue()


def test_the_demo_newsroom_has_its_stories_sections_and_authors(tmp_path):
    load_demo(tmp_path)
    assert Article.objects.count() >= 12
    assert Category.objects.count() == 4
    assert Author.objects.count() == 3
    assert all(article.source_language == "ko" for article in Article.objects.all())
    live = {code: Article.objects.live(code).count() for code in ("ko", "ja", "en")}
    # Korean has everything published; some translations are missing on purpose.
    assert live["ko"] > live["ja"] > 0
    assert live["ko"] > live["en"] > 0
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert not Article.objects.filter(bylines=None).exists()
    # Each demo story starts its history with one revision, its parts included;
    # one story's source was updated after translation: a second revision.
    for article in Article.objects.all():
        *later, version = Version.objects.get_for_object(article)
        assert len(later) == (
            1 if article.translation_states.filter(status="outdated").exists() else 0
        )
        parts = sum(
            getattr(article, accessor).count()
            for accessor in ("bylines", "tagged_items", "sources", "external_links")
        )
        assert version.revision.version_set.count() >= 1 + parts


def test_loading_the_demo_twice_does_not_duplicate_it(tmp_path):
    first = load_demo(tmp_path)
    counts = (Article.objects.count(), Category.objects.count(), Author.objects.count())
    second = load_demo(tmp_path)
    assert counts == (
        Article.objects.count(),
        Category.objects.count(),
        Author.objects.count(),
    )
    assert "0 stories added" in second
    assert first.splitlines()[-1] == second.splitlines()[-1]


def test_the_demo_admin_login_works(tmp_path, client):
    output = load_demo(tmp_path)
    password = (tmp_path / "login").read_text().strip()
    assert f"password '{password}'" in output
    assert (tmp_path / "login").stat().st_mode & 0o077 == 0
    assert get_user_model().objects.get(username="admin").check_password(password)
    response = client.post(
        "/admin/login/", {"username": "admin", "password": password, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


def test_the_demo_has_a_person_per_desk_role_with_the_same_password(tmp_path, client):
    output = load_demo(tmp_path)
    password = (tmp_path / "login").read_text().strip()
    assert "'translator-ja' (translator ja)" in output
    translator = get_user_model().objects.get(username="translator-ja")
    assert translator.check_password(password)
    assert list(translator.groups.values_list("name", flat=True)) == ["translator"]
    client.force_login(translator)
    assert client.get("/admin/translations/translationstate/").status_code == 200
    story = Article.objects.filter(source_language="ko").first()
    workspace = f"/admin/articles/article/{story.pk}/translate/ja/"
    assert client.get(workspace).status_code == 200
    client.force_login(get_user_model().objects.get(username="reporter"))
    assert client.get(workspace).status_code == 403


def test_demo_pages_open_in_every_language(tmp_path, client):
    load_demo(tmp_path)
    for code in ("ko", "ja", "en"):
        assert client.get(f"/{code}/").status_code == 200
        for article in Article.objects.live(code):
            assert client.get(article.get_absolute_url(code)).status_code == 200


def test_the_demo_shows_every_part_of_a_story(tmp_path):
    from articles.models import Correction, Series
    from images.models import Image
    from related.models import ExternalLink, RelatedArticle, Source
    from tags.models import Tag

    load_demo(tmp_path)
    stories = Article.objects.all()
    assert stories.filter(is_breaking=True).count() == 1
    assert stories.filter(placement=Article.Placement.TOP).count() == 1
    assert stories.filter(placement=Article.Placement.RECOMMENDED).exists()
    assert stories.exclude(ai_use=Article.AIUse.NONE).exists()
    assert stories.filter(series__isnull=False).exists()
    with translation.override("ko"):
        assert all(len(story.key_point_list()) >= 3 for story in stories)
    assert not stories.filter(feature_text_ko="").exists()
    assert Image.objects.filter(is_ai_generated=True).exists()
    assert all(
        image.width == 1200 and image.file.size > 0 for image in Image.objects.all()
    )
    assert Series.objects.count() == 2
    assert Tag.objects.filter(name_ja="").exists()  # some tags lack a language
    for model in (Source, RelatedArticle, ExternalLink, Correction):
        assert model.objects.exists(), model
    assert not stories.filter(tagged_items=None).exists()
