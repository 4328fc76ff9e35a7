"""The translation desk in the admin: story states, the dashboard, the glossary.

The story admin itself is composed in `newsroom/admin.py`, from articles'
`ArticleAdmin` and `TranslationPanelMixin` below.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from articles import permissions
from articles.diffs import inline_diff
from articles.models import Article, for_editors
from core.languages import LANGUAGE_CODES, language_name
from core.users import display_name
from translations import (
    machine,
    po,
    services,
    views_machine,
    views_po,
    views_xliff,
)
from translations.dashboard import dashboard_view, export_url
from translations.glossary import glossary_problems
from translations.models import (
    GlossaryTerm,
    LanguagePolicy,
    Priority,
    TranslationState,
    TranslatorLanguage,
)
from translations.planning import my_work_view, plan_of
from translations.po.checks import markup_errors, placeholder_errors, stored_form
from translations.units import units_for
from translations.workspace import workspace_view

Status = TranslationState.Status


def state_label(state: TranslationState | None, article: Article, code: str) -> str:
    """Return how a cell reads: the state, or "source" for the story's own language."""
    if code == article.source_language:
        return pgettext("translation state", "source")
    if state is None:
        return Status.MISSING.label
    return state.get_status_display()


def language_panel(article: Article, user, site_name: str = "admin") -> list[dict]:
    """Return one row per language for the story's change form."""
    states = {
        state.language: state
        for state in TranslationState.objects.filter(article=article)
        .select_related("translated_by", "reviewed_by", "article__feature_image")
        .prefetch_related("fields")
    }
    tags = list(article.tags.all())
    can_plan = permissions.is_editor(user)
    rows = []
    for code in LANGUAGE_CODES:
        state = states.get(code)
        is_source = code == article.source_language
        changes = []
        if state is not None and not is_source and state.status == Status.OUTDATED:
            changes = [
                {
                    "label": change["unit"].label,
                    "old": change["old"],
                    "new": change["new"],
                    "diff": inline_diff(change["old"], change["new"]),
                }
                for change in services.stale_fields(state)
            ]
        rows.append(
            {
                "code": code,
                "name": language_name(code),
                "state": state,
                "status": "source"
                if is_source
                else (state.status if state else "missing"),
                "label": state_label(state, article, code),
                "is_source": is_source,
                "is_published": state is None or state.is_published,
                "is_withheld": state is not None and state.is_withheld,
                "is_live": article.is_live_in(code),
                "changes": changes,
                "can_review": not is_source
                and state is not None
                and state.status in (Status.NEEDS_REVIEW, Status.UP_TO_DATE)
                and services.can_review(user, article, code),
                "can_publish": permissions.can_publish(user),
                "can_machine_translate": not is_source
                and machine.is_enabled()
                and services.can_review(user, article, code),
                "glossary_problems": []
                if is_source
                else glossary_problems(article, code),
                "plan": plan_of(state),
                "translate_url": reverse(
                    f"{site_name}:articles_article_translate", args=[article.pk, code]
                )
                if not is_source and services.can_review(user, article, code)
                else None,
                "plan_form": AssignmentForm(
                    language=code,
                    prefix=f"plan-{code}",
                    initial={
                        "assignee": state.assignee_id if state else None,
                        "due_on": state.due_on if state else None,
                        "priority": state.priority if state else Priority.NORMAL,
                    },
                )
                if can_plan and not is_source
                else None,
                # Tags its readers do not see until someone names them.
                "unnamed_tags": [
                    for_editors(tag, "name") for tag in tags if not tag.name_in(code)
                ],
                "export_url": None
                if is_source
                else export_url(site_name, article, code),
                "xliff_export_url": None
                if is_source
                else export_url(site_name, article, code, file_format="xliff"),
            }
        )
    return rows


class _NotPost(Exception):
    pass


