"""Reporter, editor and translator against every story and picture action."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.roles import ROLES, apply_roles
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)
from core.tests.formdata import form_data
from images import services as image_services
from images.models import Image
from images.tests.factories import ImageFactory, png_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def delete_url(article: Article) -> str:
    return reverse("admin:articles_article_delete", args=[article.pk])


@pytest.fixture
def people():
    return {
        "reporter": UserFactory(username="reporter", role="reporter"),
        "other_reporter": UserFactory(username="other", role="reporter"),
        "editor": UserFactory(username="editor", role="editor"),
        "translator": UserFactory(
            username="translator", role="translator", languages=("ja",)
        ),
    }


@pytest.fixture
def stories(people):
    return {
        "own_draft": ArticleFactory(
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=people["reporter"],
            without_ja=True,
        ),
        "others_draft": ArticleFactory(
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=people["other_reporter"],
        ),
        "published": ArticleFactory(created_by=people["other_reporter"]),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def submit(client, url: str, **changes) -> tuple:
    """Open the admin form at `url`, change fields as a user would, save it."""
    page = client.get(url)
    if page.status_code != 200:
        return page, None
    data = form_data(page.content.decode(), "article_form")
    for name, value in changes.items():
        data[name] = [value]
    data["_save"] = ["Save"]
    return client.post(url, data), data


def new_story_changes(category, author) -> dict:
    return {
        "headline_ko": "지역 의료원 야간 진료 확대",
        "body_ko": "<p>지역 의료원이 야간 진료를 늘린다.</p>",
        "category": str(category.pk),
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-author": str(author.pk),
        "bylines-0-position": "0",
    }


# --- create -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("reporter", True), ("editor", True), ("translator", False)]
)
def test_create(client, people, role, allowed):
    as_user(client, people[role])
    changes = new_story_changes(CategoryFactory(), AuthorFactory())
    response, _data = submit(client, ADD_URL, **changes)
    if allowed:
        assert response.status_code == 302
        article = Article.objects.get(headline_ko="지역 의료원 야간 진료 확대")
        assert article.created_by == people[role]
        assert article.status == Article.Status.DRAFT
    else:
        assert response.status_code == 403
        assert not Article.objects.filter(
            headline_ko="지역 의료원 야간 진료 확대"
        ).exists()


def test_a_reporter_cannot_create_a_published_story_by_forging_the_status(
    client, people
):
    as_user(client, people["reporter"])
    changes = new_story_changes(CategoryFactory(), AuthorFactory())
    response, _data = submit(client, ADD_URL, status="published", **changes)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.filter(headline_ko="지역 의료원 야간 진료 확대").exists()


# --- edit own and others' -----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "story", "allowed"),
    [
        ("reporter", "own_draft", True),
        ("reporter", "others_draft", False),
        ("reporter", "published", False),
        ("editor", "own_draft", True),
        ("editor", "others_draft", True),
        ("editor", "published", True),
    ],
)
def test_edit_story_text(client, people, stories, role, story, allowed):
    article = stories[story]
    as_user(client, people[role])
    response, _data = submit(client, change_url(article), headline_ko="수정한 제목")
    article.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert article.headline_ko == "수정한 제목"
        assert article.updated_by == people[role]
    else:
        assert response.status_code == 403
        assert article.headline_ko != "수정한 제목"


def test_a_reporter_can_read_but_not_save_others_stories(client, people, stories):
    as_user(client, people["reporter"])
    page = client.get(change_url(stories["others_draft"]))
    assert page.status_code == 200
    assert 'name="headline_ko"' not in page.content.decode()
    forged = client.post(
        change_url(stories["others_draft"]), {"headline_ko": "위조", "_save": "Save"}
    )
    assert forged.status_code == 403


def test_a_reporter_cannot_edit_their_story_once_published(client, people, stories):
    article = stories["own_draft"]
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=article.created_at
    )
    as_user(client, people["reporter"])
    response, _data = submit(client, change_url(article), headline_ko="게재 뒤 수정")
    assert response.status_code == 403


def test_a_reporter_submits_their_draft_for_review(client, people, stories):
    article = stories["own_draft"]
    as_user(client, people["reporter"])
    response, _data = submit(client, change_url(article), status="in_review")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


# --- translator -----------------------------------------------------------------


def test_a_translator_translates_their_language_only(client, people, stories):
    article = stories["own_draft"]  # written in Korean, no Japanese yet
    as_user(client, people["translator"])
    page = client.get(change_url(article)).content.decode()
    assert 'name="headline_ja"' in page
    assert 'name="headline_ko"' not in page
    assert 'name="headline_en"' not in page
    assert 'name="status"' not in page
    assert 'name="placement"' not in page

    response, _data = submit(
        client,
        change_url(article),
        headline_ja="地域医療の夜間診療を拡大",
        body_ja="<p>夜間診療を増やす。</p>",
        # Forged: fields the form does not offer are ignored.
        headline_ko="번역자가 바꾼 원문",
        status="published",
        placement="top",
        category=str(CategoryFactory().pk),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline_ja == "地域医療の夜間診療を拡大"
    assert article.headline_ko != "번역자가 바꾼 원문"
    assert article.status == Article.Status.DRAFT
    assert article.placement == ""


def test_a_translator_cannot_touch_bylines_or_sources(client, people, stories):
    article = stories["others_draft"]
    before = list(article.bylines.values_list("author_id", flat=True))
    as_user(client, people["translator"])
    response, _data = submit(
        client,
        change_url(article),
        headline_ja="翻訳した見出し",
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": str(AuthorFactory().pk),
            "bylines-1-position": "1",
            "sources-TOTAL_FORMS": "1",
            "sources-0-publisher": "Forged",
            "sources-0-url": "https://www.example.org/",
            "sources-0-role": "source",
            "sources-0-position": "0",
        },
    )
    assert response.status_code == 302
    assert list(article.bylines.values_list("author_id", flat=True)) == before
    assert not article.sources.exists()


def test_a_translator_without_the_language_cannot_edit(client, people, stories):
    article = stories["others_draft"]
    apps.get_model("translations", "TranslatorLanguage").objects.filter(
        user=people["translator"]
    ).update(language="ko")
    as_user(client, people["translator"])
    response, _data = submit(client, change_url(article), headline_ja="x")
    assert response.status_code == 403


# --- publish, place, delete ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("reporter", False), ("editor", True), ("translator", False)]
)
def test_publish_with_the_bulk_action(client, people, stories, role, allowed):
    article = stories["others_draft"]
    as_user(client, people[role])
    client.post(
        LIST_URL,
        {"action": "publish_selected", "_selected_action": [article.pk], "index": 0},
    )
    article.refresh_from_db()
    assert (article.status == Article.Status.PUBLISHED) is allowed


def test_an_editor_publishes_and_schedules_through_the_form(client, people, stories):
    as_user(client, people["editor"])
    response, _data = submit(
        client,
        change_url(stories["others_draft"]),
        status="published",
        published_at_0="2099-01-01",
        published_at_1="09:00:00",
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=stories["others_draft"].pk)
    assert article.status == Article.Status.PUBLISHED
    assert not Article.objects.live("ko").filter(pk=article.pk).exists()


def test_an_editor_unpublishes_with_the_bulk_action(client, people, stories):
    as_user(client, people["editor"])
    client.post(
        LIST_URL,
        {
            "action": "unpublish_selected",
            "_selected_action": [stories["published"].pk],
            "index": 0,
        },
    )
    assert not Article.objects.live("ko").filter(pk=stories["published"].pk).exists()


@pytest.mark.parametrize(("role", "allowed"), [("reporter", False), ("editor", True)])
def test_place(client, people, stories, role, allowed):
    article = stories["own_draft"]
    as_user(client, people[role])
    submit(client, change_url(article), placement="top", is_breaking="on")
    article.refresh_from_db()
    assert (article.placement == "top") is allowed
    assert article.is_breaking is allowed


@pytest.mark.parametrize(
    ("role", "allowed"), [("reporter", False), ("editor", True), ("translator", False)]
)
def test_delete(client, people, stories, role, allowed):
    article = stories["own_draft"]
    as_user(client, people[role])
    response = client.post(delete_url(article), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists() is not allowed
    if not allowed:
        assert response.status_code == 403


# --- pictures -------------------------------------------------------------------


def image_change_url(image: Image) -> str:
    return reverse("admin:images_image_change", args=[image.pk])


def submit_image(client, image: Image, **changes) -> tuple:
    """Open the picture's admin form, change fields as a user would, save it."""
    page = client.get(image_change_url(image))
    data = form_data(page.content.decode(), "image_form")
    for name, value in changes.items():
        data[name] = [value]
    data["_save"] = ["Save"]
    return client.post(image_change_url(image), data), page


