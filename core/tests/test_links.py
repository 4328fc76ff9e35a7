import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix
from django.utils import translation

from core.links import slug_url

SLUGS = [
    "bench-ko-1",
    "서울-지하철-심야-운행-1시간-연장",
    "東京都-猛暑で-警戒-を発令",
    "ラーメン_ー",
    "under_score-2026",
]


@pytest.mark.parametrize("name", ["reader:detail", "reader:section", "reader:tag"])
@pytest.mark.parametrize("language", ["ko", "ja", "en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_an_address_by_slug_is_the_one_reverse_gives(name, language, slug):
    with translation.override(language):
        expected = reverse(name, kwargs={"slug": slug})
    with translation.override("ko"):
        assert slug_url(name, slug, language) == expected
    with translation.override(language):
        assert slug_url(name, slug) == expected


@pytest.mark.parametrize("slug", ["", "no spaces", "a/b", "100%"])
def test_a_slug_the_route_refuses_is_refused_as_reverse_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("reader:detail", slug, "ko")


def test_an_address_follows_the_script_prefix_it_is_served_under():
    before = get_script_prefix()
    try:
        set_script_prefix("/news/")
        assert slug_url("reader:detail", "a-story", "en") == "/news/en/stories/a-story/"
    finally:
        set_script_prefix(before)
    assert slug_url("reader:detail", "a-story", "en") == "/en/stories/a-story/"


@override_settings(ROOT_URLCONF="core.tests.urls_elsewhere")
def test_an_address_follows_a_changed_url_configuration():
    assert slug_url("reader:detail", "a-story", "en") == "/elsewhere/a-story/"
