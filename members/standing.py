"""What a user is to the Task Force: the one answer every permission in the portal asks for.

`standing_of(user)` says whether the user is secretariat staff and whether they are an
affiliated focal point of a member or an observer organisation. Views, selectors and services
of every app use it (through the mixins in members.permissions), never their own checks.
"""

import zoneinfo
from dataclasses import dataclass

from members.groups import SECRETARIAT_GROUP
from members.models import Organisation, OrganisationKind, Person

_CACHE_ATTRIBUTE = "_portal_standing"


@dataclass(frozen=True)
class Standing:
    person: Person | None
    organisation: Organisation | None
    is_secretariat: bool
    is_authenticated: bool

    @property
    def is_affiliated(self) -> bool:
        """A confirmed focal point of an organisation whose membership is running."""
        return self.organisation is not None and self.organisation.is_current

    @property
    def is_member_focal_point(self) -> bool:
        return self.is_affiliated and self.organisation.kind == OrganisationKind.MEMBER

    @property
    def is_observer_focal_point(self) -> bool:
        return self.is_affiliated and self.organisation.kind == OrganisationKind.OBSERVER

    @property
    def sees_members_only_content(self) -> bool:
        """Join links, circulated minutes, members-only documents, participants' contacts."""
        return self.is_secretariat or self.is_member_focal_point or self.is_observer_focal_point

    @property
    def audience(self) -> str:
        """Which shared version of a page this reader gets (untfsse/core/cache.py): the
        secretariat's (draft minutes), members' and observers' focal points' (members-only
        content) or the public's. Everything a page keeps for sharing depends on this alone;
        what depends on the person (their invitation, a form) is rendered for them."""
        if self.is_secretariat:
            return "secretariat"
        if self.sees_members_only_content:
            return "members"
        return "public"

    def is_focal_point_of(self, organisation_ids) -> bool:
        """True when the user is an affiliated focal point of one of these organisations."""
        return self.is_affiliated and self.organisation.pk in set(organisation_ids)


ANONYMOUS = Standing(person=None, organisation=None, is_secretariat=False, is_authenticated=False)


def time_zone_of(standing: Standing) -> zoneinfo.ZoneInfo:
    """The person's time zone (their preference), or UTC for everyone without one."""
    if standing.person is not None:
        try:
            return zoneinfo.ZoneInfo(standing.person.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo("UTC")


def is_secretariat_user(user) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()


def standing_of(user) -> Standing:
    """The user's standing, computed once per user object (two queries at most)."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    person = Person.objects.select_related("organisation").filter(user=user).order_by("pk").first()
    standing = Standing(
        person=person,
        organisation=person.organisation if person else None,
        is_secretariat=is_secretariat_user(user),
        is_authenticated=True,
    )
    setattr(user, _CACHE_ATTRIBUTE, standing)
    return standing


def reader_key(user) -> str:
    """All a page kept whole for signed-in readers (untfsse/core/cache.py, serve_reader_page)
    may depend on about its reader: their standing's audience, whether they are staff (the
    admin's links) and their time zone (the times shown). Readers with the same key get the
    same copy, their own parts (account menu, messages, CSRF tokens) put in for each."""
    standing = standing_of(user)
    zone = standing.person.time_zone if standing.person is not None else "UTC"
    return f"{standing.audience}:{int(user.is_staff)}:{zone}"


def forget_standing(user) -> None:
    """Drop the cached standing after the user's affiliation changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
