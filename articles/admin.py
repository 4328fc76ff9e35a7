import copy

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from reversion.models import Version

from articles import (
    autosave,
    desk,
    diffs,
    permissions,
    presence,
    revisions,
    services,
)
from articles.models import (
    Article,
    Author,
    Byline,
    Category,
    Correction,
    Series,
)
from articles.preview import preview_url
from core.languages import LANGUAGE_CODES
from related.admin import ExternalLinkInline, RelatedArticleInline, SourceInline


class StoryPartInlineMixin:
    """Let only those who may change the story as a whole change its parts."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(
            request, obj
        ) and permissions.can_edit_content(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(
            request, obj
        ) and permissions.can_edit_content(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(
            request, obj
        ) and permissions.can_edit_content(request.user, obj)


class BylineInline(StoryPartInlineMixin, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


class StorySourceInline(StoryPartInlineMixin, SourceInline):
    pass


class StoryRelatedArticleInline(StoryPartInlineMixin, RelatedArticleInline):
    pass


class StoryExternalLinkInline(StoryPartInlineMixin, ExternalLinkInline):
    pass


class CorrectionInline(StoryPartInlineMixin, TranslationStackedInline):
    model = Correction
    extra = 0
    fields = ["corrected_at", "text"]


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES]


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ["name", "email"]
    search_fields = [f"name_{code}" for code in LANGUAGE_CODES] + ["email"]


@admin.register(Series)
class SeriesAdmin(TabbedTranslationAdmin):
    list_display = ["title", "slug"]
    search_fields = [f"title_{code}" for code in LANGUAGE_CODES]


class MinorEditField(forms.BooleanField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label=_("Minor edit"),
            help_text=_(
                "Tick for a typo or punctuation fix in the source text: its "
                "translations stay up to date instead of becoming outdated."
            ),
            **kwargs,
        )


class LoadedVersionField(forms.IntegerField):
    """The version of the story or picture the form was opened at (hidden)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, min_value=1, **kwargs)


class VersionedFormMixin:
    """Require `loaded_version` to change a stored object; say so at the top.

    A hidden field's own error would show nowhere, so a form without its
    version (forged, or cut short) gets one clear error above the fields.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["loaded_version"]
        field.required = self.instance.pk is not None
        field.initial = self.instance.version if self.instance.pk else None

    def add_error(self, field, error):
        if field == "loaded_version":
            field, error = (
                None,
                ValidationError(
                    gettext(
                        "This form does not say which version it was opened at, "
                        "so saving it could overwrite someone else's changes. "
                        "Nothing was saved: open the page again and redo your "
                        "changes there."
                    ),
                    code="no_version",
                ),
            )
        super().add_error(field, error)


def open_saved_version_link(url: str, explanation: str) -> str:
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        explanation,
        url,
        gettext("Open the version they saved in a new tab"),
    )


class FieldRightsMixin:
    """Show read-only every field the person may not change, as permissions say.

    `editable_fields` returns the fields they may change (None: all);
    `form_only_fields` are the form's own fields, never read-only.
    """

    form_only_fields: tuple[str, ...] = ()

    def editable_fields(self, request, obj) -> set[str] | None:
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        allowed = self.editable_fields(request, obj)
        if allowed is None:
            return readonly
        shown = flatten_fieldsets(super().get_fieldsets(request, obj))
        return readonly + [
            name
            for name in shown
            if name not in allowed
            and name not in readonly
            and name not in self.form_only_fields
        ]


class TagRightsMixin(FieldRightsMixin):
    """The tag admin as the desk's roles allow: translators name their languages only.

    Composed into tags' TagAdmin by the wiring (newsroom/admin.py): tags
    knows nothing of roles.
    """

    def editable_fields(self, request, obj) -> set[str] | None:
        return permissions.tag_editable_fields(request.user)


LONG_TEXT_FIELDS = [
    f"{field}_{code}"
    for field in ("dek", "feature_text", "body", "key_points")
    for code in LANGUAGE_CODES
] + ["dek", "feature_text", "body", "key_points"]


class StoryChangeList(ChangeList):
    """The story list shows headlines only: it leaves every long text behind."""

    def get_queryset(self, request, exclude_parameters=None):
        return (
            super().get_queryset(request, exclude_parameters).defer(*LONG_TEXT_FIELDS)
        )


class QueueFilter(admin.SimpleListFilter):
    """The desk front page's queues, as the person sees them (articles/desk.py)."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            (key, label) for key, label, _urgent in desk.visible_queues(request.user)
        ]

    def queryset(self, request, queryset):
        keys = [key for key, _label, _urgent in desk.visible_queues(request.user)]
        if self.value() not in keys:
            return queryset
        return queryset.filter(desk.queue_q(self.value(), request.user))


