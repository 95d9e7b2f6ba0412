"""The one-click unsubscribe link in reminder e-mails: a signed token naming the person.

It needs no sign-in and does not expire (old e-mails keep working); it can only turn that
person's reminders off.
"""

from django.core import signing

from members.models import Person

_SALT = "meetings.reminders.unsubscribe"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT)


def unsubscribe_token(person: Person) -> str:
    """Always the same for a person (no timestamp), so every e-mail carries the same link."""
    return _signer().sign_object(person.pk)


def person_for_unsubscribe_token(token: str) -> Person | None:
    """The person the token was made for; None for a token that is damaged or forged, or whose
    person no longer exists."""
    try:
        person_id = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(person_id, int):
        return None
    return Person.objects.filter(pk=person_id).first()
