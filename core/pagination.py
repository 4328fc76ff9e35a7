"""The page numbers readers may ask for, and the lists that answer them."""

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.http import Http404

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination
    from django.views.generic.list import BaseListView

    # A mixin for ListView: typed as one, a plain class at run time.
    _ListView = BaseListView[Any]
else:
    _ListView = object

# Beyond this the database would skip hundreds of thousands of rows for one
# page, and a number of any length would overflow its OFFSET (a bigint).
# Ten thousand pages of 20 are 200,000 stories; older ones stay reachable by
# section, month archive, search and sitemap.
MAX_PAGE_NUMBER = 10_000
# ASCII digits without a sign, spaces or leading zero: one address per page.
PAGE_NUMBER = re.compile(r"[1-9][0-9]*")


def page_number(raw: str | None) -> int:
    """Return the page a `?page=` value asks for, 1 if none; else raise Http404.

    Every paginated public page reads its number here, so that no value a
    reader types reaches the database as an offset it cannot hold.
    """
    if raw is None or raw == "":
        return 1
    if not PAGE_NUMBER.fullmatch(raw) or len(raw) > len(str(MAX_PAGE_NUMBER)):
        raise Http404
    number = int(raw)
    if number > MAX_PAGE_NUMBER:
        raise Http404
    return number


class PageNumberMixin(_ListView):
    """Paginate a ListView by `page_number()`: a page that cannot exist is a 404."""

    def paginate_queryset(
        self, queryset: "_SupportsPagination[Any]", page_size: int
    ) -> "tuple[Paginator[Any], Page[Any], _SupportsPagination[Any], bool]":
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        try:
            page = paginator.page(page_number(self.request.GET.get(self.page_kwarg)))
        except InvalidPage:
            raise Http404 from None
        return paginator, page, page.object_list, page.has_other_pages()


class UncountedPage:
    """A page that knows whether more come after it without counting them all."""

    def __init__(self, stories: list[Any], number: int, per_page: int) -> None:
        self.object_list = stories[:per_page]
        self.number = number
        self.paginator = None
        self._has_next = len(stories) > per_page and number < MAX_PAGE_NUMBER

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class UncountedPaginator:
    """Paginate by fetching one story more than a page holds: no COUNT(*).

    Takes the numbers `page_number()` returns; used through PageNumberMixin.
    """

    def __init__(
        self, object_list: "_SupportsPagination[Any]", per_page: int, **kwargs: Any
    ) -> None:
        self.object_list = object_list
        self.per_page = per_page

    def page(self, number: int) -> UncountedPage:
        offset = (number - 1) * self.per_page
        stories = list(self.object_list[offset : offset + self.per_page + 1])
        if number > 1 and not stories:
            raise EmptyPage
        return UncountedPage(stories, number, self.per_page)