class DeskStateFilter(admin.SimpleListFilter):
    """Where a story stands for the desk: a scheduled story is not out yet."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("draft")),
            ("in_review", _("in review")),
            ("scheduled", _("scheduled")),
            ("embargoed", _("embargoed")),
            ("live", _("published")),
            ("unpublished", _("unpublished")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.scheduled()
            case "embargoed":
                return queryset.embargoed()
            case "live":
                return queryset.out()
            case "draft" | "in_review" | "unpublished" as status:
                return queryset.filter(status=status)
        return queryset


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing a language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        code = self.value()
        if code not in LANGUAGE_CODES:
            return queryset
        headline, body = f"headline_{code}", f"body_{code}"
        return queryset.filter(
            Q(**{headline: ""})
            | Q(**{f"{headline}__isnull": True})
            | Q(**{body: ""})
            | Q(**{f"{body}__isnull": True})
        )


class ArticleAdminForm(VersionedFormMixin, forms.ModelForm):
    """The story form; it refuses to overwrite a version saved since it was opened.

    The action bar's buttons post `_workflow`: "submit" sends the story to
    review, "publish" publishes it now or schedules it for the time set. The
    status they ask for is validated like a status chosen in the form.
    """

    loaded_version = LoadedVersionField()
    minor_edit = MinorEditField()
    # Set by ArticleAdmin.get_form: the button pressed and who pressed it.
    workflow: str | None = None
    may_publish = False

    def clean(self):
        cleaned = super().clean()
        if self.workflow == "submit":
            cleaned["status"] = Article.Status.IN_REVIEW
        elif self.workflow == "publish":
            if not self.may_publish:
                raise ValidationError(
                    gettext("You may not publish or unpublish stories."),
                    code="no_publish",
                )
            cleaned["status"] = Article.Status.PUBLISHED
        loaded = cleaned.get("loaded_version")
        if self.instance.pk is None or loaded is None:
            return cleaned
        # The service's check, made first to show a conflict as the form's
        # error. The admin wraps the whole request in a transaction: the row
        # stays locked until this save is done, so nobody slips in between.
        try:
            services.article_check_version(article=self.instance, loaded_version=loaded)
        except services.EditConflict as conflict:
            current = conflict.current
            explanation = gettext(
                "%(who)s saved this story at %(when)s, after you opened it. Your "
                "changes were not saved, so nothing was overwritten: copy them "
                "into the version they saved and save there."
            ) % {
                "who": current.updated_by or gettext("Someone"),
                "when": formats.date_format(
                    current.updated_at.astimezone(), "DATETIME_FORMAT"
                ),
            }
            raise ValidationError(
                open_saved_version_link(
                    reverse("admin:articles_article_change", args=[current.pk]),
                    explanation,
                ),
                code="edit_conflict",
            ) from None
        return cleaned


class ArticleAdmin(FieldRightsMixin, TabbedTranslationAdmin):
    """The desk's story admin, without what other apps add to it.

    Registered once, composed with the translations panel, in
    `newsroom/admin.py`.
    """

    # A long form: its save buttons stand above it too, in view on opening.
    save_on_top = True

    class Media:
        # Counts under the headline, dek and body (share card, search snippet);
        # the heartbeat that tells others who has the story open.
        js = ["js/desk_counters.js", "js/desk_presence.js", "js/desk_autosave.js"]

    list_display = [
        "headline_for_editor",
        "desk_state",
        "languages",
        "category",
        "byline",
        "published_at",
    ]
    list_filter = [
        QueueFilter,
        DeskStateFilter,
        "category",
        "authors",
        ("published_at", admin.DateFieldListFilter),
        "is_breaking",
        "placement",
        MissingLanguageFilter,
        "source_language",
    ]
    list_select_related = ["category"]
    search_fields = [f"headline_{code}" for code in LANGUAGE_CODES]
    # Counting the whole table again costs a scan at newsroom scale.
    show_full_result_count = False
    autocomplete_fields = ["series", "feature_image"]
    form = ArticleAdminForm
    actions = ["publish_selected", "unpublish_selected"]
    inlines = [
        BylineInline,
        StorySourceInline,
        StoryRelatedArticleInline,
        StoryExternalLinkInline,
        CorrectionInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "slug",
                    "dek",
                    "feature_text",
                    "key_points",
                    "tags",
                    "body",
                ]
            },
        ),
        (
            _("Section, series and image"),
            {
                "fields": [
                    "category",
                    "series",
                    "feature_image",
                    # This story's words for its picture, in language tabs.
                    "feature_image_alt",
                    "feature_image_caption",
                    "feature_image_credit",
                ]
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "source_language",
                    "status",
                    "published_at",
                    "embargo_until",
                    "is_breaking",
                    "breaking_until",
                    "placement",
                    "ai_use",
                ]
            },
        ),
    ]
    # Form-only fields: never model fields, never read-only.
    form_only_fields = ("loaded_version", "minor_edit")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        extra = []
        if obj is not None and permissions.can_edit_content(request.user, obj):
            extra.append((_("Translations"), {"fields": ["minor_edit"]}))
        return [
            *fieldsets,
            *extra,
            (None, {"fields": ["loaded_version"], "classes": ["hidden"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        workflow = request.POST.get("_workflow") if request.method == "POST" else None
        form = type(
            form.__name__,
            (form,),
            {
                "workflow": workflow if workflow in ("submit", "publish") else None,
                "may_publish": permissions.can_publish(request.user),
            },
        )
        if "status" in form.base_fields:
            allowed = permissions.allowed_statuses(request.user, obj)
            form.base_fields["status"].choices = [
                choice for choice in Article.Status.choices if choice[0] in allowed
            ]
        if "tags" in form.base_fields and permissions.is_editor(request.user):
            # Editors create any number of new tags; reporters a few per save.
            form.base_fields["tags"].max_new_tags = None
        return form

    def editable_fields(self, request, obj):
        return permissions.editable_fields(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One revision per save: the story, its inlines and its tags together.
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None:
            context["revisions_url"] = reverse(
                f"{self.admin_site.name}:articles_article_revisions", args=[obj.pk]
            )
            context["preview_links"] = [
                (code, preview_url(obj, code))
                for code in LANGUAGE_CODES
                if getattr(obj, f"headline_{code}")
            ]
            info = f"{self.admin_site.name}:articles_article"
            context["desk_notes"] = list(obj.desk_notes.select_related("author"))
            context["note_url"] = reverse(f"{info}_note", args=[obj.pk])
            context["return_url"] = (
                reverse(f"{info}_return", args=[obj.pk])
                if obj.status == Article.Status.IN_REVIEW
                and permissions.can_publish(request.user)
                else None
            )
            context["note_limit"] = services.MAX_NOTE_LENGTH
            if permissions.can_edit(request.user, obj):
                context["autosave_url"] = reverse(f"{info}_autosave", args=[obj.pk])
                context["working_copy"] = autosave.working_copy_for(
                    article=obj, user=request.user
                )
                presence.presence_mark(article=obj, user=request.user)
                context["presence_url"] = reverse(f"{info}_presence", args=[obj.pk])
                context["presence_notices"] = [
                    self.presence_notice(editor)
                    for editor in presence.others_editing(
                        article=obj, user=request.user
                    )
                ]
        elif add and self.has_add_permission(request):
            context["autosave_url"] = reverse(
                f"{self.admin_site.name}:articles_article_add_autosave"
            )
            context["working_copy"] = autosave.working_copy_for(
                article=None, user=request.user
            )
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_buttons(self, request, obj: Article | None) -> list[tuple[str, str]]:
        """Return the action bar's buttons beside Save: (value, label)."""
        buttons = []
        status = obj.status if obj is not None else Article.Status.DRAFT
        if status == Article.Status.DRAFT:
            buttons.append(("submit", gettext("Submit for review")))
        if permissions.can_publish(request.user) and not (
            obj is not None and obj.status == Article.Status.PUBLISHED
        ):
            later = (
                obj is not None
                and obj.published_at is not None
                and obj.published_at > timezone.now()
            )
            buttons.append(
                ("publish", gettext("Schedule") if later else gettext("Publish"))
            )
        return buttons

    def save_model(self, request, obj, form, change):
        changed = [
            name for name in form.changed_data if name not in self.form_only_fields
        ]
        reversion.set_comment(
            revisions.note("changed", fields=changed) if change and changed else ""
        )
        services.article_save(
            article=obj,
            user=request.user,
            changed_fields=changed,
            loaded_version=form.cleaned_data.get("loaded_version"),
            minor_edit=form.cleaned_data.get("minor_edit", False),
        )
        # Saved: the person's kept changes are in the story now.
        autosave.working_copy_drop(article=obj if change else None, user=request.user)

    def save_related(self, request, form, formsets, change):
        # The words of the story's links and corrections are translated with
        # it: what the inlines changed in them is a change of the story's text.
        before = Article.objects.get(pk=form.instance.pk)
        words = before.text_part_words()
        super().save_related(request, form, formsets, change)
        after = Article.objects.select_related("feature_image").get(pk=before.pk)
        if after.text_part_words() != words:
            stored = copy.copy(after)
            stored.__dict__["_text_parts"] = before.text_parts()
            services.article_texts_changed(
                article=after,
                stored=stored,
                user=request.user,
                minor_edit=form.cleaned_data.get("minor_edit", False),
            )

    # --- revisions ----------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            # Before "<path:object_id>/…", which would take "add" for an id.
            path(
                "add/autosave/",
                view(self.add_autosave_view),
                name=f"{name}_add_autosave",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name=f"{name}_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name=f"{name}_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{name}_revisions_restore",
            ),
            path("<path:object_id>/note/", view(self.note_view), name=f"{name}_note"),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name=f"{name}_autosave",
            ),
            path(
                "<path:object_id>/presence/",
                view(self.presence_view),
                name=f"{name}_presence",
            ),
            path(
                "<path:object_id>/return/",
                view(self.return_view),
                name=f"{name}_return",
            ),
            *super().get_urls(),
        ]

    def _viewable_story(self, request, object_id) -> Article:
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _story_to_edit(self, request, object_id) -> Article:
        """Return the story a desk request changes, if the person may edit it."""
        article = self._viewable_story(request, object_id)
        if not permissions.can_edit(request.user, article):
            raise PermissionDenied
        return article

    def _story_versions(self, article: Article):
        return Version.objects.get_for_object(article).select_related("revision__user")

    def revisions_view(self, request, object_id):
        article = self._viewable_story(request, object_id)
        versions = list(self._story_versions(article))
        rows = [
            {
                "version": version,
                "previous": versions[index + 1] if index + 1 < len(versions) else None,
                "note": revisions.note_text(version.revision.get_comment()),
            }
            for index, version in enumerate(versions)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": gettext("Revisions of “%(story)s”")
            % {"story": article.admin_headline()},
            "rows": rows,
            "latest": versions[0] if versions else None,
            "can_restore": permissions.can_edit_content(request.user, article),
        }
        return TemplateResponse(
            request, "admin/articles/article/revisions.html", context
        )

    def compare_view(self, request, object_id):
        article = self._viewable_story(request, object_id)
        versions = self._story_versions(article)
        try:
            old = versions.get(pk=request.GET.get("from"))
            new = versions.get(pk=request.GET.get("to"))
        except (Version.DoesNotExist, ValueError):
            raise Http404 from None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": gettext("Changes to “%(story)s”")
            % {"story": article.admin_headline()},
            "old": old,
            "new": new,
            "changes": diffs.compare(old, new),
            "can_restore": permissions.can_edit_content(request.user, article),
        }
        return TemplateResponse(
            request, "admin/articles/article/revision_compare.html", context
        )

    @staticmethod
    def presence_notice(editor: presence.Editor) -> str:
        return gettext("%(name)s is editing this story since %(since)s.") % {
            "name": editor.name,
            "since": formats.time_format(timezone.localtime(editor.since), "H:i"),
        }

    @method_decorator(require_POST)
    def autosave_view(self, request, object_id):
        """Keep the person's unsaved changes (their form, every few seconds)."""
        return self._keep_working_copy(request, self._story_to_edit(request, object_id))

    @method_decorator(require_POST)
    def add_autosave_view(self, request):
        """Keep what the person typed into the add form of a story not saved yet."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self._keep_working_copy(request, None)

    def _keep_working_copy(self, request, article: Article | None) -> JsonResponse:
        if request.POST.get("_discard"):
            autosave.working_copy_drop(article=article, user=request.user)
            return JsonResponse({"kept": False})
        try:
            autosave.working_copy_keep(
                article=article,
                user=request.user,
                fields=autosave.form_fields(request.POST),
                version=article.version if article is not None else 0,
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=413)
        return JsonResponse({"kept": True})

    @method_decorator(require_POST)
    def presence_view(self, request, object_id):
        """Keep the person present on the story (their page's heartbeat), or not."""
        article = self._story_to_edit(request, object_id)
        if request.POST.get("leave"):
            presence.presence_leave(article=article, user=request.user)
            return JsonResponse({"others": []})
        presence.presence_mark(article=article, user=request.user)
        others = presence.others_editing(article=article, user=request.user)
        return JsonResponse(
            {
                "others": [
                    {"name": editor.name, "text": self.presence_notice(editor)}
                    for editor in others
                ]
            }
        )

    def note_view(self, request, object_id):
        """Add a desk note to the story, from the panel under its form."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._viewable_story(request, object_id)
        try:
            services.desk_note_add(
                article=article, user=request.user, text=request.POST.get("text", "")
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request, gettext("Your note was added."), messages.SUCCESS
            )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk]) + "#desk-notes"
        )

    def return_view(self, request, object_id):
        """Send a story in review back to its reporter, with the editor's note."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._viewable_story(request, object_id)
        change = reverse("admin:articles_article_change", args=[article.pk])
        try:
            services.article_return(
                article=article, user=request.user, note=request.POST.get("text", "")
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(change + "#desk-notes")
        self.message_user(
            request,
            gettext("“%(story)s” went back to its reporter with your note.")
            % {"story": article.admin_headline()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._viewable_story(request, object_id)
        version = Version.objects.get_for_object(article).filter(pk=version_id).first()
        if version is None:
            raise Http404
        revisions_url = reverse("admin:articles_article_revisions", args=[article.pk])
        try:
            services.article_restore(
                article=article, user=request.user, version=version
            )
        except ValidationError as error:
            self.message_user(
                request,
                gettext("The version could not be restored: %(problems)s")
                % {"problems": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(revisions_url)
        self.message_user(
            request, gettext("The version was restored."), messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    @admin.action(
        description=_("Publish the selected stories"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_publish)

    @admin.action(
        description=_("Unpublish the selected stories"), permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_unpublish)

    def _bulk(self, request, queryset, service) -> None:
        done, failed = 0, []
        for article in queryset:
            try:
                service(article=article, user=request.user)
            except ValidationError as error:
                failed.append(f"{article.admin_headline()}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d story updated.", "%(count)d stories updated.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.display(description=_("headline"), ordering="headline")
    def headline_for_editor(self, obj: Article) -> str:
        headline, code = obj.editors_headline()
        if code is None or code == translation.get_language():
            return headline
        # Marked with its language: Korean wraps between words, not inside.
        return format_html('<span lang="{}">{}</span> [{}]', code, headline, code)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith(("headline_", "slug_", "feature_image_alt_")):
            field.widget.attrs["class"] += " vLargeTextField"
        if db_field.name.startswith("feature_image_caption_"):
            # A caption is a sentence or two, not a page.
            field.widget.attrs["rows"] = 3
        return field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )
        )

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    @admin.display(description=_("status"), ordering="status")
    def desk_state(self, obj: Article) -> str:
        """Return the story's status; a publication still to come is "scheduled"."""
        if obj.is_scheduled:
            return gettext("scheduled")
        if obj.is_embargoed:
            return gettext("embargoed")
        return obj.get_status_display()

    def view_on_site(self, obj: Article) -> str | None:
        """Link to the reader's page only where it exists (previews link the rest).

        In the desk's language if readers have the story in it, else in the
        first language they have.
        """
        current = translation.get_language()
        for code in dict.fromkeys([current, obj.source_language, *LANGUAGE_CODES]):
            if code in LANGUAGE_CODES and obj.is_live_in(code):
                return obj.get_absolute_url(code)
        return None

    @admin.display(description=_("authors"))
    def byline(self, obj: Article) -> str:
        return ", ".join(str(author.name or author) for author in obj.byline_authors())

    @admin.display(description=_("languages"))
    def languages(self, obj: Article) -> str:
        marks = format_html_join(
            " ",
            "{} {}",
            (
                (code, "✓" if getattr(obj, f"headline_{code}") else "—")
                for code in LANGUAGE_CODES
            ),
        )
        return format_html('<span class="nowrap">{}</span>', marks)
