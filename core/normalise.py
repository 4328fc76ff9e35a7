"""One form for text that reads the same: everything we store and validate is NFC.

Korean pasted from macOS tools arrives decomposed (NFD: 한 as ᄒ ᅡ ᆫ), and
looks the same as the composed text typed elsewhere; stored as typed, search
highlighting, slugs, uniqueness and length limits would each see two texts.

Two roots, so that no new model, field or form can miss it:

- storage: a pre_save receiver (compose_on_save) composes every
  CharField and TextField of every model of this project's apps, Django's
  own field classes and modeltranslation's per-language columns included;
  the sanitisers (core.richtext) compose what they unescape, which also
  covers bulk_create of rich and plain text. A mixin on our field classes
  would miss models.CharField, SlugField, URLField and any field a new model
  declares with Django's classes. QuerySet.update() bypasses both, as it
  bypasses every save rule: pass it composed text.
- input: ComposedInputMiddleware composes the text of every request's query
  string and form data before any form or view reads it, so lengths, slugs
  and unique checks are validated on what will be stored.
"""

import sys
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def compose(text: str) -> str:
    """Return `text` in NFC (composed: 한, not ᄒ ᅡ ᆫ)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


@cache
def is_project_app(app_label: str) -> bool:
    """Whether the app is this project's code, not an installed package."""
    try:
        path = Path(apps.get_app_config(app_label).path).resolve()
    except LookupError:
        # Not an installed app: the table of applied migrations.
        return False
    base = Path(settings.BASE_DIR).resolve()
    # The virtualenv may live in the project directory: its packages are not ours.
    return path.is_relative_to(base) and not path.is_relative_to(
        Path(sys.prefix).resolve()
    )


def is_project_model(model: type[models.Model]) -> bool:
    return is_project_app(model._meta.app_label)


def compose_text_fields(instance: models.Model) -> None:
    """Compose the value of each text field of `instance` that is loaded."""
    # Read and written in __dict__: modeltranslation's descriptor on a base
    # field (`headline`) would write to the current language's column instead.
    values = instance.__dict__
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = values.get(field.attname)
            if isinstance(value, str):
                values[field.attname] = compose(value)


def compose_on_save(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    """Compose the text of a model of ours before it is saved (pre_save)."""
    if is_project_model(sender):
        compose_text_fields(instance)


def _composed(data: "_ImmutableQueryDict") -> "_ImmutableQueryDict":
    if all(unicodedata.is_normalized("NFC", value) for value in _values(data)):
        return data
    composed = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        if "password" in key:
            composed.setlist(key, values)
        else:
            composed.setlist(key, [compose(value) for value in values])
    composed._mutable = False
    return cast("_ImmutableQueryDict", composed)


def _values(data: QueryDict) -> Iterator[str]:
    for key, values in data.lists():
        if "password" not in key:
            yield from values


class ComposedInputMiddleware:
    """Give forms and views the text of a request composed (NFC).

    Passwords are left as typed: they are compared, never stored or shown,
    and one set outside a browser (createsuperuser) must keep working.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _composed(request.GET)
        # Other bodies (JSON, beacons) are left unread for the view.
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = _composed(request.POST)
        return self.get_response(request)
