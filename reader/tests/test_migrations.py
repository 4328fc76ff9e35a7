"""Data migrations of the reader site: existing reads upgrade."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from reader.models import Ranking, StoryRead

pytestmark = pytest.mark.django_db

RANKINGS = "0002_rankings"


def test_the_reads_a_database_holds_are_ranked_on_upgrade():
    apps = MigrationLoader(connection).project_state(("reader", RANKINGS)).apps
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    popular, quiet, gone = ArticleFactory(), ArticleFactory(), ArticleFactory()
    for story, count in ((popular, 9), (quiet, 2), (gone, 50)):
        StoryRead.objects.create(article=story, language="ko", hour=now, count=count)
    # Read last week only: in the week's ranking, not the day's.
    StoryRead.objects.create(
        article=quiet, language="ko", hour=now - timedelta(days=3), count=20
    )
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.UNPUBLISHED)

    import_module(f"reader.migrations.{RANKINGS}").rank_existing_reads(apps, None)

    def ranking(window):
        return list(
            Ranking.objects.filter(language="ko", window=window).values_list(
                "article_id", "reads"
            )
        )

    assert ranking("day") == [(popular.pk, 9), (quiet.pk, 2)]
    assert ranking("week") == [(quiet.pk, 22), (popular.pk, 9)]
    assert not Ranking.objects.filter(language="ja").exists()
