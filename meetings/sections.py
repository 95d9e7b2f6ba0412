"""The "Meetings attended" section of an organisation's page (registered in apps.ready)."""

from meetings.selectors import meetings_attended_by

SECTION_LIMIT = 25


def meetings_attended_context(*, organisation, request) -> dict | None:
    """The organisation's latest meetings (one query), or None when it attended none."""
    meetings = meetings_attended_by(organisation, limit=SECTION_LIMIT + 1)
    if not meetings:
        return None
    return {
        "meetings_attended": meetings[:SECTION_LIMIT],
        "more_meetings": len(meetings) > SECTION_LIMIT,
    }
