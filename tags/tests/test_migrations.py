"""Data migrations of tags: existing rows upgrade."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from articles.tests.factories import ArticleFactory
from tags.models import Tag, TaggedArticle
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db

MERGE = "0002_merge_tags_named_alike"


def migrate_merge() -> None:
    """Run the migration's data step on the models as they stood before it."""
    apps = MigrationLoader(connection).project_state(("tags", MERGE), at_end=False).apps
    import_module(f"tags.migrations.{MERGE}").merge_tags_named_alike(apps, None)


def legacy(tag: Tag, **columns) -> Tag:
    """Store names as an older version did, invisible characters and all."""
    Tag.objects.filter(pk=tag.pk).update(**columns)
    return tag


def test_tags_named_alike_but_for_invisible_characters_become_one():
    japan = TagFactory(name_ko="일본", name_ja="", name_en="")
    look_alike = legacy(
        TagFactory(),
        name_ko="일\u200b본",
        key_ko="일\u200b본",
        slug_ko="일본-2",
        name_ja="日本",
        key_ja="日本",
        slug_ja="日本",
        name_en="\u200bJapan",
        key_en="\u200bjapan",
        slug_en="japan",
    )
    chips = TagFactory(name_ko="반도체", name_ja="", name_en="")
    only_look_alike = ArticleFactory()
    only_look_alike.tags.add(look_alike)
    both = ArticleFactory()
    both.tags.add(japan, look_alike, chips)

    migrate_merge()

    assert set(Tag.objects.values_list("pk", flat=True)) == {japan.pk, chips.pk}
    japan.refresh_from_db()
    # The older tag keeps its own names and takes those it lacked.
    assert (japan.name_ko, japan.name_ja, japan.name_en) == ("일본", "日本", "Japan")
    assert (japan.key_ko, japan.key_ja, japan.key_en) == ("일본", "日本", "japan")
    assert (japan.slug_ko, japan.slug_ja, japan.slug_en) == ("일본", "日本", "japan")
    assert list(only_look_alike.tags.all()) == [japan]
    assert set(both.tags.all()) == {japan, chips}
    assert TaggedArticle.objects.filter(content_object=both).count() == 2


def test_invisible_characters_leave_names_without_a_merge():
    tag = legacy(
        TagFactory(name_ja="", name_en="Chips"),
        name_ko="반\u00ad도체\ufeff",
        key_ko="반\u00ad도체\ufeff",
        name_ja="\u200b",
        key_ja="\u200b",
    )

    migrate_merge()

    tag.refresh_from_db()
    assert (tag.name_ko, tag.key_ko) == ("반도체", "반도체")
    assert (tag.name_ja, tag.key_ja) == ("", "")
    assert (tag.name_en, tag.key_en) == ("Chips", "chips")


def test_a_name_another_tag_has_in_another_language_merges_too():
    tokyo = TagFactory(name_ko="", name_ja="", name_en="Tokyo")
    kanji = legacy(
        TagFactory(name_ko="", name_en=""),
        name_ja="\u2060Ｔｏｋｙｏ",
        key_ja="\u2060tokyo",
    )
    article = ArticleFactory()
    article.tags.add(kanji)

    migrate_merge()

    assert list(Tag.objects.all()) == [tokyo]
    assert list(article.tags.all()) == [tokyo]


def test_a_tag_named_only_with_invisible_characters_goes():
    blank = legacy(
        TagFactory(name_ja="", name_en=""), name_ko="\u200b", key_ko="\u200b"
    )
    article = ArticleFactory()
    article.tags.add(blank)

    migrate_merge()

    assert not Tag.objects.exists()
    assert not article.tags.exists()
