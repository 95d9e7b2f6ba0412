"""Sections that higher apps add to an organisation's page.

The members app cannot import meetings, the action plan or the Knowledge Hub (they sit above
it), so each of them registers a section here from its AppConfig.ready(), the way apps fill
Django's admin site. The organisation page renders whatever is registered, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


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
