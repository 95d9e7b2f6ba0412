"""Sections that higher apps add to an organisation's page.

The members app cannot import meetings, the action plan or the Knowledge Hub (they sit above
it), so each of them registers a section here from its AppConfig.ready(), the way apps fill
Django's admin site. The organisation page renders whatever is registered, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise

from members.models import OrganisationKind


@dataclass(frozen=True)
class OrganisationSection:
    key: str
    title: str | Promise
    template_name: str
    order: int
    # Returns the section's template context, or None when the section has nothing to show.
    context: Callable[..., dict | None]


_sections: dict[str, OrganisationSection] = {}


def register_organisation_section(section: OrganisationSection) -> None:
    _sections[section.key] = section


def organisation_sections() -> list[OrganisationSection]:
    return sorted(_sections.values(), key=lambda section: section.order)


# --- Which organisations may have focal points ---------------------------------------------
# Members and observers always may. A higher app adds the organisations its records give a
# part to play (an action plan's lead and contributing organisations, partners included), so
# that somebody can act for them on the portal.
_focal_point_rules: dict[str, Callable[[], Q]] = {}


def register_focal_point_rule(key: str, rule: Callable[[], Q]) -> None:
    """`rule()` returns a filter of Organisation that may have focal points."""
    _focal_point_rules[key] = rule


def focal_point_filter() -> Q:
    condition = Q(kind__in=[OrganisationKind.MEMBER, OrganisationKind.OBSERVER])
    for rule in _focal_point_rules.values():
        condition |= rule()
    return condition
