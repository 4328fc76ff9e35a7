"""The picture library in the desk: upload, describe, crop around a focal point."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.admin import (
    FieldRightsMixin,
    LoadedVersionField,
    MinorEditField,
    VersionedFormMixin,
    open_saved_version_link,
)
from articles.models import Article, for_editors
from articles.services import EditConflict
from core.languages import LANGUAGE_CODES
from images import permissions, services, uploads
from images.desk import image_card
from images.models import Image, StoryPicture
from images.renditions import picture_sources, thumbnails


class ImageAdminForm(VersionedFormMixin, forms.ModelForm):
    """The picture form; it saves only the fields the person changed.

    Each field carries the value the form was opened with (Django's hidden
    initial), so `changed_data` is what this person changed, not whatever
    differs from the picture as stored now: an older form does not revert
    another person's caption, and the version check can tell whether the
    fields it changes were changed since (see `services.image_check_version`).
    """

    loaded_version = LoadedVersionField()
    minor_edit = MinorEditField()

    form_only_fields = ("loaded_version", "minor_edit")

    class Meta:
        # Checked by decoding, stored re-encoded without metadata.
        field_classes = {"file": uploads.ImageUploadField}

    class Media:
        js = ["js/desk_focal.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # A file input cannot carry the file it was opened with.
            if name not in (*self.form_only_fields, "file"):
                field.show_hidden_initial = True

    def clean_file(self):
        file = self.cleaned_data.get("file")
        digest = getattr(file, "source_sha256", "")
        same = services.image_same_file(digest, exclude=self.instance)
        if same is not None:
            raise ValidationError(same_file_message(same), code="same_file")
        return file

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk is None or loaded is None:
            return cleaned
        # The admin wraps the request in a transaction: the row stays locked
        # until this save is done.
        try:
            services.image_check_version(
                image=self.instance,
                loaded_version=loaded,
                changed_fields=self.changed_fields(),
                loaded_values=self.loaded_values(),
            )
        except EditConflict as conflict:
            raise ValidationError(
                open_saved_version_link(
                    reverse("admin:images_image_change", args=[self.instance.pk]),
                    gettext(
                        "Someone saved this picture after you opened it and "
                        "changed what you changed: %(fields)s. Your changes were "
                        "not saved, so nothing was overwritten: copy them into "
                        "the version they saved and save there."
                    )
                    % {
                        "fields": ", ".join(
                            str(self.fields[name].label or name)
                            for name in conflict.fields
                        )
                    },
                ),
                code="edit_conflict",
            ) from None
        return cleaned

    def changed_fields(self) -> list[str]:
        """Return the model fields this person changed."""
        return [name for name in self.changed_data if name not in self.form_only_fields]

    def loaded_values(self) -> dict:
        """Return each changed field's value as the form was opened with it."""
        values = {}
        for name in self.changed_fields():
            field = self.fields[name]
            if not field.show_hidden_initial:
                continue
            raw = field.hidden_widget().value_from_datadict(
                self.data, self.files, self[name].html_initial_name
            )
            try:
                values[name] = field.to_python(raw)
            except ValidationError:
                continue
        return values


def same_file_message(image: Image) -> str:
    """Say that this file is in the library already, linking to its picture."""
    link = format_html(
        '<a href="{}">{}</a>',
        reverse("admin:images_image_change", args=[image.pk]),
        str(image),
    )
    text = gettext("This file is in the library already: %(picture)s. Use that one.")
    return mark_safe(conditional_escape(text) % {"picture": link})  # noqa: S308


class UploadForm(forms.Form):
    """One file of a batch upload, checked like the picture form's."""

    file = uploads.ImageUploadField(label=_("picture"))


class RenditionsFailedFilter(admin.SimpleListFilter):
    """The pictures the worker gave up making smaller copies of."""

    title = _("smaller copies")
    parameter_name = "renditions"

    def lookups(self, request, model_admin):
        return [("failed", _("could not be made"))]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(renditions_failed_at__isnull=False)
        return queryset


class LicenceFilter(admin.SimpleListFilter):
    """The licences pictures are published under, as the library spells them."""

    title = _("licence")
    parameter_name = "licence"
    # Licences are free text: offer the most used, not every spelling.
    LIMIT = 20

    def lookups(self, request, model_admin):
        licences = (
            Image.objects.exclude(licence="")
            .values("licence")
            .annotate(used=Count("id"))
            .order_by("-used", "licence")[: self.LIMIT]
        )
        return [(row["licence"], row["licence"]) for row in licences]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(licence=self.value())
        return queryset


