"""The desk's notifications: each person's own list, and how they want to be told."""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, gettext, ngettext

from notifications.forms import PreferenceForm
from notifications.messages import describe
from notifications.models import Notification, Preference
from notifications.services import (
    notification_open,
    notifications_mark_read,
    preference_save,
)

PAGE_SIZE = 30


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Everyone on the desk sees their own notifications, and no one else's.

    No model permission is needed: a notification is its recipient's, and
    nothing here can change another person's.
    """

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or obj.recipient_id == request.user.pk

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name=f"{name}_changelist"),
            path("<int:pk>/open/", view(self.open_view), name=f"{name}_open"),
            path("read/", view(self.mark_read_view), name=f"{name}_mark_read"),
            path("settings/", view(self.settings_view), name=f"{name}_settings"),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise Http404
        queryset = self.get_queryset(request).select_related("article", "actor")
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        language = get_language()
        preference = Preference.objects.filter(user=request.user).first()
        form = PreferenceForm(
            instance=preference,
            initial={"language": (preference and preference.language) or language},
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Notifications"),
            "page": page,
            "items": [(n, describe(n, language, html=True)) for n in page.object_list],
            "unread": self.get_queryset(request).unread().count(),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(
            request, "notifications/notification_list.html", context
        )

    def open_view(self, request, pk):
        """Mark the notification read and go to its story."""
        notification = get_object_or_404(self.get_queryset(request), pk=pk)
        notification_open(notification=notification, user=request.user)
        return redirect("admin:articles_article_change", notification.article_id)

    def mark_read_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = notifications_mark_read(user=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s notification marked as read.",
                    "%(count)s notifications marked as read.",
                    count,
                )
                % {"count": count},
            )
        return redirect("admin:notifications_notification_changelist")

    def settings_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preference_save(
                user=request.user,
                is_email_on=form.cleaned_data["is_email_on"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, gettext("Your notification settings are saved."))
        else:
            messages.error(request, gettext("Choose a language from the list."))
        return redirect(reverse("admin:notifications_notification_changelist"))
