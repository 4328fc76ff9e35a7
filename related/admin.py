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


class KnownStoryField(forms.ModelChoiceField):
    """A choice by id, taken from the formset's one read of them all."""

    known: dict[str, models.Model] = {}

    def to_python(self, value):
        if value not in self.empty_values and str(value) in self.known:
            return self.known[str(value)]
        return super().to_python(value)


class RelatedArticleForm(forms.ModelForm):
    def __init__(self, *args, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["related"]
        widget = getattr(field.widget, "widget", field.widget)  # the admin's wrapper
        if isinstance(widget, LoadedChoiceAutocomplete) and self.instance.related_id:
            widget.loaded = self.instance.related
        if known is not None and isinstance(field, KnownStoryField):
            field.known = known

    def _get_validation_exclusions(self):
        # The choice field read the story (so it exists), and the formset
        # tells a story listed twice (RelatedArticleFormSet.clean): no
        # query per row for either.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("related")
        return exclusions


class RelatedArticleFormSet(forms.BaseInlineFormSet):
    """The story's related rows, the stories they name read in one query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._known = None

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.is_bound:
            kwargs["known"] = self.known_stories()
        return kwargs

    def known_stories(self) -> dict[str, models.Model]:
        if self._known is None:
            ids = {
                value
                for key, value in self.data.items()
                if key.startswith(f"{self.prefix}-")
                and key.endswith("-related")
                and str(value).isdigit()
            }
            field = self.model._meta.get_field("related")
            stories = field.remote_field.model._base_manager.filter(pk__in=ids)
            self._known = {str(story.pk): story for story in stories}
        return self._known

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django's own field for the row's id asks the database for each row;
        # the rows were read together (get_queryset, cached).
        pk = self.model._meta.pk.name
        if self.is_bound and pk in form.fields:
            field = form.fields[pk]
            known = KnownStoryField(
                queryset=field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )
            known.known = {str(row.pk): row for row in self.get_queryset()}
            form.fields[pk] = known

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            story = form.cleaned_data.get("related")
            if story is None:
                continue
            if story.pk in seen:
                form.add_error(
                    "related",
                    RelatedArticle._meta.constraints[0].violation_error_message,
                )
            seen.add(story.pk)


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    form = RelatedArticleForm
    formset = RelatedArticleFormSet
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
            kwargs["form_class"] = KnownStoryField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExternalLinkInline(TranslationTabularInline):
    model = ExternalLink
    formfield_overrides = PLAIN_URL
    extra = 0
    fields = ["position", "url", "label", "language"]
