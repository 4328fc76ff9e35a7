"""The story admin editors use, composed in one place.

Admin autodiscovery imports this module, as every installed app's `admin`
module. Each app's admin module registers its own models; the story admin
combines several apps, so it is registered here, the only part allowed to
import them all.
"""

from django.contrib import admin

from articles.admin import ArticleAdmin
from articles.models import Article
from search.admin import StorySearchMixin
from translations.admin import TranslationPanelMixin


@admin.register(Article)
class StoryAdmin(TranslationPanelMixin, StorySearchMixin, ArticleAdmin):
    """The story admin: articles' desk, its search index and each language's panel."""
