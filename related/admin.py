"""Inlines for the story form; the articles app puts them on ArticleAdmin."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
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


class LoadedChoiceAutocomplete(AutocompleteSelect):
    """The admin's autocomplete, naming the row's choice from the row itself.

    Django's asks the database for the chosen object of every row (20
    related stories: 20 queries); the inline reads them with its rows.
    """

    loaded: models.Model | None = None

    def optgroups(self, name, value, attr=None):
        chosen = [
            str(v) for v in value if str(v) not in self.choices.field.empty_values
        ]
        if self.loaded is None or chosen != [str(self.loaded.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.loaded)
        options.append(
            self.create_option(name, self.loaded.pk, label, set(chosen), len(options))
        )
        return [(None, options, 0)]


class RelatedArticleForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["related"].widget
        widget = getattr(widget, "widget", widget)  # inside the admin's wrapper
        if isinstance(widget, LoadedChoiceAutocomplete) and self.instance.related_id:
            widget.loaded = self.instance.related


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    form = RelatedArticleForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "position"]

    def get_queryset(self, request):
        # Each row shows the story it links to: read them with the rows.
        return super().get_queryset(request).select_related("related")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "related":
            kwargs["widget"] = LoadedChoiceAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExternalLinkInline(TranslationTabularInline):
    model = ExternalLink
    formfield_overrides = PLAIN_URL
    extra = 0
    fields = ["position", "url", "label", "language"]
