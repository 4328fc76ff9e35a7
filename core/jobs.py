"""Run the background jobs that are due here and now, as `manage.py db_worker` does.

For tests and benchmarks, which must run the worker's code in their own
process; production runs `db_worker`.
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def run_due_jobs(worker_id: str = "in-process") -> int:
    """Run every job due now through the worker's own `run_task`; return how many.

    Each job is claimed in a transaction of its own, as the worker claims it;
    a job that fails is recorded failed, as the worker records it.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
