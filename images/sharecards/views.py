"""The card view: crawlers follow it to the story's current card."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from articles.models import Article
from images.sharecards.storage import share_card

# How long a crawler may keep the redirect to the current card.
CARD_REDIRECT_MAX_AGE = 600


@require_safe
def share_card_view(request, slug: str):
    """Send crawlers to the live story's current card (drawn now if stale)."""
    language = translation.get_language()
    article = get_object_or_404(
        Article.objects.live(language).select_related("feature_image"),
        **{f"slug_{language}": slug},
    )
    card = share_card(article, language)
    if card is None:
        raise Http404
    response = HttpResponseRedirect(card.file.url)
    patch_cache_control(response, public=True, max_age=CARD_REDIRECT_MAX_AGE)
    return response
