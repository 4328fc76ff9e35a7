from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from articles.models import (
    LANGUAGE_CODES,
    Article,
    Author,
    Byline,
    Category,
    Correction,
    Image,
    Series,
)
from related.admin import ExternalLinkInline, RelatedArticleInline, SourceInline


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


class CorrectionInline(TranslationStackedInline):
    model = Correction
    extra = 0
    fields = ["corrected_at", "text"]


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES]


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ["name", "email"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES] + ["email"]


@admin.register(Series)
class SeriesAdmin(TabbedTranslationAdmin):
    list_display = ["title", "slug"]
    search_fields = [f"title_{code}" for code in LANGUAGE_CODES]


@admin.register(Image)
class ImageAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "credit", "is_ai_generated", "created_at"]
    list_filter = ["is_ai_generated"]
    search_fields = [f"alt_text_{code}" for code in LANGUAGE_CODES] + ["credit"]
    fields = ["file", "alt_text", "caption", "credit", "source_url", "is_ai_generated"]


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = [
        "headline_for_editor",
        "status",
        "languages",
        "category",
        "published_at",
    ]
    list_filter = ["status", "category", "is_breaking", "placement", "source_language"]
    list_select_related = ["category"]
    search_fields = [f"headline_{code}" for code in LANGUAGE_CODES]
    date_hierarchy = "published_at"
    autocomplete_fields = ["series", "feature_image"]
    inlines = [
        BylineInline,
        SourceInline,
        RelatedArticleInline,
        ExternalLinkInline,
        CorrectionInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "slug",
                    "dek",
                    "feature_text",
                    "key_points",
                    "body",
                ]
            },
        ),
        (
            _("Section, series and image"),
            {"fields": ["category", "series", "feature_image"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "source_language",
                    "status",
                    "published_at",
                    "is_breaking",
                    "placement",
                    "ai_use",
                ]
            },
        ),
    ]

    @admin.display(description=_("headline"), ordering="headline")
    def headline_for_editor(self, obj: Article) -> str:
        return obj.admin_headline()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith(("headline_", "slug_")):
            field.widget.attrs["class"] += " vLargeTextField"
        return field

    @admin.display(description=_("languages"))
    def languages(self, obj: Article) -> str:
        marks = format_html_join(
            " ",
            "{} {}",
            (
                (code, "✓" if getattr(obj, f"headline_{code}") else "—")
                for code in LANGUAGE_CODES
            ),
        )
        return format_html('<span class="nowrap">{}</span>', marks)
