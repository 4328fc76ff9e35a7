"""The story admin editors use, composed in one place.

Admin autodiscovery imports this module, as every installed app's `admin`
module. Each app's admin module registers its own models; the story admin
combines several apps, so it is registered here, the only part allowed to
import them all. An app left out of INSTALLED_APPS leaves its part out: the
desk runs without translations (newsroom/tests/test_standalone.py).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from articles.admin import ArticleAdmin, TagRightsMixin
from articles.models import Article
from tags.admin import TagAdmin
from tags.models import Tag

parts: list[type] = []
user_inlines: list[type] = []
if apps.is_installed("translations"):
    from translations.admin import TranslationPanelMixin, TranslatorLanguageInline

    parts.append(TranslationPanelMixin)
    user_inlines.append(TranslatorLanguageInline)
if apps.is_installed("search"):
    from search.admin import StorySearchMixin

    parts.append(StorySearchMixin)
if apps.is_installed("images"):
    from images.admin import FeatureImagePickerMixin

    parts.append(FeatureImagePickerMixin)


@admin.register(Article)
class StoryAdmin(*parts, ArticleAdmin):  # type: ignore[misc]
    """The story admin: articles' desk, with the panel and search the apps add.

    Each part's methods come first and call on to articles' ArticleAdmin.
    """


@admin.register(Tag)
class DeskTagAdmin(TagRightsMixin, TagAdmin):
    """Tags as the desk's roles allow: a translator names their own languages."""


# Django's auth app registers its own user admin; the desk's adds the parts
# installed apps give a person (a translator's languages).
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class NewsroomUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, *user_inlines]


# django-tasks-db registers its jobs table in English only; the desk shows a
# person's notifications and what became of their e-mail instead, and
# operators read the jobs with the database's tools.
if apps.is_installed("django_tasks_db"):
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
