from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    """A person's own notification settings."""

    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=settings.LANGUAGES,
        help_text=_("Changed too when you switch the desk's language."),
    )

    class Meta:
        model = Preference
        fields = ["is_email_on", "language"]
        labels = {"is_email_on": _("Send me notifications by e-mail too")}
