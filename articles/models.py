from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.languages import LANGUAGE_CODES, check_language
from core.links import slug_url
from core.prepared import Param, prepared
from core.richtext import (
    PlainCharField,
    PlainTextField,
    SanitizedHTMLField,
)
from core.rows import Part, RowsQuerySet, keep_prefetched
from core.slugs import (
    MAX_SLUG_LENGTH,
    TranslatedSlugMixin,
    make_slug,
    unique_slug,
)
from related.models import ExternalLink, RelatedArticle, Source
from tags.managers import TaggableManager, TranslatedTagManager


def for_editors(obj: models.Model, field: str) -> str:
    """Return `field` in the active language, else in the first language that has it.

    For the desk's own screens only: readers never get another language's text.
    """
    for code in dict.fromkeys([translation.get_language(), *LANGUAGE_CODES]):
        if value := getattr(obj, f"{field}_{code}", ""):
            return value
    return ""


def unique_slug_constraints(model_name: str) -> list[models.BaseConstraint]:
    """One unique constraint per language slug column; empty slugs never collide.

    The base `slug` column holds whatever language was saved last, so it is
    never unique itself.
    """
    return [
        models.UniqueConstraint(
            fields=[f"slug_{code}"],
            condition=Q(**{f"slug_{code}__gt": ""}),
            name=f"{model_name}_slug_{code}_unique",
            violation_error_message=_("This address is already used in this language."),
        )
        for code in LANGUAGE_CODES
    ]


class Category(TranslatedSlugMixin, models.Model):
    name = PlainCharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"),
        max_length=MAX_SLUG_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "Part of the section's address. Left empty, it is made from the name."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    slug_source = "name"

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = unique_slug_constraints("category")

    def __str__(self) -> str:
        return for_editors(self, "name")

    def page_url(self, language: str | None = None) -> str:
        """Return the section page's address in `language` (the active one)."""
        language = check_language(language or translation.get_language())
        return slug_url("reader:section", getattr(self, f"slug_{language}"), language)


class Author(models.Model):
    name = PlainCharField(_("name"), max_length=120)
    # One address in every language: names are required in all of them.
    slug = models.SlugField(
        _("slug"),
        max_length=MAX_SLUG_LENGTH,
        allow_unicode=True,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the author page's address. Left empty, it is made from the name."
        ),
    )
    email = models.EmailField(_("e-mail address"), unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return for_editors(self, "name") or self.email

    def save(self, *args, **kwargs):
        if not self.slug:
            # modeltranslation adds name_en and name_ko at run time.
            name = self.name_en or self.name_ko  # type: ignore[attr-defined]
            base = make_slug(name or "", fallback="author")
            taken = set(
                Author.objects.exclude(pk=self.pk)
                .filter(slug__startswith=base)
                .values_list("slug", flat=True)
            )
            self.slug = unique_slug(base, taken)
        super().save(*args, **kwargs)

    def get_absolute_url(self, language: str | None = None) -> str:
        language = check_language(language or translation.get_language())
        return slug_url("reader:author", self.slug, language)


class Series(TranslatedSlugMixin, models.Model):
    """A story package: stories read in order, with previous and next links."""

    title = PlainCharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=MAX_SLUG_LENGTH, allow_unicode=True, blank=True
    )
    description = PlainTextField(_("description"), blank=True)

    slug_source = "title"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = unique_slug_constraints("series")

    def __str__(self) -> str:
        return for_editors(self, "title")


# How long a breaking-news flag without a chosen end lasts after publication.
BREAKING_HOURS = 24

SECTION_NEEDED = _("A story needs a section before it is submitted or published.")

# What a story needs in a language before readers of that language see it.
LIVE_FIELDS = ("headline", "body", "slug")


# A story's texts no card shows (with_cards()); modeltranslation defers each
# language's column and the base one.
CARD_UNSHOWN = ("body", "key_points")


