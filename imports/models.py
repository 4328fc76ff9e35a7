from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """A story brought in from an archive, by its place there: imports find it again.

    Importing the same archive again updates the story when its file
    changed (`fingerprint`) and creates no second one.
    """

    class Source(models.TextChoices):
        JEKYLL = "jekyll", _("Jekyll site")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The post's path in its site, a WordPress GUID, a page's URL.
    key = models.CharField(_("key"), max_length=500)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="imported_items",
        verbose_name=_("story"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # Items of one story in several languages share it (a Jekyll post's
    # `ref` or `translation_key`).
    group = models.CharField(_("translation group"), max_length=200, blank=True)
    # SHA-256 of the file as last imported.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key"], name="imported_item_once_a_source"
            )
        ]
        indexes = [models.Index(fields=["source", "group"])]

    def __str__(self) -> str:
        return f"{self.source}: {self.key}"


class OldAddress(models.Model):
    """An address an archive gave a story, which now leads to the story (301).

    Tied to the story, not to its address: it always leads to where the
    story is now, and only while readers of `language` may see it.
    """

    # As a reader's browser asks for it, decoded: "/news/2024/05/29/port.html".
    path = models.CharField(_("path"), max_length=500, unique=True)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="old_addresses",
        verbose_name=_("story"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self) -> str:
        return self.path
