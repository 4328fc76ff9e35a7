"""Content-Security-Policy and Permissions-Policy on every response.

Readers' pages get a strict policy: our own scripts, styles and pictures only,
nothing inline, frames only from the embed providers (core/embeds.py) once a
reader asks for one. The desk (the admin) gets its own, because its body editor
needs an inline import map, allowed by the request's nonce.
"""

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from js_asset import Media

from core.embeds import FRAME_ORIGINS

READER_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-src": [*FRAME_ORIGINS],
    "frame-ancestors": [NONE],
}

# The body editor (Tiptap, in django-prose-editor 0.28.0) adds its base
# stylesheet as a <style> element without a nonce: this is its hash. An upgrade
# that changes it fails test_headers.py, which prints the new one.
TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"

DESK_POLICY = {
    **READER_POLICY,
    # django-prose-editor's import map is the desk's one inline script. The
    # desk is never framed either: related-object popups are windows.
    "script-src": [SELF, NONCE],
    "style-src": [SELF, TIPTAP_STYLE_HASH],
    # The editor shows an embed as its address: no provider's frame.
    "frame-src": [SELF],
}

# Features a news site never uses, denied to our pages and anything they embed.
# Not web-share or clipboard-write: the share buttons use them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        # FLoC's, for browsers that still know it; browsing-topics replaced it.
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


def origin(url: str) -> str | None:
    """Return the scheme and host of an absolute URL, None for a path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


def policy_for(request: HttpRequest) -> dict[str, list[str] | bool]:
    """Return the directives for `request`: the desk's in the admin, else readers'."""
    is_desk = request.path.startswith(reverse("admin:index"))
    policy: dict[str, list[str] | bool] = {
        **(DESK_POLICY if is_desk else READER_POLICY)
    }
    if media_origin := origin(settings.MEDIA_URL):
        policy["img-src"] = [*policy["img-src"], media_origin]
    if settings.NEWSROOM_CSP_REPORT_URI:
        policy["report-uri"] = [settings.NEWSROOM_CSP_REPORT_URI]
    # Browsers ignore it in a report-only policy, and say so in the console.
    if (
        settings.NEWSROOM_CSP_UPGRADE_INSECURE_REQUESTS
        and not settings.NEWSROOM_CSP_REPORT_ONLY
    ):
        policy["upgrade-insecure-requests"] = True
    return policy


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Send readers' or the desk's policy, enforced or only reported.

    NEWSROOM_CSP_REPORT_ONLY chooses; a view may still change its own policy
    with django-csp's decorators.
    """

    def process_template_response(
        self, request: HttpRequest, response: SimpleTemplateResponse
    ) -> SimpleTemplateResponse:
        # The admin renders its forms' media, import map included, as `media`.
        context = response.context_data or {}
        if isinstance(context.get("media"), Media):
            context["media"] = context["media"].with_nonce(request.csp_nonce)
        return response

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only == settings.NEWSROOM_CSP_REPORT_ONLY and parts.config is None:
            parts.config = policy_for(request)
        return parts


class PermissionsPolicyMiddleware:
    """Deny every response's page the browser features a news site never uses."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
