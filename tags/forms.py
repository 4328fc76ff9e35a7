"""The tag field of the story form: names in any language, with suggestions."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from core.richtext import strip_markup
from tags.models import (
    Tag,
    normalize_key,
    too_many_new_tags_error,
    too_many_tags_error,
    validate_tag_name,
)
from tags.parsing import edit_string, parse_tags


class TagNamesInput(forms.TextInput):
    """A text input that suggests existing tags as the editor types."""

    def __init__(self, attrs=None):
        super().__init__(
            {"class": "vLargeTextField", "autocomplete": "off", **(attrs or {})}
        )

    class Media:
        css = {"all": ["tags/tag_autocomplete.css"]}
        js = ["tags/tag_autocomplete.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            url = reverse("admin:tags_tag_autocomplete_names")
        except NoReverseMatch:
            # A site without the tag admin: the field works without suggestions.
            return context
        context["widget"]["attrs"]["data-tag-autocomplete"] = url
        return context


class TagNamesField(forms.CharField):
    """Tag names separated by commas or 、, cleaned to a list of names.

    A story has at most NEWSROOM_MAX_TAGS_PER_STORY tags, and one save creates
    at most `max_new_tags` tags nobody has named yet: the desk's reporters'
    limit (NEWSROOM_MAX_NEW_TAGS_PER_SAVE) unless a form sets it to None, as
    the story admin does for editors.
    """

    widget = TagNamesInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.max_tags: int = settings.NEWSROOM_MAX_TAGS_PER_STORY
        self.max_new_tags: int | None = settings.NEWSROOM_MAX_NEW_TAGS_PER_SAVE

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value or ""
        # A tag without a name in the editor's language shows another one, so
        # every admin language can show and save every tag.
        return edit_string(value, get_language())

    def clean(self, value) -> list[str]:
        names = parse_tags(strip_markup(super().clean(value)))
        errors = []
        for name in names:
            try:
                validate_tag_name(name)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        if names:
            self.validate_count(names)
        return names

    def validate_count(self, names: list[str]) -> None:
        """Refuse more tags than a story may have, or more new ones than allowed."""
        typed, found = Tag.objects.split_typed(names)
        existing = {found[key].pk for key in typed if key in found}
        new = [name for key, name in typed.items() if key not in found]
        if len(existing) + len(new) > self.max_tags:
            raise too_many_tags_error(self.max_tags, len(existing) + len(new))
        if self.max_new_tags is not None and len(new) > self.max_new_tags:
            raise too_many_new_tags_error(self.max_new_tags, new)

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        before = parse_tags(self.prepare_value(initial))
        after = parse_tags(strip_markup(data or ""))
        return {normalize_key(name) for name in before} != {
            normalize_key(name) for name in after
        }
