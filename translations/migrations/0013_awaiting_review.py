"""Withhold a person's translation nobody reviewed, in whatever state it is.

Before this, only "needs review" was withheld: a source edit that made such a
translation outdated released it to readers unreviewed. The upgrade marks
every translation under a review policy that has text nobody reviewed since
it was written, and withholds it.
"""

from django.db import migrations, models
from django.db.models import F, Q


def mark_unreviewed(apps, schema_editor):
    LanguagePolicy = apps.get_model("translations", "LanguagePolicy")
    TranslationState = apps.get_model("translations", "TranslationState")
    Withholding = apps.get_model("articles", "Withholding")
    languages = list(
        LanguagePolicy.objects.filter(needs_review=True).values_list(
            "language", flat=True
        )
    )
    waiting = (
        TranslationState.objects.filter(language__in=languages)
        .exclude(language=F("article__source_language"))
        .exclude(status="missing")
        .filter(
            Q(reviewed_at__isnull=True)
            | Q(translated_at__isnull=False, reviewed_at__lt=F("translated_at"))
        )
    )
    pairs = list(waiting.values_list("article_id", "language"))
    waiting.update(is_awaiting_review=True)
    Withholding.objects.bulk_create(
        [Withholding(article_id=article, language=code) for article, code in pairs],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    # It writes Withholding rows, which articles' 0032 turns into flags.
    run_before = [("articles", "0032_withheld_flags")]
    dependencies = [
        ("articles", "0030_language_editions"),
        ("translations", "0012_count_links_and_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="translationstate",
            name="is_awaiting_review",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="awaiting review"
            ),
        ),
        migrations.RunPython(mark_unreviewed, migrations.RunPython.noop),
    ]
