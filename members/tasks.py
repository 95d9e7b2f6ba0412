"""E-mails about affiliations, sent by Celery after the change has committed.

Each e-mail's state is a timestamp in the database, set in the same transaction as the send:
a redelivered task finds it set and does nothing, and `sweep_unsent_affiliation_emails` sends
what a lost task (broker away, SMTP refusing) left unsent.
"""

import datetime
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import AffiliationInvitation, AffiliationRequest
from members.tokens import invitation_token
from untfsse.core.emails import TemplatedEmail, absolute_url
from untfsse.core.queue import enqueue

logger = logging.getLogger(__name__)
SMTP_ERRORS = (smtplib.SMTPException, OSError)
# Work younger than this is still in the hands of its own task.
SWEEP_GRACE = datetime.timedelta(minutes=2)


@shared_task(name="members.send_affiliation_decision")
def send_affiliation_decision(*, request_id: int) -> None:
    """Tell the user the secretariat's decision, once."""
    with transaction.atomic():
        request = (
            AffiliationRequest.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("user", "organisation", "person")
            .filter(pk=request_id, decided_at__isnull=False, decision_emailed_at__isnull=True)
            .first()
        )
        if request is None:
            return
        language = request.person.preferred_language if request.person else "en"
        try:
            TemplatedEmail(
                to=request.user.email,
                template="members/email/affiliation_decision",
                context={"request": request, "portal_url": absolute_url(reverse("home"))},
                language=language,
            ).send()
        except SMTP_ERRORS:
            logger.warning(
                "Affiliation decision %s not sent yet; the sweep retries", request_id, exc_info=True
            )
            return
        request.decision_emailed_at = timezone.now()
        request.save(update_fields=["decision_emailed_at"])


@shared_task(name="members.notify_secretariat_of_affiliation_request")
def notify_secretariat_of_affiliation_request(*, request_id: int) -> None:
    """Tell the secretariat a request is waiting, once."""
    with transaction.atomic():
        request = (
            AffiliationRequest.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("user", "organisation")
            .filter(pk=request_id, secretariat_notified_at__isnull=True)
            .first()
        )
        if request is None:
            return
        admin_path = reverse("admin:members_affiliationrequest_change", args=[request.pk])
        try:
            TemplatedEmail(
                to=settings.SECRETARIAT_EMAIL,
                template="members/email/affiliation_request_received",
                context={"request": request, "admin_url": absolute_url(admin_path)},
            ).send()
        except SMTP_ERRORS:
            logger.warning(
                "Secretariat notice %s not sent yet; the sweep retries", request_id, exc_info=True
            )
            return
        request.secretariat_notified_at = timezone.now()
        request.save(update_fields=["secretariat_notified_at"])


@shared_task(name="members.send_affiliation_invitation")
def send_affiliation_invitation(*, invitation_id: int, again: bool = False) -> None:
    """Send the invitation's link; once, unless the secretariat asks to send it `again`."""
    with transaction.atomic():
        invitations = AffiliationInvitation.objects.select_for_update(
            of=("self",), skip_locked=True
        ).filter(pk=invitation_id, accepted_at__isnull=True)
        if not again:
            invitations = invitations.filter(sent_at__isnull=True)
        invitation = invitations.select_related("organisation", "person").first()
        if invitation is None:
            return
        link = absolute_url(
            reverse("members:invitation", kwargs={"token": invitation_token(invitation)})
        )
        try:
            TemplatedEmail(
                to=invitation.email,
                template="members/email/account_invitation",
                context={"invitation": invitation, "link": link},
                language=invitation.person.preferred_language if invitation.person else "en",
            ).send()
        except SMTP_ERRORS:
            logger.warning(
                "Invitation %s not sent yet; the sweep retries", invitation_id, exc_info=True
            )
            return
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])


@shared_task(name="members.sweep_unsent_affiliation_emails")
def sweep_unsent_affiliation_emails() -> None:
    """Queue again every affiliation e-mail whose task was lost (runs every ten minutes)."""
    before = timezone.now() - SWEEP_GRACE
    undecided_emails = AffiliationRequest.objects.filter(
        decided_at__lt=before, decision_emailed_at__isnull=True
    ).values_list("pk", flat=True)
    for request_id in undecided_emails:
        enqueue(send_affiliation_decision, request_id=request_id)
    for request_id in AffiliationRequest.objects.filter(
        created_at__lt=before, secretariat_notified_at__isnull=True
    ).values_list("pk", flat=True):
        enqueue(notify_secretariat_of_affiliation_request, request_id=request_id)
    for invitation_id in AffiliationInvitation.objects.filter(
        created_at__lt=before, sent_at__isnull=True, accepted_at__isnull=True
    ).values_list("pk", flat=True):
        enqueue(send_affiliation_invitation, invitation_id=invitation_id)
