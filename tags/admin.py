from importlib import import_module

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from taggit.models import Tag as TaggitTag

from core.languages import LANGUAGE_CODES, language_name
from tags.models import (
    MAX_NAME_LENGTH,
    Tag,
    any_key,
    missing_name,
    normalize_key,
    normalize_name,
)

# Our translated tags.Tag replaces taggit's own tag model in the admin. Its
# registration is imported first: the wiring may import this module before
# admin autodiscovery reaches taggit.
import_module("taggit.admin")
admin.site.unregister(TaggitTag)

MAX_SUGGESTIONS = 20


class MissingNameFilter(admin.SimpleListFilter):
    """Tags with no name yet in a language: its readers do not see them."""

    title = _("name missing in")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, language_name(code)) for code in LANGUAGE_CODES]

    def queryset(self, request, queryset):
        if self.value() in LANGUAGE_CODES:
            return queryset.filter(missing_name(self.value()))
        return queryset


class TagAdmin(TabbedTranslationAdmin):
    """The tags: registered by the wiring (newsroom/admin.py) with the desk's rights."""

    list_display = [*(f"name_{code}" for code in LANGUAGE_CODES), "article_count"]
    list_display_links = [f"name_{code}" for code in LANGUAGE_CODES]
    list_filter = [MissingNameFilter]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES]
    fields = ["name", "slug"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("tagged_articles"))
        )

    def get_urls(self):
        return [
            path(
                "autocomplete-names/",
                self.admin_site.admin_view(self.autocomplete_names),
                name="tags_tag_autocomplete_names",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("stories"), ordering="article_count")
    def article_count(self, obj: Tag) -> int:
        return obj.article_count

    def autocomplete_names(self, request: HttpRequest) -> JsonResponse:
        """Suggest the tags that have `term` in a name, in any language."""
        term = normalize_name(request.GET.get("term", ""))[:MAX_NAME_LENGTH]
        if not term:
            return JsonResponse({"results": []})
        names = Q()
        for code in LANGUAGE_CODES:
            names |= Q(**{f"name_{code}__icontains": term})
        tags = (
            Tag.objects.filter(names | any_key("contains", normalize_key(term)))
            .annotate(uses=Count("tagged_articles"))
            .order_by("-uses", "pk")[:MAX_SUGGESTIONS]
        )
        language = get_language()
        return JsonResponse(
            {
                "results": [
                    {
                        "name": tag.display_name(language),
                        "names": {code: tag.name_in(code) for code in LANGUAGE_CODES},
                    }
                    for tag in tags
                ]
            }
        )
