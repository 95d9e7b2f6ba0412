"""The one-click unsubscribe link in reminder e-mails: a signed token naming the person.

It needs no sign-in and does not expire (old e-mails keep working); it can only turn that
person's reminders off.
"""

from django.core import signing

from members.models import Person

_SALT = "meetings.reminders.unsubscribe"


def unsubscribe_token(person: Person) -> str:
    return signing.dumps(person.pk, salt=_SALT)


def person_for_unsubscribe_token(token: str) -> Person | None:
    """The person the token was made for; None for a token that is damaged or forged, or whose
    person no longer exists."""
    try:
        person_id = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(person_id, int):
        return None
    return Person.objects.filter(pk=person_id).first()