def withheld_field(language: str) -> str:
    """Return the name of the story's column saying `language` is withheld.

    One boolean column a language (`is_withheld_ko`…), written by
    `article_withhold()` alone: readers' queries test it on the story's own
    row, in the partial index of its language, with no other table to read.
    """
    return f"is_withheld_{check_language(language)}"


def withheld_fields() -> list[str]:
    return [withheld_field(code) for code in LANGUAGE_CODES]


# The story's fields that have a column per language (articles/translation.py).
TRANSLATED_FIELDS = (
    "headline",
    "slug",
    "dek",
    "feature_text",
    "body",
    "key_points",
    "feature_image_alt",
    "feature_image_caption",
    "feature_image_credit",
)
# The feature image's words: the story's field for each, and the library
# picture's field it defaults to.
# The story's rows translated with it (Article.text_parts): the kind, the
# first part of their key, and the field that holds their words.
PART_WORDS = {"link": "label", "correction": "text"}
FEATURE_WORDS = {
    "alt": ("feature_image_alt", "alt_text"),
    "caption": ("feature_image_caption", "caption"),
    "credit": ("feature_image_credit", "credit"),
}


def listed_q(language: str, through: str = "") -> Q:
    """Return when readers of `language` may see a story, its time having come.

    With `live_q()`, the one definition of "visible to readers": `live()`,
    `is_listed_in()`, `is_live_in()` and the search index derive from it.
    `through`: the lookup of the story from another model ("related__").
    """
    check_language(language)
    return Q(
        **{
            through + lookup: value
            for lookup, value in {
                "status": Article.Status.PUBLISHED,
                "published_at__isnull": False,
                withheld_field(language): False,
                **{f"{field}_{language}__ne": "" for field in LIVE_FIELDS},
            }.items()
        }
    )


def breaking_q(now: Any = None, since: Any = None) -> Q:
    """Return when a story's breaking-news flag is on now.

    Until its chosen end, or for BREAKING_HOURS after publication. `now` as
    in `live_q()`; `since`: BREAKING_HOURS before it (given with an
    expression of `now`, which cannot be worked out here).
    """
    if now is None:
        now = timezone.now()
    if since is None:
        since = now - timedelta(hours=BREAKING_HOURS)
    return Q(is_breaking=True) & (
        Q(breaking_until__gt=now)
        | Q(breaking_until__isnull=True, published_at__gte=since)
    )


def live_index(language: str) -> models.Index:
    """Return the index of the stories `listed_q(language)` may show, newest first.

    Its condition is `listed_q()`'s columns, spelled as live() spells them,
    so that the database sees its queries match it.
    """
    return models.Index(
        fields=["-published_at", "-id"],
        condition=Q(
            status="published",
            published_at__isnull=False,
            **{withheld_field(language): False},
            **{f"{field}_{language}__ne": "" for field in LIVE_FIELDS},
        ),
        name=f"article_live_{language}",
    )


def live_q(language: str, through: str = "", now: Any = None) -> Q:
    """Return the condition for stories readers of `language` may see now.

    `now`: the time to see them at, or an expression of it (a prepared
    query's Param); the current time by default.
    """
    return listed_q(language, through) & Q(
        **{f"{through}published_at__lte": timezone.now() if now is None else now}
    )


@cache
def byline_rows() -> Part:
    """Return a story's bylines, each with its author, for `with_rows()`."""
    return Part("bylines", Byline, "article", joined="author")


@cache
def story_parts() -> tuple[Part, ...]:
    """Return the lists a story page shows of a story, besides related stories."""
    tags = Article._meta.get_field("tags")
    return (
        byline_rows(),
        Part(
            "tags",
            tags.related_model,
            "content_object",
            through=tags.remote_field.through,
            target_field="tag",
        ),
        Part("sources", Source, "article"),
        Part("corrections", Correction, "article"),
        Part("external_links", ExternalLink, "article"),
    )


