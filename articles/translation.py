"""Translated fields (modeltranslation adds one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Author, Category


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
    fields = ("headline", "slug", "dek", "body")
    # Which language is required depends on the story's source language: see
    # Article.clean().
    required_languages = {"default": ()}
