"""Fields for what editors type: sanitised rich text, plain text, web addresses."""

import html
import unicodedata
from typing import Any

import nh3
from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from core.embeds import body_embed_errors

# Tags a story body may use; later features extend this list, never bypass it.
ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "strong",
    "b",
    "em",
    "i",
    "mark",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "ruby",
    "rt",
    "rp",
    # Pictures, galleries and embeds, written as placeholders the reader site
    # fills in (reader/body.py): <figure data-image="42" data-size="inset"
    # data-alt="…"><figcaption>caption<small>credit</small></figcaption>
    # </figure>, <div data-gallery="">figures</div> and <figure data-embed=
    # "youtube"><a href="provider's URL">…</a></figure>.
    "figure",
    "figcaption",
    "small",
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "figure": {"data-image", "data-size", "data-alt", "data-embed"},
    "div": {"data-gallery"},
}
FIGURE_SIZES = ("full", "inset")
EMBED_PROVIDERS = ("youtube", "x", "instagram", "navertv", "niconico")
# Passes of the sanitiser until its output stops changing; two have always
# been enough (see sanitize_html), the rest is a margin.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_SANITIZE_PASSES = 4


def _attribute_value(element: str, attribute: str, value: str) -> str | None:
    """Keep a placeholder's attribute only with a value the reader site reads."""
    if attribute == "data-image":
        return (
            value if value.isascii() and value.isdigit() and len(value) < 19 else None
        )
    if attribute == "data-size":
        return value if value in FIGURE_SIZES else None
    if attribute == "data-embed":
        return value if value in EMBED_PROVIDERS else None
    if attribute == "data-gallery":
        return ""
    return value


def _clean_html(value: str) -> str:
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute_value,
    )
    # Entities become characters ("&#x1100;&#x1161;" is decomposed 가).
    return unicodedata.normalize("NFC", cleaned)


def sanitize_html(value: str) -> str:
    """Return `value` without the tags, attributes and URLs outside the allow-list.

    Cleaning again until nothing changes makes the result final: an element
    the allow-list drops may have let the parser nest what it never nests
    from markup (inside a <select> or <table>, a second <a> or <p> goes into
    the first); the first pass writes that nesting out, the next parses it
    apart. Saving a story twice must store the same body.
    """
    if not value:
        return value
    cleaned = value
    for _attempt in range(MAX_SANITIZE_PASSES):
        previous, cleaned = cleaned, _clean_html(cleaned)
        if cleaned == previous:
            break
    # An emptied editor still sends "<p></p>": markup without text is no text,
    # or a story would go live in a language with an empty body.
    # A body of pictures only is kept: pictures are what it says.
    if not strip_tags(cleaned).strip() and not (
        "<hr" in cleaned or "<figure" in cleaned
    ):
        return ""
    return cleaned


def strip_markup(value: str) -> str:
    """Return `value` as plain text: no tag survives, even one written as entities.

    Text is stored unescaped ("R&D", "a < b") and escaped when shown; markup
    smuggled in as entities is unescaped and stripped again until none is left.
    """
    if not value:
        return value
    for _attempt in range(5):
        stripped = html.unescape(nh3.clean(value, tags=set(), strip_comments=True))
        # Unescaped entities may spell decomposed characters: compose them.
        stripped = unicodedata.normalize("NFC", stripped)
        if stripped == value:
            break
        value = stripped
    return value


class PlainTextMixin:
    """Strip markup from the field's value whenever the model is saved."""

    attname: str  # the model field's it is mixed into

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = strip_markup(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class PlainTextFormField(forms.CharField):
    """A textarea's text with the browser's \r\n line ends made \n, as stored."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class PlainCharField(PlainTextMixin, models.CharField):
    """A CharField that never stores markup (headlines, names, captions)."""


class PlainTextField(PlainTextMixin, models.TextField):
    """A TextField that never stores markup (deks, teasers, notes)."""

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or PlainTextFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )


class RichTextFormField(ProseEditorFormField):
    """The rich-text editor's field; changed only if what would be stored changed.

    The editor writes the same text with small differences (no rel on links,
    no line breaks between blocks); those are not an editor's change.
    """

    def has_changed(self, initial: Any, data: Any) -> bool:
        return sanitize_html(initial or "") != sanitize_html(self.to_python(data) or "")

    def clean(self, value: Any) -> Any:
        """Refuse an embed of an address no allowed provider owns, saying which."""
        value = super().clean(value)
        if value and (errors := body_embed_errors(sanitize_html(value))):
            raise forms.ValidationError(errors)
        return value


class SanitizedHTMLField(models.TextField):
    """A TextField whose value is sanitised whenever the model is saved.

    Sanitising in pre_save covers every write path that saves a model (forms,
    services, imports, bulk_create), so no caller can forget it. Forms edit it
    in the rich-text editor, configured to the same features.
    """

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        from core.editor import BODY_EXTENSIONS

        return super().formfield(
            form_class=form_class or RichTextFormField,
            choices_form_class=choices_form_class,
            **{"config": {"extensions": BODY_EXTENSIONS}, "sanitize": False, **kwargs},
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


validate_web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)


class WebURLFormField(forms.URLField):
    # URLField's own validator accepts ftp, and its "invalid" message would
    # replace ours with a vaguer one.
    default_validators = [validate_web_url]
    default_error_messages = {"invalid": validate_web_url.message}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WebURLField(models.URLField):
    """A URL readers can follow: http or https only (no javascript:, data:, ftp:)."""

    default_validators = [validate_web_url]

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or WebURLFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )
