"""The endpoint the story page's script calls to count a read."""

import re

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
)
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article
from reader.readership import story_read_record

# A positive id that fits the BigAutoField: a longer number is refused, not
# handed to the database to overflow.
ARTICLE_ID = re.compile(r"[1-9][0-9]{0,17}")


def client_address(request) -> str:
    """Return the reader's address, past NEWSROOM_TRUSTED_PROXIES proxies of ours.

    Each proxy appends the address it saw to X-Forwarded-For; only the entries
    our own proxies added can be trusted, counted from the right.
    """
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    forwarded = [
        part.strip()
        for part in request.headers.get("X-Forwarded-For", "").split(",")
        if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


# Exempt from CSRF: readers' pages set no cookie, so there is no token to send,
# and the view reads no session or user. A forged cross-site request can only
# add a read, as anyone may by calling it directly, and goes through the same
# bot filter and dedupe.
@csrf_exempt
@cache_control(no_store=True)
@require_POST
def record_read(request):
    """Count one read of a live story in the URL's language; answer 204.

    Requests from bots, repeated by a reader or beyond an address's hourly
    reads are answered the same way but not counted. The session is never
    touched, so no cookie is set.
    """
    raw_id = request.POST.get("article", "")
    if not ARTICLE_ID.fullmatch(raw_id):
        return HttpResponseBadRequest()
    language = get_language()
    article_id = int(raw_id)
    if not Article.objects.live(language).filter(pk=article_id).exists():
        return HttpResponseNotFound()
    story_read_record(
        article_id=article_id,
        language=language,
        ip=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return HttpResponse(status=204)