class UnusedFilter(admin.SimpleListFilter):
    """Pictures no story shows, or the ones some story does."""

    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("shown by no story")), ("used", _("shown by a story"))]

    def queryset(self, request, queryset):
        shown = Exists(Article.objects.filter(feature_image=OuterRef("pk"))) | Exists(
            StoryPicture.objects.filter(image=OuterRef("pk"))
        )
        if self.value() == "unused":
            return queryset.filter(~shown)
        if self.value() == "used":
            return queryset.filter(shown)
        return queryset


class LibraryChangeList(ChangeList):
    """The library's page of pictures: each with its thumbnails and whether in use."""

    def get_results(self, request):
        super().get_results(request)
        # Asked for the page's pictures only: an EXISTS in the query made
        # PostgreSQL hash every story to answer for 48 pictures.
        page = [image.pk for image in self.result_list]
        shown = set(
            Article.objects.filter(feature_image__in=page).values_list(
                "feature_image", flat=True
            )
        ) | set(
            StoryPicture.objects.filter(image__in=page).values_list("image", flat=True)
        )
        for image in self.result_list:
            image.is_used = image.pk in shown
            # The desk's language, else any: a credit is a name.
            image.credit_shown = for_editors(image, "credit")

    def get_queryset(self, request, exclude_parameters=None):
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .prefetch_related(thumbnails())
        )


# Pictures per page of the chooser dialog: four rows of six on a wide screen.
CHOOSER_PAGE = 24


