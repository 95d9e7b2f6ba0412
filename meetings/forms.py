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
