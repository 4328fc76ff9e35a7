from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("newsroom")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from newsroom import signal_handlers

        user_login_failed.connect(
            signal_handlers.log_login_failure, dispatch_uid="newsroom_login_failed"
        )
        user_locked_out.connect(
            signal_handlers.log_lockout, dispatch_uid="newsroom_locked_out"
        )
        user_logged_in.connect(
            signal_handlers.start_session_clocks, dispatch_uid="newsroom_logged_in"
        )


class NewsroomAdminConfig(AdminConfig):
    """Django's admin with the desk's site (its front page) as `admin.site`."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
