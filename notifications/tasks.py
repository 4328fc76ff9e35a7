"""The notifications' background work, run by the task worker (`db_worker`)."""

from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> str:
    """Send one notification's e-mail (retried by the service on failure)."""
    from notifications.services import notification_email_send

    return notification_email_send(notification_id=notification_id)
