"""Give every existing story its per-language state.

Text already in a target language is taken as translated from the source as it
reads now (there is no history to know better): up to date when complete, in
progress when partial, missing when empty.
"""

import hashlib
import unicodedata

from django.conf import settings
from django.db import migrations
from django.utils import timezone

FIELDS = ("headline", "dek", "feature_text", "key_points", "body")
IMAGE_FIELDS = {"image.alt_text": "alt_text", "image.caption": "caption"}
BATCH = 500


def fingerprint(text):
    text = unicodedata.normalize("NFC", text or "")
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def texts(article, language):
    found = {field: getattr(article, f"{field}_{language}") or "" for field in FIELDS}
    image = article.feature_image
    for unit, field in IMAGE_FIELDS.items():
        found[unit] = (getattr(image, f"{field}_{language}") or "") if image else ""
    return found


def backfill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    State = apps.get_model("translations", "TranslationState")
    Field = apps.get_model("translations", "FieldTranslation")
    languages = [code for code, _name in settings.LANGUAGES]
    now = timezone.now()
    articles = Article.objects.select_related("feature_image").order_by("pk")
    last = 0
    while batch := list(articles.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        states, fields = [], []
        for article in batch:
            source = texts(article, article.source_language)
            wanted = [unit for unit, text in source.items() if text]
            for code in languages:
                state = State(article_id=article.pk, language=code, status="up_to_date")
                states.append(state)
                if code == article.source_language:
                    continue
                target = texts(article, code)
                done = [unit for unit in wanted if target[unit]]
                # A shared picture may be captioned in a language the story
                # is not in: only the story's own fields say it is there.
                if not any(unit in FIELDS for unit in done):
                    state.status = "missing"
                elif len(done) < len(wanted):
                    state.status = "in_progress"
                fields.extend(
                    (state, unit, source[unit]) for unit in done
                )
        State.objects.bulk_create(states)
        Field.objects.bulk_create(
            Field(
                state_id=state.pk,
                unit=unit,
                source_fingerprint=fingerprint(text),
                source_text=text,
                translated_at=now,
            )
            for state, unit, text in fields
        )


class Migration(migrations.Migration):
    dependencies = [("translations", "0001_states_and_glossary")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
