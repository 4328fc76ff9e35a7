import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """A story brought in from an archive, by its place there: imports find it again.

    Importing the same archive again updates the story when its file
    changed (`fingerprint`) and creates no second one.
    """

    class Source(models.TextChoices):
        JEKYLL = "jekyll", _("Jekyll site")
        WORDPRESS = "wordpress", _("WordPress export")
        HTML = "html", _("saved web page")

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


# Silence after which a running import is taken for stopped (ImportRun.is_stalled).
STALLED_AFTER = timedelta(minutes=10)


def upload_place(run: "ImportRun", filename: str) -> str:
    """Keep each upload in a folder of its own, under the name it was sent with.

    Reports name the file as the editor knows it, never "site_x7Kq.zip".
    """
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


def imports_storage():
    """Return where uploaded archives wait for the worker: never public."""
    return storages["imports"]


class ImportRun(models.Model):
    """An archive an editor uploaded in the desk, and what importing it did.

    The worker imports it (imports.tasks.run_import); the desk's page shows
    its progress and then its report, post by post.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(
        _("kind of archive"), max_length=20, choices=ImportedItem.Source.choices
    )
    upload = models.FileField(
        _("file"), upload_to=upload_place, storage=imports_storage, max_length=300
    )
    dry_run = models.BooleanField(
        _("dry run"),
        default=True,
        help_text=_("Shows what the import would do, and saves nothing."),
    )
    publish = models.BooleanField(
        _("publish as in the archive"),
        default=False,
        help_text=_(
            "Stories the archive published go live at their own time; "
            "unticked, every story arrives as a draft."
        ),
    )
    language = models.CharField(
        _("language of posts that name none"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ko",
    )
    include_pages = models.BooleanField(
        _("WordPress pages too"),
        default=False,
        help_text=_("Posts only, unless ticked."),
    )
    # The desk's language of the editor who uploaded it: the report's.
    report_language = models.CharField(
        _("language of the report"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ko",
    )
    # Category name → section id, as the desk mapped them.
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("posts"), default=0)
    done = models.PositiveIntegerField(_("posts read"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # When the worker last said it was at work on it (each post read).
    heard_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("archive import")
        verbose_name_plural = _("archive imports")

    def __str__(self) -> str:
        return self.upload.name.rsplit("/", 1)[-1]

    def is_over(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def is_stalled(self, now: datetime) -> bool:
        """Whether the worker went quiet on it: stopped, never to say so.

        A post takes seconds; minutes of silence is a worker that died (a
        deploy, the machine's memory). Its run may be started again: what it
        imported is found again and left alone.
        """
        heard = self.heard_at or self.created_at
        return self.status == self.Status.RUNNING and now - heard > STALLED_AFTER
