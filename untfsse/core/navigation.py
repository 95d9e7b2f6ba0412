"""The header's main navigation, filled by each app from its AppConfig.ready().

The shell's template shows what the apps register, so the lowest layer never
imports the apps above it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavigationItem:
    label: str | Promise
    url_name: str
    order: int


_items: dict[str, NavigationItem] = {}


def register(*, label: str | Promise, url_name: str, order: int) -> None:
    _items[url_name] = NavigationItem(label=label, url_name=url_name, order=order)


def navigation_items() -> list[NavigationItem]:
    return sorted(_items.values(), key=lambda item: item.order)
