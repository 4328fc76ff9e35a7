"""Translated fields (modeltranslation adds one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from tags.models import Tag


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    # A tag needs a name in one language, any one: see Tag.clean().
    required_languages = {"default": ()}
