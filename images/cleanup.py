"""A deleted picture takes its files with it: the original and its renditions."""

import logging

from django.core.files.storage import default_storage

from core.retries import GivenUp, retry_later
from images.models import Image, Rendition

logger = logging.getLogger(__name__)


def on_image_deleting(sender, instance: Image, **kwargs) -> None:
    """Have the worker remove the picture's files once its deletion commits.

    Receives pre_delete, while the renditions (deleted with it) can still be
    read. The job is written in the deleting transaction: a deletion that
    rolls back keeps its files.
    """
    from images.tasks import delete_files

    names = list(
        Rendition.objects.filter(image=instance).values_list("file", flat=True)
    )
    if instance.file:
        names.append(instance.file.name)
    if names:
        delete_files.enqueue(names)


def files_delete(*, names: list[str], attempt: int = 1) -> str:
    """Delete `names` from storage; retry the ones that failed, later."""
    from images.tasks import delete_files

    left = []
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.warning("Could not delete %s from storage", name, exc_info=True)
            left.append(name)
    if not left:
        return "deleted"
    if retry_later(delete_files, left, attempt + 1, attempt=attempt) is None:
        logger.error(
            "Gave up deleting %s files of deleted pictures: %s "
            "(manage.py remove_orphan_files finds them).",
            len(left),
            ", ".join(left),
        )
        raise GivenUp(f"Could not delete {len(left)} files: {', '.join(left)}")
    return "retry"
