"""The e-mails about affiliations, each a kind of delivery of the outbox (untfsse.core.outbox).

Services write an AffiliationDelivery row in the transaction that made the change and queue it
after commit; the outbox's engine sends it once, retries SMTP failures with back-off and its
sweep re-queues what a lost task left pending. Each kind here says when its e-mail should no
longer go, builds the message and notes, once it is sent, the time on the request or invitation
(`secretariat_notified_at`, `decision_emailed_at`, `sent_at`), as these e-mails always did.
Registered from MembersConfig.ready().

The kinds carry the names their Celery tasks had before the outbox, so that the logs (a
delivery the broker could not take, a failure) read as they did.
"""

from django.conf import settings
from django.urls import reverse

from members.models import (
    AffiliationDelivery,
    AffiliationEmail,
    AffiliationInvitation,
    AffiliationRequest,
)
from members.tokens import invitation_token
from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.core.outbox.kinds import DeliveryKind


def _language(person) -> str:
    return person.preferred_language if person is not None else "en"


class _AffiliationEmailKind(DeliveryKind):
    model = AffiliationDelivery
    purpose: str

    def queryset(self):
        return AffiliationDelivery.objects.filter(purpose=self.purpose)

    def owns(self, delivery):
        return isinstance(delivery, AffiliationDelivery) and delivery.purpose == self.purpose

    def message_id(self, delivery):
        return f"<affiliation-{delivery.purpose}.{delivery.pk}@{message_id_domain()}>"


class SecretariatNoticeEmail(_AffiliationEmailKind):
    """Tells the secretariat that a request is waiting, with a link to decide it."""

    name = "members.notify_secretariat_of_affiliation_request"
    purpose = AffiliationEmail.SECRETARIAT_NOTICE

    def claimable(self):
        return self.queryset().select_related("request__user", "request__organisation")

    def reason_to_skip(self, delivery, now):
        if delivery.request.secretariat_notified_at is not None:
            return "The secretariat was told already."
        return ""

    def build_message(self, delivery, now):
        request = delivery.request
        delivery.email = settings.SECRETARIAT_EMAIL
        admin_path = reverse("admin:members_affiliationrequest_change", args=[request.pk])
        return TemplatedEmail(
            to=delivery.email,
            template="members/email/affiliation_request_received",
            context={"request": request, "admin_url": absolute_url(admin_path)},
            language=delivery.language,
        ).build()

    def after_sent(self, delivery, now):
        AffiliationRequest.objects.filter(pk=delivery.request_id).update(
            secretariat_notified_at=now
        )


class DecisionEmail(_AffiliationEmailKind):
    """Tells the user the secretariat's decision (and its note)."""

    name = "members.send_affiliation_decision"
    purpose = AffiliationEmail.DECISION

    def claimable(self):
        return self.queryset().select_related(
            "request__user", "request__organisation", "request__person"
        )

    def reason_to_skip(self, delivery, now):
        if delivery.request.decided_at is None:
            return "The request is not decided."
        if delivery.request.decision_emailed_at is not None:
            return "The user was told already."
        return ""

    def build_message(self, delivery, now):
        request = delivery.request
        delivery.email = request.user.email
        delivery.language = _language(request.person)
        return TemplatedEmail(
            to=delivery.email,
            template="members/email/affiliation_decision",
            context={"request": request, "portal_url": absolute_url(reverse("home"))},
            language=delivery.language,
        ).build()

    def after_sent(self, delivery, now):
        AffiliationRequest.objects.filter(pk=delivery.request_id).update(decision_emailed_at=now)


class InvitationEmail(_AffiliationEmailKind):
    """The secretariat's invitation: the signed link that links the new account at sign-up."""

    name = "members.send_affiliation_invitation"
    purpose = AffiliationEmail.INVITATION

    def claimable(self):
        return self.queryset().select_related("invitation__organisation", "invitation__person")

    def reason_to_skip(self, delivery, now):
        if delivery.invitation.accepted_at is not None:
            return "The invitation has been accepted."
        return ""

    def build_message(self, delivery, now):
        invitation = delivery.invitation
        # The address of the invitation as it is now: the link is signed for that address.
        delivery.email = invitation.email
        delivery.language = _language(invitation.person)
        link = absolute_url(
            reverse("members:invitation", kwargs={"token": invitation_token(invitation)})
        )
        return TemplatedEmail(
            to=delivery.email,
            template="members/email/account_invitation",
            context={"invitation": invitation, "link": link},
            language=delivery.language,
        ).build()

    def after_sent(self, delivery, now):
        AffiliationInvitation.objects.filter(pk=delivery.invitation_id).update(sent_at=now)


SECRETARIAT_NOTICE_EMAIL = SecretariatNoticeEmail()
DECISION_EMAIL = DecisionEmail()
INVITATION_EMAIL = InvitationEmail()
AFFILIATION_EMAILS = (SECRETARIAT_NOTICE_EMAIL, DECISION_EMAIL, INVITATION_EMAIL)
