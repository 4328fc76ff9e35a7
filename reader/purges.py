"""Which pages a change reaches: the front cache's purges, named by key.

Connected in ReaderConfig.ready() to the models readers' pages are made of.
A change of a published story (its text, status, parts, tags or languages)
purges the story's key, its section's, series', tags' and authors', and the
lists a story joins or leaves (home, feeds, sitemaps, search, archive, 404s);
a draft's changes purge nothing. A rename of a section, tag, author or series,
or a picture's new words or file, purges that object's key. Everything waits
for the commit and goes through the worker (frontcache/purge.py).
"""

from collections.abc import Iterable

from articles.models import Article, Byline
from frontcache import keys
from frontcache.purge import after_commit, purge_after_commit
from reader.readership import plan_flush
from tags.models import TaggedArticle

PUBLISHED = Article.Status.PUBLISHED


def stories_keys(ids: Iterable[int], published_only: bool) -> set[str]:
    """Return the keys a change of the stories `ids` purges.

    The stories' own pages; the lists they join or leave: their sections',
    tags', authors' and series' lists, home, feeds, sitemaps, search and the
    archive (not every page that merely names their section); and the stories
    beside each in its series or section, whose "next" and "previous" links
    may change. Four queries, and two a story for its neighbours.
    """
    rows = Article.objects.filter(pk__in=set(ids))
    if published_only:
        rows = rows.filter(status=PUBLISHED)
    found = {}
    stories = list(rows.values_list("pk", "category_id", "series_id", "published_at"))
    for pk, category, series, _published in stories:
        found[pk] = {keys.story(pk)}
        if category:
            found[pk].add(keys.section_list(category))
        if series:
            found[pk].add(keys.series(series))
    if not found:
        return set()
    result = set(keys.LISTS).union(*found.values())
    result.update(
        keys.tag_list(tag)
        for tag in TaggedArticle.objects.filter(content_object__in=found).values_list(
            "tag_id", flat=True
        )
    )
    result.update(
        keys.author_list(author)
        for author in Byline.objects.filter(article__in=found).values_list(
            "author_id", flat=True
        )
    )
    for pk, category, series, published in stories[:NEIGHBOURS_LOOKED_UP]:
        result.update(
            keys.story(other)
            for other in neighbours_of(pk, category, series, published)
        )
    return result


# Beyond this many stories in one change (an import), their neighbours are
# left to the pages' own lifetime rather than looked up one by one.
NEIGHBOURS_LOOKED_UP = 20


def neighbours_of(pk, category, series, published) -> list[int]:
    """The stories just before and after this one in its series, else its section."""
    if published is None:
        return []
    group = Article.objects.filter(status=PUBLISHED).exclude(pk=pk)
    group = group.filter(series=series) if series else group.filter(category=category)
    before = group.filter(published_at__lte=published).order_by("-published_at", "-id")
    after = group.filter(published_at__gte=published).order_by("published_at", "id")
    return [
        other
        for other in (
            before.values_list("pk", flat=True).first(),
            after.values_list("pk", flat=True).first(),
        )
        if other is not None
    ]


def _purge_published(ids: set[int]) -> None:
    purge_after_commit(stories_keys(ids, published_only=True))
    # Published, unpublished, retagged or withheld: the trending tags may
    # turn over (worked out by the worker within seconds, not here).
    plan_flush()


def story_changed(article_id: int | None) -> None:
    """Purge a story's pages after commit, if it is published then."""
    if article_id is not None:
        after_commit("stories", {article_id}, _purge_published)


# Receivers


def on_story_saving(sender, instance: Article, raw=False, **kwargs) -> None:
    """A published story saved as something else leaves readers: purge it now."""
    if raw or instance.pk is None or instance.status == PUBLISHED:
        return
    if Article.objects.filter(pk=instance.pk, status=PUBLISHED).exists():
        purge_after_commit(stories_keys([instance.pk], published_only=False))


def on_story_saved(sender, instance: Article, raw=False, **kwargs) -> None:
    if not raw:
        story_changed(instance.pk)


def on_story_deleting(sender, instance: Article, **kwargs) -> None:
    # Before the cascade takes its tags and bylines with it.
    if instance.status == PUBLISHED:
        purge_after_commit(stories_keys([instance.pk], published_only=False))


def on_story_part_changed(sender, instance, raw=False, **kwargs) -> None:
    """A story's part changed: correction, link, source, byline, tag."""
    if not raw:
        story_changed(
            getattr(instance, "article_id", None)
            or getattr(instance, "content_object_id", None)
        )


def on_withholding_changed(sender, article: Article, **kwargs) -> None:
    """A language withheld or released: the story's pages and lists in it."""
    story_changed(article.pk)


def on_story_went_live(sender, article_id: int, **kwargs) -> None:
    """A scheduled story's time came (publish_scheduled): the lists take it in."""
    story_changed(article_id)


def on_named_changed(sender, instance, raw=False, **kwargs) -> None:
    """A section, series, author or tag renamed: its pages and the lists naming it."""
    if raw:
        return
    key = {
        "Category": keys.section,
        "Series": keys.series,
        "Author": keys.author,
        "Tag": keys.tag,
    }[sender.__name__](instance.pk)
    # Its name is on its stories' pages (`key`) and on its own (which carry
    # `key` too): one soft purge reaches both.
    # Soft: a name a moment late is no harm, every reader at the app at once is.
    purge_after_commit({key, keys.FEEDS, keys.SITEMAPS, keys.SEARCH}, soft=True)


def on_picture_changed(sender, instance, raw=False, created=False, **kwargs) -> None:
    """A picture's words or file changed: every page showing it (none if new)."""
    if not raw and not created:
        purge_after_commit({keys.picture(instance.pk)}, soft=True)


def on_renditions_made(sender, image_id: int, **kwargs) -> None:
    """Pages drawn with the scaled original may now use the renditions."""
    purge_after_commit({keys.picture(image_id)}, soft=True)
