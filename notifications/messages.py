"""A notification as a sentence, in the active language (the reader's desk language)."""

from collections.abc import Callable

from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.models import Article
from core.languages import language_name
from core.users import display_name
from notifications.models import Notification


def headline_in(article: Article, language: str) -> tuple[str, str]:
    """Return the story's headline in `language`, else in its source language.

    With the language it is in ("" for the placeholder of a story without one).
    """
    for code in (language, article.source_language):
        headline = getattr(article, f"headline_{code}", "")
        if headline:
            return headline, code
    return gettext("(no headline yet)"), ""


def headline_for(article: Article, language: str) -> str:
    return headline_in(article, language)[0]


def describe(notification: Notification, language: str, *, html: bool = False) -> str:
    """Return what `notification` says, as one sentence in the active language.

    `html`: escaped, with the headline marked with its language (a Korean
    headline in the Japanese desk breaks between words, not inside them).
    """
    headline, headline_language = headline_in(notification.article, language)
    values = {
        "person": display_name(notification.actor) or gettext("Someone"),
        "headline": headline,
    }
    if html:
        values = {name: conditional_escape(value) for name, value in values.items()}
        if headline_language and headline_language != language:
            values["headline"] = format_html(
                '<span lang="{}">{}</span>', headline_language, headline
            )
        return mark_safe(  # noqa: S308 - the sentence and every value are escaped
            _sentence(notification, escape) % values
        )
    return _sentence(notification, str) % values


def _languages(notification: Notification) -> str:
    """Return the names of the notification's languages, in the active language."""
    return gettext(", ").join(
        language_name(code) for code in notification.language_list
    )


def _sentence(notification: Notification, prepare: Callable[[str], str]) -> str:
    """Return the translated sentence of `notification`, with its languages."""
    kind = notification.kind
    if kind == Notification.Kind.SUBMITTED:
        return prepare(gettext("%(person)s submitted “%(headline)s” for review."))
    if kind == Notification.Kind.RETURNED:
        return prepare(gettext("%(person)s returned “%(headline)s” to you."))
    if kind == Notification.Kind.PUBLISHED:
        return prepare(gettext("“%(headline)s” is now live on the site."))
    if kind == Notification.Kind.SENT_BACK:
        # Translators: languages is one language's name.
        message = gettext(
            "%(person)s returned your %(languages)s translation of “%(headline)s”."
        )
        languages = _languages(notification)
        return prepare(message.replace("%(languages)s", languages))
    if kind == Notification.Kind.ASSIGNED:
        if notification.due_on:
            # Translators: languages is one language's name; due a date.
            message = gettext(
                "%(person)s asked you to translate “%(headline)s” into "
                "%(languages)s by %(due)s."
            )
        else:
            message = gettext(
                "%(person)s asked you to translate “%(headline)s” into %(languages)s."
            )
        languages = _languages(notification)
        due = (
            date_format(notification.due_on, "DATE_FORMAT")
            if notification.due_on
            else ""
        )
        return prepare(
            message.replace("%(languages)s", languages).replace("%(due)s", due)
        )
    # Translators: languages is a list such as "Japanese, English".
    message = gettext(
        "%(person)s changed the source text of “%(headline)s”: "
        "your %(languages)s translation is now outdated."
    )
    languages = _languages(notification)
    # The list is ours, not the person's: put it in before the values are.
    return prepare(message.replace("%(languages)s", languages))
