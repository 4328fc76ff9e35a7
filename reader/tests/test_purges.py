"""Which changes purge which pages from the front cache: after commit, by the worker.

The test settings purge through frontcache.backends.RecordingBackend, which
keeps each purge's keys in `recorded`: what the worker sent, in order.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_publish, article_unpublish, article_withhold
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)
from frontcache import backends
from frontcache.purge import BATCHES_ATTRIBUTE, PURGE_RETRY_DELAYS
from images.tests.factories import ImageFactory
from tags.models import Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(run_tasks, django_capture_on_commit_callbacks):
    """Return a function that commits, runs the worker and gives the keys it purged."""
    backends.recorded.clear()
    backends.recorded_soft.clear()

    def keys_purged(change) -> set[str]:
        # The test's transaction never commits: what the set-up gathered
        # would wait for it, out of this capture's reach.
        setattr(connection, BATCHES_ATTRIBUTE, {})
        with django_capture_on_commit_callbacks(execute=True):
            change()
        # The worker's jobs may leave jobs of their own on commit (renditions
        # made: a purge); run until none is left.
        while True:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                ran = run_tasks()
            if not ran and not callbacks:
                break
        return set().union(*backends.recorded) if backends.recorded else set()

    yield keys_purged
    backends.recorded.clear()


@pytest.fixture
def editor():
    return UserFactory(role="editor")


def test_publishing_purges_the_story_its_lists_tags_and_authors(purged, editor):
    author = AuthorFactory()
    story = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, authors=[author]
    )
    story.tags.add("항만")
    tag = Tag.objects.get()
    keys = purged(lambda: article_publish(article=story, user=editor))
    assert keys >= {
        f"s{story.pk}",
        f"secl{story.category_id}",
        f"tl{tag.pk}",
        f"al{author.pk}",
        "home",
        "feeds",
        "sitemaps",
        "search",
        "archive",
        "missing",
    }


def test_an_edit_purges_its_sections_lists_and_neighbours_not_every_page_naming_it(
    purged, editor
):
    section = CategoryFactory()
    now = timezone.now()
    older, story, newer, far = (
        ArticleFactory(category=section, published_at=now - timedelta(hours=hours))
        for hours in (3, 2, 1, 9)
    )
    keys = purged(lambda: article_unpublish(article=story, user=editor))
    # The stories beside it link to it as "previous" and "next".
    assert {f"s{older.pk}", f"s{newer.pk}", f"secl{section.pk}"} <= keys
    # Every story page names its section: that key is for renames only.
    assert f"sec{section.pk}" not in keys
    assert f"s{far.pk}" not in keys


def test_unpublishing_purges_the_story_everywhere(purged, editor):
    story = ArticleFactory()
    keys = purged(lambda: article_unpublish(article=story, user=editor))
    assert {f"s{story.pk}", "home", f"secl{story.category_id}"} <= keys
    # Never softly: an unpublished story must not be served once more.
    assert backends.recorded_soft == []


def test_a_draft_saved_purges_nothing(purged):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    def edit():
        story.headline_ko = "고친 제목"
        story.save()

    assert purged(edit) == set()
    assert not DBTaskResult.objects.filter(task_path__startswith="frontcache").exists()


def test_withholding_a_language_purges_the_story(purged):
    story = ArticleFactory()
    keys = purged(lambda: article_withhold(article=story, language="ja", withheld=True))
    assert f"s{story.pk}" in keys
    keys = purged(
        lambda: article_withhold(article=story, language="ja", withheld=False)
    )
    assert f"s{story.pk}" in keys


def test_a_correction_to_a_live_story_purges_it(purged):
    story = ArticleFactory()
    keys = purged(lambda: story.corrections.create(text_ko="날짜를 바로잡았다."))
    assert f"s{story.pk}" in keys


def test_a_scheduled_storys_time_coming_purges_the_lists(purged):
    story = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    backends.recorded.clear()
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    keys = purged(lambda: call_command("publish_scheduled", stdout=StringIO()))
    assert {f"s{story.pk}", "home", f"secl{story.category_id}"} <= keys


def test_renaming_a_tag_section_or_author_purges_its_pages(purged):
    story = ArticleFactory()
    story.tags.add("항만")
    tag = Tag.objects.get()
    tag.name_ja = "港湾物流"
    assert purged(tag.save) >= {f"t{tag.pk}", "feeds", "sitemaps"}
    # Softly: the cache serves the old name while it fetches the new.
    assert f"t{tag.pk}" in set().union(*backends.recorded_soft)
    section = story.category
    section.name_en = "Economy and trade"
    assert f"sec{section.pk}" in purged(section.save)
    author = story.authors.get()
    author.name = "새 이름"
    assert f"a{author.pk}" in purged(author.save)


def test_a_pictures_new_words_and_renditions_purge_its_pages(purged):
    made = []
    # Its renditions made by the worker: pages drawn before may use them.
    keys = purged(lambda: made.append(ImageFactory()))
    picture = made[0]
    assert picture.renditions.exists()
    assert f"img{picture.pk}" in keys
    backends.recorded.clear()
    picture.caption_ja = "新しい説明"
    assert f"img{picture.pk}" in purged(picture.save)


def test_many_changes_in_one_transaction_make_one_purge(purged, editor):
    stories = [ArticleFactory() for _ in range(3)]
    backends.recorded.clear()

    def edit_all():
        with transaction.atomic():
            for story in stories:
                story.headline_en = "Edited"
                story.save()
                story.corrections.create(text_en="Fixed.")

    keys = purged(edit_all)
    assert len(backends.recorded) == 1
    assert {f"s{story.pk}" for story in stories} <= keys


def test_a_rolled_back_change_purges_nothing(purged):
    story = ArticleFactory()
    backends.recorded.clear()

    def fail():
        try:
            with transaction.atomic():
                story.headline_ko = "취소될 제목"
                story.save()
                raise RuntimeError
        except RuntimeError:
            pass

    assert purged(fail) == set()


def test_a_failing_purge_is_retried_soon_then_given_up_and_shown(
    purged, run_tasks, client
):
    story = ArticleFactory()
    with override_settings(
        NEWSROOM_CACHE={**settings.NEWSROOM_CACHE, "PURGE_OPTIONS": {"fail": True}}
    ):
        purged(lambda: story.corrections.create(text_ko="고침"))
        jobs = DBTaskResult.objects.filter(task_path="frontcache.tasks.purge_keys")
        waits = []
        for _attempt in PURGE_RETRY_DELAYS:
            retry = jobs.filter(status="READY").get()
            # From when it was planned, not from now: a slow machine is no
            # shorter wait.
            waits.append(round((retry.run_after - retry.enqueued_at).total_seconds()))
            jobs.filter(pk=retry.pk).update(run_after=timezone.now())
            run_tasks()
        assert waits == list(PURGE_RETRY_DELAYS)
        assert jobs.filter(status="FAILED").count() == 1
    client.force_login(UserFactory(superuser=True))
    page = client.get("/admin/background-work/").content.decode()
    assert "프런트 캐시에서 바뀐 페이지 지우기" in page
    assert "Could not purge" in page
