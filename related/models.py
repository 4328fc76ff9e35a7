from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.richtext import PlainCharField, WebURLField


class Source(models.Model):
    class Role(models.TextChoices):
        SOURCE = "source", _("source")
        IMAGE_SOURCE = "image_source", _("image source")
        FURTHER_READING = "further_reading", _("further reading")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="sources",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.SOURCE
    )
    publisher = PlainCharField(_("publisher"), max_length=200)
    title = PlainCharField(_("title"), max_length=300, blank=True)
    url = WebURLField(_("address"), max_length=500)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_(
            "The language of the cited page, e.g. “ko”. Publisher and title stay "
            "as the source writes them, untranslated, so the story page marks "
            "them with this language (lang attribute)."
        ),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title or self.publisher


class RelatedArticle(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="related_articles",
    )
    related = models.ForeignKey(
        "articles.Article",
        verbose_name=_("related story"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("related story")
        verbose_name_plural = _("related stories")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"],
                name="related_article_once_per_article",
                violation_error_message=_("This story is already listed as related."),
            ),
            models.CheckConstraint(
                condition=~Q(article=F("related")),
                name="related_article_not_itself",
                violation_error_message=_("A story cannot be related to itself."),
            ),
        ]

    def __str__(self) -> str:
        # The story's headline when it was read with the row (the desk's
        # inline reads them together); else its number, without a query per
        # row: a revision names each of a story's rows.
        if RelatedArticle.related.is_cached(self):
            return str(self.related)
        return gettext("Story %(number)s") % {"number": self.related_id}

    def clean(self) -> None:
        if self.article_id is not None and self.article_id == self.related_id:
            raise ValidationError(
                {"related": gettext("A story cannot be related to itself.")}
            )


class ExternalLinkQuerySet(models.QuerySet):
    def for_language(self, language: str) -> "ExternalLinkQuerySet":
        """Links with a label in `language`; the others are not shown there."""
        return self.filter(**{f"label_{language}__gt": ""})


class ExternalLink(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="external_links",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    url = WebURLField(_("address"), max_length=500)
    label = PlainCharField(_("label"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("The language of the linked page, e.g. “ja”."),
    )

    objects = ExternalLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")

    def __str__(self) -> str:
        return self.label or self.url
