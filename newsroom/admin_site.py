"""The desk's admin site: its front page shows what waits for each person."""

from django.apps import apps
from django.contrib import admin
from django.urls import reverse


class NewsroomAdminSite(admin.AdminSite):
    """Django's admin site whose index is the desk's front page.

    The queues come from the apps that keep them (articles/desk.py,
    translations/desk.py); the apps' model lists stay below them.
    """

    def index(self, request, extra_context=None):
        from articles.desk import story_queues
        from notifications.desk import latest_unread

        user = request.user
        queues = story_queues(user) if user.has_perm("articles.view_article") else []
        if apps.is_installed("translations"):
            from translations.desk import translator_queues

            queues += translator_queues(user)
        news = latest_unread(user)
        context = {
            "desk_queues": queues,
            "desk_news": news,
            "add_story_url": reverse(f"{self.name}:articles_article_add")
            if user.has_perm("articles.add_article")
            else None,
            **(extra_context or {}),
        }
        return super().index(request, context)
