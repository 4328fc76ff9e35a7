"""Give every story's languages their edition: when their text last changed.

Before this, only the story's own `updated_at` was kept: the source language
takes it, a translation its state's `translated_at` (else `updated_at`), and
an outdated translation is behind since the story was last saved.
"""

from django.db import migrations


def fill_editions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    LanguageEdition = apps.get_model("articles", "LanguageEdition")
    TranslationState = apps.get_model("translations", "TranslationState")
    articles = {
        pk: (source, updated_at)
        for pk, source, updated_at in Article.objects.values_list(
            "pk", "source_language", "updated_at"
        )
    }
    rows = []
    states = TranslationState.objects.exclude(status="missing").values_list(
        "article_id", "language", "status", "translated_at"
    )
    for article_id, language, status, translated_at in states.iterator(chunk_size=2000):
        source, updated_at = articles[article_id]
        is_source = language == source
        rows.append(
            LanguageEdition(
                article_id=article_id,
                language=language,
                text_changed_at=updated_at
                if is_source
                else translated_at or updated_at,
                behind_since=updated_at if status == "outdated" else None,
            )
        )
    LanguageEdition.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0030_language_editions"),
        ("translations", "0006_translators_and_their_permission"),
    ]

    operations = [
        migrations.RunPython(fill_editions, migrations.RunPython.noop),
    ]
