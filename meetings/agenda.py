"""What other areas show under each agenda item of a meeting's page.

The meetings app does not know the apps above it; one of them (the action plan, whose items
are discussed in agenda items) registers a section here from its AppConfig.ready(), the way
apps fill members.sections. The meeting page loads each registered section once for all its
agenda items (one query per section, whatever the number of items) and renders its template
under each item that has something.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaItemSection:
    key: str
    template_name: str
    # Agenda item ids -> {agenda item id: [objects to list under it]}, in one query.
    load: Callable[[Sequence[int]], dict[int, list]]
    order: int = 0


@dataclass(frozen=True)
class AgendaItemExtra:
    """One section's objects under one agenda item, as the template renders them."""

    key: str
    template_name: str
    objects: list


_sections: dict[str, AgendaItemSection] = {}


def register_agenda_item_section(section: AgendaItemSection) -> None:
    _sections[section.key] = section


def agenda_item_extras(agenda_items: Sequence) -> dict[int, list[AgendaItemExtra]]:
    """For each agenda item id, what the registered sections list under it (items without
    anything are left out)."""
    ids = [item.pk for item in agenda_items]
    extras: dict[int, list[AgendaItemExtra]] = {}
    if not ids:
        return extras
    for section in sorted(_sections.values(), key=lambda section: section.order):
        for item_id, objects in section.load(ids).items():
            if objects:
                extras.setdefault(item_id, []).append(
                    AgendaItemExtra(section.key, section.template_name, objects)
                )
    return extras
