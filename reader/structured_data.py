"""Schema.org NewsArticle for a story page, in the page's language only."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles.models import Article
from core.languages import LANGUAGE_CODES

# IPTC Digital Source Type terms; schema.org has no property of its own for AI
# use, so the same vocabulary marks the text and the picture.
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
AI_SOURCE_TYPES = {
    Article.AIUse.ASSISTED: IPTC + "compositeWithTrainedAlgorithmicMedia",
    Article.AIUse.GENERATED: IPTC + "trainedAlgorithmicMedia",
}


def news_article(article: Article, request, language: str) -> dict:
    """Return the NewsArticle of `article` as readers of `language` see it."""
    absolute = request.build_absolute_uri
    url = absolute(article.get_absolute_url(language))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.headline,
        "inLanguage": language,
        "datePublished": article.published_at,
        # When this language's text last changed (`with_edition()`).
        "dateModified": max(
            getattr(article, "edition_changed_at", None) or article.updated_at,
            article.published_at,
        ),
        # A draft seen in preview may have no section yet.
        "articleSection": article.category.name if article.category else None,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute(author.get_absolute_url(language)),
            }
            for author in article.byline_authors()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": gettext("Newsroom"),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(static("img/favicon.svg")),
            },
        },
    }
    if article.dek:
        data["description"] = article.dek
    if tags := [
        tag.name_in(language) for tag in article.tags.all() if tag.name_in(language)
    ]:
        data["keywords"] = tags
    if image := article.feature_image:
        picture = {
            "@type": "ImageObject",
            "url": absolute(image.file.url),
            "width": image.width,
            "height": image.height,
        }
        # The story's own words for its picture, else the library's.
        words = article.feature_words(language)
        if words["caption"]:
            picture["caption"] = words["caption"]
        if words["credit"]:
            picture["creditText"] = words["credit"]
        if image.licence:
            picture["copyrightNotice"] = image.licence
        if image.is_ai_generated:
            picture["digitalSourceType"] = AI_SOURCE_TYPES[Article.AIUse.GENERATED]
        data["image"] = [picture]
    if article.ai_use in AI_SOURCE_TYPES:
        data["digitalSourceType"] = AI_SOURCE_TYPES[article.ai_use]
    if citations := [
        {
            "@type": "CreativeWork",
            "name": source.title or source.publisher,
            "url": source.url,
            "publisher": {"@type": "Organization", "name": source.publisher},
            **({"inLanguage": source.language} if source.language else {}),
            **({"datePublished": source.published_on} if source.published_on else {}),
        }
        for source in article.sources.all()
    ]:
        data["citation"] = citations
    data.update(_translations(article, language, absolute))
    return data


def _translations(article: Article, language: str, absolute) -> dict:
    """Link the language versions: the original lists its translations, and back."""
    live = [code for code in LANGUAGE_CODES if article.is_live_in(code)]

    def version(code: str) -> dict:
        url = absolute(article.get_absolute_url(code))
        return {"@type": "NewsArticle", "@id": url, "url": url, "inLanguage": code}

    if language == article.source_language:
        others = [version(code) for code in live if code != language]
        return {"workTranslation": others} if others else {}
    if article.source_language in live:
        return {"translationOfWork": version(article.source_language)}
    return {}


def as_script(data: dict) -> SafeString:
    """Return `data` in a JSON-LD script element, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = text.translate(_json_script_escapes)
    return mark_safe(  # noqa: S308 - <, > and & are escaped above
        f'<script type="application/ld+json">{escaped}</script>'
    )
