"""RSS 2.0 and Atom feeds of the stories live in the URL's language."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext, pgettext

from articles.models import Article, Category
from core.languages import check_language
from frontcache import keys

FEED_LENGTH = 50


def _language() -> str:
    # i18n_patterns has activated the URL's language for the whole request.
    return check_language(get_language())


def _in_language(obj, field: str) -> str:
    """Return `field` in the feed's language: never another language's text."""
    return getattr(obj, f"{field}_{_language()}") or ""


class LatestStoriesFeed(Feed):
    """Give the newest stories live in the URL's language as RSS 2.0."""

    feed_type = Rss201rev2Feed
    # RSS readers take an item's title as HTML; Atom's <title> is plain text.
    title_is_html = True
    # A permalink changes with the slug; the story and its language do not.
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        # Every change of a live story purges the feeds (reader/purges.py).
        keys.add(request, {keys.FEEDS})
        return super().__call__(request, *args, **kwargs)

    def title(self, obj) -> str:
        return gettext("Newsroom: latest stories")

    def description(self, obj) -> str:
        return gettext("The latest stories from Newsroom.")

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def link(self, obj) -> str:
        return reverse("reader:home")

    def author_name(self, obj) -> str:
        # Atom wants an author for every entry; stories without a byline
        # are the newsroom's.
        return gettext("Newsroom")

    def items(self, obj):
        return (
            self.narrow(Article.objects.live(_language()), obj)
            .with_cards()
            .prefetch_related("tags")
            .newest_first()[:FEED_LENGTH]
        )

    def narrow(self, stories, obj):
        return stories

    def item_title(self, item: Article) -> str:
        headline = _in_language(item, "headline")
        return escape(headline) if self.title_is_html else headline

    def item_description(self, item: Article) -> str:
        # Both RSS <description> and Atom <summary type="html"> hold HTML.
        return escape(_in_language(item, "dek"))

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url(_language())

    def item_guid(self, item: Article) -> str:
        return f"newsroom:article:{item.pk}:{_language()}"

    def item_author_name(self, item: Article) -> str | None:
        names = [
            name
            for author in item.byline_authors()
            if (name := _in_language(author, "name"))
        ]
        separator = pgettext("between names in a byline", ", ")
        return separator.join(names) or None

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        language = _language()
        names = [_in_language(item.category, "name")]
        # Sorted here: the prefetched tags come in no particular order.
        tags = sorted(item.tags.all(), key=lambda tag: tag.pk)
        names += [tag.name_in(language) for tag in tags]
        return [name for name in names if name]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    """Give the newest stories live in the URL's language as Atom."""

    feed_type = Atom1Feed
    title_is_html = False


class SectionFeed(LatestStoriesFeed):
    """Give the newest stories of one section, live in the URL's language, as RSS."""

    def get_object(self, request, slug: str) -> Category:
        # DoesNotExist becomes a 404 in Feed.__call__.
        section = Category.objects.get(**{f"slug_{_language()}": slug})
        keys.add(request, {keys.section(section.pk), keys.section_list(section.pk)})
        return section

    def title(self, obj: Category) -> str:
        # Translators: the title of a section's news feed, e.g. "Newsroom: Economy".
        return gettext("Newsroom: %(section)s") % {"section": _in_language(obj, "name")}

    def description(self, obj: Category) -> str:
        return gettext("The latest stories in %(section)s from Newsroom.") % {
            "section": _in_language(obj, "name")
        }

    def link(self, obj: Category) -> str:
        return reverse("reader:section", kwargs={"slug": _in_language(obj, "slug")})

    def narrow(self, stories, obj: Category):
        return stories.filter(category=obj)


class SectionAtomFeed(SectionFeed):
    """Give the newest stories of one section, live in the URL's language, as Atom."""

    feed_type = Atom1Feed
    title_is_html = False
