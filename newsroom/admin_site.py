"""The desk's admin site: its front page shows what waits for each person."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import reverse


class DeskAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete answers, with each picture's thumbnail and facts."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if apps.is_installed("images") and queryset.model._meta.label == "images.Image":
            from images.renditions import thumbnails

            queryset = queryset.prefetch_related(thumbnails())
        return queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if obj._meta.label == "images.Image":
            from images.desk import image_card

            result.update(image_card(obj))
        return result


class NewsroomAdminSite(admin.AdminSite):
    """Django's admin site whose index is the desk's front page.

    The queues come from the apps that keep them (articles/desk.py,
    translations/desk.py); the apps' model lists stay below them.
    """

    def get_urls(self):
        from django.urls import path

        from newsroom.background import background_work_view

        return [
            path(
                "background-work/",
                self.admin_view(lambda request: background_work_view(request, self)),
                name="background_work",
            ),
            *super().get_urls(),
        ]

    def autocomplete_view(self, request):
        return DeskAutocompleteJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        from articles.desk import story_queues
        from notifications.desk import latest_unread

        user = request.user
        queues = story_queues(user) if user.has_perm("articles.view_article") else []
        if apps.is_installed("translations"):
            from translations.desk import translator_queues

            queues += translator_queues(user)
        news = latest_unread(user)
        from newsroom.background import failed_recently, may_see

        background = {"failed": failed_recently().count()} if may_see(user) else None
        context = {
            "background": background,
            "desk_queues": queues,
            "desk_news": news,
            "add_story_url": reverse(f"{self.name}:articles_article_add")
            if user.has_perm("articles.add_article")
            else None,
            **(extra_context or {}),
        }
        return super().index(request, context)
