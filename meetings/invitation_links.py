"""The Accept / Tentative / Decline links of an invitation e-mail: they work without signing in.

Each link is a token signed with the portal's SECRET_KEY (django.core.signing) that names one
invitation, one answer and the invitation's `answer_version` when the e-mail was written. It is
good only for answering that invitation, only once (answering through a link moves the
version on, so the same link, or any other link of the same e-mail, no longer matches), and
only until the meeting ends. Anything else (a damaged or forged token, another invitation's
link, a used or expired one) is refused with `InvitationLinkRefused`, whose status and message
the page shows, and nothing changes.
"""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.models import Invitation, InvitationResponse

_SALT = "meetings.invitation.answer"
ANSWERS = (InvitationResponse.ACCEPTED, InvitationResponse.TENTATIVE, InvitationResponse.DECLINED)


class InvitationLinkRefused(Exception):
    """A link that cannot answer: `status` is the HTTP status of the page, `message` says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def answer_token(invitation: Invitation, response: str) -> str:
    return signing.dumps(
        {"i": invitation.pk, "a": response, "v": invitation.answer_version}, salt=_SALT
    )


def answer_path(invitation: Invitation, response: str) -> str:
    """The link's path (the e-mail puts PORTAL_URL in front)."""
    return reverse(
        "meetings:invitation_answer",
        kwargs={"pk": invitation.pk, "token": answer_token(invitation, response)},
    )


def answer_paths(invitation: Invitation) -> dict[str, str]:
    """{"accepted": path, "tentative": path, "declined": path}."""
    return {str(response): answer_path(invitation, response) for response in ANSWERS}


def read_answer_token(token: str, *, invitation_id: int) -> tuple[int, str]:
    """The (answer version, answer) the token was made for, if it is a genuine link of this
    invitation. Raises InvitationLinkRefused (400) otherwise. Whether it is still good (used,
    expired) is the service's question, asked with the invitation locked."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature as error:
        raise InvitationLinkRefused(
            400, _("This link is damaged or was not made by the portal. Nothing was changed.")
        ) from error
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("i"), int)
        or not isinstance(payload.get("v"), int)
        or payload.get("a") not in ANSWERS
    ):
        raise InvitationLinkRefused(
            400, _("This link is damaged or was not made by the portal. Nothing was changed.")
        )
    if payload["i"] != invitation_id:
        raise InvitationLinkRefused(
            400, _("This link belongs to another invitation. Nothing was changed.")
        )
    return payload["v"], payload["a"]


def check_answer_link(invitation: Invitation | None, *, version: int, now) -> None:
    """Whether a genuine link (see `read_answer_token`) may still answer `invitation` now:
    raises InvitationLinkRefused when the invitation is gone (404), the meeting is over (410),
    the link was used (409), or the meeting is cancelled or has started (409)."""
    if invitation is None:
        raise InvitationLinkRefused(404, _("This invitation no longer exists."))
    meeting = invitation.meeting
    if meeting.is_over(now):
        raise InvitationLinkRefused(
            410, _("This meeting is over: its invitation can no longer be answered.")
        )
    if version != invitation.answer_version:
        raise InvitationLinkRefused(
            409,
            _(
                "This link has already been used. Nothing was changed: to change your answer, "
                "use the links on the page shown after your last answer, or your page on the "
                "portal."
            ),
        )
    if meeting.is_cancelled:
        raise InvitationLinkRefused(409, _("This meeting is cancelled."))
    if meeting.has_started(now):
        raise InvitationLinkRefused(
            409, _("This meeting has started: answers can no longer be changed.")
        )
