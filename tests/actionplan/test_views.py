import datetime
import re

import pytest
from django.utils import timezone

from actionplan.models import ActionItemStatus, ProgressUpdate
from actionplan.services import progress_update_post
from members.models import OrganisationKind
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories.actionplan import (
    ActionItemFactory,
    ActionPlanFactory,
    HeldMeetingFactory,
    PriorityAreaFactory,
)

pytestmark = pytest.mark.django_db

PLAN_URL = "/action-plan/2022-2024/"


@pytest.fixture
def orgs():
    return {
        "ilo": OrganisationFactory(acronym="ILO", name="International Labour Organization"),
        "oecd": OrganisationFactory(acronym="OECD", name="OECD"),
        "ripess": OrganisationFactory(
            acronym="RIPESS", name="RIPESS network", kind=OrganisationKind.OBSERVER
        ),
    }


@pytest.fixture
def plan(orgs, secretariat):
    """Action Plan 2022-2024 (current): area 1 with 1.1 (ILO, completed) and 1.2 (OECD, in
    progress at 40%), area 2 with 2.1 (not started), the transversal area with T.1 (ILO lead,
    RIPESS contributing, ongoing without estimate); and an earlier plan, 2020."""
    plan = ActionPlanFactory(slug="2022-2024", title="Action Plan 2022-2024", is_current=True)
    area1 = PriorityAreaFactory(plan=plan, number=1, order=1, title="Mainstreaming the SSE")
    area2 = PriorityAreaFactory(plan=plan, number=2, order=2, title="Knowledge")
    transversal = PriorityAreaFactory(plan=plan, number=None, order=3, title="Governance")
    items = {
        "1.1": ActionItemFactory(
            area=area1, code="1.1", order=1, title="Support the UN resolution", leads=[orgs["ilo"]]
        ),
        "1.2": ActionItemFactory(
            area=area1, code="1.2", order=2, title="Support the OECD", leads=[orgs["oecd"]]
        ),
        "2.1": ActionItemFactory(area=area2, code="2.1", order=1, title="Knowledge Hub"),
        "T.1": ActionItemFactory(
            area=transversal,
            code="T.1",
            order=1,
            title="Coordination",
            leads=[orgs["ilo"]],
            contributors=[orgs["ripess"]],
        ),
    }
    post = progress_update_post
    post(item=items["1.1"], by=secretariat, date=datetime.date(2023, 4, 18),
         text="Resolution adopted.", status=ActionItemStatus.COMPLETED)  # fmt: skip
    post(item=items["1.2"], by=secretariat, date=datetime.date(2023, 3, 1),
         text="Drafting.", status=ActionItemStatus.IN_PROGRESS, progress=40)  # fmt: skip
    post(item=items["T.1"], by=secretariat, date=datetime.date(2023, 3, 1),
         text="Coordinating.", status=ActionItemStatus.ONGOING)  # fmt: skip
    ActionPlanFactory(slug="2020", title="Work plan 2020", period_start=2020, period_end=2020)
    return plan, items


def shown_codes(response) -> dict[str, list[str]]:
    return {
        entry.area.key: [item.code for item in entry.items]
        for entry in response.context["dashboard"].areas
    }


def headline(completed: int, total: int, label: str) -> str:
    """The status bar's text: every action counted, whatever its estimate."""
    noun = "action" if total == 1 else "actions"
    return (
        f'<span class="progress__value"><span class="visually-hidden">{label}: </span>'
        f"{completed} of {total} {noun} completed</span>"
    )


def bar(value: int, label: str) -> str:
    return (
        f'<rect class="progress__fill" x="0" y="0" width="{value}" height="8"/></svg>\n'
        f'  <span class="progress__value"><span class="visually-hidden">{label}: </span>{value}%'
    )