@admin.register(Image)
class ImageAdmin(FieldRightsMixin, TabbedTranslationAdmin):
    # A long form: its save buttons stand above it too, in view on opening.
    save_on_top = True
    form = ImageAdminForm
    form_only_fields = ImageAdminForm.form_only_fields
    # A grid of thumbnails (images/templates/admin/images/image/change_list.html).
    change_list_template = "admin/images/image/change_list.html"
    list_display = ["__str__", "credit", "is_ai_generated", "created_at"]
    list_filter = [
        "is_ai_generated",
        LicenceFilter,
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        UnusedFilter,
        RenditionsFailedFilter,
    ]
    list_per_page = 48
    # Whatever language the words were written in.
    search_fields = [
        *(f"alt_text_{code}" for code in LANGUAGE_CODES),
        *(f"caption_{code}" for code in LANGUAGE_CODES),
        *(f"credit_{code}" for code in LANGUAGE_CODES),
        "licence",
    ]
    fields = [
        "file",
        "alt_text",
        "caption",
        "credit",
        "source_url",
        "licence",
        "is_ai_generated",
        ("focal_x", "focal_y"),
        "minor_edit",
        "loaded_version",
    ]

    def get_changelist(self, request, **kwargs):
        return LibraryChangeList

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="images_image_upload"),
            path("<int:pk>/card/", view(self.card_view), name="images_image_card"),
            path("choose/", view(self.choose_view), name="images_image_choose"),
            *super().get_urls(),
        ]

    def card_view(self, request, pk):
        """Return a picture's thumbnail and words, for the story form's picker."""
        image = Image.objects.filter(pk=pk).prefetch_related(thumbnails()).first()
        if image is None or not self.has_view_permission(request, image):
            raise Http404
        return JsonResponse(image_card(image))

    def choose_view(self, request):
        """Answer the chooser: a page of the library's search, newest first.

        The story form's chooser dialog and the body editor's picture button
        read it; `q` searches what the library's search box does.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()[:200]
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        pictures, _duplicates = self.get_search_results(
            request, Image.objects.all(), term
        )
        start = (page - 1) * CHOOSER_PAGE
        found = list(
            pictures.order_by("-created_at", "-id").prefetch_related(thumbnails())[
                start : start + CHOOSER_PAGE + 1
            ]
        )
        return JsonResponse(
            {
                "results": [image_card(image) for image in found[:CHOOSER_PAGE]],
                "has_more": len(found) > CHOOSER_PAGE,
            }
        )

    def upload_view(self, request):
        """Take several pictures at once: each file kept or refused on its own.

        The page's script sends one file per request and shows its progress;
        without it, the form sends them all and the page lists each result.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        results = []
        if request.method == "POST":
            results = [
                self.upload_one(request, upload)
                for upload in request.FILES.getlist("files")
            ]
            if request.headers.get("Accept") == "application/json":
                return JsonResponse({"results": results})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Upload pictures"),
            "results": results,
            "accept": uploads.ACCEPT,
            "max_bytes": settings.NEWSROOM_IMAGE_MAX_BYTES,
        }
        return TemplateResponse(request, "admin/images/image/upload.html", context)

    def upload_one(self, request, upload) -> dict[str, str]:
        """Keep one uploaded file as a new picture; say what became of it."""
        name = upload.name
        form = UploadForm(files={"file": upload})
        if not form.is_valid():
            return {
                "name": name,
                "status": "refused",
                "message": " ".join(form.errors["file"]),
            }
        normalised = form.cleaned_data["file"]
        same = services.image_same_file(normalised.source_sha256)
        if same is not None:
            return {
                "id": str(same.pk),
                "name": name,
                "status": "same",
                "message": gettext("In the library already: open that picture."),
                "url": reverse("admin:images_image_change", args=[same.pk]),
            }
        with uploads.deleted_on_rollback(), transaction.atomic():
            image = Image(file=normalised)
            services.image_save(image=image, user=request.user)
        self.log_addition(request, image, [{"added": {}}])
        return {
            "id": str(image.pk),
            "name": name,
            "status": "added",
            "message": gettext("Added. Describe it: alt text, caption and credit."),
            "url": reverse("admin:images_image_change", args=[image.pk]),
        }

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [
                name for name in fields if name not in ImageAdminForm.form_only_fields
            ]
        if permissions.image_editable_fields(request.user, obj) is not None:
            # Only who edits the source caption decides whether a change is minor.
            return [name for name in fields if name != "minor_edit"]
        return fields

    def editable_fields(self, request, obj):
        return permissions.image_editable_fields(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit_image(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        # The delete view and the "delete selected" action both ask per picture.
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_delete_image(request.user, obj)
        )

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.file and obj.width and obj.height:
            fit = picture_sources(obj, "fit")
            context["focal_picture"] = {
                "src": fit["src"] if fit else obj.file.url,
                "width": obj.width,
                "height": obj.height,
                "alt": obj.alt_text,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            self.warn_of_failed_renditions(request, object_id)
        # A new file is stored before the request's transaction commits; if
        # anything after the save rolls it back, the file goes too.
        with uploads.deleted_on_rollback():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def warn_of_failed_renditions(self, request, object_id) -> None:
        """Say at the top of the form that the worker gave this picture up."""
        image = (
            self.get_queryset(request)
            .filter(pk=object_id, renditions_failed_at__isnull=False)
            .only("renditions_failed_at", "renditions_problem")
            .first()
        )
        if image is None:
            return
        messages.warning(
            request,
            gettext(
                "Smaller copies of this picture could not be made (%(problem)s): "
                "readers get the original file. Upload the file again, or "
                "replace it."
            )
            % {"problem": image.get_renditions_problem_display()},
        )

    def save_model(self, request, obj, form, change):
        services.image_save(
            image=obj,
            user=request.user,
            changed_fields=form.changed_fields(),
            loaded_version=form.cleaned_data.get("loaded_version"),
            loaded_values=form.loaded_values(),
            minor_edit=form.cleaned_data.get("minor_edit", False),
        )


class FeatureImagePickerMixin:
    """The story form's feature-image picker, with thumbnails and a preview.

    Composed into the story admin by the wiring (newsroom/admin.py): the
    search results carry each picture's thumbnail (newsroom's admin site
    adds them), and the chosen one shows under the field.
    """

    @property
    def media(self):
        # After Django's autocomplete script, which this one re-dresses.
        return super().media + forms.Media(
            js=["js/desk_chooser.js", "js/desk_feature_image.js"]
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "feature_image" and field is not None:
            field.widget.attrs["data-card-url"] = reverse(
                "admin:images_image_card", args=[0]
            )
            field.widget.attrs["data-preview-label"] = gettext("Chosen picture")
            # The chooser dialog's sources, read by it wherever it opens
            # (this field, the body editor's picture and gallery buttons).
            field.widget.attrs["data-chooser-url"] = reverse(
                "admin:images_image_choose"
            )
            field.widget.attrs["data-upload-url"] = reverse("admin:images_image_upload")
        return field
