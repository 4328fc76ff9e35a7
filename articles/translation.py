"""Translated fields (modeltranslation adds one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from articles.models import (
    TRANSLATED_FIELDS,
    Article,
    Author,
    Category,
    Correction,
    Series,
)


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    # A section's name appears on every page of every language.
    required_languages = {"default": ("name",)}


@register(Author)
class AuthorTranslationOptions(TranslationOptions):
    fields = ("name",)
    # Bylines show in every language, never in another language's script.
    required_languages = {"default": ("name",)}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = TRANSLATED_FIELDS
    # Which language is required depends on the story's source language: see
    # Article.clean().
    required_languages = {"default": ()}


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "description")
    required_languages = {"default": ("title",)}


@register(Correction)
class CorrectionTranslationOptions(TranslationOptions):
    fields = ("text",)
    # A correction is published in the languages it is written in.
    required_languages = {"default": ()}
