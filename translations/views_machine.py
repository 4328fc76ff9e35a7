"""Machine translation from the story's change form (to be written)."""

from django.http import HttpResponse


def machine_translate_view(model_admin, request, object_id, language):
    return HttpResponse(status=501)
