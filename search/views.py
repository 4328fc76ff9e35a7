"""The reader's search page: one language's live stories, ranked or newest first."""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Category
from core.languages import LANGUAGE_CODES
from core.pagination import MAX_PAGE_NUMBER, page_number
from frontcache import keys
from search.queries import Filters, search_live
from search.tokens import MAX_QUERY_LENGTH, parse_query
from tags.models import Tag

SNIPPET_BEFORE, SNIPPET_AFTER = 40, 110
# The dates a search may name. Every story falls well inside them, so a date
# outside is a slip of the keyboard; and near the calendar's ends the bounds
# the search needs (the day's start in the newsroom's time zone, the day after
# "until") do not exist in Python or SQLite.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("relevance", _("Most relevant")), ("newest", _("Newest first"))],
    )
    section = forms.ChoiceField(label=_("Section"), required=False)
    tag = forms.CharField(
        label=_("Tag"),
        required=False,
        max_length=100,
        help_text=_("A tag's name in any language."),
    )
    author = forms.ChoiceField(label=_("Author"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("All sections"))] + [
            (slug, name)
            for slug, name in Category.objects.values_list(
                f"slug_{language}", f"name_{language}"
            )
            if slug
        ]
        self.fields["author"].choices = [("", _("Any author"))] + [
            (slug, name)
            for slug, name in Author.objects.values_list("slug", f"name_{language}")
            if name
        ]
        for name in ("since", "until"):
            self.fields[name].widget = forms.DateInput(
                attrs={
                    "type": "date",
                    "min": EARLIEST_DATE.isoformat(),
                    "max": LATEST_DATE.isoformat(),
                }
            )

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if len(text) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                gettext(
                    "Your search is %(length)s characters long; shorten it to "
                    "%(limit)s at most."
                ),
                params={"length": len(text), "limit": MAX_QUERY_LENGTH},
            )
        return text

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if any(
            day and not EARLIEST_DATE <= day <= LATEST_DATE for day in (since, until)
        ):
            raise forms.ValidationError(
                gettext("Choose dates between %(earliest)s and %(latest)s."),
                params={
                    "earliest": date_format(EARLIEST_DATE),
                    "latest": date_format(LATEST_DATE),
                },
            )
        if since and until and since > until:
            raise forms.ValidationError(
                gettext("The start date comes after the end date.")
            )
        return cleaned


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_view(request):
    """Show the search form and, for a query, one page of matching stories."""
    language = get_language()
    # Purged with every change of a live story (reader/purges.py).
    keys.add(request, {keys.SEARCH})
    form = SearchForm(request.GET or None, language=language)
    context = {"form": form, "query": "", "articles": [], "total": 0}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        query = parse_query(data["q"])
        filters = _filters(data, language)
        context["query"] = data["q"]
        context["has_words"] = bool(query)
        if query:
            number = page_number(request.GET.get("page"))
            per_page = settings.NEWSROOM_PAGE_SIZE
            ids, total = search_live(
                query,
                language=language,
                order=data.get("order") or "relevance",
                filters=filters,
                limit=per_page,
                offset=(number - 1) * per_page,
            )
            if number > 1 and not ids:
                raise Http404
            # Its snippets come from the body, which cards leave out.
            stories = Article.objects.with_cards().defer(None).in_bulk(ids)
            articles = [stories[pk] for pk in ids if pk in stories]
            for article in articles:
                article.headline_marked = highlight(article.headline, query.terms)
                article.snippet = snippet(article, query.terms)
            # "More than N": pages go on while they come back full.
            known = total if total.exact else offset_end(number, per_page, ids)
            paginator = Paginator(range(known), per_page)
            context.update(
                articles=articles,
                total=total,
                page_obj=paginator.get_page(number),
                page_links=_page_links(request, number, paginator),
            )
    context["language_urls"] = {
        code: _search_url_in(code, request) for code in LANGUAGE_CODES
    }
    return render(request, "search/search.html", context)


def _filters(data, language) -> Filters:
    filters = Filters()
    if data.get("section"):
        section = Category.objects.filter(**{f"slug_{language}": data["section"]})
        filters.section = section.values_list("pk", flat=True).first() or -1
    if name := data.get("tag", "").strip():
        # A name typed in any language, or a tag page's slug.
        tag = (
            Tag.objects.matching(name).first()
            or Tag.objects.filter(**{f"slug_{language}": name}).first()
        )
        filters.tag = tag.pk if tag else -1
    if slug := data.get("author"):
        filters.author = (
            Author.objects.filter(slug=slug).values_list("pk", flat=True).first() or -1
        )
    if data.get("since"):
        filters.since = _day_start(data["since"])
    if data.get("until"):
        filters.until = _day_start(data["until"] + timedelta(days=1))
    return filters


def offset_end(page_number: int, per_page: int, ids: list[int]) -> int:
    """Return how many results there are at least, one more if this page is full."""
    shown = (page_number - 1) * per_page + len(ids)
    return shown + 1 if len(ids) == per_page else shown


def _page_links(request, number: int, paginator) -> dict:
    def link(page):
        query = request.GET.copy()
        query["page"] = page
        return "?" + query.urlencode()

    return {
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1)
        if number < min(paginator.num_pages, MAX_PAGE_NUMBER)
        else None,
    }


def _search_url_in(language: str, request) -> str:
    with translation.override(language):
        url = reverse("search:search")
    q = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    return f"{url}?{urlencode({'q': q})}" if q else url


def _term_pattern(terms) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = sorted((re.escape(term) for term in terms), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, terms) -> SafeString:
    """Return `text`, escaped, with the searched words in <mark>."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def snippet(article: Article, terms) -> SafeString:
    """Return the body around the first searched word, marked; else the dek."""
    text = " ".join(strip_tags(article.body or "").split())
    pattern = _term_pattern(terms)
    match = pattern.search(text) if pattern else None
    if match is None:
        return highlight(article.feature_text or article.dek or text[:150], terms)
    start = max(0, match.start() - SNIPPET_BEFORE)
    end = min(len(text), match.end() + SNIPPET_AFTER)
    marked = highlight(text[start:end], terms)
    return mark_safe(  # noqa: S308 - highlight() escapes
        ("… " if start else "") + marked + (" …" if end < len(text) else "")
    )
