"""The audit trail in templates: {% load audit %} (the admin's history pages, the activity page)."""

from django import template

from untfsse.core.audit import action_label, actor_name, audit_entries_for, change_lines

register = template.Library()

# An object's admin history shows its newest entries; the activity page has them all.
ADMIN_HISTORY_LENGTH = 100


@register.simple_tag
def audit_history(obj):
    """The newest entries about `obj`, for its admin history page (whose view has already
    checked that the viewer may see the object)."""
    return list(audit_entries_for(obj)[:ADMIN_HISTORY_LENGTH])


@register.filter
def audit_action(entry) -> str:
    return action_label(entry.action)


@register.filter
def audit_actor(entry) -> str:
    return actor_name(entry)


@register.filter
def audit_changes(entry) -> list:
    return change_lines(entry)
