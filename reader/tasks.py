"""The reader site's background work, run by the task worker (`db_worker`)."""

from django_tasks import task


@task()
def flush_reads() -> dict:
    """Add pending reads to the database; work out the rankings and trending tags."""
    from reader.readership import reads_flush

    return reads_flush()
