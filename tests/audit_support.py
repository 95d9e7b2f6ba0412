"""Reading the audit trail in tests: every entry as a plain row, oldest first."""

from untfsse.core.models import AuditEntry


def audit_rows(**filters) -> list[dict]:
    """Each entry's actor (id and label), action, area, object (type, id, text) and changes."""
    return [
        {
            "actor": entry.actor_id,
            "actor_label": entry.actor_label,
            "action": entry.action,
            "area": entry.area,
            "object": (
                f"{entry.content_type.app_label}.{entry.content_type.model}",
                entry.object_id,
                entry.object_repr,
            ),
            "changes": entry.changes,
        }
        for entry in AuditEntry.objects.filter(**filters)
        .select_related("content_type")
        .order_by("at", "pk")
    ]


def label_of(user) -> str:
    """How the trail names an account: "Full Name <e-mail>"."""
    return f"{user.name} <{user.email}>"
