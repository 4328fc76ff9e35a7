from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from articles import permissions, services
from articles.models import (
    LANGUAGE_CODES,
    Article,
    Author,
    Byline,
    Category,
    Correction,
    Image,
    Series,
    TranslatorLanguage,
)
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


@admin.register(Image)
class ImageAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "credit", "is_ai_generated", "created_at"]
    list_filter = ["is_ai_generated"]
    search_fields = [f"alt_text_{code}" for code in LANGUAGE_CODES] + ["credit"]
    fields = ["file", "alt_text", "caption", "credit", "source_url", "is_ai_generated"]


class ArticleAdminForm(forms.ModelForm):
    """The story form; it refuses to overwrite a version saved since it was opened."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        # The admin wraps the whole request in a transaction: the row stays
        # locked until this save is done, so nobody slips in between.
        current = (
            Article.objects.select_for_update()
            .select_related("updated_by")
            .get(pk=instance.pk)
        )
        loaded = cleaned.get("loaded_version")
        if loaded is not None and loaded != current.version:
            raise ValidationError(
                gettext(
                    "%(who)s saved this story at %(when)s, after you opened it. "
                    "Your changes were not saved, so nothing was overwritten. Open "
                    "the current version in a new tab, copy your changes into it "
                    "and save there."
                )
                % {
                    "who": current.updated_by or gettext("Someone"),
                    "when": formats.date_format(
                        current.updated_at.astimezone(), "DATETIME_FORMAT"
                    ),
                },
                code="edit_conflict",
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = [
        "headline_for_editor",
        "status",
        "languages",
        "category",
        "published_at",
    ]
    list_filter = ["status", "category", "is_breaking", "placement", "source_language"]
    list_select_related = ["category"]
    search_fields = [f"headline_{code}" for code in LANGUAGE_CODES]
    date_hierarchy = "published_at"
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
                    "body",
                ]
            },
        ),
        (
            _("Section, series and image"),
            {"fields": ["category", "series", "feature_image"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "source_language",
                    "status",
                    "published_at",
                    "is_breaking",
                    "placement",
                    "ai_use",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [
            *fieldsets,
            (None, {"fields": ["loaded_version"], "classes": ["hidden"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "status" in form.base_fields:
            allowed = permissions.allowed_statuses(request.user, obj)
            form.base_fields["status"].choices = [
                choice for choice in Article.Status.choices if choice[0] in allowed
            ]
        form.base_fields["loaded_version"].initial = obj.version if obj else None
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        allowed = permissions.editable_fields(request.user, obj)
        if allowed is None:
            return readonly
        shown = flatten_fieldsets(super().get_fieldsets(request, obj))
        return readonly + [
            name
            for name in shown
            if name not in allowed and name not in readonly and name != "loaded_version"
        ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        services.article_save(
            article=obj,
            user=request.user,
            changed_fields=[
                name for name in form.changed_data if name != "loaded_version"
            ],
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
        return obj.admin_headline()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith(("headline_", "slug_")):
            field.widget.attrs["class"] += " vLargeTextField"
        return field

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


class TranslatorLanguageInline(admin.TabularInline):
    model = TranslatorLanguage
    extra = 0
    verbose_name_plural = _("languages this person translates into")


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class NewsroomUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, TranslatorLanguageInline]
