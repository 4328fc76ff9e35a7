"""Lead a reader from an archive's old address to the story's page (301)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect

from imports.models import OldAddress


class OldAddressMiddleware:
    """Answer an address no route knows with a 301 to its imported story.

    Only where the site would answer 404, and only to a story readers of its
    language may see now: an unpublished story's old address stays a 404.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        path = request.path
        other = path[:-1] if path.endswith("/") else path + "/"
        found = (
            OldAddress.objects.filter(path__in=[path, other])
            .select_related("article")
            .first()
        )
        if found is None or not found.article.is_live_in(found.language):
            return response
        return HttpResponsePermanentRedirect(
            found.article.get_absolute_url(found.language)
        )
