"""A deleted picture takes its files with it: the original and its renditions."""

import logging
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from core.retries import GivenUp, retry_delay
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
    delay = retry_delay(attempt)
    if delay is None:
        logger.error(
            "Gave up deleting %s files of deleted pictures: %s "
            "(manage.py remove_orphan_files finds them).",
            len(left),
            ", ".join(left),
        )
        raise GivenUp(f"Could not delete {len(left)} files: {', '.join(left)}")
    delete_files.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        left, attempt + 1
    )
    return "retry"