# --- the plan page -------------------------------------------------------------------------
def test_plan_page_shows_areas_items_bars_and_counts(client, plan):
    response = client.get(PLAN_URL)
    assert response.status_code == 200
    assert shown_codes(response) == {"1": ["1.1", "1.2"], "2": ["2.1"], "T": ["T.1"]}
    html = response.content.decode()
    # The headline counts every action by status: 1 of the plan's 4 is completed, 1 of area 1's
    # 2, none of area 2's one. The average of the estimates (100 + 40) / 2 = 70 is labelled as
    # such and only where some action has an estimate (the plan and area 1).
    assert headline(1, 4, "Overall progress") in html
    assert headline(1, 2, "Progress of Priority area 1") in html
    assert headline(0, 1, "Progress of Priority area 2") in html
    assert (
        html.count("Average of the progress estimates: 70%, from the 2 actions that have one.") == 2
    )
    assert html.count("Average of the progress estimates") == 2
    assert "Overall progress: </span>70%" not in html
    # Completed first (25% of the bar), then in progress, ongoing and not started.
    assert re.findall(r'status-bar__segment--(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', html)[
        :4
    ] == [
        ("completed", "0.0", "25.0"),
        ("in_progress", "25.0", "25.0"),
        ("ongoing", "50.0", "25.0"),
        ("not_started", "75.0", "25.0"),
    ]
    assert bar(40, "Progress of 1.2") in html
    summaries = {e.area.key: e.summary for e in response.context["dashboard"].areas}
    assert [(c.status, c.count) for c in summaries["1"].status_counts] == [
        ("in_progress", 1),
        ("completed", 1),
    ]
    assert [(c.status, c.count) for c in response.context["dashboard"].summary.status_counts] == [
        ("not_started", 1),
        ("in_progress", 1),
        ("ongoing", 1),
        ("completed", 1),
    ]
    text = re.sub(r"\s+", " ", html)
    assert '<span class="status-counts__total">4 actions:</span>' in text
    assert '<span class="status status--completed">Completed</span> 1</span>' in text
    # T.1 is ongoing with no estimate: the page says so instead of drawing 0%.
    assert re.search(
        r'<td data-label="Progress">\s*<span class="muted">No estimate</span>\s*</td>', html
    )
    assert '<a href="/action-plan/2022-2024/1.1/">Support the UN resolution</a>' in html
    assert '<a href="/action-plan/2020/">Work plan 2020</a>' in html
    assert "style=" not in html
    assert "<script" not in html


def test_discontinued_items_are_counted_but_left_out_of_the_average(client, plan, secretariat):
    _plan, items = plan
    progress_update_post(item=items["2.1"], by=secretariat, date=datetime.date(2023, 5, 1),
                         text="Dropped.", status=ActionItemStatus.DISCONTINUED)  # fmt: skip
    response = client.get(PLAN_URL)
    # Discontinued 2.1 is counted but not averaged; the average stays (100 + 40) / 2 = 70.
    html = response.content.decode()
    assert headline(1, 4, "Overall progress") in html
    assert "Average of the progress estimates: 70%, from the 2 actions that have one." in html
    summary = response.context["dashboard"].summary
    assert summary.total == 4
    assert summary.counts_by_status["discontinued"] == 1


def test_current_plan_page_is_the_current_plan_with_earlier_plans(client, plan):
    response = client.get("/action-plan/")
    assert response.status_code == 200
    assert response.context["plan"].slug == "2022-2024"
    assert [p.slug for p in response.context["other_plans"]] == ["2020"]
    html = response.content.decode()
    assert "<h1>Action Plan 2022-2024</h1>" in html
    assert '<a href="/action-plan/2020/">Work plan 2020</a>' in html


def test_earlier_plan_stays_browsable(client, plan):
    response = client.get("/action-plan/2020/")
    assert response.status_code == 200
    assert '<span class="badge">earlier plan</span>' in response.content.decode()
    assert '<span class="badge">current</span>' in response.content.decode()


def test_without_a_current_plan_the_plans_are_listed(client):
    ActionPlanFactory(slug="2020", title="Work plan 2020")
    response = client.get("/action-plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No action plan is marked as the current one." in html
    assert '<a href="/action-plan/2020/">Work plan 2020</a>' in html


def test_unknown_plan_and_item_are_404(client, plan):
    assert client.get("/action-plan/1999/").status_code == 404
    assert client.get("/action-plan/2022-2024/9.9/").status_code == 404
    assert client.get("/action-plan/1999/changes/").status_code == 404
    assert client.get("/action-plan/1999/export.csv").status_code == 404


def test_plan_page_in_french(client, plan):
    response = client.get("/fr" + PLAN_URL)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


# --- filters ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=completed", {"1": ["1.1"], "2": [], "T": []}),
        ("status=not_started", {"1": [], "2": ["2.1"], "T": []}),
        ("lead=ilo", {"1": ["1.1"], "2": [], "T": ["T.1"]}),
        ("lead=oecd&status=in_progress", {"1": ["1.2"], "2": [], "T": []}),
        ("area=T", {"T": ["T.1"]}),
        ("area=1&lead=ilo", {"1": ["1.1"]}),
        ("status=&lead=&area=", {"1": ["1.1", "1.2"], "2": ["2.1"], "T": ["T.1"]}),
    ],
)
def test_filters(client, plan, query, expected):
    response = client.get(f"{PLAN_URL}?{query}")
    assert response.status_code == 200
    assert shown_codes(response) == expected


