"""Production: HTTPS only, secure cookies, HSTS; behind a TLS-terminating proxy."""

from core.env import env_bool, env_int
from newsroom.settings.base import *  # noqa: F403

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers ask these over plain HTTP, behind the TLS terminator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("DJANGO_BEHIND_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Any http: address left in a story is fetched over HTTPS, never mixed content.
NEWSROOM_CSP_UPGRADE_INSECURE_REQUESTS = True

# Static files under hashed names (collectstatic writes them and a manifest),
# served by WhiteNoise from every app server with a year's immutable caching;
# a changed file gets a new name, so no cache ever serves an old one.
STORAGES = {
    **STORAGES,  # noqa: F405 - uploads on disk, or in a bucket
    "staticfiles": {"BACKEND": "newsroom.storage.StaticStorage"},
}
_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")  # noqa: F405
MIDDLEWARE = [
    *MIDDLEWARE[: _SECURITY + 1],  # noqa: F405
    # Right after SecurityMiddleware, as WhiteNoise asks.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_SECURITY + 1 :],  # noqa: F405
]
