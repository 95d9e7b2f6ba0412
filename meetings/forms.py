from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import InvitationResponse

RSVP_CHOICES = [
    (InvitationResponse.ACCEPTED, _("I will attend")),
    (InvitationResponse.TENTATIVE, _("Maybe (tentative)")),
    (InvitationResponse.DECLINED, _("I cannot attend")),
]


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"), choices=RSVP_CHOICES, widget=forms.RadioSelect
    )


class ReminderOffsetsField(forms.CharField):
    """A meeting's reminder times typed as hours, "168, 24"; stored as the list [168, 24].

    Only the shape is checked here; the rules (how many, range, no repeats) are the model's
    validator, so every way of saving a meeting applies them.
    """

    default_error_messages = {
        "invalid": _("Give the reminders as whole numbers of hours, e.g. 168, 24."),
    }

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(hours) for hours in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        parts = [part for part in text.replace(",", " ").split() if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(part) for part in parts]

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except forms.ValidationError:
            return True
