"""The picture library: pictures, their renditions and stories' share cards."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, for_editors
from core.richtext import PlainCharField, PlainTextField, WebURLField

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}


def image_upload_to(instance: "Image", filename: str) -> str:
    """Name stored files ourselves: nothing of the uploaded name reaches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in IMAGE_EXTENSIONS:
        extension = "img"
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class RenditionProblem(models.TextChoices):
    UNREADABLE = "unreadable", _("the file cannot be read as a picture")
    STORAGE = "storage", _("the files could not be stored")
    OTHER = "other", _("an unexpected error")


class Image(models.Model):
    """A picture in the library, reusable by many stories."""

    file = models.ImageField(
        _("file"), upload_to=image_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    # The stored file's size in bytes, kept so the library never asks the
    # storage (an HTTP request each on object storage). Set on upload; the
    # worker fills it in for pictures from before it was kept.
    file_size = models.PositiveBigIntegerField(
        _("file size"), editable=False, null=True
    )
    # SHA-256 of the file as it was uploaded (what is stored is re-encoded):
    # the same file uploaded again is recognised. Empty for older pictures.
    upload_sha256 = models.CharField(
        _("upload fingerprint"), max_length=64, blank=True, editable=False
    )
    alt_text = PlainCharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = PlainTextField(_("caption"), blank=True)
    credit = PlainCharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer or agency, as it should be printed."),
    )
    source_url = WebURLField(_("source URL"), max_length=500, blank=True)
    licence = PlainCharField(
        _("licence"),
        max_length=300,
        blank=True,
        help_text=_("Under what terms we may publish it: ours, agency, CC BY 4.0…"),
    )
    is_ai_generated = models.BooleanField(
        _("AI-generated"),
        default=False,
        help_text=_("Readers see “AI-generated image” next to it in every language."),
    )
    # Where the picture's subject is, as fractions of its width and height:
    # crops for cards and thumbnails keep it in frame.
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right; crops keep this point."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Who uploaded it: a reporter edits their own pictures (images/permissions.py).
    # Pictures from before this was kept have none, and only editors edit them.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Raised by every save through the services; a form that loaded an older
    # version may only change fields nobody changed since (optimistic concurrency).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set by the worker when its renditions could not be made (given up after
    # retries, or a file no retry can read); cleared when they are.
    renditions_failed_at = models.DateTimeField(
        _("renditions failed at"), null=True, blank=True, editable=False
    )
    renditions_problem = models.CharField(
        _("renditions problem"),
        max_length=12,
        choices=RenditionProblem.choices,
        blank=True,
        editable=False,
    )

    class Meta:
        # Made by articles' migrations, before this app had its own.
        db_table = "articles_image"
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        indexes = [
            # The library's order: newest first, without a sort of every row.
            models.Index(fields=["-created_at", "-id"], name="image_newest_first"),
            models.Index(
                fields=["upload_sha256"],
                condition=~Q(upload_sha256=""),
                name="image_upload_sha256",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0)
                & Q(focal_y__lte=1),
                name="image_focal_point_inside",
            )
        ]

    def __str__(self) -> str:
        return for_editors(self, "alt_text") or self.file.name


class Rendition(models.Model):
    """A resized or cropped copy of a library image, made once and kept."""

    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="renditions"
    )
    # What it is: "w640.webp", "card-480.avif"… (see images/renditions.py).
    spec = models.CharField(max_length=40)
    file = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10)

    class Meta:
        db_table = "articles_rendition"
        ordering = ["image", "spec"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "spec"], name="rendition_once_per_spec"
            )
        ]

    def __str__(self) -> str:
        return f"{self.image_id}:{self.spec}"


class ShareCard(models.Model):
    """The Open Graph picture of one story in one language, made once per look.

    `fingerprint` names what it was drawn from (headline, picture, label): a
    card whose fingerprint no longer matches the story is drawn again.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="share_cards"
    )
    language = models.CharField(max_length=2, choices=settings.LANGUAGES)
    file = models.FileField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "articles_sharecard"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="share_card_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.language}"


class StoryPicture(models.Model):
    """A library picture placed in a story's body, in any of its languages.

    Kept from the bodies on every save (images/signal_handlers.py), so a
    picture a story shows cannot be deleted (PROTECT) and the library knows
    which pictures are in use.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("story")
    )
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        related_name="story_uses",
        verbose_name=_("image"),
    )

    class Meta:
        verbose_name = _("picture in a story's body")
        verbose_name_plural = _("pictures in stories' bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "image"], name="story_picture_once"
            )
        ]

    def __str__(self) -> str:
        return for_editors(self.article, "headline") or str(self.article_id)
