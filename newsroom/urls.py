from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from articles.views import PreviewView

admin.site.site_header = _("Newsroom desk")
admin.site.site_title = _("Newsroom desk")
admin.site.index_title = _("Stories, sections and authors")

# "/" has no route of its own: LocaleMiddleware redirects it to the reader's
# language prefix (Accept-Language, else Korean).
urlpatterns = [
    path("admin/", admin.site.urls),
    # Outside the language prefixes: the signed token names the language.
    path("preview/<str:token>/", PreviewView.as_view(), name="preview"),
    *i18n_patterns(
        path("", include("articles.urls")),
        prefix_default_language=True,
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
