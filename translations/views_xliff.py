"""XLIFF export in the admin: a thin view over `translations.xliff`.

The dashboard's export and the import page are views_po's, shared by both
formats; permissions are the PO exchange's.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from translations import po, xliff
from translations.views_po import export_view as po_export_view


def export_response(request, queryset, language):
    """Return the XLIFF file of `queryset` for `language` as a download.

    None (the admin then goes back to its list) when there is nothing to
    export, or the stories are written in several languages; the reason is
    left as a message.
    """
    po.check_exchange(request.user, language)
    try:
        export = xliff.xliff_export(articles=queryset, language=language)
    except xliff.MixedSourceLanguages as error:
        messages.error(request, str(error))
        return None
    if export.skipped:
        messages.warning(request, export.skipped_message())
    if not export.unit_count:
        messages.warning(request, gettext("Nothing to export: no text to translate."))
        return None
    response = HttpResponse(
        export.content(), content_type="application/xliff+xml; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.file_name
    )
    return response


def export_view(model_admin, request):
    """Download the XLIFF file of the stories chosen on the dashboard."""
    return po_export_view(model_admin, request, respond=export_response)
