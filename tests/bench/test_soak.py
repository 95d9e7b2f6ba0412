"""bench/soak.py's own pieces: the accounts it prepares, its clients' invitation answers and
submissions through the real forms of a live server, and the check afterwards, which must
find a lost or wrong write."""

import random
import time
from urllib.parse import urlsplit

import pytest

from bench.soak import (
    MEETING_SLUGS,
    Recorder,
    Soak,
    prepare_accounts,
    verify,
)
from knowledgehub.models import Submission, SubmissionState
from knowledgehub.services.submissions import submission_start
from meetings.models import Invitation, InvitationResponse, Meeting
from members.models import OrganisationKind, Person, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def limits(settings):
    settings.RSVP_RATE_LIMIT_PER_HOUR = 5
    settings.KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY = 2


def test_accounts_are_made_once_and_carry_what_they_have_left(limits):
    accounts, meetings = prepare_accounts(wanted=3, budget=4)

    assert [a.email for a in accounts] == [
        "soak-0000@bench.example.org",
        "soak-0001@bench.example.org",
        "soak-0002@bench.example.org",
    ]
    assert [(a.rsvp_left, a.submissions_left) for a in accounts] == [(5, 2)] * 3
    assert [m.slug for m in meetings] == MEETING_SLUGS
    assert all(m.start > m.created_at for m in meetings)
    person = Person.objects.select_related("organisation").get(user_id=accounts[0].user_id)
    assert person.organisation.kind == OrganisationKind.OBSERVER
    assert Invitation.objects.filter(person_id__in=[a.person_id for a in accounts]).count() == 9

    # The first account starts its two submissions of the day: a second run still uses it for
    # answers, and needs a fourth account for the submissions it asks for.
    submission_start(by=User.objects.get(pk=accounts[0].user_id))
    submission_start(by=User.objects.get(pk=accounts[0].user_id))
    again, _ = prepare_accounts(wanted=3, budget=6)

    assert [a.user_id for a in again[:3]] == [a.user_id for a in accounts]
    assert [(a.rsvp_left, a.submissions_left) for a in again] == [(5, 0), (5, 2), (5, 2), (5, 2)]
    assert again[0].session_key != accounts[0].session_key  # a new sign-in per run
    assert User.objects.filter(email__startswith="soak-").count() == 4
    assert Meeting.objects.filter(slug__in=MEETING_SLUGS).count() == 3
    assert Invitation.objects.filter(meeting__slug__in=MEETING_SLUGS).count() == 12


@pytest.fixture
def soak(live_server, limits, settings):
    # As in production behind the TLS proxy (bench/server.py's BEHIND_TLS_PROXY): the clients
    # say https, and CSRF then wants an https origin.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    accounts, meetings = prepare_accounts(wanted=1, budget=1)
    address = urlsplit(live_server.url)
    return Soak(
        host=address.hostname,
        port=address.port,
        accounts=accounts,
        meetings=meetings,
        addresses={},
        recorder=Recorder(origin=time.monotonic()),
        seed=1,
        think=0,
    )


def test_answers_go_through_the_form_and_the_last_one_is_checked(soak):
    rng = random.Random(7)
    for _ in range(4):
        soak.answer_invitation(rng)

    assert [a.outcome for a in soak.rsvps] == ["ok"] * 4
    assert {s.kind: s.status for s in soak.recorder.samples} == {
        "meeting (signed in)": 200,
        "rsvp POST": 302,
    }
    assert not soak.recorder.wrong
    for (person_id, slug), answer in soak.last_answer.items():
        stored = Invitation.objects.get(person_id=person_id, meeting__slug=slug).response
        assert stored == answer
    assert verify(soak) is True

    # The answer changed behind the clients' back is found.
    person_id, slug = next(iter(soak.last_answer))
    other = next(a for a in InvitationResponse.values[1:] if a != soak.last_answer[person_id, slug])
    Invitation.objects.filter(person_id=person_id, meeting__slug=slug).update(response=other)
    assert verify(soak) is False


def test_the_fifth_answer_in_the_hour_is_a_429_counted_apart(soak):
    rng = random.Random(3)
    account = soak.rsvp_pool.get()
    account.rsvp_left = 10  # more than the server allows (5 in these tests)
    for _ in range(6):
        soak._answer(account, rng)

    assert [a.outcome for a in soak.rsvps] == ["ok"] * 5 + ["rate limited"]
    assert soak.recorder.events["rsvp 429"] == 1
    assert not soak.recorder.wrong
    assert verify(soak) is True


def test_submissions_at_once_and_through_a_draft_are_found_in_the_database(soak):
    account = soak.submission_pool.get()
    soak._submit(account, random.Random(1), one_step=True)
    soak._submit(account, random.Random(2), one_step=False)

    kinds = [(s.kind, s.status) for s in soak.recorder.samples]
    assert kinds == [
        ("submit form", 200),
        ("submit POST", 302),
        ("my submission", 200),
        ("submit form", 200),
        ("save POST", 302),
        ("edit form", 200),
        ("submit POST", 302),
        ("my submission", 200),
    ]
    assert [a.outcome for a in soak.submissions] == ["ok", "ok"]
    stored = Submission.objects.order_by("pk")
    assert [s.pk for s in stored] == [a.pk for a in soak.submissions]
    assert [s.state for s in stored] == [SubmissionState.SUBMITTED] * 2
    assert [s.current_version.original_name for s in stored] == [
        "soak-paper-1.pdf",
        "soak-paper-2.pdf",
    ]
    assert verify(soak) is True

    # A lost submission, and one whose file is another, are found.
    Submission.objects.filter(pk=soak.submissions[0].pk).delete()
    soak.submissions[1].sha256 = "0" * 64
    assert verify(soak) is False
