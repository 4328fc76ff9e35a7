from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from core.languages import LANGUAGE_CODES
from newsroom import health
from newsroom.metrics import metrics_view
from newsroom.views import set_language
from reader.sitemaps import news_sitemap, robots_txt, sitemap_view
from reader.views import PreviewView

admin.site.site_header = _("Newsroom desk")
admin.site.site_title = _("Newsroom desk")
admin.site.index_title = _("Stories, sections and authors")

# A refusal gets the desk's or the site's page; a database that cannot be
# reached answers 503 with Retry-After instead of a 500 (newsroom/views.py).
handler403 = "newsroom.views.permission_denied"
handler500 = "newsroom.views.server_error"

# "/" has no route of its own: LocaleMiddleware redirects it to the reader's
# language prefix (Accept-Language, else Korean).
urlpatterns = [
    # The picture library had the stories' address in the desk until it
    # became an app of its own: bookmarks keep working.
    re_path(
        r"^admin/articles/image/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/images/image/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # The desk chooses the admin's language (Django's set_language view,
    # which also keeps it as the language of the person's e-mails).
    path("i18n/setlang/", set_language, name="set_language"),
    # Outside the language prefixes: the signed token names the language.
    path("preview/<str:token>/", PreviewView.as_view(), name="preview"),
    # For load balancers and supervisors (newsroom/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Prometheus, when NEWSROOM_METRICS is on (newsroom/metrics.py).
    path("metrics", metrics_view, name="metrics"),
    # Crawlers look for these at the root, whatever the language.
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    re_path(
        rf"^news-sitemap-(?P<language>{'|'.join(LANGUAGE_CODES)})\.xml$",
        news_sitemap,
        name="news_sitemap",
    ),
    *i18n_patterns(
        path("", include("reader.urls")),
        path("", include("search.urls")),
        prefix_default_language=True,
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
