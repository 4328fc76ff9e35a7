"""The desk's page of background work: what waits, and what failed for good.

Every task that gives up raises (core.retries.GivenUp, or any error the task
did not expect), so the worker marks its job failed: this page lists them,
for editors and operators, so that nothing fails unseen.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from articles.permissions import is_editor

# What each task does, as the desk says it.
TASK_LABELS = {
    "notifications.tasks.send_notification_email": _("notification e-mail"),
    "images.tasks.make_renditions": _("smaller copies of a picture"),
    "images.tasks.delete_files": _("removing a deleted picture's files"),
    "images.tasks.draw_share_cards": _("share cards of a story"),
    "frontcache.tasks.purge_keys": _("clearing changed pages from the front cache"),
}
# The page of each task's object, from its first argument.
TASK_OBJECTS = {
    "images.tasks.make_renditions": "admin:images_image_change",
    "images.tasks.draw_share_cards": "admin:articles_article_change",
}
# Failures shown: the recent ones; older ones stay in the table.
FAILED_DAYS = 14
FAILED_SHOWN = 50


def may_see(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or is_editor(user))


def failed_recently():
    since = timezone.now() - timedelta(days=FAILED_DAYS)
    return DBTaskResult.objects.failed().filter(finished_at__gte=since)


def describe(job: DBTaskResult) -> dict:
    args = (job.args_kwargs or {}).get("args") or []
    link = None
    if job.task_path in TASK_OBJECTS and args:
        try:
            link = reverse(TASK_OBJECTS[job.task_path], args=[args[0]])
        except NoReverseMatch:
            link = None
    return {
        "label": TASK_LABELS.get(job.task_path, job.task_path),
        "link": link,
        "finished_at": job.finished_at,
        "error": job.exception_class_path.rsplit(".", 1)[-1],
        "detail": (job.traceback or "").strip().splitlines()[-1:],
    }


def background_work_view(request, admin_site):
    """List what waits for the worker and what it gave up, newest first."""
    if not may_see(request.user):
        raise PermissionDenied
    now = timezone.now()
    counts = DBTaskResult.objects.aggregate(
        waiting=Count("id", filter=Q(status="READY")),
        running=Count("id", filter=Q(status="RUNNING")),
        done_today=Count(
            "id",
            filter=Q(status="SUCCESSFUL", finished_at__gte=now - timedelta(days=1)),
        ),
    )
    failed = list(failed_recently().order_by("-finished_at")[:FAILED_SHOWN])
    context = {
        **admin_site.each_context(request),
        "title": gettext("Background work"),
        "counts": counts,
        "failed": [describe(job) for job in failed],
        "failed_days": FAILED_DAYS,
    }
    return TemplateResponse(request, "admin/background_work.html", context)
