from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import for_editors
from core.languages import LANGUAGE_CODES
from core.richtext import PlainCharField, PlainTextField


class TranslationStateQuerySet(models.QuerySet):
    def for_language(self, language: str) -> "TranslationStateQuerySet":
        return self.filter(language=language)

    def translations(self) -> "TranslationStateQuerySet":
        """Leave out each story's own source language."""
        return self.exclude(language=models.F("article__source_language"))


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class TranslationState(models.Model):
    """Where one story stands in one language, for translators and editors.

    The row of the story's source language is always up to date; it exists to
    hold whether that language is published.
    """

    class Status(models.TextChoices):
        MISSING = "missing", _("missing")
        IN_PROGRESS = "in_progress", _("in progress")
        NEEDS_REVIEW = "needs_review", _("needs review")
        UP_TO_DATE = "up_to_date", _("up to date")
        OUTDATED = "outdated", _("outdated")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="translation_states",
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(
        _("state"), max_length=16, choices=Status.choices, default=Status.MISSING
    )
    is_published = models.BooleanField(
        _("published in this language"),
        default=True,
        help_text=_(
            "Unticked, readers of this language do not see the story, whatever "
            "happens to the other languages."
        ),
    )
    # Some field is machine output nobody has reviewed yet, whatever the
    # state (a source edit may make it outdated before anyone reads it).
    has_machine_text = models.BooleanField(
        _("has unreviewed machine text"), default=False, editable=False
    )
    # Under a review policy: a person's text nobody has reviewed since it was
    # written, withheld from readers in any state (see is_withheld).
    is_awaiting_review = models.BooleanField(
        _("awaiting review"), default=False, editable=False
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    machine_translator = models.CharField(
        _("machine translator"),
        max_length=40,
        blank=True,
        help_text=_("The service that made the last machine translation, if any."),
    )
    translated_at = models.DateTimeField(_("translated at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # A reviewer's note when they returned the translation; cleared on approval.
    review_note = models.TextField(_("review note"), blank=True)
    # The plan, set by editors (translation_assign): who translates this
    # language, by when, how urgently.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translation_assignments",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TranslationStateQuerySet.as_manager()

    class Meta:
        ordering = ["article", "language"]
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        permissions = [("translate_story", _("Can translate stories"))]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="translation_state_once"
            ),
        ]
        indexes = [
            models.Index(fields=["language", "status"], name="translation_lang_status"),
            # A translator's work, soonest due first.
            models.Index(
                fields=["assignee", "due_on"],
                condition=models.Q(assignee__isnull=False),
                name="translation_assignments",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.language} {self.get_status_display()}"

    @property
    def is_withheld(self) -> bool:
        """Whether readers may not see this language: unpublished or unreviewed.

        Stored for readers' queries as the story's withheld flag for the
        language, written by `state_save()` in translations/services.py.
        """
        return (
            not self.is_published
            or self.has_machine_text
            or self.status == self.Status.NEEDS_REVIEW
            or self.is_awaiting_review
        )

    @property
    def is_source(self) -> bool:
        return self.language == self.article.source_language

    @property
    def is_machine(self) -> bool:
        return bool(self.machine_translator)


class FieldTranslation(models.Model):
    """The source text one translated field was made from, and its fingerprint.

    When the source changes, the fingerprints differ: the field is outdated,
    and the old text shows the translator what changed.
    """

    state = models.ForeignKey(
        TranslationState,
        verbose_name=_("translation state"),
        on_delete=models.CASCADE,
        related_name="fields",
    )
    unit = models.CharField(_("field"), max_length=40)
    source_fingerprint = models.CharField(_("source fingerprint"), max_length=64)
    source_text = models.TextField(_("source text"), blank=True)
    is_machine = models.BooleanField(
        _("machine translation"),
        default=False,
        help_text=_("Made by a machine and not yet reviewed by a person."),
    )
    translated_at = models.DateTimeField(_("translated at"))

    class Meta:
        ordering = ["state", "unit"]
        verbose_name = _("translated field")
        verbose_name_plural = _("translated fields")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "unit"], name="field_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state_id}:{self.unit}"


class GlossaryTerm(models.Model):
    """A name spelled one agreed way in each language."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        PLACE = "place", _("place")
        ORGANISATION = "organisation", _("organisation")
        OTHER = "other", _("other")

    name = PlainCharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER
    )
    note = PlainTextField(
        _("note"),
        blank=True,
        help_text=_("For translators: who or what this is, how to use the name."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self) -> str:
        return for_editors(self, "name")

    def clean(self) -> None:
        if sum(bool(self.form_in(code)) for code in LANGUAGE_CODES) < 2:
            raise ValidationError(gettext("Give the name in at least two languages."))

    def form_in(self, language: str) -> str:
        return getattr(self, f"name_{language}") or ""


class TranslatorLanguage(models.Model):
    """A language a translator works in: they may edit that language's fields only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="translator_languages",
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)

    class Meta:
        # Made by articles' migrations, before translators were this app's.
        db_table = "articles_translatorlanguage"
        ordering = ["user", "language"]
        verbose_name = _("translation language")
        verbose_name_plural = _("translation languages")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "language"], name="translator_language_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class MemoryEntry(models.Model):
    """A segment a person translated: offered again wherever its source returns.

    Learnt from every translation a person saves, in the desk's workspace or
    form or by a PO import (translations/memory.py); machine output is not.
    One entry per source text and language pair: the latest translation wins.
    """

    source_language = models.CharField(
        _("source language"), max_length=2, choices=settings.LANGUAGES
    )
    target_language = models.CharField(
        _("target language"), max_length=2, choices=settings.LANGUAGES
    )
    source_text = models.TextField(_("source text"))
    # SHA-256 of the normalised source text: exact matches by index.
    source_key = models.CharField(_("source key"), max_length=64)
    target_text = models.TextField(_("translation"))
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("from story"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("translation memory entry")
        verbose_name_plural = _("translation memory")
        constraints = [
            models.UniqueConstraint(
                fields=["source_language", "target_language", "source_key"],
                name="memory_entry_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_language}→{self.target_language}: {self.source_text[:40]}"


class LanguagePolicy(models.Model):
    """How translations into one language reach readers, as editors decide."""

    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, unique=True
    )
    needs_review = models.BooleanField(
        _("a person reviews each translation"),
        default=False,
        help_text=_(
            "On, a finished translation waits, withheld from readers, until an "
            "editor or another translator of this language approves it."
        ),
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("language policy")
        verbose_name_plural = _("language policies")

    def __str__(self) -> str:
        return self.get_language_display()


class WorkspaceDraft(models.Model):
    """A translation saved in the workspace but not marked done: never public.

    The story's texts change only when a translator marks the translation
    done and every check passes; until then what they typed is kept here,
    one draft per story and language, so a half-done or still failing
    translation is neither lost nor shown to readers. `revision` counts its
    saves: a save made from an older revision is refused, not merged.
    """

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="workspace_drafts",
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    # {segment key: {"source": the source segment then, "target": the text}}
    segments = models.JSONField(_("segments"), default=dict)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("translation draft")
        verbose_name_plural = _("translation drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="workspace_draft_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.language}"
