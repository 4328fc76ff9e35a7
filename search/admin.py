"""The desk's story search, composed into the story admin in newsroom/admin.py."""

from django.db.models import Q

from search.queries import admin_matches
from search.tokens import MAX_QUERY_LENGTH, parse_query


class StorySearchMixin:
    """Search the stories' words in every language, through the search index."""

    def get_search_results(self, request, queryset, search_term):
        """Return the stories whose words match; a number also finds that id."""
        term = search_term.strip()
        if not term:
            return queryset, False
        query = parse_query(term[:MAX_QUERY_LENGTH])
        found = Q(pk__in=admin_matches(query)) if query else Q(pk__in=[])
        if term.isdigit() and len(term) < 16:
            found |= Q(pk=int(term))
        return queryset.filter(found), False
