from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Person
from members.sections import focal_point_filter


class SignupForm(forms.Form):
    """Fields django-allauth adds to its sign-up form: the name people will see."""

    name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class AffiliationRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),  # set per form: see __init__
        empty_label=_("Choose your organisation"),
    )
    person = forms.ModelChoiceField(
        label=_("You are already listed as"),
        # Only people with a public profile: the form must not reveal anyone else.
        queryset=Person.objects.public().filter(user__isnull=True).select_related("organisation"),
        required=False,
        empty_label=_("I am not listed yet"),
        help_text=_(
            "If the secretariat already lists you under your organisation, choose your name."
        ),
    )
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    position = forms.CharField(label=_("Your position"), max_length=255, required=False)
    message = forms.CharField(
        label=_("Message to the secretariat"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, who in your organisation can confirm your role."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Members, observers and any organisation with a part in the portal's records (a
        # partner leading an action of the plan), registered by the apps that hold them.
        self.fields["organisation"].queryset = (
            Organisation.objects.current().filter(focal_point_filter()).distinct()
        )

    def clean(self):
        cleaned = super().clean()
        organisation, person = cleaned.get("organisation"), cleaned.get("person")
        if organisation and person and person.organisation_id != organisation.pk:
            self.add_error("person", _("This person is not listed under the chosen organisation."))
        return cleaned


class EmailPreferencesForm(forms.ModelForm):
    """What a focal point chooses for the e-mails the portal sends them."""

    class Meta:
        model = Person
        fields = ["receives_reminders", "preferred_language", "time_zone"]
        labels = {
            "receives_reminders": _("Send me meeting reminders"),
            "preferred_language": _("Language of my e-mails"),
            "time_zone": _("My time zone"),
        }
        help_texts = {
            "receives_reminders": "",
            "time_zone": _("A name such as Europe/Zurich, America/Santiago or Asia/Bangkok."),
        }


class AccountDeleteForm(forms.Form):
    """The confirmation of an account's deletion: the account's password, asked again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that you, and nobody else at your computer, delete the account."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
