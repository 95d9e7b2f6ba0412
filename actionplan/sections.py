"""What the action plan contributes to pages of lower apps (the organisation page)."""

from actionplan.selectors import items_led_by


def organisation_action_items(*, organisation, request) -> dict | None:
    """The "Action items led" section of an organisation's page (None when it leads none)."""
    items = items_led_by(organisation)
    return {"led_items": items} if items else None
