"""The desk's archive imports: upload an archive, then read what importing it did.

An editor uploads the archive with a dry run ticked (the default); the
worker reads it, and its page shows the progress, then what would be
created, updated, skipped and why, file by file and line by line. The same
page maps the archive's categories to sections and imports it for real.
"""

from pathlib import PurePosixPath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import Category
from imports.models import ImportedItem, ImportRun
from imports.services import import_run_repeat, import_run_start, import_runs_delete

# What each kind of archive may be uploaded as.
SUFFIXES = {
    ImportedItem.Source.JEKYLL: (".zip",),
    ImportedItem.Source.WORDPRESS: (".xml", ".zip"),
    ImportedItem.Source.HTML: (".html", ".htm", ".zip"),
}
# An upload larger than this is refused before it is kept (4 GB, as a zip's
# files may add up to: imports.sites.MAX_TOTAL_BYTES).
MAX_UPLOAD_BYTES = 4 * 1024**3
# Rows of a report shown on its page: problems first.
REPORT_ROWS = 500
OUTCOMES = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "failed": _("failed"),
}


def may_import(user) -> bool:
    return (
        user.is_active
        and user.has_perm("imports.add_importrun")
        and permissions.can_publish(user)
    )


class ImportUploadForm(forms.ModelForm):
    class Meta:
        model = ImportRun
        fields = ["kind", "upload", "language", "dry_run", "publish", "include_pages"]
        help_texts = {
            "kind": _(
                "A Jekyll site: a zip of its folder. WordPress: the export file"
                " (Tools → Export), or a zip of it with wp-content/uploads for"
                " the pictures. Saved pages: one page, or a zip of pages with"
                " their _files folders."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("upload"), cleaned.get("kind")
        if upload is None or not kind:
            return cleaned
        suffix = PurePosixPath(upload.name).suffix.lower()
        allowed = SUFFIXES[ImportedItem.Source(kind)]
        if suffix not in allowed:
            self.add_error(
                "upload",
                gettext("For this kind of archive, upload a %(kinds)s file.")
                % {"kinds": ", ".join(allowed)},
            )
        elif upload.size > MAX_UPLOAD_BYTES:
            self.add_error("upload", gettext("The file is larger than 4 GB."))
        return cleaned


class SectionsForm(forms.Form):
    """One choice of section for each category the archive names."""

    def __init__(self, *args, categories: dict[str, int], chosen: dict, **kwargs):
        super().__init__(*args, **kwargs)
        sections = [("", gettext("— no section (reported) —"))] + [
            (str(section.pk), str(section.name))
            for section in Category.objects.order_by("position", "pk")
        ]
        self.categories = list(categories)
        for number, (category, count) in enumerate(categories.items()):
            self.fields[f"section_{number}"] = forms.ChoiceField(
                label=category,
                choices=sections,
                required=False,
                initial=str(chosen.get(category, "")),
                help_text=gettext("%(count)s posts") % {"count": count},
            )

    def mapping(self) -> dict[str, int]:
        return {
            category: int(value)
            for number, category in enumerate(self.categories)
            if (value := self.cleaned_data.get(f"section_{number}"))
        }


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "kind",
        "dry_run",
        "status_shown",
        "counts_shown",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status", "dry_run"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_import(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_import(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_import(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A run is a record: its report is read, never edited.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Finished runs only: their uploaded file goes with the last of them.
        return may_import(request.user) and (obj is None or obj.is_over())

    def delete_model(self, request: HttpRequest, obj: ImportRun) -> None:
        import_runs_delete(runs=[obj], user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        import_runs_delete(runs=list(queryset), user=request.user)

    @admin.display(description=_("file"), ordering="upload")
    def file_name(self, run: ImportRun) -> str:
        return str(run)

    def changelist_view(self, request, extra_context=None):
        # Django's "Select archive import to view" for a list of records.
        title = {"title": ImportRun._meta.verbose_name_plural.capitalize()}
        return super().changelist_view(request, {**(extra_context or {}), **title})

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, run: ImportRun) -> str:
        if run.is_stalled(timezone.now()):
            return gettext("stopped answering: %(done)s of %(total)s") % {
                "done": run.done,
                "total": run.total,
            }
        if run.status == ImportRun.Status.RUNNING and run.total:
            return gettext("importing: %(done)s of %(total)s") % {
                "done": run.done,
                "total": run.total,
            }
        return run.get_status_display()

    @admin.display(description=_("result"))
    def counts_shown(self, run: ImportRun) -> str:
        counts = (run.report or {}).get("counts") or {}
        return " · ".join(
            f"{label} {counts[key]}"
            for key, label in OUTCOMES.items()
            if counts.get(key)
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not may_import(request.user):
            raise PermissionDenied
        if request.method == "POST":
            form = ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                run = import_run_start(
                    user=request.user,
                    upload=form.cleaned_data["upload"],
                    kind=form.cleaned_data["kind"],
                    dry_run=form.cleaned_data["dry_run"],
                    publish=form.cleaned_data["publish"],
                    include_pages=form.cleaned_data["include_pages"],
                    language=form.cleaned_data["language"],
                    report_language=get_language() or "ko",
                )
                return HttpResponseRedirect(
                    reverse("admin:imports_importrun_change", args=[run.pk])
                )
        else:
            form = ImportUploadForm(initial={"language": get_language()})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import an archive"),
            "form": form,
        }
        return TemplateResponse(request, "admin/imports/importrun/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not may_import(request.user):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=object_id)
        report = run.report or {}
        categories = {
            **dict.fromkeys(run.sections, 0),
            **(report.get("categories") or {}),
        }
        sections = SectionsForm(
            request.POST or None, categories=categories, chosen=run.sections
        )
        now = timezone.now()
        stalled = run.is_stalled(now)
        if request.method == "POST":
            if not (run.is_over() or stalled):
                raise PermissionDenied
            if sections.is_valid():
                again = import_run_repeat(
                    run=run,
                    user=request.user,
                    sections=sections.mapping(),
                    dry_run="_for_real" not in request.POST,
                    report_language=get_language() or "ko",
                )
                messages.success(request, gettext("The archive is being read again."))
                return HttpResponseRedirect(
                    reverse("admin:imports_importrun_change", args=[again.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(run),
            "run": run,
            "working": not run.is_over() and not stalled,
            "stalled": stalled,
            "counts": [
                (label, (report.get("counts") or {}).get(key, 0), key)
                for key, label in OUTCOMES.items()
            ],
            "rows": _rows(report),
            "hidden": max(len(report.get("posts") or []) - REPORT_ROWS, 0),
            "unmapped": sorted((report.get("unmapped") or {}).items()),
            "refused": sorted((report.get("refused") or {}).items()),
            "skipped": report.get("skipped") or [],
            "sections": sections,
        }
        return TemplateResponse(request, "admin/imports/importrun/report.html", context)


def _rows(report: dict) -> list[dict]:
    """Return the report's posts for its page: problems first, then the rest."""
    posts = report.get("posts") or []
    ordered = sorted(
        posts,
        key=lambda post: (post["outcome"] != "failed", not post["notes"]),
    )[:REPORT_ROWS]
    rows = []
    for post in ordered:
        where = post.get("file") or post["name"]
        rows.append(
            {
                "name": post["name"],
                "outcome": post["outcome"],
                "outcome_label": OUTCOMES.get(post["outcome"], post["outcome"]),
                "story": (
                    format_html(
                        '<a href="{}">#{}</a>',
                        reverse(
                            "admin:articles_article_change", args=[post["article"]]
                        ),
                        post["article"],
                    )
                    if post.get("article")
                    else ""
                ),
                "notes": [
                    (f"{where}:{line}" if line else "", message)
                    for line, message in post["notes"]
                ],
            }
        )
    return rows
