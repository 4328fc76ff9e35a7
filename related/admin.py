"""Inlines for the story form; the articles app puts them on ArticleAdmin."""

from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from related.models import ExternalLink, RelatedArticle, Source


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = [
        "position",
        "role",
        "publisher",
        "title",
        "url",
        "published_on",
        "language",
    ]


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "position"]


class ExternalLinkInline(TranslationTabularInline):
    model = ExternalLink
    extra = 0
    fields = ["position", "url", "label", "language"]
