from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, override

register = template.Library()


@register.inclusion_tag("includes/_language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict:
    """Link each language to this page in that language, or to its home page.

    A page that exists only in some languages lists them as `language_urls`
    ({code: url}); a language missing from it gets its home page, marked so.
    Without `language_urls` the page is a home page, the same in every language.
    """
    current = get_language()
    page_urls: dict[str, str] | None = context.get("language_urls")
    languages = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            home_url = reverse("articles:home")
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": (page_urls or {}).get(code, home_url),
                "is_current": code == current,
                "is_home_fallback": page_urls is not None and code not in page_urls,
            }
        )
    return {"languages": languages}