@pytest.fixture
def pictures(people, stories):
    """Pictures uploaded by the reporter, by another reporter and by nobody known."""
    own = ImageFactory(uploaded_by=people["reporter"], caption_ko="처음 설명")
    on_live_story = ImageFactory(uploaded_by=people["reporter"], caption_ko="처음 설명")
    # Another reporter's published story shows the reporter's picture.
    Article.objects.filter(pk=stories["published"].pk).update(
        feature_image=on_live_story
    )
    return {
        "own": own,
        "on_others_live_story": on_live_story,
        "others": ImageFactory(uploaded_by=people["other_reporter"]),
        "unowned": ImageFactory(caption_ko="처음 설명"),
    }


def test_a_reporter_who_uploads_a_picture_may_edit_it(client, people):
    as_user(client, people["reporter"])
    response = client.post(
        reverse("admin:images_image_add"),
        {
            "file": SimpleUploadedFile("pier.png", png_bytes()),
            "alt_text_ko": "부두의 컨테이너",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get(alt_text_ko="부두의 컨테이너")
    assert image.uploaded_by == people["reporter"]

    response, _page = submit_image(client, image, caption_ko="기자가 고친 설명")
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption_ko == "기자가 고친 설명"


@pytest.mark.parametrize(
    ("role", "picture", "allowed"),
    [
        ("reporter", "own", True),
        ("reporter", "others", False),
        ("reporter", "unowned", False),
        ("reporter", "on_others_live_story", False),
        ("editor", "others", True),
        ("editor", "unowned", True),
        ("editor", "on_others_live_story", True),
    ],
)
def test_edit_a_picture(client, people, pictures, role, picture, allowed):
    image = pictures[picture]
    before = (image.caption_ko, image.credit_ko, image.file.name)
    as_user(client, people[role])
    response, page = submit_image(
        client, image, caption_ko="바꾼 설명", credit_ko="Someone else"
    )
    image.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert (image.caption_ko, image.credit_ko) == ("바꾼 설명", "Someone else")
    else:
        # Shown read-only; a forged post of the fields is refused.
        assert page.status_code == 200
        assert 'name="caption_ko"' not in page.content.decode()
        assert 'name="credit_ko"' not in page.content.decode()
        assert response.status_code == 403
        assert (image.caption_ko, image.credit_ko, image.file.name) == before


def test_a_reporter_cannot_replace_the_file_of_a_picture_on_anothers_live_story(
    client, people, pictures
):
    image = pictures["on_others_live_story"]
    before = image.file.name
    as_user(client, people["reporter"])
    response = client.post(
        image_change_url(image),
        {
            "file": SimpleUploadedFile("swap.png", png_bytes(12, 12)),
            "loaded_version": "1",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "_save": "Save",
        },
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.file.name == before


def test_the_service_refuses_a_reporter_someone_elses_picture(people, pictures):
    for picture in ("others", "unowned", "on_others_live_story"):
        image = Image.objects.get(pk=pictures[picture].pk)
        image.caption_ko = "서비스로 바꾼 설명"
        with pytest.raises(PermissionDenied):
            image_services.image_save(
                image=image, user=people["reporter"], loaded_version=image.version
            )
        assert Image.objects.get(pk=image.pk).caption_ko != "서비스로 바꾼 설명"


def test_a_reporters_picture_on_anothers_draft_stays_theirs(client, people, pictures):
    image = pictures["own"]
    Article.objects.filter(created_by=people["other_reporter"]).update(
        feature_image=image
    )
    Article.objects.filter(status=Article.Status.PUBLISHED).update(feature_image=None)
    as_user(client, people["reporter"])
    response, _page = submit_image(client, image, caption_ko="기자가 고친 설명")
    assert response.status_code == 302


@pytest.fixture
def reporter_who_deletes(people):
    """A reporter the newsroom also let delete pictures."""
    reporter = people["reporter"]
    reporter.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="images", codename="delete_image"
        )
    )
    return reporter


def test_a_reporter_deletes_only_pictures_they_may_edit(
    client, people, pictures, reporter_who_deletes
):
    as_user(client, reporter_who_deletes)
    response = client.post(
        reverse("admin:images_image_delete", args=[pictures["others"].pk]),
        {"post": "yes"},
    )
    assert response.status_code == 403
    assert Image.objects.filter(pk=pictures["others"].pk).exists()

    response = client.post(
        reverse("admin:images_image_delete", args=[pictures["own"].pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert not Image.objects.filter(pk=pictures["own"].pk).exists()


def test_the_delete_action_spares_pictures_the_reporter_may_not_edit(
    client, people, pictures, reporter_who_deletes
):
    as_user(client, reporter_who_deletes)
    client.post(
        reverse("admin:images_image_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [pictures["others"].pk, pictures["unowned"].pk],
            "post": "yes",
        },
    )
    assert Image.objects.filter(pk=pictures["others"].pk).exists()
    assert Image.objects.filter(pk=pictures["unowned"].pk).exists()


# --- the groups hold exactly the roles' permissions --------------------------------


def group_permissions() -> dict[str, set[str]]:
    groups = Group.objects.filter(name__in=ROLES).prefetch_related(
        "permissions__content_type"
    )
    return {
        group.name: {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.all()
        }
        for group in groups
    }


EXPECTED = {name: set(permissions) for name, permissions in ROLES.items()}


def test_after_migrate_each_group_holds_exactly_its_roles_permissions():
    assert group_permissions() == EXPECTED


def test_migrate_takes_back_a_permission_granted_outside_the_roles():
    publish = Permission.objects.get(codename="publish_article")
    Group.objects.get(name="reporter").permissions.add(publish)
    Group.objects.get(name="editor").permissions.remove(publish)
    Group.objects.filter(name="translator").delete()

    call_command("migrate", verbosity=0)

    assert group_permissions() == EXPECTED


def test_applying_the_roles_twice_changes_nothing():
    apply_roles()
    with CaptureQueriesContext(connection) as queries:
        apply_roles()
    writes = [
        query["sql"]
        for query in queries
        if query["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert group_permissions() == EXPECTED
