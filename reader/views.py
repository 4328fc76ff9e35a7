import calendar
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core import signing
from django.db import connections, models
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.views import View
from django.views.generic import DetailView, ListView

from articles.models import (
    BREAKING_HOURS,
    Article,
    ArticleQuerySet,
    Author,
    Category,
    FormerSlug,
    breaking_q,
    read_related_links,
)
from articles.preview import PreviewLinkExpired, preview_url, read_preview_token
from core.languages import LANGUAGE_CODES, language_name
from core.links import route_url
from core.pagination import PageNumberMixin, UncountedPaginator, page_number
from core.prepared import Param, prepared
from frontcache import keys
from reader.body import body_pictures, has_embeds, render_body
from reader.cachekeys import context_keys
from reader.models import Ranking
from reader.readership import ranked
from reader.trending import trending
from related.models import Source
from tags.models import Tag

RECOMMENDED_COUNT = 5
SECTION_BLOCK_SIZE = 4
TRENDING_COUNT = 10
MOST_READ_COUNT = 5


class LiveArticleMixin:
    """Own the queryset of every public story view: live in the URL's language only.

    Its page names what it shows for the front cache (reader/cachekeys.py),
    with `page_keys()`: the lists a new story would join.
    """

    def get_queryset(self):
        return Article.objects.live(get_language()).with_cards()

    def page_keys(self) -> set[str]:
        return set()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Once drawn: the template loads the page's stories.
        response.add_post_render_callback(
            lambda _response: keys.add(
                self.request, context_keys(context, self.page_keys())
            )
        )
        return response


class HomeView(PageNumberMixin, LiveArticleMixin, ListView):
    template_name = "reader/home.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    # Counting every live story costs a full scan at newsroom scale: the home
    # page only says whether there are older stories.
    paginator_class = UncountedPaginator

    def get_queryset(self):
        return super().get_queryset().newest_first()

    def page_keys(self):
        return {keys.HOME, keys.MOST_READ, keys.TRENDING}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context.update(front_page(get_language()))
            breaking = context["breaking"]
            if breaking and (ends_at := breaking.breaking_ends_at()):
                # The strip goes by itself: no copy outlives it.
                keys.until(self.request, ends_at)
        return context


@prepared
def breaking_query(language: str) -> ArticleQuerySet:
    """Return the newest story whose breaking-news flag is on, as its strip shows it.

    A headline link, and when the strip goes by itself. `since` is
    BREAKING_HOURS before `now` (`breaking_q()`).
    """
    now = Param("now", models.DateTimeField())
    return (
        Article.objects.live(language, now=now)
        .filter(breaking_q(now=now, since=Param("since", models.DateTimeField())))
        .headlines(language, "is_breaking", "breaking_until")
        .newest_first()[:1]
    )


@prepared
def placed_query(language: str, placement: str, count: int) -> ArticleQuerySet:
    """Return the newest `count` stories the desk placed as `placement`.

    The top story as a card with its picture; editors' picks as headlines.
    """
    stories = Article.objects.live(
        language, now=Param("now", models.DateTimeField())
    ).filter(placement=placement)
    if placement == Article.Placement.TOP:
        stories = stories.with_story_image()
    else:
        stories = stories.headlines(language)
    return stories.newest_first()[:count]


def front_page(language: str) -> dict:
    """The home page's blocks, each in one query whatever the stories behind it.

    Each block is a prepared query (core/prepared.py): a publish purges the
    home page, so on a busy day it is the page most often drawn anew.
    """
    now = timezone.now()
    since = now - timedelta(hours=BREAKING_HOURS)
    return {
        "breaking": next(iter(breaking_query(language, now=now, since=since)), None),
        "top_story": next(
            iter(placed_query(language, Article.Placement.TOP, 1, now=now)), None
        ),
        # Headline lists: no bylines to load.
        "recommended": list(
            placed_query(
                language, Article.Placement.RECOMMENDED, RECOMMENDED_COUNT, now=now
            )
        ),
        "sections": sections_with_latest(language, SECTION_BLOCK_SIZE, now),
        # Worked out by the worker (reader/readership.py): flat however
        # many reads pile up.
        **{
            f"most_read_{window}": stories
            for window, stories in ranked(
                language,
                [Ranking.Window.DAY, Ranking.Window.WEEK],
                limit=MOST_READ_COUNT,
            ).items()
        },
        # Worked out by the worker too (reader/trending.py).
        "trending_tags": trending(language, TRENDING_COUNT),
    }


