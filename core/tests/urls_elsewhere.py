from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def story(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


reader = ([path("elsewhere/<slug:slug>/", story, name="detail")], "reader")
urlpatterns = [path("", include(reader))]
