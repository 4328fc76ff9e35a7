"""Who may do what to a story: the rules every path (form, action, service) asks."""

from articles.models import Article, Image
from core.languages import LANGUAGE_CODES
from core.users import AnyUser

# Translated fields a translator may write in their own languages.
TRANSLATABLE_FIELDS = ("headline", "slug", "dek", "feature_text", "body", "key_points")
REPORTER_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)
# Translated fields of a library image.
IMAGE_TRANSLATABLE_FIELDS = ("alt_text", "caption")
# Fields only a placing editor may change.
PLACEMENT_FIELDS = ("is_breaking", "placement")
# Fields only a publishing editor may change.
PUBLICATION_FIELDS = ("status", "published_at")


def is_editor(user: AnyUser) -> bool:
    return user.has_perm("articles.edit_others_article")


def can_publish(user: AnyUser) -> bool:
    return user.has_perm("articles.publish_article")


def can_place(user: AnyUser) -> bool:
    return user.has_perm("articles.place_article")


def translator_languages(user: AnyUser) -> set[str]:
    """Return the languages `user` translates into (cached on the user object)."""
    if not user.is_authenticated or not user.has_perm("articles.translate_article"):
        return set()
    # Kept on the user object for the rest of its request, as Django's
    # ModelBackend keeps a user's permissions in `_perm_cache`.
    languages: set[str] | None = getattr(user, "_translator_languages", None)
    if languages is None:
        languages = set(user.translator_languages.values_list("language", flat=True))
        user._translator_languages = languages  # type: ignore[attr-defined]
    return languages


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


def allowed_statuses(user: AnyUser, article: Article | None) -> list[str]:
    """Return the statuses `user` may give `article` (its current one included)."""
    if can_publish(user):
        return list(Article.Status.values)
    statuses = [status.value for status in REPORTER_STATUSES]
    if article is not None and article.status not in statuses:
        statuses.append(article.status)
    return statuses


def is_uploader_of(user: AnyUser, image: Image) -> bool:
    """Whether `user` uploaded `image` and may still edit it as its uploader.

    Not once a published story of someone else shows it (scheduled ones
    included): that story is no longer theirs to change. Pictures uploaded
    before uploaders were kept have none.
    """
    return (
        user.pk is not None
        and image.uploaded_by_id == user.pk
        and not image.featured_in.filter(status=Article.Status.PUBLISHED)
        .exclude(created_by=user)
        .exists()
    )


def image_editable_fields(user: AnyUser, image: Image | None) -> set[str] | None:
    """Return the fields of `image` that `user` may change, or None for all.

    `image` is None for a new picture: whoever may add pictures fills it in
    whole. An editor edits any picture; a reporter the pictures they uploaded
    while no published story of someone else shows them; a translator only
    the alt text and caption of their own languages. The feature image is the
    only place a story shows a picture.
    """
    if image is None:
        return None if user.has_perm("articles.add_image") else set()
    if not user.has_perm("articles.change_image"):
        return set()
    if is_editor(user) or is_uploader_of(user, image):
        return None
    return {
        f"{field}_{code}"
        for field in IMAGE_TRANSLATABLE_FIELDS
        for code in sorted(translator_languages(user))
        if code in LANGUAGE_CODES
    }


def can_edit_image(user: AnyUser, image: Image) -> bool:
    """Whether `user` may change anything at all in `image`."""
    return image_editable_fields(user, image) != set()


def can_delete_image(user: AnyUser, image: Image) -> bool:
    """Whether `user` may delete `image`: only someone who may edit it whole."""
    return user.has_perm("articles.delete_image") and (
        image_editable_fields(user, image) is None
    )
