import pytest
from django.http import Http404

from core.pagination import MAX_PAGE_NUMBER, UncountedPage, page_number


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 1), ("", 1), ("1", 1), ("27", 27), ("10000", 10_000)]
)
def test_a_page_number_is_read_from_plain_digits(raw, expected):
    assert page_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["10001", "9" * 5000, "0", "00", "-1", "1.0", "1e3", "١", "1 ", "x"]
)
def test_any_other_page_number_is_a_404(raw):
    with pytest.raises(Http404):
        page_number(raw)


def test_the_last_page_a_reader_may_ask_for_offers_no_next_one():
    stories = list(range(21))
    assert UncountedPage(stories, MAX_PAGE_NUMBER - 1, 20).has_next()
    assert not UncountedPage(stories, MAX_PAGE_NUMBER, 20).has_next()
