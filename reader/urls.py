from django.urls import path, register_converter

from images.sharecards import share_card_view
from reader import views
from reader.converters import UnicodeSlugConverter
from reader.feeds import (
    LatestStoriesAtomFeed,
    LatestStoriesFeed,
    SectionAtomFeed,
    SectionFeed,
)
from reader.views_reads import record_read

register_converter(UnicodeSlugConverter, "uslug")

app_name = "reader"
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
]
