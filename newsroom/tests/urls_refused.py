"""The site's URLs and one reader page that refuses everyone."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.urls import path

from newsroom import urls as site_urls


def refused(request):
    raise PermissionDenied


handler403 = site_urls.handler403
urlpatterns = [
    *i18n_patterns(path("refused/", refused), prefix_default_language=True),
    *site_urls.urlpatterns,
]
