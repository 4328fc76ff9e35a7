"""Translated fields of the translations app (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from translations.models import GlossaryTerm


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("name",)
    # At least two languages are required: see GlossaryTerm.clean().
    required_languages = {"default": ()}
