"""Machine translation from the story's change form: one button per language."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext, ngettext

from core.languages import language_name
from translations import machine
from translations.models import TranslationState


def machine_translate_view(model_admin, request, object_id, language):
    """Machine translate the story into `language` and go back to its languages."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = model_admin._posted_story(request, object_id)
    name = language_name(language)
    try:
        state = machine.translation_machine_translate(
            article=article, language=language, user=request.user
        )
    except ValidationError as error:
        model_admin.message_user(
            request,
            gettext("Nothing was machine translated. %(reason)s")
            % {"reason": " ".join(error.messages)},
            messages.ERROR,
        )
        return model_admin._back(article)
    units = machine.machine_units(state.article, language)
    if state.status == TranslationState.Status.NEEDS_REVIEW:
        message = ngettext(
            "%(count)s field now has a machine translation into %(language)s "
            "(%(translator)s), replacing its text there. Readers do not see it "
            "until someone approves the translation.",
            "%(count)s fields now have a machine translation into %(language)s "
            "(%(translator)s), replacing their text there. Readers do not see it "
            "until someone approves the translation.",
            len(units),
        )
    else:
        message = gettext(
            "The machine translation (%(translator)s) is the same as the "
            "%(language)s text already there: nothing changed."
        )
    model_admin.message_user(
        request,
        message
        % {
            "count": len(units),
            "language": name,
            "translator": machine.backend_name(),
        },
        messages.SUCCESS,
    )
    return model_admin._back(article)
