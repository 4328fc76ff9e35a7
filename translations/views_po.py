"""PO catalogue export and import in the admin (to be written)."""

from django.http import HttpResponse


def export_view(model_admin, request):
    return HttpResponse(status=501)


def import_view(model_admin, request):
    return HttpResponse(status=501)


def export_response(request, queryset, language):
    return HttpResponse(status=501)
