import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_FLAGS = [("articles", "0031_live_indexes")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_turns_withheld_rows_into_the_stories_flags():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_FLAGS)
    try:
        old = executor.loader.project_state(BEFORE_FLAGS).apps
        Article = old.get_model("articles", "Article")
        Withholding = old.get_model("articles", "Withholding")
        # Historical models have no save() of ours: rows are written as they are.
        withheld, open_story = Article.objects.bulk_create(
            [
                Article(headline_ko="비공개 번역", slug_ko="withheld"),
                Article(headline_ko="공개 번역", slug_ko="open"),
            ]
        )
        Withholding.objects.create(article=withheld, language="ja")
        Withholding.objects.create(article=withheld, language="en")
    finally:
        # The tests after this one need the schema of today, whatever happened.
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    new = executor.loader.project_state(latest).apps.get_model("articles", "Article")
    flags = {
        story.pk: (story.is_withheld_ko, story.is_withheld_ja, story.is_withheld_en)
        for story in new.objects.all()
    }
    assert flags == {
        withheld.pk: (False, True, True),
        open_story.pk: (False, False, False),
    }
