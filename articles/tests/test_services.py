from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles import services
from articles.models import Article
from articles.signals import (
    article_text_changed,
    article_went_live,
    article_withholding_changed,
)
from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data
from images import services as image_services
from images.models import Image
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=SEOUL)


@pytest.fixture
def editor():
    return UserFactory(username="ed", role="editor")


@pytest.fixture
def went_live():
    calls = []

    def receiver(sender, article_id, **kwargs):
        calls.append(article_id)

    article_went_live.connect(receiver)
    yield calls
    article_went_live.disconnect(receiver)


def run_scheduler() -> str:
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def test_a_scheduled_story_is_live_from_its_time_without_a_worker(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with time_machine.travel(NOON, tick=False):
        services.article_publish(
            article=article, user=editor, at=NOON + timedelta(hours=2)
        )
        assert not Article.objects.live("ko").filter(pk=article.pk).exists()
    with time_machine.travel(NOON + timedelta(hours=2, seconds=1), tick=False):
        assert Article.objects.live("ko").filter(pk=article.pk).exists()


def test_the_scheduler_runs_going_live_effects_once_even_when_run_late_and_twice(
    editor, went_live, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with time_machine.travel(NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.article_publish(
                article=article, user=editor, at=NOON + timedelta(hours=1)
            )
        assert went_live == []
        assert "Went live: 0 stories." in run_scheduler()
    # The scheduler was down for a day; it catches up, and a second run is a no-op.
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert "Went live: 1 stories." in run_scheduler()
        assert "Went live: 0 stories." in run_scheduler()
    assert went_live == [article.pk]


def test_publishing_now_runs_the_effects_on_commit(
    editor, went_live, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, user=editor)
    assert went_live == [article.pk]
    assert "Went live: 0 stories." in run_scheduler()


def test_a_story_published_again_later_goes_live_again(
    editor, went_live, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.article_publish(article=article, user=editor)
    services.article_unpublish(article=article, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(
            article=article, user=editor, at=first.published_at + timedelta(seconds=1)
        )
    assert went_live == [article.pk]
    with time_machine.travel(timedelta(minutes=1)):
        run_scheduler()
    assert went_live == [article.pk, article.pk]


@pytest.mark.django_db(transaction=True)
def test_going_live_is_sent_once_after_commit_when_the_scheduler_runs_twice():
    editor = UserFactory(username="ed", role="editor")
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    calls = []

    def receiver(sender, article_id, **kwargs):
        # What a cache purge needs: the publication is committed, so a page
        # rendered again now shows the story.
        calls.append((article_id, connection.in_atomic_block))

    article_went_live.connect(receiver, dispatch_uid="test_going_live_once")
    try:
        with time_machine.travel(NOON, tick=False):
            services.article_publish(
                article=article, user=editor, at=NOON + timedelta(hours=1)
            )
            run_scheduler()
        assert calls == []
        with time_machine.travel(NOON + timedelta(hours=1, minutes=1), tick=False):
            assert "Went live: 1 stories." in run_scheduler()
            assert "Went live: 0 stories." in run_scheduler()
    finally:
        article_went_live.disconnect(dispatch_uid="test_going_live_once")
    assert calls == [(article.pk, False)]


def test_publishing_needs_the_right(editor):
    reporter = UserFactory(username="rep", role="reporter")
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, user=reporter)
    with pytest.raises(PermissionDenied):
        services.article_unpublish(article=article, user=reporter)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_story_without_its_source_text_cannot_be_published(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=article.pk).update(body_ko="")
    with pytest.raises(ValidationError) as error:
        services.article_publish(article=article, user=editor)
    assert "body_ko" in error.value.message_dict
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_two_concurrent_edits_the_later_save_is_refused(client, editor):
    other = UserFactory(username="desk2", superuser=True)
    article = ArticleFactory(headline_ko="처음 제목")
    url = reverse("admin:articles_article_change", args=[article.pk])

    client.force_login(editor)
    mine = form_data(client.get(url).content.decode(), "article_form")

    client.force_login(other)
    theirs = form_data(client.get(url).content.decode(), "article_form")
    theirs.update({"headline_ko": ["다른 사람이 먼저 고친 제목"], "_save": ["Save"]})
    assert client.post(url, theirs).status_code == 302

    client.force_login(editor)
    mine.update({"headline_ko": ["내가 고친 제목"], "_save": ["Save"]})
    response = client.post(url, mine, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "desk2 saved this story at" in html
    assert "nothing was overwritten" in html
    assert f'<a href="{url}" target="_blank" rel="noopener">' in html
    article.refresh_from_db()
    assert article.headline_ko == "다른 사람이 먼저 고친 제목"
    assert article.version == 2

    # Reloading gives the current version; saving from it works.
    fresh = form_data(client.get(url).content.decode(), "article_form")
    fresh.update({"headline_ko": ["내가 고친 제목"], "_save": ["Save"]})
    assert client.post(url, fresh).status_code == 302
    article.refresh_from_db()
    assert (article.headline_ko, article.version) == ("내가 고친 제목", 3)


# --- versions: a save never overwrites what it did not see ----------------------


def test_a_story_form_without_its_version_saves_nothing_and_says_so_at_the_top(
    client, editor
):
    article = ArticleFactory(headline_ko="처음 제목")
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "article_form")
    del data["loaded_version"]
    data.update({"headline_ko": ["버전 없는 제목"], "_save": ["Save"]})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "which version" in " ".join(form.non_field_errors())
    assert "which version" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline_ko, article.version) == ("처음 제목", 1)


def test_a_stored_story_saved_without_the_version_it_was_loaded_at_is_refused(
    editor,
):
    article = Article.objects.get(pk=ArticleFactory(headline_ko="처음 제목").pk)
    article.headline_ko = "버전 없는 제목"
    with pytest.raises(ValueError, match="loaded_version"):
        services.article_save(
            article=article, user=editor, changed_fields=["headline_ko"]
        )
    assert Article.objects.get(pk=article.pk).headline_ko == "처음 제목"


def test_a_story_saved_over_a_newer_version_is_an_edit_conflict(editor):
    stored = ArticleFactory(headline_ko="처음 제목")
    first = Article.objects.get(pk=stored.pk)
    second = Article.objects.get(pk=stored.pk)
    first.headline_ko = "먼저 고친 제목"
    services.article_save(
        article=first, user=editor, changed_fields=["headline_ko"], loaded_version=1
    )
    second.headline_ko = "나중에 고친 제목"
    with pytest.raises(services.EditConflict):
        services.article_save(
            article=second,
            user=editor,
            changed_fields=["headline_ko"],
            loaded_version=1,
        )
    assert Article.objects.get(pk=stored.pk).headline_ko == "먼저 고친 제목"


def test_a_text_change_reaches_its_receivers_with_the_story_before_and_after(
    editor,
):
    article = ArticleFactory(headline_ko="처음 제목")
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    article_text_changed.connect(receiver, dispatch_uid="test_text_changed")
    try:
        article.headline_ko = "고친 제목"
        services.article_save(
            article=article,
            user=editor,
            changed_fields=["headline_ko"],
            loaded_version=1,
            minor_edit=True,
        )
    finally:
        article_text_changed.disconnect(dispatch_uid="test_text_changed")
    [call] = calls
    assert call["article"].headline_ko == "고친 제목"
    assert call["stored"].headline_ko == "처음 제목"
    assert call["user"] == editor
    assert call["minor_edit"] is True


def test_a_text_change_receiver_that_fails_saves_nothing(editor):
    # Receivers write in the saving transaction: the translation states are
    # never out of step with the text.
    article = ArticleFactory(headline_ko="처음 제목")

    def receiver(sender, **kwargs):
        raise RuntimeError("receiver failed")

    article_text_changed.connect(receiver, dispatch_uid="test_text_changed_fails")
    try:
        article.headline_ko = "고친 제목"
        with pytest.raises(RuntimeError):
            services.article_save(
                article=article,
                user=editor,
                changed_fields=["headline_ko"],
                loaded_version=1,
            )
    finally:
        article_text_changed.disconnect(dispatch_uid="test_text_changed_fails")
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline_ko, stored.version) == ("처음 제목", 1)


def image_form(client, image: Image) -> dict[str, list[str]]:
    url = reverse("admin:images_image_change", args=[image.pk])
    return form_data(client.get(url).content.decode(), "image_form")


def post_image_form(client, image: Image, data, **changes):
    url = reverse("admin:images_image_change", args=[image.pk])
    data = {**data, **{name: [value] for name, value in changes.items()}}
    return client.post(url, {**data, "_save": ["Save"]}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_translators_older_picture_form_keeps_an_editors_caption_in_another_language(
    client, editor
):
    translator = UserFactory(username="yuki", role="translator", languages=("ja", "en"))
    image = ImageFactory(caption_ja="古い説明", caption_en="Old caption")
    client.force_login(translator)
    translators_form = image_form(client, image)

    client.force_login(editor)
    response = post_image_form(
        client, image, image_form(client, image), caption_en="The editor's caption"
    )
    assert response.status_code == 302

    client.force_login(translator)
    response = post_image_form(
        client, image, translators_form, caption_ja="翻訳者の説明"
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption_en == "The editor's caption"
    assert image.caption_ja == "翻訳者の説明"
    assert image.version == 3


def test_two_editors_captioning_different_languages_both_keep_their_changes(
    client, editor
):
    other = UserFactory(username="other", role="editor")
    image = ImageFactory(caption_ko="처음 설명", caption_ja="最初の説明")
    client.force_login(editor)
    mine = image_form(client, image)
    client.force_login(other)
    theirs = image_form(client, image)

    response = post_image_form(client, image, theirs, caption_ja="後の説明")
    assert response.status_code == 302
    client.force_login(editor)
    response = post_image_form(client, image, mine, caption_ko="고친 설명")
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.caption_ko, image.caption_ja) == ("고친 설명", "後の説明")


def test_two_editors_changing_the_same_caption_the_later_save_is_refused(
    client, editor
):
    other = UserFactory(username="other", role="editor")
    image = ImageFactory(caption_ko="처음 설명")
    url = reverse("admin:images_image_change", args=[image.pk])
    client.force_login(editor)
    mine = image_form(client, image)
    client.force_login(other)
    theirs = image_form(client, image)

    response = post_image_form(client, image, theirs, caption_ko="먼저 고친 설명")
    assert response.status_code == 302
    client.force_login(editor)
    response = post_image_form(client, image, mine, caption_ko="나중에 고친 설명")
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "after you opened it" in errors
    assert "nothing was overwritten" in errors
    link = f'<a href="{url}" target="_blank" rel="noopener">'
    assert link in response.content.decode()
    image.refresh_from_db()
    assert (image.caption_ko, image.version) == ("먼저 고친 설명", 2)


def test_a_picture_form_without_its_version_saves_nothing_and_says_so_at_the_top(
    client, editor
):
    image = ImageFactory(caption_ko="처음 설명")
    client.force_login(editor)
    data = image_form(client, image)
    del data["loaded_version"]
    response = post_image_form(client, image, data, caption_ko="버전 없는 설명")
    assert response.status_code == 200
    assert "which version" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    image.refresh_from_db()
    assert (image.caption_ko, image.version) == ("처음 설명", 1)


def test_the_picture_service_checks_the_version(editor):
    image = ImageFactory(caption_ko="처음 설명")
    first = Image.objects.get(pk=image.pk)
    first.caption_ko = "먼저 고친 설명"
    image_services.image_save(image=first, user=editor, loaded_version=1)
    assert Image.objects.get(pk=image.pk).version == 2

    second = Image.objects.get(pk=image.pk)
    second.caption_ko = "나중에 고친 설명"
    with pytest.raises(services.EditConflict):
        image_services.image_save(image=second, user=editor, loaded_version=1)
    with pytest.raises(ValueError, match="loaded_version"):
        image_services.image_save(image=second, user=editor)
    assert Image.objects.get(pk=image.pk).caption_ko == "먼저 고친 설명"


def test_the_picture_words_service_writes_only_the_words_it_is_given(editor):
    image = ImageFactory(caption_ko="처음 설명", credit="연합")
    story = ArticleFactory(feature_image=image)
    told = []

    def receiver(sender, article, stored, machine="", **kwargs):
        told.append(
            (
                article.pk,
                stored.feature_image.caption_ja,
                article.feature_image.caption_ja,
                machine,
            )
        )

    in_memory = Image.objects.get(pk=image.pk)
    in_memory.credit = "Not to be written"
    article_text_changed.connect(receiver, dispatch_uid="test_picture_words")
    try:
        saved = image_services.image_texts_save(
            image=in_memory,
            user=editor,
            texts={"caption_ja": "新しい説明"},
            machine="offline",
        )
    finally:
        article_text_changed.disconnect(dispatch_uid="test_picture_words")
    stored = Image.objects.get(pk=image.pk)
    assert (stored.caption_ja, stored.credit, stored.version) == (
        "新しい説明",
        "연합",
        2,
    )
    assert saved.version == 2
    assert told == [(story.pk, image.caption_ja, "新しい説明", "offline")]


def test_a_translator_writes_only_their_languages_words_of_a_picture():
    translator = UserFactory(username="yuki", role="translator", languages=("ja",))
    image = ImageFactory(caption_en="Old caption")
    with pytest.raises(PermissionDenied, match="caption_en"):
        image_services.image_texts_save(
            image=image, user=translator, texts={"caption_en": "New caption"}
        )
    with pytest.raises(PermissionDenied, match="credit_ko"):
        image_services.image_texts_save(
            image=image, user=translator, texts={"credit_ko": "Me"}
        )
    image_services.image_texts_save(
        image=image, user=translator, texts={"caption_ja": "説明"}
    )
    stored = Image.objects.get(pk=image.pk)
    assert (stored.caption_en, stored.caption_ja, stored.version) == (
        "Old caption",
        "説明",
        image.version + 1,
    )


def test_the_picture_words_service_writes_words_only(editor):
    image = ImageFactory()
    with pytest.raises(ValueError, match="focal_x"):
        image_services.image_texts_save(
            image=image, user=editor, texts={"focal_x": "0.1"}
        )
    with pytest.raises(ValidationError):
        image_services.image_texts_save(
            image=image, user=editor, texts={"alt_text_ko": "가" * 301}
        )
    assert Image.objects.get(pk=image.pk).version == image.version


def test_withholding_a_language_flags_the_story_once_and_says_so():
    story = ArticleFactory()
    heard = []

    def listen(sender, article, language, **kwargs):
        heard.append((article.pk, language))

    article_withholding_changed.connect(listen)
    try:
        assert services.article_withhold(article=story, language="ja", withheld=True)
        assert not services.article_withhold(
            article=story, language="ja", withheld=True
        )
        assert services.article_withhold(article=story, language="ja", withheld=False)
    finally:
        article_withholding_changed.disconnect(listen)
    assert heard == [(story.pk, "ja"), (story.pk, "ja")]
    assert Article.objects.live("ja").filter(pk=story.pk).exists()


def test_a_copy_loaded_before_a_language_was_withheld_does_not_release_it():
    story = ArticleFactory()
    stale = Article.objects.get(pk=story.pk)
    services.article_withhold(
        article=Article.objects.get(pk=story.pk), language="ja", withheld=True
    )
    stale.headline_ko = "늦게 저장한 제목"
    stale.save()
    stored = Article.objects.get(pk=story.pk)
    assert stored.headline_ko == "늦게 저장한 제목"
    assert stored.withheld_languages() == {"ja"}
    assert not Article.objects.live("ja").filter(pk=story.pk).exists()
