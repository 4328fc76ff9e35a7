"""PO catalogue export, and the import of PO and XLIFF files, in the admin.

Thin views over `translations.po` and `translations.xliff`; the XLIFF export
is views_xliff.py.
"""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from core.languages import LANGUAGE_CODES
from translations import po, xliff


class ExportForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    story = forms.ModelMultipleChoiceField(queryset=Article.objects.all())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("PO or XLIFF file"),
        help_text=_(
            "A PO catalogue or an XLIFF file exported here and translated, at "
            "most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".po,.xlf,.xliff"}),
    )
    apply = forms.BooleanField(
        label=_("Apply the translations"),
        required=False,
        help_text=_(
            "Unticked, the file is only checked and nothing changes. Ticked, "
            "it is checked again and applied only if it has no errors."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".po", *xliff.XLIFF_SUFFIXES):
            raise ValidationError(_("Choose a .po, .xlf or .xliff file."))
        if upload.size > po.MAX_FILE_BYTES:
            raise ValidationError(po.too_big_message())
        return upload


def _dashboard_url(model_admin) -> str:
    return reverse(
        f"{model_admin.admin_site.name}:translations_translationstate_changelist"
    )


def export_response(request, queryset, language):
    """Return the catalogue of `queryset` for `language` as a download.

    None (the admin then goes back to its list) when there is nothing to
    export; the reason is left as a message.
    """
    po.check_exchange(request.user, language)
    export = po.catalogue_export(articles=queryset, language=language)
    if export.skipped:
        messages.warning(request, export.skipped_message())
    if not export.entry_count:
        messages.warning(request, gettext("Nothing to export: no text to translate."))
        return None
    response = HttpResponse(
        export.content(), content_type="text/x-gettext-translation; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.file_name
    )
    return response


def export_view(model_admin, request, respond=export_response):
    """Download the catalogue of the stories chosen on the dashboard.

    `respond` makes the download: views_xliff.export_response for XLIFF.
    """
    language = request.GET.get("language", "")
    if language in LANGUAGE_CODES:
        po.check_exchange(request.user, language)
    elif not po.can_exchange(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(
            request, gettext("Choose a language and at least one existing story.")
        )
        return HttpResponseRedirect(_dashboard_url(model_admin))
    response = respond(request, form.cleaned_data["story"], language)
    return response or HttpResponseRedirect(_dashboard_url(model_admin))


def import_view(model_admin, request):
    """Check an uploaded PO or XLIFF file and show the report; apply it when asked."""
    if not po.can_exchange(request.user):
        raise PermissionDenied
    report = None
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = _import_upload(
                form.cleaned_data["file"],
                request.user,
                dry_run=not form.cleaned_data["apply"],
            )
            form = ImportForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Import a translated PO or XLIFF file"),
        "dashboard_url": _dashboard_url(model_admin),
        "form": form,
        "report": report,
        "rows": _report_rows(model_admin, report) if report else [],
    }
    return TemplateResponse(request, "admin/translations/import.html", context)


def _import_upload(upload, user, *, dry_run: bool) -> po.ImportReport:
    # The parser reads a path, never the uploaded text itself; the reader is
    # chosen by the upload's name, else by its first bytes.
    with tempfile.NamedTemporaryFile() as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return xliff.translation_file_import(
            path=copy.name,
            user=user,
            dry_run=dry_run,
            file_name=Path(upload.name).name[:200],
        )


def _report_rows(model_admin, report: po.ImportReport) -> list[dict]:
    site = model_admin.admin_site.name
    return [
        {
            "entry": entry,
            "change_url": reverse(
                f"{site}:articles_article_change", args=[entry.article_id]
            )
            if entry.headline
            else None,
        }
        for entry in report.entries
    ]
