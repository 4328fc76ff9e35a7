from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.models import LANGUAGE_CODES, Article, Author, Byline, Category


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES]


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ["name", "email"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES] + ["email"]


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = [
        "headline_for_editor",
        "status",
        "languages",
        "category",
        "published_at",
    ]
    list_filter = ["status", "category", "source_language"]
    list_select_related = ["category"]
    search_fields = [f"headline_{code}" for code in LANGUAGE_CODES]
    date_hierarchy = "published_at"
    inlines = [BylineInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (
            _("Publishing"),
            {"fields": ["source_language", "category", "status", "published_at"]},
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
