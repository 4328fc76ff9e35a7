from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, override

from core.languages import LANGUAGE_CODES
from core.text import excerpt

register = template.Library()

OG_LOCALES = {"ko": "ko_KR", "ja": "ja_JP", "en": "en_US"}


def page_languages(context: template.Context) -> list[dict]:
    """Return, for each language, where this page is in it, or its home page.

    A page that exists only in some languages lists them as `language_urls`
    ({code: url}); a language missing from it gets its home page, marked so.
    Without `language_urls` the page is a home page, the same in every language.
    """
    current = get_language()
    page_urls: dict[str, str] | None = context.get("language_urls")
    languages = []
    for code in LANGUAGE_CODES:
        with override(code):
            home_url = reverse("reader:home")
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": (page_urls or {}).get(code, home_url),
                "is_current": code == current,
                "is_home_fallback": page_urls is not None and code not in page_urls,
            }
        )
    return languages


@register.inclusion_tag("includes/_language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict:
    """Link each language to this page in that language, or to its home page."""
    return {"languages": page_languages(context), "current_language": get_language()}


@register.inclusion_tag("includes/_head_links.html", takes_context=True)
def head_links(context: template.Context) -> dict:
    """Return the canonical address and the hreflang alternates of this page.

    Alternates list only the languages the page exists in, each answering 200;
    x-default is the Korean version, else the first one there is.
    """
    request = context["request"]
    alternates = [
        {"code": language["code"], "url": request.build_absolute_uri(language["url"])}
        for language in page_languages(context)
        if not language["is_home_fallback"]
    ]
    by_code = {alternate["code"]: alternate["url"] for alternate in alternates}
    page = context.get("page_obj")
    canonical = request.build_absolute_uri(request.path)
    if page is not None and page.number > 1:
        canonical += f"?page={page.number}"
    return {
        "canonical": canonical,
        "alternates": alternates,
        "x_default": by_code.get(settings.LANGUAGE_CODE)
        or next(iter(by_code.values()), None),
        "og_locale": OG_LOCALES.get(get_language(), ""),
        "og_alternates": [
            OG_LOCALES[code] for code in by_code if code != get_language()
        ],
    }


@register.filter(name="excerpt")
def excerpt_filter(text: str, limit: int) -> str:
    """Cut `text` for the active language: {{ article.dek|excerpt:160 }}."""
    return excerpt(text, int(limit), get_language())
