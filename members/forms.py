from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Fields django-allauth adds to its sign-up form: the name people will see."""

    name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
