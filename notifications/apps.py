from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from articles.signals import (
            article_returned,
            article_submitted,
            article_went_live,
        )
        from notifications import checks, signal_handlers  # noqa: F401 - registers

        article_submitted.connect(
            signal_handlers.notify_submitted, dispatch_uid="notifications_submitted"
        )
        article_returned.connect(
            signal_handlers.notify_returned, dispatch_uid="notifications_returned"
        )
        article_went_live.connect(
            signal_handlers.notify_published, dispatch_uid="notifications_published"
        )
        user_logged_in.connect(
            signal_handlers.remember_desk_language,
            dispatch_uid="notifications_desk_language",
        )
        # Translators are told of outdated languages where the app that keeps
        # the languages' states is installed.
        if apps.is_installed("translations"):
            from translations.signals import (
                translation_assigned,
                translation_outdated,
                translation_returned,
            )

            translation_outdated.connect(
                signal_handlers.notify_outdated, dispatch_uid="notifications_outdated"
            )
            translation_assigned.connect(
                signal_handlers.notify_assigned, dispatch_uid="notifications_assigned"
            )
            translation_returned.connect(
                signal_handlers.notify_sent_back,
                dispatch_uid="notifications_sent_back",
            )
