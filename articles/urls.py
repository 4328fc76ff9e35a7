from django.urls import path, register_converter

from articles import views
from articles.converters import UnicodeSlugConverter
from articles.feeds import (
    LatestStoriesAtomFeed,
    LatestStoriesFeed,
    SectionAtomFeed,
    SectionFeed,
)
from articles.sharecards import share_card_view
from articles.views_reads import record_read
from articles.views_search import search_view

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("stories/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("stories/<uslug:slug>/card/", share_card_view, name="share_card"),
    path("sections/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path(
        "archive/<int:year>/<int:month>/",
        views.MonthArchiveView.as_view(),
        name="archive",
    ),
    path("feeds/rss.xml", LatestStoriesFeed(), name="feed_rss"),
    path("feeds/atom.xml", LatestStoriesAtomFeed(), name="feed_atom"),
    path("sections/<uslug:slug>/rss.xml", SectionFeed(), name="section_feed_rss"),
    path("sections/<uslug:slug>/atom.xml", SectionAtomFeed(), name="section_feed_atom"),
    path("reads/", record_read, name="read"),
    path("search/", search_view, name="search"),
]
