"""The participants headline of a meeting's page: the figure a report gives, when the
secretariat recorded one, with the counts derived from the attendance rows beside it."""

import pytest
from django.utils import translation

from meetings.selectors import attendance_summary
from tests.factories import OrganisationFactory, PersonFactory
from tests.factories.meetings import AttendanceFactory, PastMeetingFactory

pytestmark = pytest.mark.django_db


def _meeting_with_rows(**values):
    meeting = PastMeetingFactory(slug="reported", **values)
    for kind in ("member", "member", "observer"):
        organisation = OrganisationFactory(kind=kind)
        AttendanceFactory(
            meeting=meeting,
            person=PersonFactory(organisation=organisation),
            organisation=organisation,
            capacity=kind,
        )
    return meeting


def _sentence(html: str) -> str:
    return html.split('<p class="attendance-sentence">')[1].split("</p>")[0]


def test_reported_figure_replaces_at_least_with_the_derived_counts_beside_it(client):
    _meeting_with_rows(attendance_complete=False, reported_participants=30)
    html = client.get("/meetings/reported/").content.decode()
    assert _sentence(html) == (
        "<strong>About 30 participants, according to the report</strong> "
        '<span class="muted">· 3 recorded participants from 2 member and 1 observer '
        "organisations</span>"
    )
    assert "At least" not in html


def test_without_a_reported_figure_the_page_says_at_least(client):
    _meeting_with_rows(attendance_complete=False)
    html = client.get("/meetings/reported/").content.decode()
    assert _sentence(html) == (
        "<strong>At least 3 participants from 2 member and 1 observer organisations</strong>"
    )


def test_reported_figure_alone_when_no_row_is_recorded(client):
    PastMeetingFactory(slug="reported", reported_participants=1)
    html = client.get("/meetings/reported/").content.decode()
    assert _sentence(html) == "<strong>About 1 participant, according to the report</strong>"
    assert "No attendance has been recorded." not in html


def test_headline_in_french_and_spanish():
    meeting = _meeting_with_rows(reported_participants=50)
    summary = attendance_summary(meeting)
    with translation.override("fr"):
        assert summary.headline == "Environ 50 participants, selon le rapport"
        assert summary.recorded_sentence == (
            "3 participants enregistrés de 2 organisations membres et 1 organisations observatrices"
        )
    with translation.override("es"):
        assert summary.headline == "Unos 50 participantes, según el informe"
