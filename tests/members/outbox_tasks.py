"""The affiliation e-mails' tasks as a worker runs them now: the outbox's one send task, for the
row of the e-mail (tests call these where they used to call the e-mails' own tasks)."""

from members.emails import DECISION_EMAIL
from untfsse.core.outbox.tasks import send_delivery


def send_affiliation_decision(*, request_id: int) -> str:
    """Run the send task of the decision e-mail of this request; returns what happened."""
    delivery = DECISION_EMAIL.queryset().get(request_id=request_id)
    return send_delivery(kind=DECISION_EMAIL.name, delivery_id=delivery.pk)
