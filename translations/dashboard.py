"""The translation dashboard: every story in every language, and what it needs."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import Article, Category
from core.languages import LANGUAGE_CODES, language_name
from core.users import display_name
from tags.models import Tag, TaggedArticle, missing_name
from translations import services
from translations.models import TranslationState, WorkspaceDraft
from translations.planning import amount_label, amount_left, plan_of

Status = TranslationState.Status
PAGE_SIZE = 50


class DashboardFilterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("language"), required=False, choices=[("", _("all"))]
    )
    state = forms.ChoiceField(label=_("state"), required=False)
    section = forms.ModelChoiceField(
        label=_("section"),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("all"),
    )
    translator = forms.ModelChoiceField(
        label=_("translator"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("anyone"),
    )

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("all"))] + [
            (code, language_name(code)) for code in languages
        ]
        self.fields["state"].choices = [("", _("all")), *Status.choices]
        self.fields["translator"].queryset = (
            get_user_model()
            .objects.filter(translator_languages__isnull=False)
            .distinct()
            .order_by("username")
        )


def export_url(
    site_name: str, article: Article, language: str, *, file_format: str = "po"
) -> str | None:
    """Return the address of a one-story PO (or XLIFF) export, if this site has one."""
    name = (
        "translations_export_xliff" if file_format == "xliff" else "translations_export"
    )
    try:
        url = reverse(f"{site_name}:{name}")
    except NoReverseMatch:
        return None
    return url + "?" + urlencode({"language": language, "story": article.pk})


def count_states(states) -> dict[str, dict[str, int]]:
    """Return {language: {status: count}} over the translation rows of `states`."""
    counts: dict[str, dict[str, int]] = {code: {} for code in LANGUAGE_CODES}
    for row in (
        states.translations()
        .values("language", "status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        counts[row["language"]][row["status"]] = row["count"]
    return counts


def dashboard_view(model_admin, request, extra_context=None):
    """Show the stories × languages matrix, filtered, with counts per state."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    user = request.user
    own = sorted(permissions.translator_languages(user))
    languages = own + [code for code in LANGUAGE_CODES if code not in own]
    form = DashboardFilterForm(request.GET or None, languages=languages)
    chosen = form.cleaned_data if form.is_valid() else {}
    language, state = chosen.get("language"), chosen.get("state")
    section, translator = chosen.get("section"), chosen.get("translator")

    # Whole stories: each cell says how much of its source is left to translate.
    stories = Article.objects.select_related("category", "feature_image")
    states = TranslationState.objects.all()
    if section:
        stories = stories.filter(category=section)
        states = states.filter(article__category=section)
    if translator:
        states = states.filter(translated_by=translator)
    matching = states.translations().filter(article=OuterRef("pk"))
    if language:
        matching = matching.filter(language=language)
    if state:
        matching = matching.filter(status=state)
    if language or state or translator:
        stories = stories.filter(Exists(matching))
    stories = stories.order_by("-published_at", "-id").prefetch_related(
        Prefetch(
            "translation_states",
            queryset=TranslationState.objects.select_related(
                "translated_by", "reviewed_by", "assignee"
            ).prefetch_related("fields"),
        ),
        # The words of its links and corrections count in what is left.
        "external_links",
        "corrections",
        Prefetch(
            "workspace_drafts",
            queryset=WorkspaceDraft.objects.select_related("saved_by"),
        ),
    )
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("p"))
    shown_languages = [language] if language else languages
    rows = [_row(article, shown_languages, user) for article in page.object_list]
    counts = count_states(states)
    context = {
        "tag_gaps": _tag_gaps(languages),
        **model_admin.admin_site.each_context(request),
        **(extra_context or {}),
        "opts": model_admin.opts,
        "title": gettext("Translation dashboard"),
        "form": form,
        "languages": [(code, language_name(code)) for code in shown_languages],
        "own_languages": own,
        "rows": rows,
        "page": page,
        "page_links": _page_links(request, page),
        "count_rows": _count_rows(counts, languages, request),
        "statuses": Status.choices,
    }
    return TemplateResponse(request, "admin/translations/dashboard.html", context)


def _tag_gaps(languages: list[str]) -> list[dict]:
    """Count, per language, the tags stories carry that have no name there.

    Their readers do not see such a tag (never another language's name in
    its place): the desk sees how many wait, and translators name them.
    """
    used = Tag.objects.filter(Exists(TaggedArticle.objects.filter(tag=OuterRef("pk"))))
    counts = used.aggregate(
        **{code: Count("pk", filter=missing_name(code)) for code in languages}
    )
    changelist = reverse("admin:tags_tag_changelist")
    return [
        {
            "code": code,
            "count": counts[code],
            "url": f"{changelist}?{urlencode({'missing': code})}",
        }
        for code in languages
    ]


def _row(article: Article, languages: list[str], user) -> dict:
    states = {state.language: state for state in article.translation_states.all()}
    drafts = {draft.language: draft for draft in article.workspace_drafts.all()}
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    cells = []
    for code in languages:
        state = states.get(code)
        is_source = code == article.source_language
        status = "source" if is_source else (state.status if state else Status.MISSING)
        cells.append(
            {
                "code": code,
                "status": status,
                "label": pgettext("translation state", "source")
                if is_source
                else (state.get_status_display() if state else Status.MISSING.label),
                "state": state,
                "is_source": is_source,
                "is_withheld": state is not None and state.is_withheld,
                "export_url": None if is_source else export_url("admin", article, code),
                "xliff_export_url": None
                if is_source
                else export_url("admin", article, code, file_format="xliff"),
                "plan": plan_of(state),
                "draft_by": display_name(drafts[code].saved_by)
                if code in drafts
                else "",
                "translate_url": reverse(
                    "admin:articles_article_translate", args=[article.pk, code]
                )
                if not is_source and services.can_review(user, article, code)
                else None,
                "left": amount_label(amount, article.source_language)
                if (amount := amount_left(article, state))
                else "",
                "review_url": reverse(
                    "admin:articles_article_translation_review",
                    args=[article.pk, code],
                )
                if state is not None
                and status == Status.NEEDS_REVIEW
                and services.can_review(user, article, code)
                else None,
            }
        )
    return {"article": article, "change_url": change_url, "cells": cells}


def _page_links(request, page) -> dict:
    def link(number):
        query = request.GET.copy()
        query["p"] = number
        return "?" + query.urlencode()

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def _count_rows(counts, languages, request) -> list[dict]:
    rows = []
    for status, label in Status.choices:
        cells = []
        for code in languages:
            query = request.GET.copy()
            query.pop("p", None)
            query["language"], query["state"] = code, status
            cells.append(
                {"count": counts[code].get(status, 0), "url": "?" + query.urlencode()}
            )
        rows.append({"status": status, "label": label, "cells": cells})
    return rows
