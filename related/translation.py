"""Translated fields (modeltranslation adds one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from related.models import ExternalLink


@register(ExternalLink)
class ExternalLinkTranslationOptions(TranslationOptions):
    fields = ("label",)
    # A link is shown only in the languages that label it: see for_language().
    required_languages = {"default": ()}
