"""Count each story's link labels and corrections in its languages' states.

Before this, they were not units of the story. A translation of one that
exists is taken as made from its current source (as the states take any text
they have no history for); a language that was complete but lacks one is
outdated from now, behind since now, so the desk sees what readers miss.
"""

import hashlib
import unicodedata

from django.db import migrations
from django.utils import timezone

LANGUAGES = ("ko", "ja", "en")
# Only a complete published translation: one waiting for review stays withheld.
COMPLETED = ("up_to_date",)


def _fingerprint(text: str) -> str:
    # translations.units.fingerprint as it reads when this was written.
    text = unicodedata.normalize("NFC", text or "")
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def count_parts(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Correction = apps.get_model("articles", "Correction")
    LanguageEdition = apps.get_model("articles", "LanguageEdition")
    ExternalLink = apps.get_model("related", "ExternalLink")
    TranslationState = apps.get_model("translations", "TranslationState")
    FieldTranslation = apps.get_model("translations", "FieldTranslation")
    parts: dict[int, list[tuple[str, dict[str, str]]]] = {}
    for link in ExternalLink.objects.order_by("position", "id"):
        words = {code: getattr(link, f"label_{code}") or "" for code in LANGUAGES}
        parts.setdefault(link.article_id, []).append((f"link.{link.pk}", words))
    for correction in Correction.objects.order_by("corrected_at", "id"):
        words = {code: getattr(correction, f"text_{code}") or "" for code in LANGUAGES}
        parts.setdefault(correction.article_id, []).append(
            (f"correction.{correction.pk}", words)
        )
    if not parts:
        return
    now = timezone.now()
    sources = dict(
        Article.objects.filter(pk__in=list(parts)).values_list("pk", "source_language")
    )
    records = []
    for state in TranslationState.objects.filter(article_id__in=list(parts)):
        source = sources[state.article_id]
        if state.language == source:
            continue
        known = set(state.fields.values_list("unit", flat=True))
        missing = False
        for key, words in parts[state.article_id]:
            if not words[source].strip():
                continue
            if not words[state.language].strip():
                missing = True
            elif key not in known:
                records.append(
                    FieldTranslation(
                        state=state,
                        unit=key,
                        source_fingerprint=_fingerprint(words[source]),
                        source_text=words[source],
                        is_machine=False,
                        translated_at=state.translated_at or now,
                    )
                )
        if missing and state.status in COMPLETED:
            TranslationState.objects.filter(pk=state.pk).update(status="outdated")
            LanguageEdition.objects.filter(
                article_id=state.article_id,
                language=state.language,
                behind_since__isnull=True,
            ).update(behind_since=now)
    FieldTranslation.objects.bulk_create(records, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0030_language_editions"),
        ("related", "0001_initial"),
        ("translations", "0011_workspace_drafts"),
    ]

    operations = [
        migrations.RunPython(count_parts, migrations.RunPython.noop),
    ]
