import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase

from core.languages import LANGUAGE_CODES, language_name
from core.links import slug_url
from core.richtext import PlainCharField, strip_markup
from core.slugs import MAX_SLUG_LENGTH, TranslatedSlugMixin

MAX_NAME_LENGTH = 100
# NFKC may lengthen a name ("㍿" is four characters once normalised).
MAX_KEY_LENGTH = 400
# Hangul syllables and jamo; kana (with half-width katakana); CJK ideographs.
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


# Hangul fillers are letters (Lo) that show nothing: a name of U+3164 alone
# looks empty.
HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def strip_invisible(text: str) -> str:
    """Return `text` without format characters (Cf) and Hangul fillers.

    Zero-width spaces and joiners, soft hyphens, bidi marks and byte order
    marks show nothing, so "일\u200b본" and "일본" would be two tags that
    look the same. Zero-width joiners go too, though they glue emoji
    sequences: the family emoji (man, ZWJ, woman, ZWJ, girl) becomes its
    three people, still readable, while one rule with no exception keeps
    every invisible difference out of names.
    """
    return "".join(
        char
        for char in text
        if char not in HANGUL_FILLERS and unicodedata.category(char) != "Cf"
    )


def normalize_name(text: str) -> str:
    """Return `text` as a tag name: visible, NFC, trimmed, whitespace collapsed."""
    # Stripped before composing: "\u1100\u200b\u1161" is 가 once visible.
    return " ".join(unicodedata.normalize("NFC", strip_invisible(text or "")).split())


def normalize_key(text: str) -> str:
    """Return the lookup key of a name: ＪＡＰＡＮ, Japan and japan give "japan"."""
    folded = unicodedata.normalize("NFKC", strip_invisible(text or "")).casefold()
    # Casefolded text is not always NFKC any more: normalise once more.
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def missing_name(language: str) -> Q:
    """Return the condition of a tag with no name in `language` (null or empty)."""
    field = f"name_{language}"
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


def too_many_tags_error(limit: int, count: int) -> ValidationError:
    """Return the error for a story that would have `count` tags, over `limit`."""
    return ValidationError(
        ngettext(
            "A story may have at most %(limit)s tag; these would give it %(count)s.",
            "A story may have at most %(limit)s tags; these would give it %(count)s.",
            limit,
        )
        % {"limit": limit, "count": count},
        code="too_many_tags",
    )


def too_many_new_tags_error(limit: int, names: list[str]) -> ValidationError:
    """Return the error for creating the tags `names`, more than `limit`."""
    return ValidationError(
        ngettext(
            "At most %(limit)s new tag may be created at a time; these "
            "%(count)s are new: %(names)s. Use existing tags, or ask an editor.",
            "At most %(limit)s new tags may be created at a time; these "
            "%(count)s are new: %(names)s. Use existing tags, or ask an editor.",
            limit,
        )
        % {"limit": limit, "count": len(names), "names": ", ".join(names)},
        code="too_many_new_tags",
    )


def validate_tag_name(name: str) -> None:
    """Refuse a normalised tag name too long to store."""
    if len(name) > MAX_NAME_LENGTH or len(normalize_key(name)) > MAX_KEY_LENGTH:
        raise ValidationError(
            gettext("“%(name)s” is longer than %(limit)s characters.")
            % {"name": name, "limit": MAX_NAME_LENGTH},
            code="max_length",
        )


def guess_language(name: str) -> str | None:
    """Return the language a name is most likely written in, from its script.

    Han characters alone are taken as Japanese: Korean tags are written in Hangul.
    """
    if HANGUL.search(name):
        return "ko"
    if KANA.search(name) or HAN.search(name):
        return "ja"
    if any(char.isalpha() for char in name):
        return "en"
    return None


def any_key(lookup: str, value) -> Q:
    """Return the condition `key_<language>__<lookup>=value` for any language."""
    condition = Q()
    for code in LANGUAGE_CODES:
        condition |= Q(**{f"key_{code}__{lookup}": value})
    return condition


class TagQuerySet(models.QuerySet["Tag"]):
    def trending(self, language: str, stories: models.QuerySet) -> "TagQuerySet":
        """Tags named in `language`, most used by `stories` (a story queryset) first."""
        return (
            self.filter(
                **{f"name_{language}__gt": ""},
                tagged_articles__content_object__in=stories,
            )
            .annotate(uses=models.Count("tagged_articles__content_object"))
            .order_by("-uses", "pk")
        )

    def matching(self, name: str) -> "TagQuerySet":
        """Tags that have `name` in any language, whatever its case or width."""
        key = normalize_key(name)
        if not key:
            return self.none()
        return self.filter(any_key("exact", key))

    def split_typed(
        self, names: Iterable[str]
    ) -> tuple[dict[str, str], dict[str, "Tag"]]:
        """Return the typed names by key, and the existing tags by their keys.

        The keys of `typed` missing from `found` are the tags to create.
        """
        typed: dict[str, str] = {}
        for raw in names:
            name = normalize_name(strip_markup(raw))
            if name:
                validate_tag_name(name)
                typed.setdefault(normalize_key(name), name)
        found: dict[str, Tag] = {}
        if typed:
            for tag in self.filter(any_key("in", list(typed))).order_by("pk"):
                for code in LANGUAGE_CODES:
                    found.setdefault(getattr(tag, f"key_{code}"), tag)
        return typed, found

    @transaction.atomic
    def resolve(
        self, names: Iterable[str], language: str, *, max_new: int | None = None
    ) -> list["Tag"]:
        """Return one tag per typed name, creating the tags nobody has named yet.

        A new tag gets its name in the language of the name's script, else in
        `language`. Names that normalise to the same key give one tag. More
        than `max_new` tags to create (None: any number) creates none.
        """
        typed, found = self.split_typed(names)
        new = [name for key, name in typed.items() if key not in found]
        if max_new is not None and len(new) > max_new:
            raise too_many_new_tags_error(max_new, new)
        tags = []
        for key, name in typed.items():
            tag = found.get(key) or self._create_named(name, language)
            if tag not in tags:
                tags.append(tag)
        return tags

    def _create_named(self, name: str, language: str) -> "Tag":
        guessed = guess_language(name)
        code = guessed if guessed in LANGUAGE_CODES else language
        if code not in LANGUAGE_CODES:
            code = LANGUAGE_CODES[0]
        tag = self.model(**{f"name_{code}": name})
        try:
            with transaction.atomic():
                tag.save()
        except IntegrityError:
            # Someone created the same tag in the meantime: use theirs.
            existing = self.matching(name).order_by("pk").first()
            if existing is None:
                raise
            return existing
        return tag


