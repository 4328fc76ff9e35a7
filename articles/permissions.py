"""Who may do what to a story: the rules every path (form, action, service) asks."""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from articles.models import TRANSLATED_FIELDS, Article
from core.languages import LANGUAGE_CODES
from core.users import AnyUser

# Translated fields a translator may write in their own languages: all of them.
TRANSLATABLE_FIELDS = TRANSLATED_FIELDS
REPORTER_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)
# Fields only a placing editor may change.
PLACEMENT_FIELDS = ("is_breaking", "breaking_until", "placement")
# Fields only a publishing editor may change.
PUBLICATION_FIELDS = ("status", "published_at")


def is_editor(user: AnyUser) -> bool:
    return user.has_perm("articles.edit_others_article")


def can_publish(user: AnyUser) -> bool:
    return user.has_perm("articles.publish_article")


def can_place(user: AnyUser) -> bool:
    return user.has_perm("articles.place_article")


def translator_languages(user: AnyUser) -> set[str]:
    """Return the languages `user` translates into other people's stories.

    Translators are the translations app's: the wiring names its answer in
    `NEWSROOM_TRANSLATOR_LANGUAGES` (a dotted path). Unset, nobody translates.
    """
    path = settings.NEWSROOM_TRANSLATOR_LANGUAGES
    if not path:
        return set()
    return _answer(path)(user)


@cache
def _answer(path: str) -> Callable[[AnyUser], set[str]]:
    # Asked for every field of every form: look the function up once.
    return import_string(path)


def is_reporter_of(user: AnyUser, article: Article) -> bool:
    """Whether `user` wrote `article` and may still edit it as its reporter."""
    return (
        user.has_perm("articles.change_article")
        and article.created_by_id == user.pk
        and article.status in REPORTER_STATUSES
    )


def translation_languages_for(user: AnyUser, article: Article) -> set[str]:
    """Return the target languages of `article` that `user` may translate."""
    return translator_languages(user) - {article.source_language}


def can_edit(user: AnyUser, article: Article) -> bool:
    """Whether `user` may change anything at all in `article`."""
    return (
        is_editor(user)
        or is_reporter_of(user, article)
        or bool(translation_languages_for(user, article))
    )


def can_edit_content(user: AnyUser, article: Article | None) -> bool:
    """Whether `user` may change the story as a whole: bylines, sources, links.

    A translator only translates; the story's parts stay as the desk made them.
    """
    if article is None:
        return user.has_perm("articles.add_article")
    return is_editor(user) or is_reporter_of(user, article)


def editable_fields(user: AnyUser, article: Article | None) -> set[str] | None:
    """Return the model fields `user` may change in `article`, or None for all.

    `article` is None for a new story. A translator edits only the translated
    fields of their own languages; a reporter all but placement and publication.
    """
    if is_editor(user):
        return None
    if article is None or is_reporter_of(user, article):
        return (
            {
                field.name
                for field in Article._meta.get_fields()
                if getattr(field, "editable", False) and not field.auto_created
            }
            - set(PLACEMENT_FIELDS)
            - {"published_at"}
        )
    return {
        f"{field}_{code}"
        for field in TRANSLATABLE_FIELDS
        for code in sorted(translation_languages_for(user, article))
        if code in LANGUAGE_CODES
    }


def tag_editable_fields(user: AnyUser) -> set[str] | None:
    """Return the fields of a tag `user` may change (None: every one).

    Editors rename tags in every language; a translator gives a tag its name
    (and address) in their own languages, so a tag created in one language
    reaches readers of the others.
    """
    if is_editor(user):
        return None
    return {
        f"{field}_{code}"
        for field in ("name", "slug")
        for code in sorted(translator_languages(user))
    }


def allowed_statuses(user: AnyUser, article: Article | None) -> list[str]:
    """Return the statuses `user` may give `article` (its current one included)."""
    if can_publish(user):
        return list(Article.Status.values)
    statuses = [status.value for status in REPORTER_STATUSES]
    if article is not None and article.status not in statuses:
        statuses.append(article.status)
    return statuses
