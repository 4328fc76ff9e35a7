"""Inlines for the story form; the articles app puts them on ArticleAdmin."""

from django import forms
from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationTabularInline

from related.models import ExternalLink, RelatedArticle, Source

# A plain address box: the admin's own URL widget adds a "Currently:" link
# that breaks the rows of a table.
PLAIN_URL = {models.URLField: {"widget": forms.URLInput(attrs={"size": 40})}}


class SourceInline(admin.TabularInline):
    model = Source
    formfield_overrides = PLAIN_URL
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

    def get_queryset(self, request):
        # Each row shows the story it links to: read them with the rows.
        return super().get_queryset(request).select_related("related")


class ExternalLinkInline(TranslationTabularInline):
    model = ExternalLink
    formfield_overrides = PLAIN_URL
    extra = 0
    fields = ["position", "url", "label", "language"]