def related_links(language: str, now: Any = None) -> models.QuerySet[RelatedArticle]:
    """Return links to related stories, as a page in `language` shows them.

    Each with only what its link shows, not its texts in every language,
    and whether readers of `language` may open it at `now` (`is_live_here`;
    `now` as in `live_q()`).
    """
    return (
        RelatedArticle.objects.annotate(
            is_live_here=ExpressionWrapper(
                live_q(language, through="related__", now=now),
                output_field=models.BooleanField(),
            )
        )
        .select_related("related__feature_image")
        .only(
            "article_id",
            "related_id",
            "position",
            "related__status",
            "related__published_at",
            "related__ai_use",
            "related__category_id",
            "related__feature_image",
            f"related__headline_{language}",
            f"related__slug_{language}",
        )
    )


def related_links_prefetch(language: str) -> Prefetch:
    """Return stories' related stories for prefetch_related(), as `related_links()`."""
    return Prefetch("related_articles", queryset=related_links(language))


@prepared
def _related_links_of(language: str) -> models.QuerySet[RelatedArticle]:
    return related_links(language, now=Param("now", models.DateTimeField())).filter(
        article=Param("article", models.BigIntegerField())
    )


def read_related_links(article: "Article", language: str, now: datetime) -> None:
    """Read `article`'s related stories as `related_links_prefetch()` would.

    In a prepared query (core/prepared.py): the story page's, on every
    request, costs a fraction of the ORM's building it anew.
    """
    links = list(_related_links_of(language, article=article.pk, now=now))
    back = RelatedArticle._meta.get_field("article")
    for link in links:
        back.set_cached_value(link, article)
    keep_prefetched(article, "related_articles", links)


class ArticleQuerySet(RowsQuerySet, models.QuerySet["Article"]):
    def live(self, language: str, now: Any = None) -> "ArticleQuerySet":
        """Stories published by now whose `language` version readers may see.

        That version needs a headline, a body and an address, and must not be
        withheld (another app, such as translations, may withhold it). `now`
        as in `live_q()`.
        """
        return self.filter(live_q(language, now=now))

    def scheduled(self) -> "ArticleQuerySet":
        """Stories published for a time still to come."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def out(self) -> "ArticleQuerySet":
        """Stories published and whose time has come, in whatever language."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def embargoed(self) -> "ArticleQuerySet":
        """Stories whose source's embargo has not ended."""
        return self.filter(embargo_until__gt=timezone.now())

    def breaking_now(self) -> "ArticleQuerySet":
        """Stories whose breaking-news flag is on now (`breaking_q()`)."""
        return self.filter(breaking_q())

    def with_cards(self) -> "ArticleQuerySet":
        """Load what a card shows (section, byline) in a fixed number of queries.

        Not the body nor the key points, in any language: a card shows
        neither, and twenty stories' bodies in four columns each were most of
        a list's bytes.
        """
        return (
            self.select_related("category")
            .with_rows(byline_rows())
            .defer(*CARD_UNSHOWN)
        )

    def with_story_image(self) -> "ArticleQuerySet":
        """Cards with their picture: the top story and other lead cards."""
        return (
            self.with_cards()
            .select_related("feature_image")
            .prefetch_related("feature_image__renditions")
        )

    def with_story_page(self, language: str) -> "ArticleQuerySet":
        """Load all a story page in `language` shows, in a fixed number of queries.

        Its related stories come with only what their links show, not their
        texts in every language, and say whether readers of `language` may
        open them (`is_live_here`). All of them: the page names each, and one
        that becomes readable must purge it.
        """
        return self.with_story_parts().prefetch_related(
            related_links_prefetch(language)
        )

    def with_story_parts(self) -> "ArticleQuerySet":
        """Load what a story page shows of a story but its related stories.

        The same in every language and at any time (a prepared query's).
        """
        return (
            self.select_related("category", "series", "feature_image")
            # Its bylines, tags, sources, corrections and links in one
            # query, not one each: the five cost more than the story itself.
            .with_rows(*story_parts())
        )

    def headlines(self, language: str, *also: str) -> "ArticleQuerySet":
        """Load only what a headline link in `language` shows, not the stories' text.

        A story's row holds its body in every language: lists of links need
        none of it. `also`: other fields the list reads.
        """
        check_language(language)
        return self.only(
            "id",
            "category_id",
            "published_at",
            f"headline_{language}",
            f"slug_{language}",
            *also,
        )

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-id")

    def with_edition(self, language: str) -> "ArticleQuerySet":
        """Add when `language`'s text last changed and since when it is behind.

        As `edition_changed_at` and `edition_behind_since`, in the same query.
        """
        # No ordering: the model's would join the story again in each.
        editions = LanguageEdition.objects.filter(
            article=OuterRef("pk"), language=language
        ).order_by()
        return self.annotate(
            edition_changed_at=Subquery(editions.values("text_changed_at")[:1]),
            edition_behind_since=Subquery(editions.values("behind_since")[:1]),
        )