def test_filter_count_is_announced(client, plan):
    html = client.get(f"{PLAN_URL}?lead=ilo").content.decode()
    assert '<p class="filter-result" role="status">2 actions match these filters.</p>' in html


@pytest.mark.parametrize(
    "query", ["status=abandoned", "lead=nobody", "lead=ripess", "area=9", "area=t"]
)
def test_unknown_filter_values_give_a_clear_empty_result(client, plan, query):
    response = client.get(f"{PLAN_URL}?{query}")
    assert response.status_code == 400  # the page itself, the error said
    assert shown_codes(response) == {"1": [], "2": [], "T": []}
    html = response.content.decode()
    assert "Some filters were not understood, so no action is listed." in html
    assert "0 actions match these filters." in html
    # The summaries still describe the whole plan.
    assert headline(1, 4, "Overall progress") in html


def test_lead_filter_offers_only_organisations_leading_items_of_the_plan(client, plan):
    form = client.get(PLAN_URL).context["filter"].form
    assert [label for _value, label in form.fields["lead"].choices] == [
        "All organisations",
        "ILO",
        "OECD",
    ]


# --- the item page ---------------------------------------------------------------------------
def test_item_page_shows_organisations_and_timeline_newest_first(client, plan, secretariat):
    _plan, items = plan
    meeting = HeldMeetingFactory(
        title="44th Regular Meeting", slug="44th-regular-meeting", day=datetime.date(2023, 7, 11)
    )
    progress_update_post(
        item=items["T.1"], by=secretariat, date=datetime.date(2023, 7, 11),
        text="Working group agreed.", status=ActionItemStatus.IN_PROGRESS,
        source_meeting=meeting, source_title="News of 25 July 2023",
        source_url="https://example.org/news",
        reported_by=PersonFactory(name="Simel Esim", public_profile=True),
    )  # fmt: skip
    response = client.get("/action-plan/2022-2024/T.1/")
    assert response.status_code == 200
    item = response.context["shared_item"]
    assert [u.date for u in item.timeline] == [
        datetime.date(2023, 7, 11),
        datetime.date(2023, 3, 1),
    ]
    html = response.content.decode()
    assert html.index("Working group agreed.") < html.index("Coordinating.")
    assert '<a href="/members/ilo/">International Labour Organization (ILO)</a>' in html
    assert '<a href="/members/ripess/">RIPESS network (RIPESS)</a>' in html
    assert '<a href="/meetings/44th-regular-meeting/">44th Regular Meeting</a>' in html
    assert '<a href="https://example.org/news" rel="noopener">News of 25 July 2023</a>' in html
    assert "Reported by Simel Esim" in html
    assert '<span class="status status--in_progress">In progress</span>' in html
    assert "style=" not in html


def test_reporter_without_public_profile_is_shown_by_organisation(client, plan, orgs):
    _plan, items = plan
    focal_point = FocalPointFactory(organisation=orgs["oecd"])
    focal_point.person.public_profile = False
    focal_point.person.save()
    progress_update_post(item=items["1.2"], by=focal_point, date=datetime.date(2023, 6, 1),
                         text="Consultations held.", status=ActionItemStatus.IN_PROGRESS)  # fmt: skip
    html = client.get("/action-plan/2022-2024/1.2/").content.decode()
    assert "Reported by OECD" in html
    assert focal_point.person.name not in html


def test_month_only_date_is_shown_without_a_day(client, plan, secretariat):
    _plan, items = plan
    progress_update_post(item=items["2.1"], by=secretariat, date=datetime.date(2022, 6, 1),
                         date_precision="month", text="General discussion held.",
                         status=ActionItemStatus.ONGOING)  # fmt: skip
    html = client.get("/action-plan/2022-2024/2.1/").content.decode()
    assert '<time datetime="2022-06">June 2022</time>' in html


