"""The front cache's background work, run by the task worker (`db_worker`)."""

from django_tasks import task


@task()
def purge_keys(keys: list[str], attempt: int = 1) -> str:
    """Make the front cache drop the pages naming one of `keys` (retried)."""
    from frontcache.purge import keys_purge

    return keys_purge(keys=keys, attempt=attempt)
