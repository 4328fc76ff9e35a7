"""The imports' background work, run by the task worker (`db_worker`)."""

from django_tasks import task


@task()
def run_import(run_id: int, attempt: int = 1) -> str:
    """Import an archive uploaded in the desk (retried by import_run_execute)."""
    from imports.services import import_run_execute

    return import_run_execute(run_id=run_id, attempt=attempt)