# --- posting updates -------------------------------------------------------------------------
ITEM_URL = "/action-plan/2022-2024/1.1/"
VALID_POST = {"date": "2023-05-02", "text": "Report requested.", "status": "completed"}


def test_lead_focal_point_sees_the_form_and_posts(client, plan, orgs):
    user = FocalPointFactory(organisation=orgs["ilo"])
    client.force_login(user)
    page = client.get(ITEM_URL).content.decode()
    assert "Post a progress update" in page
    meeting = HeldMeetingFactory(slug="45th-regular-meeting", day=datetime.date(2023, 5, 2))
    response = client.post(ITEM_URL, {**VALID_POST, "source_meeting": meeting.pk})
    assert response.status_code == 302
    assert response["Location"] == ITEM_URL
    update = ProgressUpdate.objects.get(text="Report requested.")
    assert (update.status, update.progress, update.source_meeting) == ("completed", 100, meeting)
    assert update.reported_by == user.person
    followed = client.get(ITEM_URL).content.decode()
    assert "Your update has been added to the timeline." in followed


def test_lead_focal_point_with_bad_input_gets_400_and_keeps_the_text(client, plan, orgs):
    client.force_login(FocalPointFactory(organisation=orgs["ilo"]))
    response = client.post(
        ITEM_URL, {"date": "2999-01-01", "text": "Typed text stays.", "status": "ongoing"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "An update cannot be dated in the future." in html
    assert "Typed text stays." in html
    assert ProgressUpdate.objects.filter(text="Typed text stays.").count() == 0


def test_completed_with_partial_progress_is_refused_with_a_message(client, plan, orgs):
    client.force_login(FocalPointFactory(organisation=orgs["ilo"]))
    response = client.post(ITEM_URL, {**VALID_POST, "progress": "60"})
    assert response.status_code == 400
    assert "A completed action is at 100%." in response.content.decode()


def test_focal_point_of_another_organisation_gets_403(client, plan, orgs):
    client.force_login(FocalPointFactory(organisation=orgs["oecd"]))
    assert "Post a progress update" not in client.get(ITEM_URL).content.decode()
    assert client.post(ITEM_URL, VALID_POST).status_code == 403
    assert not ProgressUpdate.objects.filter(text="Report requested.").exists()


def test_unaffiliated_user_gets_403(client, plan):
    client.force_login(UserFactory())
    assert "Post a progress update" not in client.get(ITEM_URL).content.decode()
    assert client.post(ITEM_URL, VALID_POST).status_code == 403


def test_secretariat_posts_in_the_admin_not_on_the_page(client, plan, secretariat):
    client.force_login(secretariat)
    assert client.post(ITEM_URL, VALID_POST).status_code == 403


def test_focal_point_of_a_former_lead_organisation_gets_403(client, plan, orgs):
    orgs["ilo"].left_on = datetime.date(2020, 1, 1)
    orgs["ilo"].save()
    client.force_login(FocalPointFactory(organisation=orgs["ilo"]))
    assert client.post(ITEM_URL, VALID_POST).status_code == 403


def test_anonymous_post_is_sent_to_sign_in(client, plan):
    page = client.get(ITEM_URL).content.decode()
    assert "Post a progress update" not in page
    assert '<a href="/accounts/login/?next=/action-plan/2022-2024/1.1/">sign in</a>' in page
    response = client.post(ITEM_URL, VALID_POST)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/action-plan/2022-2024/1.1/"
    assert not ProgressUpdate.objects.filter(text="Report requested.").exists()


# --- what changed since a meeting ------------------------------------------------------------
@pytest.fixture
def meetings_and_updates(plan, secretariat):
    _plan, items = plan
    since = HeldMeetingFactory(slug="43rd-regular-meeting", title="43rd Regular Meeting",
                               day=datetime.date(2023, 4, 18))  # fmt: skip
    until = HeldMeetingFactory(slug="44th-regular-meeting", title="44th Regular Meeting",
                               day=datetime.date(2023, 7, 11))  # fmt: skip
    for date, item, text in [
        (datetime.date(2023, 5, 5), items["2.1"], "Advisory group met."),
        (datetime.date(2023, 7, 11), items["1.2"], "Consultation closed."),
        (datetime.date(2023, 8, 1), items["2.1"], "Encyclopedia entries added."),
    ]:
        progress_update_post(item=item, by=secretariat, date=date, text=text,
                             status=ActionItemStatus.ONGOING)  # fmt: skip
    return since, until


def test_changes_between_two_meetings(client, meetings_and_updates):
    url = f"{PLAN_URL}changes/?since=43rd-regular-meeting&until=44th-regular-meeting"
    response = client.get(url)
    assert response.status_code == 200
    # The resolution dated on the first meeting's day was reported there: not listed. The
    # update of 11 July is the second meeting's own news: listed. 1 August is after it.
    assert [(u.item.code, u.text) for u in response.context["updates"]] == [
        ("1.2", "Consultation closed."),
        ("2.1", "Advisory group met."),
    ]
    html = response.content.decode()
    assert "Updates between the 43rd Regular Meeting and the 44th Regular Meeting" in html
    assert '<a href="/action-plan/2022-2024/1.2/">' in html


def test_changes_since_a_meeting_until_today(client, meetings_and_updates):
    response = client.get(f"{PLAN_URL}changes/?since=44th-regular-meeting")
    assert response.status_code == 200
    assert [u.text for u in response.context["updates"]] == ["Encyclopedia entries added."]
    assert "Updates since the 44th Regular Meeting" in response.content.decode()


def test_changes_page_without_meetings_shows_the_form(client, meetings_and_updates):
    response = client.get(f"{PLAN_URL}changes/")
    assert response.status_code == 200
    assert response.context["updates"] is None
    assert '<select name="since"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=no-such-meeting", "Select a valid choice."),
        ("since=44th-regular-meeting&until=43rd-regular-meeting", "comes after the first"),
        ("until=44th-regular-meeting", "This field is required."),
    ],
)
def test_changes_with_bad_meetings_is_400_with_a_message(
    client, meetings_and_updates, query, message
):
    response = client.get(f"{PLAN_URL}changes/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The meetings could not be used, so nothing is listed" in html
    assert message in html


# --- CSV export ------------------------------------------------------------------------------
def test_csv_export(client, plan, secretariat):
    _plan, items = plan
    progress_update_post(item=items["1.2"], by=secretariat, date=datetime.date(2023, 3, 1),
                         text="=Formula-looking, with comma", status=ActionItemStatus.IN_PROGRESS,
                         progress=45)  # fmt: skip
    response = client.get(f"{PLAN_URL}export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="untfsse-action-plan-2022-2024.csv"'
    )
    assert response.content.decode("utf-8") == (
        "\ufeffcode,title,area,status,progress,lead organisations,last update date,last update\r\n"
        "1.1,Support the UN resolution,Priority area 1,Completed,100,ILO,2023-04-18,"
        "Resolution adopted.\r\n"
        "1.2,Support the OECD,Priority area 1,In progress,45,OECD,2023-03-01,"
        '"\'=Formula-looking, with comma"\r\n'
        "2.1,Knowledge Hub,Priority area 2,Not started,,,,\r\n"
        "T.1,Coordination,Transversal area,Ongoing,,ILO,2023-03-01,Coordinating.\r\n"
    )


# --- organisation page section ---------------------------------------------------------------
def test_organisation_page_lists_action_items_led(client, plan):
    html = client.get("/members/ilo/").content.decode()
    assert '<h2 id="section-action-items-led">Action items led</h2>' in html
    assert '<a href="/action-plan/2022-2024/1.1/">' in html
    assert '<a href="/action-plan/2022-2024/T.1/">' in html
    assert "Action items led" not in client.get("/members/ripess/").content.decode()


def test_navigation_links_to_the_action_plan(client, plan):
    assert '<a href="/action-plan/"' in client.get("/").content.decode()


def test_form_offers_meetings_held_from_the_year_before_the_plan(client, plan, orgs):
    HeldMeetingFactory(slug="old-meeting", title="Old meeting", day=datetime.date(2019, 11, 21))
    HeldMeetingFactory(slug="symposium", title="Symposium", day=datetime.date(2021, 12, 6))
    HeldMeetingFactory(
        slug="future", title="Future", day=timezone.localdate() + datetime.timedelta(days=30)
    )
    client.force_login(FocalPointFactory(organisation=orgs["ilo"]))
    for _ in range(2):  # the page made, then the page kept for readers of this standing
        html = client.get(ITEM_URL).content.decode()
        select = re.search(r'<select name="source_meeting".*?</select>', html, re.S).group(0)
        assert re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select) == [
            "Symposium (Dec. 6, 2021)"
        ]


