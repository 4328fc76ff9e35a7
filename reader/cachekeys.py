"""The surrogate keys of a reader's page, read off what it shows.

Every story, section, author, tag, series and picture a page's context holds
names itself (frontcache.keys), without a query: ids are read from the rows
already loaded and from what was prefetched, never fetched for the keys.
Pages whose list of stories a new story joins add a list key of their own
(home, feeds, archive, search, sitemaps).
"""

from collections.abc import Iterable, Mapping

from django.core.paginator import Page
from django.db.models import QuerySet

from articles.models import Article, Author, Byline, Category, Series
from frontcache import keys
from images.models import Image
from images.placed import image_ids
from related.models import RelatedArticle
from tags.models import Tag

# How deep into lists and tuples of the context to look: the home page's
# sections are (section, [stories]) pairs inside a list.
DEPTH = 4


def _prefetched(obj, name: str) -> list:
    return list(getattr(obj, "_prefetched_objects_cache", {}).get(name, ()))


def story_keys(article: Article) -> set[str]:
    found = {keys.story(article.pk)}
    # Only the columns loaded: a story read with only() would fetch the others.
    loaded = vars(article)
    if category := loaded.get("category_id"):
        found.add(keys.section(category))
    if series := loaded.get("series_id"):
        found.add(keys.series(series))
    if picture := loaded.get("feature_image_id"):
        found.add(keys.picture(picture))
    found.update(
        keys.author(byline.author_id) for byline in _prefetched(article, "bylines")
    )
    found.update(keys.tag(tag.pk) for tag in _prefetched(article, "tags"))
    for link in _prefetched(article, "related_articles"):
        found.add(keys.story(link.related_id))
    # A story page draws its body's pictures: only then is `body` loaded.
    if "body" in loaded:
        found.update(keys.picture(pk) for pk in image_ids(article.body or ""))
    return found


def object_keys(value, depth: int = DEPTH) -> set[str]:
    """Return the keys of everything in `value` (a context's value)."""
    if isinstance(value, Article):
        return story_keys(value)
    if isinstance(value, Category):
        return {keys.section(value.pk)}
    if isinstance(value, Tag):
        return {keys.tag(value.pk)}
    if isinstance(value, Author):
        return {keys.author(value.pk)}
    if isinstance(value, Byline):
        return {keys.author(value.author_id)}
    if isinstance(value, Series):
        return {keys.series(value.pk)}
    if isinstance(value, Image):
        return {keys.picture(value.pk)}
    if isinstance(value, RelatedArticle):
        return {keys.story(value.related_id)}
    if depth == 0 or isinstance(value, str | bytes):
        return set()
    if isinstance(value, Page):
        value = value.object_list
    if isinstance(value, QuerySet):
        # Only what was loaded: a key never costs a query.
        if value._result_cache is None:
            return set()
        value = value._result_cache
    if isinstance(value, Mapping):
        value = value.values()
    if isinstance(value, list | tuple | set | frozenset):
        found: set[str] = set()
        for item in value:
            found |= object_keys(item, depth - 1)
        return found
    return set()


def context_keys(context: Mapping, lists: Iterable[str] = ()) -> set[str]:
    """Return the keys of a page's context, with the list keys `lists`."""
    found = set(lists)
    for value in context.values():
        found |= object_keys(value)
    return found
