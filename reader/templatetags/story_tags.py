from urllib.parse import urlencode

from django import template
from django.utils.translation import get_language

from reader.structured_data import as_script, news_article

register = template.Library()


@register.inclusion_tag("reader/includes/_share.html", takes_context=True)
def share_links(context: template.Context, article) -> dict:
    """Offer plain share links: no third-party script, no request before a click."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    title = article.headline
    return {
        "url": url,
        "links": [
            (
                "x",
                "X",
                "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
            ),
            (
                "facebook",
                "Facebook",
                "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            ),
            (
                "line",
                "LINE",
                "https://social-plugins.line.me/lineit/share?"
                + urlencode({"url": url}),
            ),
            (
                "email",
                None,
                "mailto:?"
                + urlencode({"subject": title, "body": url}).replace("+", "%20"),
            ),
        ],
        "title": title,
    }


@register.simple_tag(takes_context=True)
def story_json_ld(context: template.Context, article):
    """Describe the story for search engines (schema.org NewsArticle)."""
    return as_script(news_article(article, context["request"], get_language()))