class Article(TranslatedSlugMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")

    class Placement(models.TextChoices):
        NONE = "", _("none")
        TOP = "top", _("top story")
        RECOMMENDED = "recommended", _("recommended")

    class AIUse(models.TextChoices):
        NONE = "none", _("none")
        ASSISTED = "assisted", _("AI-assisted")
        GENERATED = "generated", _("AI-generated")

    # Blank at the model level: which language is required depends on the
    # story's source language (see clean()).
    headline = PlainCharField(_("headline"), max_length=200, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=MAX_SLUG_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "Part of the story's address in this language. Left empty, it is made "
            "from the headline."
        ),
    )
    dek = PlainTextField(
        _("dek"),
        blank=True,
        help_text=_("One or two sentences under the headline; plain text."),
    )
    feature_text = PlainTextField(
        _("feature text"),
        blank=True,
        help_text=_("The teaser shown on story cards; plain text."),
    )
    body = SanitizedHTMLField(_("body"), blank=True)
    key_points = PlainTextField(
        _("key points"),
        blank=True,
        help_text=_("Shown as a box above the body: one point per line."),
    )
    source_language = models.CharField(
        _("source language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the story was written in; the others translate it."),
    )
    # A draft may have none yet; a story submitted or published has one
    # (a constraint holds it).
    category = models.ForeignKey(
        Category,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    feature_image = models.ForeignKey(
        "images.Image",
        verbose_name=_("feature image"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
    )
    # The feature image's words as this story uses them: a picture shown by
    # several stories is captioned for each. Empty, the library's words show.
    feature_image_alt = PlainCharField(
        _("feature image alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Empty: the "
            "library's alt text is used."
        ),
    )
    feature_image_caption = PlainTextField(
        _("feature image caption"),
        blank=True,
        help_text=_("Empty: the library's caption is used."),
    )
    feature_image_credit = PlainCharField(
        _("feature image credit"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the library's credit is used."),
    )
    authors: "models.ManyToManyField[Author, Byline]" = models.ManyToManyField(
        Author,
        through="Byline",
        related_name="articles",
        verbose_name=_("authors"),
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    is_breaking = models.BooleanField(_("breaking news"), default=False)
    breaking_until = models.DateTimeField(
        _("breaking news until"),
        null=True,
        blank=True,
        help_text=_(
            "The breaking-news strip goes by itself at this time. Left empty, "
            "it shows for a day after publication."
        ),
    )
    placement = models.CharField(
        _("placement"),
        max_length=16,
        choices=Placement.choices,
        default=Placement.NONE,
        blank=True,
    )
    ai_use = models.CharField(
        _("AI use in the text"),
        max_length=16,
        choices=AIUse.choices,
        default=AIUse.NONE,
        help_text=_("Disclosed to readers on the story page."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Left empty when publishing, it is set to now."),
    )
    # Before this time the story may be written, previewed and scheduled,
    # but never published: a constraint holds publication at or after it.
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "The source's embargo: the story cannot be published before this "
            "time, only scheduled for it or later."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Raised by every save through the services; a form that loaded an older
    # version is refused (optimistic concurrency).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # When `article_went_live` (the going-live hook) was last sent for this
    # story; a scheduled story whose time has come and that has none since its
    # publication time is caught up by the publish_scheduled command.
    live_effects_at = models.DateTimeField(null=True, blank=True, editable=False)
    tags = TaggableManager(
        verbose_name=_("tags"),
        through="tags.TaggedArticle",
        manager=TranslatedTagManager,
        blank=True,
        help_text=_(
            "Separate tags with commas (, or 、). A name typed in any language "
            "finds the same tag."
        ),
    )

    objects = ArticleQuerySet.as_manager()

    slug_source = "headline"

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            *unique_slug_constraints("article"),
            models.CheckConstraint(
                condition=Q(embargo_until__isnull=True)
                | Q(status__in=["draft", "in_review"])
                | Q(published_at__gte=F("embargo_until")),
                name="article_published_after_embargo",
                violation_error_message=_(
                    "A story under embargo cannot be published before it ends."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(category__isnull=False),
                name="article_out_of_draft_has_section",
                violation_error_message=SECTION_NEEDED,
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review"])
                | Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message=_(
                    "A published story needs a publication time."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The desk's list and the reader's newest-first pages sort this way.
            models.Index(fields=["-published_at", "-id"], name="article_newest_first"),
            # Section pages and the home page's section blocks.
            models.Index(
                fields=["category", "-published_at", "-id"],
                name="article_section_newest_first",
            ),
            # Stories flagged breaking: few rows among many (home page, desk).
            models.Index(
                fields=["-published_at"],
                condition=Q(is_breaking=True),
                name="article_breaking",
            ),
            # Stories under embargo: few rows among many (the desk's queue).
            models.Index(
                fields=["embargo_until"],
                condition=Q(embargo_until__isnull=False),
                name="article_embargoed",
            ),
            # The top story and editors' picks: few rows among many.
            models.Index(
                fields=["placement", "-published_at", "-id"],
                condition=~Q(placement=""),
                name="article_placed_newest_first",
            ),
            # Each language's readable stories, newest first: recent ones
            # (trending tags, feeds) are found without reading their rows.
            *(live_index(code) for code in LANGUAGE_CODES),
        ]
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish stories")),
            ("place_article", _("Can place stories and mark breaking news")),
            ("edit_others_article", _("Can edit other people's stories")),
        ]

    def __str__(self) -> str:
        return self.admin_headline()

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if (
            not (self._state.adding or args or kwargs.get("force_insert"))
            and kwargs.get("update_fields") is None
        ):
            # The withheld flags are article_withhold()'s alone: a copy loaded
            # before a language was withheld must not release it by saving.
            kept = set(withheld_fields())
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in kept
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self, language: str | None = None) -> str:
        language = check_language(language or translation.get_language())
        return slug_url("reader:detail", getattr(self, f"slug_{language}"), language)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        source = self.source_language
        # A draft is saved as far as it goes; submitting or publishing asks
        # for what readers and editors need.
        if self.status != self.Status.DRAFT and self.category_id is None:
            errors["category"] = str(SECTION_NEEDED)
        if source in LANGUAGE_CODES and self.status != self.Status.DRAFT:
            for field in ("headline", "body"):
                if not getattr(self, f"{field}_{source}"):
                    errors[f"{field}_{source}"] = gettext(
                        "The source language needs this field."
                    )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if (
            self.embargo_until is not None
            and self.status in (self.Status.PUBLISHED, self.Status.UNPUBLISHED)
            and self.published_at is not None
            and self.published_at < self.embargo_until
        ):
            errors["published_at"] = gettext(
                "This story is under embargo until %(time)s: schedule it for "
                "then or later."
            ) % {
                "time": formats.date_format(
                    timezone.localtime(self.embargo_until), "DATETIME_FORMAT"
                )
            }
        self.fill_slugs()
        errors.update(self.slug_errors())
        if errors:
            raise ValidationError(errors)

    def breaking_ends_at(self) -> datetime | None:
        """When the breaking-news flag stops showing: its chosen end, or
        BREAKING_HOURS after publication (None without either)."""
        if self.breaking_until is not None:
            return self.breaking_until
        if self.published_at is None:
            return None
        return self.published_at + timedelta(hours=BREAKING_HOURS)

    @property
    def is_breaking_now(self) -> bool:
        """Whether the breaking-news flag shows now (mirrors `breaking_now()`)."""
        if not self.is_breaking:
            return False
        ends_at = self.breaking_ends_at()
        if self.breaking_until is not None:
            return ends_at is not None and ends_at > timezone.now()
        return ends_at is not None and ends_at >= timezone.now()

    @property
    def is_embargoed(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def is_scheduled(self) -> bool:
        """Whether the story is published for a time still to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def is_listed_in(self, language: str) -> bool:
        """Whether readers of `language` may see this story once its time comes.

        Mirrors `listed_q()` field for field (a test holds the two together).
        """
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and all(getattr(self, f"{field}_{language}") for field in LIVE_FIELDS)
            and language not in self.withheld_languages()
        )

    def is_live_in(self, language: str) -> bool:
        """Whether readers of `language` may see this story now (`live_q()`)."""
        return (
            self.is_listed_in(language)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def withheld_languages(self) -> set[str]:
        """Return the languages readers may not see this story in, whatever its text."""
        return {code for code in LANGUAGE_CODES if getattr(self, withheld_field(code))}

    def live_languages(self) -> list[str]:
        return [code for code in LANGUAGE_CODES if self.is_live_in(code)]

    def editors_headline(self) -> tuple[str, str | None]:
        """Return the headline editors see and its language (None: untitled).

        Theirs if written, else the source language's, else any.
        """
        current = translation.get_language()
        for code in dict.fromkeys([current, self.source_language, *LANGUAGE_CODES]):
            headline = getattr(self, f"headline_{code}", "")
            if headline:
                return headline, code
        return gettext("Untitled story"), None

    def admin_headline(self) -> str:
        """Return the headline for editors: theirs if written, else another, marked."""
        headline, code = self.editors_headline()
        if code is None or code == translation.get_language():
            return headline
        return f"{headline} [{code}]"

    def byline_authors(self) -> list[Author]:
        return [byline.author for byline in self.bylines.all()]

    def reading_minutes(self) -> int:
        """Estimate the minutes to read the active language's body.

        Korean and Japanese are read by characters (about 500 a minute),
        English by words (about 230 a minute).
        """
        text = strip_tags(self.body or "")
        if translation.get_language() == "en":
            units, per_minute = len(text.split()), 230
        else:
            units, per_minute = len("".join(text.split())), 500
        return max(1, round(units / per_minute))

    def key_point_list(self) -> list[str]:
        """Return the key points of the active language, one per non-empty line."""
        return [
            line.strip()
            for line in (self.key_points or "").splitlines()
            if line.strip()
        ]

    def feature_word(self, word: str, language: str) -> str:
        """Return the feature image's `word` ("caption") in `language`, as shown here.

        The story's own text if it has one, else the library picture's in
        `language`; empty without a picture. No query when `feature_image`
        was loaded with the story.
        """
        if self.feature_image_id is None:
            return ""
        own_field, library_field = FEATURE_WORDS[word]
        own = getattr(self, f"{own_field}_{language}", None) or ""
        if own.strip():
            return own
        return getattr(self.feature_image, f"{library_field}_{language}", None) or ""

    def feature_words(self, language: str | None = None) -> dict[str, str]:
        """Return the feature image's alt text, caption and credit as readers see them.

        In `language`, the active language if None (templates call it so).
        """
        language = check_language(language or translation.get_language())
        return {word: self.feature_word(word, language) for word in FEATURE_WORDS}

    def text_parts(self) -> dict[str, models.Model]:
        """Return the story's rows whose words are translated with it, by key.

        Its external links (the label: "link.<id>") and its corrections (the
        text: "correction.<id>"), read once and kept on this instance: the
        translations app reads and writes their words through these very
        objects, and a copy loaded before a change keeps the words as they were.
        """
        parts = self.__dict__.get("_text_parts")
        if parts is None:
            parts = {}
            if self.pk is not None:
                for link in self.external_links.all():
                    parts[f"link.{link.pk}"] = link
                for correction in self.corrections.all():
                    parts[f"correction.{correction.pk}"] = correction
            self.__dict__["_text_parts"] = parts
        return parts

    def text_part_words(self) -> dict[str, tuple[str, ...]]:
        """Return each part's words in every language (LANGUAGE_CODES' order)."""
        return {
            key: tuple(
                getattr(row, f"{PART_WORDS[key.split('.', 1)[0]]}_{code}") or ""
                for code in LANGUAGE_CODES
            )
            for key, row in self.text_parts().items()
        }

    def forget_text_parts(self) -> None:
        """Read the parts again on the next text_parts() (after they were saved)."""
        self.__dict__.pop("_text_parts", None)


for _code in LANGUAGE_CODES:
    Article.add_to_class(
        withheld_field(_code),
        models.BooleanField(
            format_lazy("{} ({})", _("withheld"), _code), default=False, editable=False
        ),
    )


class Correction(models.Model):
    """A dated public note on a published story, written in each language."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    text = PlainTextField(_("text"), blank=True)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.corrected_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.article_id and self.article.published_at is None:
            raise ValidationError(
                gettext(
                    "Corrections are public notes on published stories; "
                    "a story not yet published is simply edited."
                )
            )
        if not any(getattr(self, f"text_{code}") for code in LANGUAGE_CODES):
            raise ValidationError(
                {
                    f"text_{LANGUAGE_CODES[0]}": gettext(
                        "Write the correction in at least one language."
                    )
                }
            )


class Byline(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="byline_author_once_per_article"
            )
        ]

    def __str__(self) -> str:
        return str(self.author)


class DeskNote(models.Model):
    """A note on a story for the desk only: never on the site, in feeds or exports.

    A return note goes with a story an editor sent back to its reporter.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("note")
        RETURN = "return", _("returned to the reporter")

    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="desk_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, default=Kind.NOTE
    )
    text = PlainTextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("desk note")
        verbose_name_plural = _("desk notes")
        indexes = [
            models.Index(
                fields=["article", "-created_at"], name="desk_note_story_newest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.text[:40]}"


class StoryPresence(models.Model):
    """Someone has the story's form open; their page's heartbeat keeps it fresh.

    Shown to the next person who opens the story; the version check still
    refuses a save over another's, so this only warns.
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="presences",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("editing since"))
    seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        verbose_name = _("person editing")
        verbose_name_plural = _("people editing")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="story_presence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.user_id}"


class WorkingCopy(models.Model):
    """What one person typed into a story's form and has not saved yet.

    Kept every few seconds while the form is open, so a crash or a closed tab
    loses nothing; never a version, never public, and gone once they save.
    A story never saved has one too, without a story (the add form's).
    `fields` holds the form's values as the browser sends them.
    """

    # None: a story not saved yet, typed into the add form.
    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="working_copies",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    fields = models.JSONField(_("fields"), default=dict)
    # The story's version the form was opened at.
    version = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("kept at"))

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="working_copy_once"
            ),
            # One new story in the making per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="working_copy_new_story_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.user_id}"


class LanguageEdition(models.Model):
    """When one language of a story last changed, and whether it is behind its source.

    Written by the translations app through `article_edition_save()` with
    every text change; readers' pages read it: the "updated" time is the
    language's own, and a translation made from an older source says so.
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="editions",
        db_index=False,
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    text_changed_at = models.DateTimeField(_("text changed at"), null=True, blank=True)
    # When the source changed after this translation was made; None while the
    # translation is up to date (and for the source language itself).
    behind_since = models.DateTimeField(
        _("behind its source since"), null=True, blank=True
    )

    class Meta:
        ordering = ["article", "language"]
        verbose_name = _("language edition")
        verbose_name_plural = _("language editions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="language_edition_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.language}"


class FormerSlug(models.Model):
    """An address a story had in one language: it now redirects to the current one."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="former_slugs"
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    slug = models.SlugField(_("slug"), max_length=MAX_SLUG_LENGTH, allow_unicode=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="former_slug_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.slug}"