@prepared
def sections_query(language: str, per_section: int) -> models.QuerySet[Category]:
    """Return the sections, each with the ids of its newest live stories."""
    newest_here = (
        Article.objects.live(language, now=Param("now", models.DateTimeField()))
        .filter(category=OuterRef("pk"))
        .newest_first()
    )
    return Category.objects.annotate(
        newest=ArraySubquery(newest_here.values("pk")[:per_section])
    )


def sections_with_latest(
    language: str, per_section: int, now: datetime | None = None
) -> list[tuple[Category, list[Article]]]:
    """Return each section that has stories with its newest ones' headlines.

    Two queries however many sections: the sections, then their stories.
    On PostgreSQL each section row carries its newest stories' ids, an
    array read from the (section, newest first) index by one subquery (a
    prepared query): a UNION of one query a section cost Django and the
    planner a part each (25 -> 11 ms for eight sections), and a window over
    all stories would sort every live story. SQLite, which has no arrays,
    ranks them with a window (demo-sized databases).
    """
    now = now or timezone.now()
    on_postgresql = connections[Article.objects.db].vendor == "postgresql"
    if on_postgresql:
        sections = list(sections_query(language, per_section, now=now))
    else:
        sections = list(Category.objects.all())
    if not sections:
        return []
    if on_postgresql:
        # Read a moment ago through live(): no need to ask it again.
        newest = Article.objects.filter(
            pk__in=[pk for section in sections for pk in section.newest]
        )
    else:
        live = Article.objects.live(language, now=now)
        newest = live.filter(
            pk__in=live.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("category_id"),
                    order_by=[F("published_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=per_section)
            .values("pk")
        )
    stories: dict[int, list[Article]] = {}
    for story in newest.headlines(language).newest_first():
        stories.setdefault(story.category_id, []).append(story)
    return [
        (section, stories[section.pk]) for section in sections if section.pk in stories
    ]


class StoryListView(PageNumberMixin, LiveArticleMixin, ListView):
    """A paginated list of live stories under a heading: section, tag, author, month."""

    template_name = "reader/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    # Counting a section's live stories took most of its page's time at
    # newsroom scale; readers page on by "older stories" anyway.
    paginator_class = UncountedPaginator
    # A page narrowed through a many-valued relation (a tag's stories, an
    # author's): PostgreSQL finds the first page's stories sooner from their
    # ids alone, then reads those rows, than reading rows as it walks the
    # newest stories. Only the first page: deeper, its plans went wrong.
    ids_first = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.language = get_language()

    def get_queryset(self):
        stories = self.narrow(super().get_queryset()).newest_first()
        if self.ids_first and page_number(self.request.GET.get(self.page_kwarg)) == 1:
            first = stories.values("pk")[: self.get_paginate_by(stories) + 1]
            stories = stories.filter(pk__in=first)
        return stories

    def narrow(self, stories):
        raise NotImplementedError

    def url_in(self, language: str) -> str | None:
        """Return this page's address in `language`, or None if it has none."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["language_urls"] = {
            code: url for code in LANGUAGE_CODES if (url := self.url_in(code))
        }
        return context


def _url_in(language: str, name: str, **kwargs) -> str:
    return route_url(f"reader:{name}", language, **kwargs)


class SectionView(StoryListView):
    def narrow(self, stories):
        self.section = get_object_or_404(
            Category, **{f"slug_{self.language}": self.kwargs["slug"]}
        )
        return stories.filter(category=self.section)

    def page_keys(self):
        return {keys.section(self.section.pk), keys.section_list(self.section.pk)}

    def url_in(self, language):
        slug = getattr(self.section, f"slug_{language}")
        return _url_in(language, "section", slug=slug) if slug else None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": self.section.name}


class TagView(StoryListView):
    ids_first = True

    def narrow(self, stories):
        # A tag has a page in a language when it has a name there and a story
        # live there carries it: drafts' tags are nobody's business yet. The
        # other languages are asked in the same query, for the switcher.
        tags = Tag.objects.annotate(
            **{
                f"has_live_{code}": Exists(
                    Article.objects.live(code).filter(tagged_items__tag=OuterRef("pk"))
                )
                for code in LANGUAGE_CODES
            }
        )
        self.tag = get_object_or_404(
            tags,
            **{
                f"slug_{self.language}": self.kwargs["slug"],
                f"has_live_{self.language}": True,
            },
        )
        return stories.filter(tagged_items__tag=self.tag)

    def page_keys(self):
        return {keys.tag(self.tag.pk), keys.tag_list(self.tag.pk)}

    def url_in(self, language):
        slug = getattr(self.tag, f"slug_{language}")
        if not slug or not getattr(self.tag, f"has_live_{language}"):
            return None
        return _url_in(language, "tag", slug=slug)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": self.tag.name_in(self.language),
            "kind": "tag",
        }


class AuthorView(StoryListView):
    ids_first = True

    def narrow(self, stories):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return stories.filter(bylines__author=self.author)

    def page_keys(self):
        return {keys.author(self.author.pk), keys.author_list(self.author.pk)}

    def url_in(self, language):
        return self.author.get_absolute_url(language)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": self.author.name,
            "kind": "author",
        }


class MonthArchiveView(StoryListView):
    def narrow(self, stories):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise Http404
        zone = timezone.get_current_timezone()
        self.month = datetime(year, month, 1, tzinfo=zone)
        last_day = calendar.monthrange(year, month)[1]
        end = datetime(year, month, last_day, 23, 59, 59, 999999, tzinfo=zone)
        return stories.filter(published_at__range=(self.month, end))

    def page_keys(self):
        return {keys.ARCHIVE}

    def paginate_queryset(self, queryset, page_size):
        page = super().paginate_queryset(queryset, page_size)
        if not page[1].object_list:
            raise Http404
        return page

    def url_in(self, language):
        return _url_in(
            language, "archive", year=self.kwargs["year"], month=self.kwargs["month"]
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "archive_month": self.month}


@prepared
def story_page_query(language: str) -> ArticleQuerySet:
    """Return the live story whose `language` address is `slug`, as its page shows it.

    All but its related stories (`read_related_links()`).
    """
    return (
        Article.objects.live(language, now=Param("now", models.DateTimeField()))
        .filter(**{f"slug_{language}": Param("slug", models.CharField())})
        .with_story_parts()
        .with_edition(language)
    )


class ArticleDetailView(LiveArticleMixin, DetailView):
    template_name = "reader/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None) -> Article:
        language, now = get_language(), timezone.now()
        found = list(story_page_query(language, slug=self.kwargs["slug"], now=now))
        if not found:
            raise Http404
        article = found[0]
        read_related_links(article, language, now)
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A story's old address leads to where it is now (301).
            former = (
                FormerSlug.objects.filter(language=get_language(), slug=kwargs["slug"])
                .select_related("article")
                .first()
            )
            if former is None or not former.article.is_live_in(get_language()):
                raise
            keys.add(request, {keys.story(former.article_id)})
            return HttpResponsePermanentRedirect(former.article.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **story_page_context(self.object, get_language())}


def story_page_context(article: Article, language: str) -> dict:
    """Everything a story page shows besides the story's own fields.

    Reads what `with_story_page()` loaded; the pictures' renditions (the
    story's, its related stories' and its body's) come in one more query.
    """
    sources = list(article.sources.all())
    pictures = body_pictures(article.body)
    stories = [article, *(link.related for link in article.related_articles.all())]
    prefetch_related_objects(
        [
            *pictures.values(),
            *(s.feature_image for s in stories if s.feature_image_id is not None),
        ],
        "renditions",
    )
    return {
        **edition_context(article, language),
        "body": render_body(article.body, language, pictures),
        "has_embeds": has_embeds(article.body),
        "language_urls": {
            code: article.get_absolute_url(code) for code in article.live_languages()
        },
        "read_more": [s for s in sources if s.role != Source.Role.IMAGE_SOURCE],
        "image_sources": [s for s in sources if s.role == Source.Role.IMAGE_SOURCE],
        "tags": [tag for tag in article.tags.all() if tag.name_in(language)],
        "corrections": [c for c in article.corrections.all() if c.text],
        # A link is shown in the languages that label it, never with another's.
        "links": [
            link
            for link in article.external_links.all()
            if getattr(link, f"label_{language}")
        ],
        "related": [
            link.related
            for link in article.related_articles.all()
            # with_story_page() asked it of each.
            if link.is_live_here  # type: ignore[attr-defined]
        ],
        **neighbours(article, language),
    }


def edition_context(article: Article, language: str) -> dict:
    """Return when this language's text changed, and whether it is behind its source.

    Reads the `with_edition()` annotations; the story's own time without them.
    """
    changed_at = getattr(article, "edition_changed_at", None) or article.updated_at
    behind_since = getattr(article, "edition_behind_since", None)
    shown = article.published_at is not None and changed_at > article.published_at
    return {
        "updated_at": changed_at if shown else None,
        "behind_since": behind_since if language != article.source_language else None,
        "source_language_name": language_name(article.source_language),
    }


def neighbours(article: Article, language: str) -> dict:
    """Return the previous and next story in the series, or else in the section.

    Both in one query, each found by its own index scan from this story.
    """
    # A story out of draft has a section (a constraint says so).
    if article.published_at is None or article.category_id is None:
        return {}
    moment, pk = article.published_at, article.pk
    found = {
        story.pk: story
        for story in neighbours_query(
            language,
            "series" if article.series_id else "category",
            group_id=article.series_id or article.category_id,
            moment=moment,
            pk=pk,
            now=timezone.now(),
        )
    }
    previous = next(
        (s for s in found.values() if (s.published_at, s.pk) < (moment, pk)), None
    )
    following = next(
        (s for s in found.values() if (s.published_at, s.pk) > (moment, pk)), None
    )
    return {
        "previous_story": previous,
        "next_story": following,
        "neighbours_in_series": bool(article.series_id),
    }


@prepared
def neighbours_query(language: str, group: str) -> ArticleQuerySet:
    """Return the live stories just before and after a story in its `group`.

    `group` is "series" or "category", and `group_id` the story's series or
    section; the story is `pk`, published at `moment`.
    """
    stories = Article.objects.live(
        language, now=Param("now", models.DateTimeField())
    ).filter(**{group: Param("group_id", models.BigIntegerField())})
    moment = Param("moment", models.DateTimeField())
    pk = Param("pk", models.BigIntegerField())
    # The redundant bounds let the database start its index scans at this
    # story instead of walking down from the newest one.
    before = stories.filter(
        Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk),
        published_at__lte=moment,
    ).newest_first()
    after = stories.filter(
        Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk),
        published_at__gte=moment,
    ).order_by("published_at", "id")
    return (
        Article.objects.only(
            "id", f"slug_{language}", f"headline_{language}", "published_at"
        )
        .filter(
            Q(pk=Subquery(before.values("pk")[:1]))
            | Q(pk=Subquery(after.values("pk")[:1]))
        )
        # Told apart by the caller: an order would only cost the database a plan.
        .order_by()
    )


class PreviewView(View):
    """Show any story, published or not, to whoever holds a signed link."""

    def get(self, request, token: str):
        try:
            article_id, language = read_preview_token(token)
        except PreviewLinkExpired:
            response = render(request, "reader/preview_expired.html", status=410)
            return self._private(response)
        except signing.BadSignature:
            raise Http404 from None
        article = get_object_or_404(
            Article.objects.with_story_page(language).with_edition(language),
            pk=article_id,
        )
        with translation.override(language):
            response = render(
                request,
                "reader/article_detail.html",
                {
                    "article": article,
                    **story_page_context(article, language),
                    "is_preview": True,
                    "language_urls": {
                        code: preview_url(article, code)
                        for code in LANGUAGE_CODES
                        if getattr(article, f"headline_{code}")
                    },
                },
            )
        return self._private(response)

    @staticmethod
    def _private(response):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
