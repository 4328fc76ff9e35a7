"""A story's lists read in one query (core/rows.py) are those the ORM reads."""

from datetime import date, timedelta

import pytest
from django.db.models import prefetch_related_objects
from django.utils import timezone

from articles.models import Article, Byline, Correction, story_parts
from articles.tests.factories import ArticleFactory, AuthorFactory
from core.rows import prefetch_rows
from related.models import ExternalLink, Source
from tags.models import Tag

pytestmark = pytest.mark.django_db

LISTS = ("bylines", "tags", "sources", "corrections", "external_links")


def story_with_lists(count: int) -> Article:
    """Return a story with `count` of each list, stored out of their order."""
    authors = [AuthorFactory() for _ in range(count)]
    article = ArticleFactory()
    article.bylines.all().delete()
    now = timezone.now()
    for number in reversed(range(count)):
        Byline.objects.create(article=article, author=authors[number], position=number)
        Source.objects.create(
            article=article,
            position=number,
            publisher=f"통신사 {number}",
            title=f"항만 통계 {number}",
            url=f"https://news.example/{article.pk}/{number}",
            published_on=date(2026, 11, 1 + number),
            language="ko",
        )
        Correction.objects.create(
            article=article,
            corrected_at=now - timedelta(hours=number),
            text_ko=f"숫자를 바로잡았다 {number}.",
        )
        ExternalLink.objects.create(
            article=article,
            position=number,
            url=f"https://port.example/{article.pk}/{number}",
            label_ko=f"통계 {number}",
            language="ko",
        )
    for number in range(count):
        article.tags.add(
            Tag.objects.create(
                name_ko=f"태그{article.pk}-{number}",
                name_en=f"tag {article.pk} {number}",
            )
        )
    return article


def rows_by_list(article: Article) -> dict[str, list[tuple]]:
    """Return every field of each row of the story's lists, as read."""
    found = {}
    for name in LISTS:
        found[name] = [
            tuple(getattr(row, field.attname) for field in row._meta.concrete_fields)
            for row in getattr(article, name).all()
        ]
    found["authors"] = [
        tuple(getattr(b.author, f.attname) for f in b.author._meta.concrete_fields)
        for b in article.bylines.all()
    ]
    return found


def test_the_lists_read_in_one_query_are_those_the_orm_reads(
    django_assert_num_queries,
):
    stories = [story_with_lists(3), story_with_lists(0), story_with_lists(2)]
    by_orm = list(Article.objects.filter(pk__in=[s.pk for s in stories]))
    prefetch_related_objects(
        by_orm, "bylines__author", "tags", "sources", "corrections", "external_links"
    )
    at_once = list(Article.objects.filter(pk__in=[s.pk for s in stories]))
    with django_assert_num_queries(1):
        prefetch_rows(at_once, story_parts())
        read = {story.pk: rows_by_list(story) for story in at_once}

    for story in by_orm:
        expected = rows_by_list(story)
        # Tags have no order of their own: the ones added first come first.
        expected["tags"].sort(key=lambda row: row[0])
        assert read[story.pk] == expected
    first = read[stories[0].pk]
    assert [row[3] for row in first["bylines"]] == [0, 1, 2]
    assert len(first["tags"]) == 3
    assert read[stories[1].pk] == {name: [] for name in (*LISTS, "authors")}


def test_values_come_as_the_fields_give_them():
    article = story_with_lists(1)
    story = Article.objects.with_rows(*story_parts()).get(pk=article.pk)

    correction = story.corrections.all()[0]
    stored = Correction.objects.get(pk=correction.pk)
    assert correction.corrected_at == stored.corrected_at
    assert correction.corrected_at.tzinfo is not None
    assert story.sources.all()[0].published_on == date(2026, 11, 1)
    byline = story.bylines.all()[0]
    # Each row knows its story and its author without asking again.
    assert byline.article is story
    assert byline.author.name_ko == Byline.objects.get(pk=byline.pk).author.name_ko


def test_a_list_asked_again_with_a_filter_still_asks_the_database(
    django_assert_num_queries,
):
    article = story_with_lists(2)
    story = Article.objects.with_rows(*story_parts()).get(pk=article.pk)
    with django_assert_num_queries(0):
        assert len(story.sources.all()) == 2
    with django_assert_num_queries(1):
        assert [s.position for s in story.sources.filter(position=1)] == [1]
    with django_assert_num_queries(1):
        assert story.tags.filter(name_en=f"tag {article.pk} 0").count() == 1


def test_querysets_keep_their_lists_through_chaining(django_assert_num_queries):
    stories = [story_with_lists(2) for _ in range(3)]
    with django_assert_num_queries(2):
        found = list(
            Article.objects.with_rows(*story_parts())
            .filter(pk__in=[s.pk for s in stories])
            .order_by("pk")
        )
        assert [len(s.tags.all()) for s in found] == [2, 2, 2]
    with django_assert_num_queries(2):
        first = Article.objects.with_rows(*story_parts()).order_by("pk").first()
        assert first is not None
        assert len(first.bylines.all()) == 2
    # values() reads no lists, and asks nothing more.
    with django_assert_num_queries(1):
        assert len(Article.objects.with_rows(*story_parts()).values("pk")) == 3


def test_an_iterator_reads_the_lists_of_each_chunk(django_assert_num_queries):
    stories = [story_with_lists(count) for count in (1, 2, 3)]
    found = Article.objects.with_rows(*story_parts()).order_by("pk").iterator(2)
    read = {}
    for story in found:
        # Read with its chunk: naming them asks nothing more.
        with django_assert_num_queries(0):
            read[story.pk] = [len(story.tags.all()), len(story.sources.all())]
    assert read == {
        story.pk: [count, count]
        for story, count in zip(stories, (1, 2, 3), strict=True)
    }


def test_owners_past_a_batch_are_read_in_another_query(
    django_assert_num_queries, monkeypatch
):
    import core.rows

    monkeypatch.setattr(core.rows, "BATCH", 2)
    stories = [story_with_lists(1) for _ in range(5)]
    owners = list(Article.objects.filter(pk__in=[s.pk for s in stories]))
    with django_assert_num_queries(3):
        prefetch_rows(owners, story_parts())
    assert [len(owner.bylines.all()) for owner in owners] == [1] * 5
