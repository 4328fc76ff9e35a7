from django.urls import path, register_converter

from articles import views
from articles.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("stories/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
