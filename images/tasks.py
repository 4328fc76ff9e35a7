"""The picture library's background work, run by the task worker (`db_worker`)."""

from django_tasks import task


@task()
def make_renditions(image_id: int, attempt: int = 1) -> str:
    """Make one picture's renditions (retried by renditions_run on failure)."""
    from images.renditions import renditions_run

    return renditions_run(image_id=image_id, attempt=attempt)


@task()
def delete_files(names: list[str], attempt: int = 1) -> str:
    """Remove files of deleted pictures from storage (retried on failure)."""
    from images.cleanup import files_delete

    return files_delete(names=names, attempt=attempt)


@task()
def draw_share_cards(article_id: int, attempt: int = 1) -> str:
    """Draw a live story's share cards ahead of the crawlers (retried on failure)."""
    from images.sharecards.storage import share_cards_draw

    return share_cards_draw(article_id=article_id, attempt=attempt)
