"""Signed, expiring links that show an unpublished story in one language."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from articles.models import Article
from core.languages import LANGUAGE_CODES

SALT = "articles.preview"


class PreviewLinkExpired(Exception):
    """The link was genuine but is older than NEWSROOM_PREVIEW_MAX_AGE."""


def preview_url(article: Article, language: str) -> str:
    token = signing.dumps({"article": article.pk, "language": language}, salt=SALT)
    return reverse("preview", kwargs={"token": token})


def read_preview_token(token: str) -> tuple[int, str]:
    """Return (article id, language) from a token, or raise.

    Raises PreviewLinkExpired for an old link and signing.BadSignature for
    anything that was not made by preview_url.
    """
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.NEWSROOM_PREVIEW_MAX_AGE
        )
    except signing.SignatureExpired:
        raise PreviewLinkExpired from None
    if not isinstance(data, dict) or data.get("language") not in LANGUAGE_CODES:
        raise signing.BadSignature("malformed preview token")
    return int(data["article"]), data["language"]