class AssignmentForm(forms.Form):
    """An editor's plan for one language of a story."""

    assignee = forms.ModelChoiceField(
        label=_("Translator"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nobody yet"),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        field.queryset = services.assignable_translators(language)
        field.label_from_instance = display_name  # type: ignore[method-assign]


class TranslationPanelMixin:
    """Add each language's translation state and its actions to the story admin.

    What translations contributes to the story admin editors use, composed
    with articles' `ArticleAdmin` in `newsroom/admin.py`: the states column in
    the list (in place of `languages`), one "export for translation" action per
    language, the languages panel on the change form and the review, publish
    and machine-translation views it posts to.
    """

    change_form_template = "admin/translations/article_change_form.html"

    def get_list_display(self, request):
        return [
            "translation_column" if name == "languages" else name
            for name in super().get_list_display(request)
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "translation_states",
                    queryset=TranslationState.objects.only(
                        "article",
                        "language",
                        "status",
                        "is_published",
                        "has_machine_text",
                    ),
                )
            )
        )

    @admin.display(description=_("languages"))
    def translation_column(self, obj: Article):
        states = {state.language: state for state in obj.translation_states.all()}
        marks = format_html_join(
            " ",
            '<span class="translation-state translation-{}" title="{}">{} {}</span>',
            (
                (
                    "source" if code == obj.source_language else state_status,
                    state_label(states.get(code), obj, code),
                    code,
                    STATE_MARKS[
                        "source" if code == obj.source_language else state_status
                    ],
                )
                for code in LANGUAGE_CODES
                for state_status in [
                    states[code].status if code in states else Status.MISSING
                ]
            ),
        )
        return format_html('<span class="nowrap">{}</span>', marks)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # No actions at all where Django offers none (a popup, actions = None).
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for code in LANGUAGE_CODES:
            if po.can_exchange(request.user, code):
                for kind in ("po", "xliff"):
                    action = self.get_action(f"export_{kind}_{code}")
                    actions[action[1]] = action
        return actions

    def get_action(self, action):
        # One "export for translation into …" action per language and format.
        if isinstance(action, str) and action.startswith("export_po_"):
            code = action.removeprefix("export_po_")
            if code in LANGUAGE_CODES:
                return (
                    lambda modeladmin, request, queryset: views_po.export_response(
                        request, queryset, code
                    ),
                    action,
                    gettext("Export for translation into %(language)s (PO)")
                    % {"language": language_name(code)},
                )
        if isinstance(action, str) and action.startswith("export_xliff_"):
            code = action.removeprefix("export_xliff_")
            if code in LANGUAGE_CODES:
                return (
                    lambda modeladmin, request, queryset: views_xliff.export_response(
                        request, queryset, code
                    ),
                    action,
                    gettext("Export for translation into %(language)s (XLIFF)")
                    % {"language": language_name(code)},
                )
        return super().get_action(action)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Check a translator's texts as a PO import does: the source's tags and links.

        Only a translator's, in their languages: an editor writing a story in
        two languages at once shapes each as they see fit.
        """
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user
        if obj is None or permissions.is_editor(user):
            return form
        languages = permissions.translation_languages_for(user, obj)
        if not languages:
            return form
        story = obj

        class TranslationCheckedForm(form):  # type: ignore[misc, valid-type]
            def clean(self):
                cleaned = super().clean()
                for unit in units_for(story):
                    source = stored_form(unit, unit.text(story, story.source_language))
                    for code in sorted(languages):
                        name = f"{unit.field}_{code}"
                        text = cleaned.get(name)
                        if not text or name not in self.changed_data:
                            continue
                        text = stored_form(unit, text)
                        for message in markup_errors(
                            unit, source, text
                        ) + placeholder_errors(source, text):
                            self.add_error(name, message)
                return cleaned

        return TranslationCheckedForm

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None:
            context["translation_rows"] = language_panel(
                obj, request.user, self.admin_site.name
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/translations/<str:language>/review/",
                view(self.review_view),
                name=f"{name}_translation_review",
            ),
            path(
                "<path:object_id>/translate/<str:language>/",
                view(
                    lambda request, object_id, language: workspace_view(
                        self, request, object_id, language
                    )
                ),
                name=f"{name}_translate",
            ),
            path(
                "<path:object_id>/translations/<str:language>/return/",
                view(self.return_translation_view),
                name=f"{name}_translation_return",
            ),
            path(
                "<path:object_id>/translations/<str:language>/plan/",
                view(self.plan_view),
                name=f"{name}_translation_plan",
            ),
            path(
                "<path:object_id>/translations/<str:language>/publish/",
                view(self.publish_language_view),
                name=f"{name}_translation_publish",
            ),
            path(
                "<path:object_id>/translations/<str:language>/machine/",
                view(
                    lambda request, object_id, language: (
                        views_machine.machine_translate_view(
                            self, request, object_id, language
                        )
                    )
                ),
                name=f"{name}_translation_machine",
            ),
            *super().get_urls(),
        ]

    def _posted_story(self, request, object_id) -> Article:
        if request.method != "POST":
            raise _NotPost
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _back(self, article: Article) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:articles_article_change", args=[article.pk]
            )
            + "#translations"
        )

    def review_view(self, request, object_id, language):
        try:
            article = self._posted_story(request, object_id)
        except _NotPost:
            return HttpResponseNotAllowed(["POST"])
        try:
            services.translation_review(
                article=article, language=language, user=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The %(language)s translation is approved.")
                % {"language": language_name(language)},
                messages.SUCCESS,
            )
        return self._back(article)

    def return_translation_view(self, request, object_id, language):
        """Send a translation waiting for review back, with the reviewer's note."""
        try:
            article = self._posted_story(request, object_id)
        except _NotPost:
            return HttpResponseNotAllowed(["POST"])
        try:
            services.translation_return(
                article=article,
                language=language,
                user=request.user,
                note=request.POST.get("note", "")[:2000],
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The %(language)s translation is returned to its translator.")
                % {"language": language_name(language)},
                messages.SUCCESS,
            )
        return self._back(article)

    def plan_view(self, request, object_id, language):
        """Save an editor's plan for one language: translator, due date, priority."""
        try:
            article = self._posted_story(request, object_id)
        except _NotPost:
            return HttpResponseNotAllowed(["POST"])
        if language not in LANGUAGE_CODES:
            raise Http404
        form = AssignmentForm(
            request.POST, language=language, prefix=f"plan-{language}"
        )
        if not form.is_valid():
            self.message_user(
                request,
                " ".join(
                    str(message)
                    for errors in form.errors.values()
                    for message in errors
                ),
                messages.ERROR,
            )
            return self._back(article)
        try:
            state = services.translation_assign(
                article=article,
                language=language,
                assignee=form.cleaned_data["assignee"],
                due_on=form.cleaned_data["due_on"],
                priority=form.cleaned_data["priority"],
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back(article)
        if state.assignee:
            message = gettext("%(person)s translates it into %(language)s.") % {
                "person": display_name(state.assignee),
                "language": language_name(language),
            }
        else:
            message = gettext("The %(language)s plan is saved.") % {
                "language": language_name(language)
            }
        self.message_user(request, message, messages.SUCCESS)
        return self._back(article)

    def publish_language_view(self, request, object_id, language):
        try:
            article = self._posted_story(request, object_id)
        except _NotPost:
            return HttpResponseNotAllowed(["POST"])
        is_published = request.POST.get("is_published") == "1"
        try:
            services.translation_set_published(
                article=article,
                language=language,
                user=request.user,
                is_published=is_published,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back(article)
        message = (
            gettext("The story is published in %(language)s again.")
            if is_published
            else gettext(
                "The story is unpublished in %(language)s; the other languages "
                "are unchanged."
            )
        )
        self.message_user(
            request,
            message % {"language": language_name(language)},
            messages.SUCCESS,
        )
        return self._back(article)


STATE_MARKS = {
    "source": "●",
    Status.MISSING: "—",
    Status.IN_PROGRESS: "…",
    Status.NEEDS_REVIEW: "?",
    Status.UP_TO_DATE: "✓",
    Status.OUTDATED: "!",
}


@admin.register(TranslationState)
class TranslationStateAdmin(admin.ModelAdmin):
    """The translation dashboard: stories × languages, for translators and editors."""

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return bool(
            user.is_active
            and (
                permissions.is_editor(user)
                or permissions.translator_languages(user)
                or user.has_perm("translations.view_translationstate")
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A state goes with its story: whoever may delete the story may
        # delete its states (the admin asks when it lists what a delete takes).
        return obj is not None and request.user.has_perm("articles.delete_article")

    def changelist_view(self, request, extra_context=None):
        return dashboard_view(self, request, extra_context)

    def get_urls(self):
        # Only the dashboard: states change through stories, never one by one.
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="{}_{}_changelist".format(*info)),
            path(
                "export/",
                view(lambda request: views_po.export_view(self, request)),
                name="translations_export",
            ),
            path(
                "export-xliff/",
                view(lambda request: views_xliff.export_view(self, request)),
                name="translations_export_xliff",
            ),
            path(
                "my-work/",
                view(lambda request: my_work_view(self, request)),
                name="translations_my_work",
            ),
            path(
                "import/",
                view(lambda request: views_po.import_view(self, request)),
                name="translations_import",
            ),
        ]


@admin.register(LanguagePolicy)
class LanguagePolicyAdmin(admin.ModelAdmin):
    """Per language, whether a person reviews each translation before readers see it."""

    # No list editing: the list's checkboxes would have no label of their own.
    list_display = ["language", "needs_review"]
    fields = ["language", "needs_review"]
    readonly_fields = ["language"]

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslationAdmin):
    """Names spelled one agreed way: machine translation follows, the panel checks."""

    list_display = ["name_ko", "name_ja", "name_en", "kind", "note"]
    list_filter = ["kind"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES] + ["note"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "kind", "note"],
                "description": _(
                    "Spell the name as it must appear in each language. Machine "
                    "translation uses these spellings, and a story's languages "
                    "panel flags a translation that spells a listed name "
                    "another way."
                ),
            },
        )
    ]


class TranslatorLanguageInline(admin.TabularInline):
    """The languages a person translates into, on their page in the desk."""

    model = TranslatorLanguage
    extra = 0
    verbose_name_plural = _("languages this person translates into")