def test_sitemap_lists_plans_and_items(client, plan):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ["/action-plan/2022-2024/", "/action-plan/2020/", "/action-plan/2022-2024/T.1/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert "<loc>http://testserver/fr/action-plan/2022-2024/1.1/</loc>" in xml


def test_printable_status_report(client):
    from tests.factories import OrganisationFactory
    from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory

    plan = ActionPlanFactory(slug="report-plan", title="Action Plan 2022-2024")
    area = PriorityAreaFactory(plan=plan, number=1, title="Mainstreaming the SSE")
    ilo = OrganisationFactory(acronym="ILO")
    ActionItemFactory(
        area=area,
        order=1,
        title="Support the UN resolution",
        status="completed",
        progress=100,
        leads=[ilo],
    )
    ActionItemFactory(area=area, order=2, title="Engage countries")
    response = client.get("/action-plan/report-plan/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Status report: Action Plan 2022-2024</h1>" in html
    assert '<th scope="row">1.1 Support the UN resolution</th>' in html
    assert '<td data-label="Status">Completed (100%)</td>' in html
    assert '<td data-label="Lead">ILO</td>' in html
    assert "No update recorded." in html
    assert headline(1, 2, "Overall progress") in html
    assert "Average of the progress estimates: 100%, from the 1 action that has one." in html


def test_printable_report_query_count_is_fixed(client, django_assert_num_queries):
    from django.core.cache import cache

    from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory

    plan = ActionPlanFactory(slug="report-plan")
    area = PriorityAreaFactory(plan=plan, number=1)
    ActionItemFactory(area=area, order=1)
    cache.clear()
    with django_assert_num_queries(5):
        client.get("/action-plan/report-plan/report/")
    for order in range(2, 12):
        ActionItemFactory(area=PriorityAreaFactory(plan=plan, number=order), order=order)
    cache.clear()
    with django_assert_num_queries(5):
        client.get("/action-plan/report-plan/report/")


@pytest.mark.parametrize(
    ("prefix", "month", "day"),
    [("", "October 2023", "July 11, 2023"), ("/fr", "octobre 2023", "11 juillet 2023"),
     ("/es", "octubre de 2023", "11 de julio de 2023")],
)  # fmt: skip
def test_meeting_dropdowns_show_a_month_only_meeting_by_its_month(client, plan, prefix, month, day):
    HeldMeetingFactory(slug="tfsse-retreat-2023", title="Retreat",
                       day=datetime.date(2023, 10, 1), schedule_precision="month")  # fmt: skip
    HeldMeetingFactory(slug="44th-regular-meeting", title="44th Regular Meeting",
                       day=datetime.date(2023, 7, 11))  # fmt: skip
    html = client.get(f"{prefix}{PLAN_URL}changes/").content.decode()
    assert f'<option value="tfsse-retreat-2023">Retreat ({month})</option>' in html
    assert f'<option value="44th-regular-meeting">44th Regular Meeting ({day})</option>' in html
    assert "Oct. 1, 2023" not in html and "1 oct" not in html.lower()


@pytest.mark.parametrize(
    ("prefix", "headline", "average"),
    [
        ("", "1 of 4 actions completed", "Average of the progress estimates: 70%, from the 2 actions that have one."),
        ("/fr", "Actions achevées : 1 sur 4", "Moyenne des estimations d’avancement : 70 %, sur les 2 actions qui en ont une."),
        ("/es", "Acciones completadas: 1 de 4", "Promedio de las estimaciones de avance: 70 %, de las 2 acciones que tienen una."),
    ],
)  # fmt: skip
def test_plan_headline_counts_every_action_in_each_language(
    client, plan, prefix, headline, average
):
    html = client.get(f"{prefix}{PLAN_URL}").content.decode()
    assert f"</span>{headline}</span>" in html
    assert average in html
