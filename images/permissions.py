"""Who may change a picture of the library: the rules every path asks."""

from articles.models import Article
from articles.permissions import is_editor, translator_languages
from core.languages import LANGUAGE_CODES
from core.users import AnyUser
from images.models import Image

# Translated fields of a library image.
IMAGE_TRANSLATABLE_FIELDS = ("alt_text", "caption", "credit")


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
        return None if user.has_perm("images.add_image") else set()
    if not user.has_perm("images.change_image"):
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
    return user.has_perm("images.delete_image") and (
        image_editable_fields(user, image) is None
    )