class Tag(TranslatedSlugMixin, models.Model):
    """One tag across languages: typing its name in any language finds it."""

    # Blank at the model level: a tag needs a name in one language, any one.
    name = PlainCharField(_("name"), max_length=MAX_NAME_LENGTH, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=MAX_SLUG_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "Part of the tag page's address in this language. Left empty, it is "
            "made from the name."
        ),
    )
    # Normalised names (see normalize_key), kept so that lookups and the
    # uniqueness constraints need no function in SQL.
    key_ko = models.CharField(
        _("lookup key (Korean)"),
        max_length=MAX_KEY_LENGTH,
        blank=True,
        db_index=True,
        editable=False,
    )
    key_ja = models.CharField(
        _("lookup key (Japanese)"),
        max_length=MAX_KEY_LENGTH,
        blank=True,
        db_index=True,
        editable=False,
    )
    key_en = models.CharField(
        _("lookup key (English)"),
        max_length=MAX_KEY_LENGTH,
        blank=True,
        db_index=True,
        editable=False,
    )

    objects = TagQuerySet.as_manager()

    slug_source = "name"
    slug_fallback = "tag"

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        # The base name and slug columns hold whatever language was saved
        # last: only the per-language columns are unique.
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=[f"slug_{code}"],
                    condition=Q(**{f"slug_{code}__gt": ""}),
                    name=f"tag_slug_{code}_unique",
                    violation_error_message=_(
                        "This address is already used in this language."
                    ),
                )
                for code in LANGUAGE_CODES
            ),
            *(
                models.UniqueConstraint(
                    fields=[f"key_{code}"],
                    condition=Q(**{f"key_{code}__gt": ""}),
                    name=f"tag_key_{code}_unique",
                    violation_error_message=_(
                        "Another tag already has this name in this language."
                    ),
                )
                for code in LANGUAGE_CODES
            ),
        ]

    def __str__(self) -> str:
        return self.display_name(get_language())

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.normalize()
        if not any(getattr(self, f"key_{code}") for code in LANGUAGE_CODES):
            raise ValidationError(
                {
                    f"name_{LANGUAGE_CODES[0]}": gettext(
                        "Give the tag a name in at least one language."
                    )
                }
            )
        self.fill_slugs()
        errors = {**self.name_errors(), **self.slug_errors()}
        if errors:
            raise ValidationError(errors)

    def normalize(self) -> None:
        """Normalise every name and compute its lookup key."""
        for code in LANGUAGE_CODES:
            name = getattr(self, f"name_{code}")
            if name:
                name = normalize_name(strip_markup(name))
                setattr(self, f"name_{code}", name)
            setattr(self, f"key_{code}", normalize_key(name))

    def name_errors(self) -> dict[str, str]:
        """Name the other tag that already uses one of this tag's names."""
        errors = {}
        for code in LANGUAGE_CODES:
            key = getattr(self, f"key_{code}")
            if not key:
                continue
            other = self._other_rows().filter(any_key("exact", key)).first()
            if other is None:
                continue
            other_code = next(
                c for c in LANGUAGE_CODES if getattr(other, f"key_{c}") == key
            )
            errors[f"name_{code}"] = gettext(
                # Translators: “Japan” is already the English name of the tag “일본”.
                "“%(name)s” is already the %(language)s name of the tag “%(tag)s”."
            ) % {
                "name": getattr(self, f"name_{code}"),
                "language": language_name(other_code),
                "tag": other.display_name(get_language()),
            }
        return errors

    def name_in(self, language: str) -> str:
        """Return the name in `language`, or "" (readers never see another's)."""
        if language not in LANGUAGE_CODES:
            return ""
        return getattr(self, f"name_{language}") or ""

    def page_url(self, language: str | None = None) -> str:
        """Return the tag page's address in `language` (the active one)."""
        language = language or get_language()
        return slug_url("reader:tag", getattr(self, f"slug_{language}"), language)

    def display_name(self, language: str) -> str:
        """Return the name for editors: in `language` if it has one, else another."""
        for code in dict.fromkeys([language, *LANGUAGE_CODES]):
            if name := self.name_in(code):
                return name
        return ""


class TaggedArticle(TaggedItemBase):
    # taggit has no types: the plugin cannot tell these are a model's fields.
    tag: "models.ForeignKey[Tag, Tag]" = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        on_delete=models.CASCADE,
        related_name="tagged_articles",
    )
    content_object: "models.ForeignKey[Any, Any]" = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )

    class Meta:
        verbose_name = _("tagged story")
        verbose_name_plural = _("tagged stories")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tagged_article_once"
            )
        ]
