"""What crawlers read: sitemaps with hreflang alternates, news sitemaps, robots.txt.

Django's i18n sitemaps list every item in every language; a story exists only in
the languages it is live in, so the entries are built here from `live()`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap, x_robots_tag
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from articles.models import Article, Category
from core.languages import LANGUAGE_CODES, check_language
from core.links import route_url
from frontcache import keys

# Google News reads stories published in the last two days, up to 1,000 of them.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


@dataclass(frozen=True)
class Entry:
    """One page in one language, with every language version of it."""

    path: str
    alternates: tuple[tuple[str, str], ...]
    lastmod: datetime | None = None


def _path(language: str, name: str, **kwargs) -> str:
    return route_url(f"reader:{name}", language, **kwargs)


def _entries(
    paths: dict[str, str], x_default: str, lastmod: datetime | None = None
) -> list[Entry]:
    """Return one entry per language of `paths`, all naming each other."""
    alternates = (*paths.items(), ("x-default", paths[x_default]))
    return [Entry(path, alternates, lastmod) for path in paths.values()]


def _x_default(paths: dict[str, str], *preferred: str) -> str:
    """Return the first of the `preferred` languages `paths` has, else its first."""
    return next((code for code in preferred if code in paths), next(iter(paths)))


class AlternatesSitemap(Sitemap):
    """A sitemap of `Entry` items whose alternates only name pages that exist."""

    def location(self, item: Entry) -> str:
        return item.path

    def lastmod(self, item: Entry) -> datetime | None:
        return item.lastmod

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["alternates"] = [
                {"lang_code": code, "location": f"{protocol}://{domain}{path}"}
                for code, path in url["item"].alternates
            ]
        return urls


class HomeSitemap(AlternatesSitemap):
    def items(self) -> list[Entry]:
        paths = {code: _path(code, "home") for code in LANGUAGE_CODES}
        return _entries(paths, settings.LANGUAGE_CODE)


class SectionSitemap(AlternatesSitemap):
    def items(self) -> list[Entry]:
        slug_fields = [f"slug_{code}" for code in LANGUAGE_CODES]
        entries = []
        for slugs in Category.objects.order_by("position", "pk").values_list(
            *slug_fields
        ):
            paths = {
                code: _path(code, "section", slug=slug)
                for code, slug in zip(LANGUAGE_CODES, slugs, strict=True)
                if slug
            }
            if paths:
                entries += _entries(paths, _x_default(paths, settings.LANGUAGE_CODE))
        return entries


class StorySitemap(AlternatesSitemap):
    def items(self) -> list[Entry]:
        # One small query per language, through live() itself, so the
        # sitemap lists exactly what readers of each language can open.
        stories: dict[int, dict] = {}
        for code in LANGUAGE_CODES:
            rows = Article.objects.live(code).values_list(
                "pk", f"slug_{code}", "source_language", "published_at", "updated_at"
            )
            for pk, slug, source, published_at, updated_at in rows:
                story = stories.setdefault(
                    pk,
                    {
                        "newest_first": (published_at, pk),
                        "paths": {},
                        "source": source,
                        "lastmod": updated_at,
                    },
                )
                story["paths"][code] = _path(code, "detail", slug=slug)
        entries = []
        for story in sorted(
            stories.values(), key=lambda story: story["newest_first"], reverse=True
        ):
            paths = story["paths"]
            x_default = _x_default(paths, settings.LANGUAGE_CODE, story["source"])
            entries += _entries(paths, x_default, story["lastmod"])
        return entries


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "stories": StorySitemap}


@x_robots_tag
def news_sitemap(request, language: str):
    """List the stories live in `language` published in the last 48 hours."""
    check_language(language)
    keys.add(request, {keys.SITEMAPS})
    rows = (
        Article.objects.live(language)
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .newest_first()
        .values_list(f"slug_{language}", f"headline_{language}", "published_at")[
            :NEWS_LIMIT
        ]
    )
    stories = [
        {
            "location": request.build_absolute_uri(
                _path(language, "detail", slug=slug)
            ),
            "title": headline,
            "published_at": published_at,
        }
        for slug, headline, published_at in rows
    ]
    with translation.override(language):
        return render(
            request,
            "reader/news_sitemap.xml",
            {
                "stories": stories,
                "language": language,
                "publication_name": gettext("Newsroom"),
            },
            content_type="application/xml",
        )


def robots_txt(request):
    """Let crawlers in everywhere but the desk and previews; name the sitemaps."""
    sitemap_paths = [
        reverse("sitemap"),
        *(reverse("news_sitemap", kwargs={"language": c}) for c in LANGUAGE_CODES),
    ]
    return render(
        request,
        "reader/robots.txt",
        {"sitemap_urls": [request.build_absolute_uri(p) for p in sitemap_paths]},
        content_type="text/plain; charset=utf-8",
    )


def sitemap_view(request):
    """The sitemap of every reader's page, in every language it exists in."""
    keys.add(request, {keys.SITEMAPS})
    return sitemap(request, sitemaps=SITEMAPS)
