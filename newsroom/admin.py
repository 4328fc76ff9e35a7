"""The story admin editors use, composed in one place.

Admin autodiscovery imports this module, as every installed app's `admin`
module. Each app's admin module registers its own models; the story admin
combines several apps, so it is registered here, the only part allowed to
import them all. An app left out of INSTALLED_APPS leaves its part out: the
desk runs without translations (newsroom/tests/test_standalone.py).
"""

from django.apps import apps
from django.contrib import admin

from articles.admin import ArticleAdmin
from articles.models import Article

parts: list[type] = []
if apps.is_installed("translations"):
    from translations.admin import TranslationPanelMixin

    parts.append(TranslationPanelMixin)
if apps.is_installed("search"):
    from search.admin import StorySearchMixin

    parts.append(StorySearchMixin)


@admin.register(Article)
class StoryAdmin(*parts, ArticleAdmin):  # type: ignore[misc]
    """The story admin: articles' desk, with the panel and search the apps add.

    Each part's methods come first and call on to articles' ArticleAdmin.
    """
