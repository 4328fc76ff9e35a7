"""The front cache's background work, run by the task worker (`db_worker`)."""

from django_tasks import task


# Readers wait on it: its own queue and worker, first of any queue's jobs.
@task(queue_name="purge", priority=50)
def purge_keys(
    keys: list[str], attempt: int = 1, position: str = "", soft: bool = False
) -> str:
    """Make the front cache drop the pages naming one of `keys` (retried).

    `position`: the primary's WAL position the replicas must replay first;
    `soft`: the cache may serve the old page while it fetches the new one.
    """
    from frontcache.purge import keys_purge

    return keys_purge(keys=keys, attempt=attempt, position=position, soft=soft)
